// The chat list's status and title of a chat, from its state alone; the queued messages in the chat state.
import { describe, expect, it } from 'vitest';
import { chatListTitle, chatStatus } from '../../../src/shared/chatList';
import { applyEvent, chatStateFromEvents } from '../../../src/shared/chatState';
import type { AgentEvent } from '../../../src/shared/events';

const start = (turnId: string, text = 'build it', submissionId?: string): AgentEvent => ({ type: 'turn.started', turnId, text, at: 1, ...(submissionId ? { submissionId } : {}) });
const COMMAND = 'npm run build';
const asking: AgentEvent[] = [
  start('t1'),
  { type: 'tool.started', turnId: 't1', callId: 'c1', tool: 'exec_command', title: COMMAND, at: 2 },
  { type: 'approval.requested', turnId: 't1', approvalId: 'a1', callId: 'c1', subject: { kind: 'command', command: COMMAND, cwd: '/ws', reason: 'writes' } },
];

describe('chatStatus', () => {
  it('new, working, needs approval, working again, done', () => {
    expect(chatStatus(chatStateFromEvents([]))).toBe('new');
    expect(chatStatus(chatStateFromEvents([start('t1')]))).toBe('working');
    expect(chatStatus(chatStateFromEvents(asking))).toBe('needs-approval');
    const approved: AgentEvent[] = [...asking, { type: 'approval.resolved', turnId: 't1', approvalId: 'a1', decision: 'approve' }];
    expect(chatStatus(chatStateFromEvents(approved))).toBe('working');
    expect(chatStatus(chatStateFromEvents([...approved, { type: 'turn.completed', turnId: 't1', stopped: false, at: 3 }]))).toBe('done');
  });

  it('failed and stopped are how the last turn ended; a retried failure is done', () => {
    const failed: AgentEvent[] = [start('t1', 'hi'), { type: 'turn.failed', turnId: 't1', error: { code: 'connection', message: 'down' }, at: 2 }];
    expect(chatStatus(chatStateFromEvents(failed))).toBe('failed');
    expect(chatStatus(chatStateFromEvents([start('t1'), { type: 'turn.completed', turnId: 't1', stopped: true, at: 2 }]))).toBe('stopped');
    expect(chatStatus(chatStateFromEvents([...failed, start('t2', 'hi'), { type: 'message.completed', turnId: 't2', itemId: 'm', text: 'hello' }, { type: 'turn.completed', turnId: 't2', stopped: false, at: 3 }]))).toBe('done');
  });

  it('a change set waiting for review needs the user', () => {
    const hunk = { id: '1.1', header: '', lines: [], added: 1, removed: 0, line: 1, state: 'pending' as const };
    const events: AgentEvent[] = [start('t1'), { type: 'patch.proposed', turnId: 't1', callId: 'c1', changeSetId: 'cs1', files: [{ path: 'a.ts', kind: 'update', added: 1, removed: 0, diff: '', hunks: [hunk] }] }];
    expect(chatStatus(chatStateFromEvents(events))).toBe('needs-approval');
  });
});

describe('chatListTitle', () => {
  it('is the first message in plain text on one line, clipped, else the fallback', () => {
    expect(chatListTitle(chatStateFromEvents([]), 'New chat')).toBe('New chat');
    expect(chatListTitle(chatStateFromEvents([start('t1', 'Fix function `parsePort`\n(port.ts:1-4)')]), 'x')).toBe('Fix function parsePort (port.ts:1-4)');
    const long = chatListTitle(chatStateFromEvents([start('t1', 'y'.repeat(200))]), 'x');
    expect(long).toHaveLength(60);
    expect(long.endsWith('…')).toBe(true);
  });
});

describe('queued messages in the chat state', () => {
  const queued = (submissionId: string, text: string): AgentEvent => ({ type: 'input.queued', turnId: 't1', submissionId, text, at: 2 });

  it('wait in order, leave when delivered, withdrawn or started as a turn of their own', () => {
    const state = chatStateFromEvents([start('t1'), queued('op2', 'one'), queued('op3', 'two'), queued('op4', 'three')]);
    expect(state.pending.map((p) => p.text)).toEqual(['one', 'two', 'three']);
    const before = state.pending;
    applyEvent(state, { type: 'input.withdrawn', turnId: 't1', submissionId: 'op3', text: 'two', at: 4 });
    expect(state.pending).not.toBe(before);
    const after = chatStateFromEvents([
      start('t1'),
      queued('op2', 'one'),
      queued('op3', 'two'),
      queued('op4', 'three'),
      { type: 'input.delivered', turnId: 't1', submissionId: 'op2', text: 'one', at: 3 },
      { type: 'input.withdrawn', turnId: 't1', submissionId: 'op3', text: 'two', at: 4 },
    ]);
    expect(after.pending.map((p) => p.submissionId)).toEqual(['op4']);
    expect(after.entries.filter((e) => e.kind === 'user').map((e) => e.id)).toEqual(['user-t1', 'user-op2']);
    expect(before).toHaveLength(3); // replaced, never mutated
    const next = chatStateFromEvents([start('t1'), queued('op4', 'three'), { type: 'turn.completed', turnId: 't1', stopped: false, at: 5 }, start('t2', 'three', 'op4')]);
    expect(next.pending).toEqual([]);
  });

  it('the same queued event twice (a replayed log) is one pending message', () => {
    expect(chatStateFromEvents([start('t1'), queued('op2', 'one'), queued('op2', 'one')]).pending).toHaveLength(1);
  });
});
