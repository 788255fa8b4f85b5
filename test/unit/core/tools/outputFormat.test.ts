import { describe, expect, it } from 'vitest';
import { approxTokens, cleanTerminalOutput, formatProcessOutput, truncateMiddle } from '../../../../src/core/tools/outputFormat';

const lines = (n: number) => Array.from({ length: n }, (_, i) => `line ${i + 1}`).join('\n') + '\n';

describe('approxTokens', () => {
  it('is ceil(chars / 4)', () => {
    expect(approxTokens('')).toBe(0);
    expect(approxTokens('abc')).toBe(1);
    expect(approxTokens('abcde')).toBe(2);
  });
});

describe('cleanTerminalOutput', () => {
  it('strips colours, cursor moves and window titles', () => {
    expect(cleanTerminalOutput('\x1b[1;31merror\x1b[0m: bad\x1b[K\n')).toBe('error: bad\n');
    expect(cleanTerminalOutput('\x1b]0;title\x07ok\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\\n')).toBe('oklink\n');
    expect(cleanTerminalOutput('\x1b(Bplain\x1b=\n')).toBe('plain\n');
  });

  it('normalises CRLF and keeps the last state of redrawn lines', () => {
    expect(cleanTerminalOutput('a\r\nb\r\n')).toBe('a\nb\n');
    expect(cleanTerminalOutput('10%\r50%\r100%\r\ndone\n')).toBe('100%\ndone\n');
    expect(cleanTerminalOutput('spinner\r')).toBe('spinner');
  });

  it('drops other control characters but keeps tabs', () => {
    expect(cleanTerminalOutput('a\tb\x07\x08c\n')).toBe('a\tbc\n');
  });
});

describe('truncateMiddle', () => {
  it('leaves text within budget alone', () => {
    expect(truncateMiddle('short', 10)).toBe('short');
  });

  it('keeps head and tail, states the cut and respects the budget', () => {
    const text = lines(5000);
    const out = truncateMiddle(text, 200);
    expect(out.startsWith('line 1\nline 2\n')).toBe(true);
    expect(out.endsWith('line 5000\n')).toBe(true);
    expect(approxTokens(out)).toBeLessThanOrEqual(200);
    const match = /…(\d+) tokens truncated…/.exec(out);
    expect(match).not.toBeNull();
    // Everything not shown is accounted for (within rounding of the two approximations).
    const shown = out.replace(match![0], '');
    expect(Number(match![1])).toBeGreaterThanOrEqual(approxTokens(text) - approxTokens(shown) - 2);
    expect(Number(match![1])).toBeLessThanOrEqual(approxTokens(text));
  });

  it('cuts at line boundaries', () => {
    const out = truncateMiddle(lines(1000), 100);
    const [head, tail] = out.split(/\n…\d+ tokens truncated…\n/);
    expect(head!.split('\n').every((l) => /^line \d+$/.test(l))).toBe(true);
    expect(tail!.trimEnd().split('\n').every((l) => /^line \d+$/.test(l))).toBe(true);
  });

  it('handles a single huge line and never splits a surrogate pair', () => {
    const out = truncateMiddle('😀'.repeat(10_000), 50);
    expect(approxTokens(out)).toBeLessThanOrEqual(50);
    expect(out).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
  });

  it('counts text dropped before it arrived', () => {
    expect(truncateMiddle('a\nb\n', 100, 400)).toContain('…100 tokens truncated…');
  });
});

describe('formatProcessOutput', () => {
  it('frames an exited process', () => {
    expect(formatProcessOutput({ wallTimeMs: 1234, state: { exitCode: 0 }, output: 'hi\r\n', maxTokens: 100 })).toBe(
      'Wall time: 1.2 seconds\nProcess exited with code 0\nOutput:\nhi\n',
    );
  });

  it('frames a running session and a cancelled command', () => {
    expect(formatProcessOutput({ wallTimeMs: 250, state: { sessionId: 3 }, output: '', maxTokens: 100 })).toContain('Process running with session ID 3\n');
    expect(formatProcessOutput({ wallTimeMs: 250, state: { cancelled: true }, output: '', maxTokens: 100 })).toContain('Process killed');
  });
});
