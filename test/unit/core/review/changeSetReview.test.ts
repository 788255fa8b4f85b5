import { describe, expect, it } from 'vitest';
import { createChangeSetReview, findHunk, isDecided, reviewOutcome, withHunkSummaries } from '../../../../src/core/review/changeSetReview';
import type { ChangeSet } from '../../../../src/core/patch/types';

const changeSet: ChangeSet = {
  id: 'cs1',
  changes: [
    { path: '/ws/a.ts', kind: 'update', oldText: 'one\ntwo\nthree\nfour\nfive\nsix\nseven\n', newText: 'ONE\ntwo\nthree\nfour\nfive\nsix\nSEVEN\n' },
    { path: '/ws/new.ts', kind: 'add', oldText: undefined, newText: 'export {};\n' },
    { path: '/ws/bom.ts', kind: 'update', oldText: '\uFEFFa\n', newText: '\uFEFFb\n' },
  ],
};
const rel = (p: string) => p.replace('/ws/', '');

describe('change set review', () => {
  it('reviews updates per hunk and adds as a whole, with ids that match the chat summaries', () => {
    const review = createChangeSetReview(changeSet, 't1', rel);
    expect(review.files.map((f) => [f.displayPath, f.wholeFile, f.hunks.map((h) => h.id)])).toEqual([
      ['a.ts', false, ['1.1', '1.2']],
      ['new.ts', true, ['2.1']],
      ['bom.ts', false, ['3.1']],
    ]);
    // offsets are into the BOM-less text, which is what an editor buffer holds
    expect(review.files[2]!.hunks[0]).toMatchObject({ start: 0, oldText: 'a\n', newText: 'b\n' });
    const again = createChangeSetReview(changeSet, 't1', rel);
    const summaries = withHunkSummaries([{ path: 'a.ts', kind: 'update', added: 2, removed: 2, diff: '' }], again);
    expect(summaries[0]!.hunks!.map((h) => h.id)).toEqual(['1.1', '1.2']);
  });

  it('is decided once no hunk is pending, and tells the model exactly what was kept', () => {
    const review = createChangeSetReview(changeSet, 't1', rel);
    expect(isDecided(review)).toBe(false);
    findHunk(review, '1.1')!.hunk.state = 'accepted';
    findHunk(review, '1.2')!.hunk.state = 'rejected';
    review.notes.set('1.2', 'keep seven lowercase');
    findHunk(review, '2.1')!.hunk.state = 'accepted';
    findHunk(review, '3.1')!.hunk.state = 'stale';
    expect(isDecided(review)).toBe(true);
    const outcome = reviewOutcome(review);
    expect(outcome.outcome).toBe('partial');
    expect(outcome.message).toContain('a.ts: accepted the hunk at line 1; rejected the hunk at line 7 (note: "keep seven lowercase")');
    expect(outcome.message).toContain('new.ts: accepted (creating it)');
    expect(outcome.message).toContain('bom.ts: did not apply the hunk at line 1 because those lines changed while it was under review');
  });

  it('reports all accepted as applied and none accepted as discarded', () => {
    const all = createChangeSetReview(changeSet, 't1', rel);
    for (const f of all.files) for (const h of f.hunks) h.state = 'accepted';
    expect(reviewOutcome(all).outcome).toBe('applied');
    const none = createChangeSetReview(changeSet, 't1', rel);
    for (const f of none.files) for (const h of f.hunks) h.state = 'rejected';
    expect(reviewOutcome(none)).toMatchObject({ outcome: 'discarded' });
    expect(reviewOutcome(none).message).toContain('nothing was written');
  });
});
