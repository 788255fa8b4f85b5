// The user's messages are kept verbatim, newest first within the budget, and the newest always survives.
import { describe, expect, it } from 'vitest';
import { keepUserMessages } from '../../../../src/core/compaction/userMessages';

describe('keepUserMessages', () => {
  it('keeps every message when they fit, in order', () => {
    expect(keepUserMessages(['one', 'two', 'three'], 100)).toEqual({ messages: ['one', 'two', 'three'], omitted: 0 });
  });

  it('drops the oldest first and counts them', () => {
    const messages = ['a'.repeat(50), 'b'.repeat(50), 'c'.repeat(50), 'd'.repeat(50)];
    expect(keepUserMessages(messages, 120)).toEqual({ messages: ['c'.repeat(50), 'd'.repeat(50)], omitted: 2 });
  });

  it('never skips a message to fit an older one (no holes in the newest run)', () => {
    expect(keepUserMessages(['tiny', 'x'.repeat(500), 'new'], 100)).toEqual({ messages: ['new'], omitted: 2 });
  });

  it('keeps the head and tail of a newest message that alone is over the budget', () => {
    const huge = `START ${'x'.repeat(10_000)} END`;
    const kept = keepUserMessages(['old', huge], 1000);
    expect(kept.omitted).toBe(1);
    expect(kept.messages).toHaveLength(1);
    expect(kept.messages[0]!.startsWith('START')).toBe(true);
    expect(kept.messages[0]!.endsWith('END')).toBe(true);
    expect(kept.messages[0]!.length).toBeLessThan(1200);
    expect(kept.messages[0]).toContain('characters of this message not kept');
  });
});
