import { describe, expect, it } from 'vitest';
import { applyHunks, computeHunks, summarizeHunks } from '../../../../src/core/review/hunks';

const lines = (...l: string[]) => l.map((x) => `${x}\n`).join('');

describe('computeHunks', () => {
  it('splits a proposal into contiguous runs of changed lines, addressed by offsets into the current text', () => {
    const old = lines('a', 'b', 'c', 'd', 'e', 'f');
    const proposed = lines('a', 'B', 'c', 'd', 'e', 'f', 'g');
    const hunks = computeHunks(old, proposed, '1');
    expect(hunks.map((h) => ({ id: h.id, old: h.oldText, new: h.newText, line: h.line }))).toEqual([
      { id: '1.1', old: 'b\n', new: 'B\n', line: 2 },
      { id: '1.2', old: '', new: 'g\n', line: 7 },
    ]);
    expect(old.slice(hunks[0]!.start, hunks[0]!.end)).toBe('b\n');
    expect(hunks[1]!.start).toBe(old.length);
    expect(applyHunks(old, hunks)).toBe(proposed);
  });

  it('reproduces the proposal byte for byte with CRLF, no final newline and deletions', () => {
    const old = 'one\r\ntwo\r\nthree\r\nfour';
    const proposed = 'one\r\nthree\r\nfour!';
    const hunks = computeHunks(old, proposed, '3');
    expect(applyHunks(old, hunks)).toBe(proposed);
    expect(hunks.length).toBe(2);
  });

  it('applying only some hunks leaves the others as they were', () => {
    const old = lines('a', 'b', 'c', 'd', 'e');
    const hunks = computeHunks(old, lines('A', 'b', 'c', 'd', 'E'), '1');
    expect(applyHunks(old, [hunks[1]!])).toBe(lines('a', 'b', 'c', 'd', 'E'));
  });

  it('has no hunks for identical texts, and one for a new file', () => {
    expect(computeHunks('x\n', 'x\n', '1')).toEqual([]);
    expect(computeHunks('', 'x\n', '1').map((h) => h.newText)).toEqual(['x\n']);
  });
});

describe('summarizeHunks', () => {
  it('gives each hunk a unified-diff header and up to 3 lines of context', () => {
    const old = lines('1', '2', '3', '4', '5', '6', '7', '8', '9');
    const hunks = computeHunks(old, lines('1', '2', '3', '4', 'five', '6', '7', '8', '9'), '1');
    const [summary] = summarizeHunks(old, hunks);
    expect(summary).toMatchObject({ id: '1.1', header: '@@ -2,7 +2,7 @@', added: 1, removed: 1, line: 5, state: 'pending' });
    expect(summary!.lines).toEqual([' 2', ' 3', ' 4', '-5', '+five', ' 6', ' 7', ' 8']);
  });
});
