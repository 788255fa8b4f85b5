// A command that waits for approval is one entry (its card asks), replayed identically from a session log;
// what the running turn waits for is derived from the entries.
import { describe, expect, it } from 'vitest';
import { chatStateFromEvents, userWait } from '../../../src/shared/chatState';
import type { AgentEvent } from '../../../src/shared/events';

const t = 't1';
const cmd = 'npm test';
const started: AgentEvent[] = [
  { type: 'turn.started', turnId: t, text: 'test it', at: 1 },
  { type: 'tool.started', turnId: t, callId: 'c1', tool: 'exec_command', title: cmd, cwd: '/w', at: 2 },
];
const ask = (approvalId: string, extra: Partial<Extract<AgentEvent, { type: 'approval.requested' }>> = {}): AgentEvent => ({
  type: 'approval.requested',
  turnId: t,
  approvalId,
  subject: { kind: 'command', command: cmd, cwd: '/w', reason: 'Needs a look.' },
  ...extra,
});

describe('command approvals live on the command card', () => {
  it('attaches the question and the decision to the running card, adding no entry', () => {
    const state = chatStateFromEvents([...started, ask('a1'), { type: 'approval.resolved', turnId: t, approvalId: 'a1', decision: 'approve' }]);
    expect(state.entries.map((e) => e.kind)).toEqual(['user', 'tool']);
    expect(state.entries[1]).toMatchObject({ kind: 'tool', status: 'running', approval: { id: 'a1', decision: 'approve', subject: { command: cmd } } });
  });

  it('uses the call id when the event names it, and never a card with another command line', () => {
    const named = chatStateFromEvents([...started, ask('a1', { callId: 'c1' })]);
    expect(named.entries[1]).toMatchObject({ approval: { id: 'a1' } });
    const otherCall = chatStateFromEvents([...started, ask('a1', { callId: 'c9' })]);
    expect(otherCall.entries.map((e) => e.kind)).toEqual(['user', 'tool', 'approval']);
    const otherCommand = chatStateFromEvents([...started, ask('a1', { subject: { kind: 'command', command: 'rm -rf ~', cwd: '/w', reason: 'x' } })]);
    expect(otherCommand.entries.map((e) => e.kind)).toEqual(['user', 'tool', 'approval']);
    expect(otherCommand.entries[1]).not.toHaveProperty('approval');
  });

  it('does not attach to a finished card or one of another turn', () => {
    const finished = chatStateFromEvents([...started, { type: 'tool.ended', turnId: t, callId: 'c1', status: 'ok', exitCode: 0, durationMs: 1 }, ask('a1')]);
    expect(finished.entries.map((e) => e.kind)).toEqual(['user', 'tool', 'approval']);
    const otherTurn = chatStateFromEvents([...started, ask('a1', { turnId: 't2' })]);
    expect(otherTurn.entries.map((e) => e.kind)).toEqual(['user', 'tool', 'approval']);
  });

  it('a second question (re-run outside the sandbox) replaces the first on the same card', () => {
    const state = chatStateFromEvents([
      ...started,
      ask('a1'),
      { type: 'approval.resolved', turnId: t, approvalId: 'a1', decision: 'approve' },
      ask('a2'),
      { type: 'approval.resolved', turnId: t, approvalId: 'a2', decision: 'deny', note: 'no' },
    ]);
    expect(state.entries).toHaveLength(2);
    expect(state.entries[1]).toMatchObject({ approval: { id: 'a2', decision: 'deny', note: 'no' } });
  });

  it('an unknown approval id changes nothing', () => {
    const state = chatStateFromEvents([...started, { type: 'approval.resolved', turnId: t, approvalId: 'nope', decision: 'approve' }]);
    expect(state.entries[1]).not.toHaveProperty('approval');
  });
});

describe('userWait', () => {
  it('is the approval while one is open, a review while a hunk is pending, else nothing', () => {
    const events: AgentEvent[] = [...started];
    expect(userWait(chatStateFromEvents(events))).toBeUndefined();
    events.push(ask('a1'));
    expect(userWait(chatStateFromEvents(events))).toBe('approval');
    events.push({ type: 'approval.resolved', turnId: t, approvalId: 'a1', decision: 'approve' }, { type: 'tool.ended', turnId: t, callId: 'c1', status: 'ok', exitCode: 0, durationMs: 1 });
    expect(userWait(chatStateFromEvents(events))).toBeUndefined();
    const hunk = { id: '1.1', header: '', lines: [], added: 1, removed: 0, line: 1, state: 'pending' as const };
    events.push({ type: 'patch.proposed', turnId: t, callId: 'c2', changeSetId: 'cs1', files: [{ path: 'a', kind: 'update', added: 1, removed: 0, diff: '', hunks: [hunk] }] });
    expect(userWait(chatStateFromEvents(events))).toBe('review');
    events.push({ type: 'patch.hunk', turnId: t, changeSetId: 'cs1', hunkId: '1.1', state: 'rejected' });
    expect(userWait(chatStateFromEvents(events))).toBeUndefined();
  });

  it('is nothing once the turn is over, even with a question left open', () => {
    expect(userWait(chatStateFromEvents([...started, ask('a1'), { type: 'turn.completed', turnId: t, stopped: true, at: 3 }]))).toBeUndefined();
  });
});
