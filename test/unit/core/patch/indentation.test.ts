// The rule that re-indents a loosely matched chunk's '+' lines (src/core/patch/indentation.ts): learned
// only when one rule explains every matched pair, never a guess, and only leading blanks ever change.
import { describe, expect, it } from 'vitest';
import { reindentAddedLines, type MatchedPair } from '../../../../src/core/patch/indentation';

const pairs = (...list: [patch: string, file: string][]): MatchedPair[] => list.map(([patch, file]) => ({ patch, file }));

describe('reindentAddedLines', () => {
  it('leaves added lines alone when the patch indents like the file', () => {
    expect(reindentAddedLines(pairs(['  a', '  a'], ['b', 'b  ']), ['    x', 'y'])).toEqual(['    x', 'y']);
    expect(reindentAddedLines([], ['\tx'])).toEqual(['\tx']);
  });

  it('adds a constant offset the file has more', () => {
    expect(reindentAddedLines(pairs(['def f():', '    def f():'], ['    pass', '        pass']), ['    a = 1', 'b'])).toEqual(['        a = 1', '    b']);
    expect(reindentAddedLines(pairs(['x', '\tx']), ['  y'])).toEqual(['\t  y']);
  });

  it('removes a constant offset the patch has more, or keeps every line as written when one has less', () => {
    expect(reindentAddedLines(pairs(['    a', '  a'], ['      b', '    b']), ['      c', '    d'])).toEqual(['    c', '  d']);
    expect(reindentAddedLines(pairs(['    a', '  a']), ['      c', ' d'])).toEqual(['      c', ' d']);
  });

  it('turns the patch spaces into the file tabs, with the width the pairs show', () => {
    expect(reindentAddedLines(pairs(['    a', '\ta'], ['        b', '\t\tb'], ['c', 'c']), ['    x', '        y', '      z', 'w'])).toEqual(['\tx', '\t\ty', '\t  z', 'w']);
    expect(reindentAddedLines(pairs(['  a', '\ta']), ['    x'])).toEqual(['\t\tx']);
    expect(reindentAddedLines(pairs(['      a', '\t  a']), ['      x'])).toEqual(['\t  x']);
  });

  it('keeps an added line that already has tabs when the rule is tabs for spaces', () => {
    expect(reindentAddedLines(pairs(['    a', '\ta']), ['\tx', '    y'])).toEqual(['\tx', '\ty']);
  });

  it('turns the patch tabs into the file spaces', () => {
    expect(reindentAddedLines(pairs(['\ta', '  a'], ['\t\tb', '    b']), ['\tx', '\t\ty', 'z'])).toEqual(['  x', '    y', 'z']);
  });

  it('changes nothing when the pairs contradict each other', () => {
    // An offset for one pair, another for the next.
    expect(reindentAddedLines(pairs(['a', '  a'], ['b', '    b']), ['x'])).toEqual(['x']);
    // Tabs of width 4 for one pair, width 2 for the next.
    expect(reindentAddedLines(pairs(['    a', '\ta'], ['    b', '\t\tb']), ['    x'])).toEqual(['    x']);
    // Tabs for spaces on one line, the same spaces kept on another.
    expect(reindentAddedLines(pairs(['    a', '\ta'], ['    b', '    b']), ['    x'])).toEqual(['    x']);
    // A tab between spaces in the file: no tab width explains it.
    expect(reindentAddedLines(pairs(['      a', '  \ta']), ['      x'])).toEqual(['      x']);
  });

  it('learns nothing from blank lines, and leaves blank added lines blank', () => {
    expect(reindentAddedLines(pairs(['', '    '], ['  ', '\t'], ['a', '  a']), ['', '   ', 'b'])).toEqual(['', '   ', '  b']);
    expect(reindentAddedLines(pairs(['', '    ']), ['x'])).toEqual(['x']);
  });

  it('changes only the leading spaces and tabs', () => {
    expect(reindentAddedLines(pairs(['    a', '\ta']), ['    x    =\t1  '])).toEqual(['\tx    =\t1  ']);
    // A no-break space is not indentation: it and what follows stay.
    expect(reindentAddedLines(pairs(['a', '  a']), ['\u00a0 x'])).toEqual(['  \u00a0 x']);
  });
});
