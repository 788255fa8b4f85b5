// Mapping findings to the lines a change touched, the threshold, the limit and dismissal keys; and the
// paths a model could use to point a finding outside the diff or the repository.
import { describe, expect, it } from 'vitest';
import { parseUnifiedDiff } from '../../../../src/core/codeReview/diffParse';
import { changedLines, droppedSummary, filterFindings, findingKey, normalizeTitle, relativeFindingPath } from '../../../../src/core/codeReview/findings';
import type { CollectedDiff, ReviewFinding } from '../../../../src/core/codeReview/types';

const DIFF = [
  'diff --git a/src/a.ts b/src/a.ts',
  '--- a/src/a.ts',
  '+++ b/src/a.ts',
  '@@ -1,5 +1,5 @@',
  ' one',
  '-two',
  '+TWO',
  ' three',
  ' four',
  ' five',
  '@@ -20,4 +20,3 @@',
  ' twenty',
  '-gone',
  ' twenty-two',
  ' twenty-three',
  'diff --git a/old.ts b/old.ts',
  'deleted file mode 100644',
  '--- a/old.ts',
  '+++ /dev/null',
  '@@ -1 +0,0 @@',
  '-x',
  '',
].join('\n');

const diff = (text = DIFF): CollectedDiff => ({ scope: { kind: 'uncommitted' }, label: 'uncommitted changes', root: '/repo', text, files: parseUnifiedDiff(text) });
const at = (path: string, start: number, end = start, over: Partial<ReviewFinding> = {}): ReviewFinding => ({
  title: `[P1] Problem at ${start}`,
  body: 'b',
  confidence_score: 0.5,
  priority: 1,
  code_location: { absolute_file_path: path, line_range: { start, end } },
  ...over,
});
const all = { threshold: 3 as const, maxFindings: 10 };

describe('changed lines', () => {
  it('are added lines and the lines around a removal', () => {
    const file = diff().files[0]!;
    expect([...changedLines(file)].sort((a, b) => a - b)).toEqual([2, 20, 21]);
  });
});

describe('filterFindings', () => {
  it('keeps findings on changed lines and counts the others as outside the change', () => {
    const result = filterFindings(diff(), [at('/repo/src/a.ts', 2), at('/repo/src/a.ts', 4), at('/repo/src/a.ts', 1, 3), at('/repo/src/a.ts', 21), at('/repo/other.ts', 1), at('/repo/old.ts', 1)], all);
    expect(result.kept.map((k) => k.finding.code_location.line_range.start)).toEqual([2, 1, 21]);
    expect(result.dropped.outsideChanges).toBe(3);
    expect(droppedSummary(result.dropped, all)).toBe('3 findings not shown: 3 outside the changed lines.');
  });

  it.each([
    ['a sibling directory sharing the root as prefix', '/repo-evil/src/a.ts'],
    ['.. out of the root', '/repo/../repo/src/a.ts'],
    ['a relative path climbing out', '../src/a.ts'],
    ['another absolute root', '/etc/src/a.ts'],
    ['a Windows drive path', 'C:\\repo\\src\\a.ts'],
    ['a doubled slash', '/repo//src/a.ts'],
  ])('drops a path naming %s', (_name, path) => {
    expect(filterFindings(diff(), [at(path, 2)], all).kept).toEqual([]);
  });

  it('accepts a path relative to the root (./ too) and reports it absolute', () => {
    const result = filterFindings(diff(), [at('./src/a.ts', 2)], all);
    expect(result.kept[0]?.finding.code_location.absolute_file_path).toBe('/repo/src/a.ts');
    expect(relativeFindingPath('/repo/', '/repo/src/a.ts')).toBe('src/a.ts');
  });

  it('applies the threshold, then sorts by priority and confidence and keeps at most N', () => {
    const findings = [
      at('/repo/src/a.ts', 2, 2, { priority: 2, title: 'a' }),
      at('/repo/src/a.ts', 2, 2, { priority: 0, title: 'b' }),
      at('/repo/src/a.ts', 21, 21, { priority: 1, confidence_score: 0.2, title: 'c' }),
      at('/repo/src/a.ts', 21, 21, { priority: 1, confidence_score: 0.9, title: 'd' }),
      at('/repo/src/a.ts', 20, 20, { priority: 3, title: 'e' }),
    ];
    const result = filterFindings(diff(), findings, { threshold: 2, maxFindings: 3 });
    expect(result.kept.map((k) => k.finding.title)).toEqual(['b', 'd', 'c']);
    expect(result.dropped).toEqual({ outsideChanges: 0, belowThreshold: 1, dismissed: 0, overLimit: 1 });
    expect(droppedSummary(result.dropped, { threshold: 2, maxFindings: 3 })).toBe('2 findings not shown: 1 below P2, 1 over the limit of 3.');
  });

  it('a huge line range cannot make the check run for ever', () => {
    const result = filterFindings(diff(), [at('/repo/src/a.ts', 9_000_000, 10_000_000)], all);
    expect(result.dropped.outsideChanges).toBe(1);
  });

  it('a dismissed finding stays dismissed when the same change is reviewed again at other line numbers', () => {
    const first = filterFindings(diff(), [at('/repo/src/a.ts', 2, 2, { title: '[P1] Wrong   case.' })], all);
    const key = first.kept[0]!.key;
    // the same hunk, moved down by 10 lines (lines added above it), and a title differing in tag/case/spacing
    const shifted = DIFF.replace('@@ -1,5 +1,5 @@', '@@ -11,5 +11,5 @@').replace('@@ -20,4 +20,3 @@', '@@ -30,4 +30,3 @@');
    const again = filterFindings(diff(shifted), [at('/repo/src/a.ts', 12, 12, { title: 'wrong case', priority: 1 })], { ...all, dismissed: new Set([key]) });
    expect(again.kept).toEqual([]);
    expect(again.dropped.dismissed).toBe(1);
    // a changed hunk (different content) brings the finding back
    const edited = filterFindings(diff(DIFF.replace('+TWO', '+Two')), [at('/repo/src/a.ts', 2, 2, { title: 'Wrong case' })], { ...all, dismissed: new Set([key]) });
    expect(edited.kept).toHaveLength(1);
  });
});

describe('keys', () => {
  it('normalize titles: priority tag, case, spacing, end punctuation', () => {
    expect(normalizeTitle('[P0]  Null   deref!')).toBe('null deref');
    expect(normalizeTitle('P2: Null deref.')).toBe('null deref');
  });

  it('differ by file and by hunk content', () => {
    const file = diff().files[0]!;
    expect(findingKey('a', 't', file.hunks[0]!)).not.toBe(findingKey('b', 't', file.hunks[0]!));
    expect(findingKey('a', 't', file.hunks[0]!)).not.toBe(findingKey('a', 't', file.hunks[1]!));
  });
});
