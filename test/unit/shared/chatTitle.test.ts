// A chat in the history is titled by the first message that got an answer, in plain text.
import { describe, expect, it } from 'vitest';
import { chatTitle } from '../../../src/shared/chatTitle';
import type { AgentEvent } from '../../../src/shared/events';

const ask = (turnId: string, text: string): AgentEvent => ({ type: 'turn.started', turnId, text, at: 1 });
const failed = (turnId: string): AgentEvent => ({ type: 'turn.failed', turnId, error: { code: 'no_api_key', message: 'No API key.' }, at: 2 });
const answer = (turnId: string, text: string): AgentEvent[] => [
  { type: 'message.completed', turnId, itemId: `${turnId}-m`, text },
  { type: 'turn.completed', turnId, stopped: false, at: 3 },
];

describe('chatTitle', () => {
  it('skips a first message that failed and one stopped before any reply', () => {
    const events = [ask('t1', 'hello'), failed('t1'), ask('t2', 'count slowly'), { type: 'turn.completed', turnId: 't2', stopped: true, at: 2 } as AgentEvent, ask('t3', 'fix the build'), ...answer('t3', 'Done.')];
    expect(chatTitle(events)).toBe('fix the build');
  });

  it('a message stopped after the reply began did get an answer', () => {
    expect(chatTitle([ask('t1', 'explain'), { type: 'message.delta', turnId: 't1', itemId: 'm', delta: 'It ' }, { type: 'turn.completed', turnId: 't1', stopped: true, at: 2 }])).toBe('explain');
  });

  it('a turn of tool calls only, ended normally, counts', () => {
    expect(chatTitle([ask('t1', 'run ls'), { type: 'turn.completed', turnId: 't1', stopped: false, at: 2 }])).toBe('run ls');
  });

  it('falls back to the first message while nothing got an answer, and to "New chat" with none', () => {
    expect(chatTitle([ask('t1', 'hello'), failed('t1'), ask('t2', 'again')])).toBe('hello');
    expect(chatTitle([])).toBe('New chat');
  });

  it('is plain text on one line, clipped', () => {
    expect(chatTitle([ask('t1', 'Fix function `parsePort`\n(port.ts:1-4)'), ...answer('t1', 'ok')])).toBe('Fix function parsePort (port.ts:1-4)');
    expect(chatTitle([ask('t1', 'x'.repeat(100)), ...answer('t1', 'ok')])).toHaveLength(58);
  });
});
