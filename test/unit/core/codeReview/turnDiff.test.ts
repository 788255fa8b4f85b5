// The last agent turn as a review scope: the diff holds accepted and pending hunks only (rejected ones are
// left out), parses as git's would, and a finding's line maps to where the editor shows it.
import { describe, expect, it } from 'vitest';
import { parseUnifiedDiff } from '../../../../src/core/codeReview/diffParse';
import { locateTurnLine, mapTurnRange, reviewedText, turnDiff, type TurnFile } from '../../../../src/core/codeReview/turnDiff';
import type { HunkState } from '../../../../src/core/review/hunks';

const oldText = 'a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n';
// Hunk 1.1 replaces b with two lines; hunk 1.2 replaces i with I.
const newText = 'a\nB1\nB2\nc\nd\ne\nf\ng\nh\nI\nj\n';

function file(states: Record<string, HunkState>): TurnFile {
  return { path: 'src/x y.ts', kind: 'update', oldText, newText, hunkPrefix: '1', states: new Map(Object.entries(states)) };
}

describe('turnDiff', () => {
  it('includes pending and accepted hunks, not rejected ones', () => {
    expect(reviewedText(file({ '1.1': 'pending', '1.2': 'accepted' }))).toBe(newText);
    expect(reviewedText(file({ '1.1': 'rejected', '1.2': 'pending' }))).toBe('a\nb\nc\nd\ne\nf\ng\nh\nI\nj\n');
    expect(turnDiff([file({ '1.1': 'rejected', '1.2': 'undone' })])).toBe('');
  });

  it('parses as a git diff with the new file lines of the added text', () => {
    const [parsed, ...rest] = parseUnifiedDiff(turnDiff([file({ '1.1': 'pending', '1.2': 'pending' })]));
    expect(rest).toEqual([]);
    expect(parsed?.path).toBe('src/x y.ts');
    expect(parsed?.hunks.flatMap((h) => h.added)).toEqual([2, 3, 10]);
  });

  it('marks added files and quotes paths a header cannot hold', () => {
    const added: TurnFile = { path: 'new\n"file".ts', kind: 'add', oldText: '', newText: 'x\ny\n', hunkPrefix: '2', states: new Map([['2.1', 'pending']]) };
    const [parsed] = parseUnifiedDiff(turnDiff([added]));
    expect(parsed).toMatchObject({ path: 'new\n"file".ts', status: 'added' });
    expect(parsed?.hunks[0]?.added).toEqual([1, 2]);
  });

  it('maps reviewed lines to editor lines: pending hunk → the lines it replaces, accepted → in place, others shifted', () => {
    const f = file({ '1.1': 'pending', '1.2': 'accepted' });
    expect(locateTurnLine(f, 3)).toEqual({ hunkId: '1.1', offset: 1 });
    expect(locateTurnLine(f, 10)).toEqual({ hunkId: '1.2', offset: 0 });
    expect(locateTurnLine(f, 7)).toEqual({ pendingShift: 1 });
    // The editor: hunk 1.1 still pending on line 2; hunk 1.2 accepted on line 9 (one line less above it).
    const live = (id: string) => (id === '1.1' ? { state: 'pending' as const, firstLine: 2, lastLine: 2 } : id === '1.2' ? { state: 'accepted' as const, firstLine: 9, lastLine: 9 } : undefined);
    expect(mapTurnRange(f, { start: 2, end: 3 }, live)).toEqual({ start: 2, end: 2 });
    expect(mapTurnRange(f, { start: 10, end: 10 }, live)).toEqual({ start: 9, end: 9 });
    expect(mapTurnRange(f, { start: 7, end: 7 }, live)).toEqual({ start: 6, end: 6 });
  });
});
