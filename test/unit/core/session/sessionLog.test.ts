import { describe, expect, it } from 'vitest';
import { coalesceRecords, parseSessionLog, serializeRecord, sessionTitle, type SessionRecord } from '../../../../src/core/session/sessionLog';

describe('session log', () => {
  const records: SessionRecord[] = [
    { type: 'meta', v: 1, meta: { id: 's1', createdAt: 1 } },
    { type: 'event', event: { type: 'turn.started', turnId: 't', text: 'Fix the failing test in src/a.ts please', at: 1 } },
    { type: 'item', item: { type: 'user', text: 'Fix' } },
    { type: 'event', event: { type: 'turn.completed', turnId: 't', stopped: false, at: 2 } },
  ];

  it('round-trips records', () => {
    const parsed = parseSessionLog(records.map(serializeRecord).join(''));
    expect(parsed.meta?.id).toBe('s1');
    expect(parsed.events).toHaveLength(2);
    expect(parsed.items).toEqual([{ type: 'user', text: 'Fix' }]);
    expect(parsed.skippedLines).toBe(0);
  });

  it('keeps everything before a half-written last line', () => {
    const text = records.map(serializeRecord).join('') + '{"type":"event","event":{"type":"message.de';
    const parsed = parseSessionLog(text);
    expect(parsed.events).toHaveLength(2);
    expect(parsed.items).toHaveLength(1);
    expect(parsed.skippedLines).toBe(1);
  });

  it('coalesces consecutive deltas of the same message or tool, never across items', () => {
    const merged = coalesceRecords([
      { type: 'event', event: { type: 'message.delta', turnId: 't', itemId: 'm', delta: 'a' } },
      { type: 'event', event: { type: 'message.delta', turnId: 't', itemId: 'm', delta: 'b' } },
      { type: 'event', event: { type: 'message.delta', turnId: 't', itemId: 'n', delta: 'c' } },
      { type: 'event', event: { type: 'tool.output', turnId: 't', callId: 'c', chunk: '1' } },
      { type: 'event', event: { type: 'tool.output', turnId: 't', callId: 'c', chunk: '2' } },
    ]);
    expect(merged.map((r) => (r.type === 'event' ? r.event : r))).toEqual([
      { type: 'message.delta', turnId: 't', itemId: 'm', delta: 'ab' },
      { type: 'message.delta', turnId: 't', itemId: 'n', delta: 'c' },
      { type: 'tool.output', turnId: 't', callId: 'c', chunk: '12' },
    ]);
  });

  it('titles a session by its first message', () => {
    expect(sessionTitle([{ type: 'turn.started', turnId: 't', text: 'line one\nline two', at: 1 }])).toBe('line one line two');
    expect(sessionTitle([])).toBe('New chat');
    expect(sessionTitle([{ type: 'turn.started', turnId: 't', text: 'x'.repeat(100), at: 1 }])).toHaveLength(58);
  });
});
