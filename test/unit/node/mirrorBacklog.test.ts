// The Tandem terminal's backlog (src/vscode/mirrorBacklog.ts): what waits for VS Code to open the terminal
// is the output's end, exactly, never half a character, and a cut start is said, with its size.
import { describe, expect, it } from 'vitest';
import { MirrorBacklog } from '../../../src/vscode/mirrorBacklog';
import { FUZZ_SEED, Random } from '../fuzz/random';

const notice = (dropped: number) => `\x1b[2m[… ${dropped} earlier characters not shown]\x1b[0m\r\n`;

describe('MirrorBacklog', () => {
  it('keeps everything under the bound, without a notice, and empties on take', () => {
    const backlog = new MirrorBacklog(10);
    backlog.add('abc');
    backlog.add('\r\ndef');
    expect(backlog.take()).toBe('abc\r\ndef');
    expect(backlog.take()).toBe('');
  });

  it('keeps the last `bound` characters and says how many went before them', () => {
    const backlog = new MirrorBacklog(4);
    for (const chunk of ['0123', '45', '6789']) backlog.add(chunk);
    expect(backlog.take()).toBe(`${notice(6)}6789`);
    backlog.add('x');
    expect(backlog.take()).toBe('x');
  });

  it('never keeps half of a surrogate pair', () => {
    const backlog = new MirrorBacklog(3);
    backlog.add('a😀😀');
    // 5 UTF-16 units; the last 3 would start inside the first emoji, so it goes whole.
    expect(backlog.take()).toBe(`${notice(3)}😀`);
  });

  it('forgets the backlog and its count on clear', () => {
    const backlog = new MirrorBacklog(2);
    backlog.add('abcdef');
    backlog.clear();
    backlog.add('z');
    expect(backlog.take()).toBe('z');
  });

  it('matches a keep-everything reference on random chunk streams', () => {
    const rng = new Random(FUZZ_SEED).fork('mirror-backlog');
    for (let stream = 0; stream < 300; stream++) {
      const bound = rng.int(1, 64);
      const backlog = new MirrorBacklog(bound);
      let all = '';
      for (let i = rng.int(0, 40); i > 0; i--) {
        const chunk = rng.word(rng.int(0, 50));
        all += chunk;
        backlog.add(chunk);
      }
      const taken = backlog.take();
      if (all.length <= bound) {
        expect(taken).toBe(all);
        continue;
      }
      // eslint-disable-next-line no-control-regex
      const match = /^\x1b\[2m\[… (\d+) earlier characters not shown\]\x1b\[0m\r\n/.exec(taken);
      expect(match, `stream ${stream}`).not.toBeNull();
      const dropped = Number(match![1]);
      const kept = taken.slice(match![0].length);
      expect(dropped + kept.length).toBe(all.length);
      expect(kept).toBe(all.slice(dropped));
      expect(kept.length === bound || (kept.length === bound - 1 && /[\uDC00-\uDFFF]/.test(all[dropped - 1]!))).toBe(true);
    }
  });
});
