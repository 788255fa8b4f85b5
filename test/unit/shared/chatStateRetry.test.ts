// An error whose cause was fixed goes away once a retry succeeds: the reducer marks the failed turn's user
// message, notices and error `retried` (the view hides them), and leaves everything else as it was.
import { describe, expect, it } from 'vitest';
import { chatStateFromEvents } from '../../../src/shared/chatState';
import type { AgentEvent } from '../../../src/shared/events';

const failed = (turnId: string, text: string, code: 'no_api_key' | 'auth' = 'no_api_key'): AgentEvent[] => [
  { type: 'turn.started', turnId, text, at: 1 },
  { type: 'turn.failed', turnId, at: 2, error: { code, message: 'No API key is set.' } },
];
const answered = (turnId: string, text: string, stopped = false): AgentEvent[] => [
  { type: 'turn.started', turnId, text, at: 3 },
  { type: 'message.delta', turnId, itemId: `m-${turnId}`, delta: 'Hi!' },
  { type: 'turn.completed', turnId, stopped, at: 4 },
];
const shown = (events: AgentEvent[]) => chatStateFromEvents(events).entries.filter((e) => !('retried' in e && e.retried)).map((e) => `${e.kind}:${e.turnId}`);

describe('retrying a failed message', () => {
  it('hides the failed attempts (with their notices) once the same message succeeds', () => {
    const events: AgentEvent[] = [
      ...failed('t1', 'hello'),
      { type: 'turn.started', turnId: 't2', text: 'hello', at: 3 },
      { type: 'retrying', turnId: 't2', attempt: 1, delayMs: 1000, reason: 'Connection refused.' },
      { type: 'turn.failed', turnId: 't2', at: 4, error: { code: 'connection', message: 'Could not connect.' } },
      ...answered('t3', 'hello'),
    ];
    expect(shown(events)).toEqual(['user:t3', 'assistant:t3']);
    expect(chatStateFromEvents(events).entries).toHaveLength(7); // nothing removed: ids stay stable for the view
  });

  it('keeps the error while the retry runs, when it fails again, or when it is stopped', () => {
    expect(shown([...failed('t1', 'hello'), { type: 'turn.started', turnId: 't2', text: 'hello', at: 3 }])).toEqual(['user:t1', 'error:t1', 'user:t2']);
    expect(shown([...failed('t1', 'hello'), ...failed('t2', 'hello', 'auth')])).toEqual(['user:t1', 'error:t1', 'user:t2', 'error:t2']);
    expect(shown([...failed('t1', 'hello'), ...answered('t2', 'hello', true)])).toEqual(['user:t1', 'error:t1', 'user:t2', 'assistant:t2', 'stopped:t2']);
  });

  it('keeps failures of another message, and a failed turn that had done something', () => {
    expect(shown([...failed('t1', 'hello'), ...answered('t2', 'something else')])).toEqual(['user:t1', 'error:t1', 'user:t2', 'assistant:t2']);
    const partial: AgentEvent[] = [
      { type: 'turn.started', turnId: 't1', text: 'hello', at: 1 },
      { type: 'message.delta', turnId: 't1', itemId: 'm1', delta: 'Half an ans' },
      { type: 'turn.failed', turnId: 't1', at: 2, error: { code: 'stream_dropped', message: 'The stream dropped.' } },
      ...answered('t2', 'hello'),
    ];
    expect(shown(partial)).toEqual(['user:t1', 'assistant:t1', 'error:t1', 'user:t2', 'assistant:t2']);
    // an older failure of the same text, separated by an answered turn, is history
    expect(shown([...failed('t1', 'hello'), ...answered('t2', 'other'), ...answered('t3', 'hello')])).toEqual(['user:t1', 'error:t1', 'user:t2', 'assistant:t2', 'user:t3', 'assistant:t3']);
  });
});
