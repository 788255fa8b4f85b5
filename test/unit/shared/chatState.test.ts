import { describe, expect, it } from 'vitest';
import { applyEvent, chatStateFromEvents, emptyChatState } from '../../../src/shared/chatState';
import type { AgentEvent } from '../../../src/shared/events';

const t = 't1';
const streamed: AgentEvent[] = [
  { type: 'turn.started', turnId: t, text: 'hello', at: 1 },
  { type: 'message.delta', turnId: t, itemId: 'm1', delta: 'Hel' },
  { type: 'message.delta', turnId: t, itemId: 'm1', delta: 'lo' },
];

describe('chat state reducer', () => {
  it('builds a user entry and a streaming assistant entry from deltas', () => {
    const state = chatStateFromEvents(streamed);
    expect(state.activeTurnId).toBe(t);
    expect(state.entries.map((e) => e.kind)).toEqual(['user', 'assistant']);
    expect(state.entries[1]).toMatchObject({ text: 'Hello', streaming: true });
  });

  it('marks a stopped turn: partial text stays, a stopped marker follows, running tools are cancelled', () => {
    const state = chatStateFromEvents([
      ...streamed,
      { type: 'tool.started', turnId: t, callId: 'c1', tool: 'exec_command', title: 'sleep 10', at: 2 },
      { type: 'tool.output', turnId: t, callId: 'c1', chunk: 'partial' },
      { type: 'turn.completed', turnId: t, stopped: true, at: 3 },
    ]);
    expect(state.activeTurnId).toBeUndefined();
    expect(state.entries.map((e) => e.kind)).toEqual(['user', 'assistant', 'tool', 'stopped']);
    expect(state.entries[1]).toMatchObject({ text: 'Hello', streaming: false });
    expect(state.entries[2]).toMatchObject({ status: 'cancelled', output: 'partial' });
  });

  it('adds an error entry with its action on failure', () => {
    const state = chatStateFromEvents([
      { type: 'turn.started', turnId: t, text: 'x', at: 1 },
      { type: 'turn.failed', turnId: t, at: 2, error: { code: 'no_api_key', message: 'No key', action: { label: 'Set API Key', command: 'tandem.setApiKey' } } },
    ]);
    expect(state.entries[1]).toMatchObject({ kind: 'error', error: { code: 'no_api_key', action: { command: 'tandem.setApiKey' } } });
  });

  it('returns the ids it changed and replaces only those entries (rows memoise by identity)', () => {
    const state = chatStateFromEvents(streamed);
    const userBefore = state.entries[0];
    const assistantBefore = state.entries[1];
    const changed = applyEvent(state, { type: 'message.delta', turnId: t, itemId: 'm1', delta: '!' });
    expect(changed).toEqual(['m1']);
    expect(state.entries[0]).toBe(userBefore);
    expect(state.entries[1]).not.toBe(assistantBefore);
  });

  it('tracks approvals, plans, patches and usage', () => {
    const state = emptyChatState();
    const events: AgentEvent[] = [
      { type: 'turn.started', turnId: t, text: 'x', at: 1 },
      { type: 'approval.requested', turnId: t, approvalId: 'a1', subject: { kind: 'command', command: 'rm x', cwd: '/w', reason: 'writes' } },
      { type: 'approval.resolved', turnId: t, approvalId: 'a1', decision: 'deny', note: 'no' },
      { type: 'plan.updated', turnId: t, callId: 'p1', plan: [{ step: 'a', status: 'completed' }] },
      { type: 'patch.proposed', turnId: t, callId: 'c2', changeSetId: 'cs1', files: [] },
      { type: 'patch.resolved', turnId: t, changeSetId: 'cs1', outcome: 'applied' },
      { type: 'usage', turnId: t, usage: { inputTokens: 100, cachedInputTokens: 80, outputTokens: 5 } },
      { type: 'usage', turnId: t, usage: { inputTokens: 200, cachedInputTokens: 150, outputTokens: 7 } },
    ];
    for (const e of events) applyEvent(state, e);
    expect(state.entries.find((e) => e.id === 'a1')).toMatchObject({ decision: 'deny', note: 'no' });
    expect(state.entries.find((e) => e.kind === 'plan')).toMatchObject({ plan: [{ step: 'a', status: 'completed' }] });
    expect(state.entries.find((e) => e.id === 'cs1')).toMatchObject({ outcome: 'applied' });
    expect(state.usage).toEqual({ inputTokens: 300, cachedInputTokens: 230, outputTokens: 12, lastInputTokens: 200, lastCachedInputTokens: 150 });
  });
});
