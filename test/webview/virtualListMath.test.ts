// The virtual message list's offset arithmetic (webview/src/virtualListMath.ts), which the DOM tests cannot
// reach (jsdom has no layout, so MessageList renders every row plainly there): offsets from heights, the
// binary search at its edges, the window anchored at the end, variable and changing row heights, the
// spacers and an empty list (the height guesses are in rowHeightGuess.test.ts). Offsets are also brought up
// to date from the first changed row only (updateOffsets), which must agree with the plain definition on
// every input. RowHeights keeps measured and guessed heights by position and must guess each row once, not
// once per change.
import { describe, expect, it } from 'vitest';
import { buildOffsets, extendsList, needsRewindow, rangeFor, RowHeights, sameRange, shiftRange, shownRange, spacers, tailRange, updateOffsets } from '../../webview/src/virtualListMath';

const offsetsOf = (heights: number[]) => buildOffsets(heights.length, (i) => heights[i]!);
const uniform = (count: number, height: number) => offsetsOf(Array.from({ length: count }, () => height));

describe('buildOffsets', () => {
  it('gives each row its top and the total at the end', () => {
    expect([...offsetsOf([10, 20, 30])]).toEqual([0, 10, 30, 60]);
  });

  it('is a single 0 for an empty list', () => {
    expect([...offsetsOf([])]).toEqual([0]);
  });

  it('refills an array of the right length in place, and allocates when the row count changed', () => {
    const first = offsetsOf([10, 20, 30]);
    const again = buildOffsets(3, (i) => [5, 5, 5][i]!, first);
    expect(again).toBe(first);
    expect([...again]).toEqual([0, 5, 10, 15]);
    const grown = buildOffsets(4, () => 1, first);
    expect(grown).not.toBe(first);
    expect([...grown]).toEqual([0, 1, 2, 3, 4]);
  });
});

describe('updateOffsets: summing again from the first changed row', () => {
  const heightsA = [10, 20, 30, 40, 50];

  it('changes only the offsets below a changed row, and fills the array in place', () => {
    const offsets = offsetsOf(heightsA);
    const heights = [10, 20, 35, 40, 50];
    const touched: number[] = [];
    const next = updateOffsets(offsets, 2, 5, (i) => {
      touched.push(i);
      return heights[i]!;
    });
    expect(next).toBe(offsets);
    expect([...next]).toEqual([...offsetsOf(heights)]);
    expect(touched).toEqual([2, 3, 4]);
  });

  it('a change in the last row reads that row alone', () => {
    const offsets = offsetsOf(heightsA);
    const touched: number[] = [];
    updateOffsets(offsets, 4, 5, (i) => (touched.push(i), 70));
    expect(touched).toEqual([4]);
    expect(offsets[5]).toBe(10 + 20 + 30 + 40 + 70);
  });

  it('appended rows: keeps the old rows, sums the new ones into a new array', () => {
    const offsets = offsetsOf(heightsA);
    const touched: number[] = [];
    const heights = [...heightsA, 60, 70];
    const next = updateOffsets(offsets, 5, 7, (i) => (touched.push(i), heights[i]!));
    expect(next).not.toBe(offsets);
    expect([...next]).toEqual([...offsetsOf(heights)]);
    expect(touched).toEqual([5, 6]);
  });

  it('appended rows and a changed old row at once: sums from the changed row', () => {
    const heights = [10, 25, 30, 40, 50, 60];
    expect([...updateOffsets(offsetsOf(heightsA), 1, 6, (i) => heights[i]!)]).toEqual([...offsetsOf(heights)]);
  });

  it('fewer rows (a list cut short): the kept prefix stays, the rest is summed again', () => {
    const heights = [10, 20, 99];
    expect([...updateOffsets(offsetsOf(heightsA), 2, 3, (i) => heights[i]!)]).toEqual([0, 10, 30, 129]);
    expect([...updateOffsets(offsetsOf(heightsA), 9, 3, (i) => heightsA[i]!)]).toEqual([0, 10, 30, 60]);
  });

  it('nothing changed (from at or past the end): reads no row', () => {
    const offsets = offsetsOf(heightsA);
    const next = updateOffsets(offsets, Infinity, 5, () => {
      throw new Error('read a row');
    });
    expect([...next]).toEqual([...offsetsOf(heightsA)]);
  });

  it('from 0, an empty previous array, or a negative start: the same as building from scratch', () => {
    expect([...updateOffsets(offsetsOf(heightsA), 0, 5, (i) => i + 1)]).toEqual([0, 1, 3, 6, 10, 15]);
    expect([...updateOffsets(new Float64Array(1), 0, 3, () => 7)]).toEqual([0, 7, 14, 21]);
    expect([...updateOffsets(offsetsOf(heightsA), -3, 2, () => 1)]).toEqual([0, 1, 2]);
    expect([...updateOffsets(offsetsOf(heightsA), 0, 0, () => 1)]).toEqual([0]);
  });

  it('any sequence of changes and appends ends where a full rebuild does (seeded)', () => {
    let seed = 7;
    const rnd = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
    const heights: number[] = [];
    let offsets = buildOffsets(0, () => 0);
    for (let step = 0; step < 300; step++) {
      let from = Infinity;
      const appended = rnd(4);
      for (let k = 0; k < appended; k++) heights.push(1 + rnd(500));
      if (heights.length && rnd(2)) {
        const at = rnd(heights.length);
        heights[at] = 1 + rnd(500);
        from = at;
      }
      from = Math.min(from, offsets.length - 1);
      offsets = updateOffsets(offsets, from, heights.length, (i) => heights[i]!);
      expect([...offsets]).toEqual([...offsetsOf(heights)]);
    }
  });
});

describe('RowHeights: heights by position, offsets at the cost of what changed', () => {
  const idsOf = (n: number, prefix = 'r') => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

  it('guesses every row of a new list once, and sums them', () => {
    const rows = new RowHeights();
    const guessed: number[] = [];
    rows.sync(idsOf(4), (i) => (guessed.push(i), 10 * (i + 1)));
    expect([...rows.currentOffsets()]).toEqual([0, 10, 30, 60, 100]);
    expect(guessed).toEqual([0, 1, 2, 3]);
  });

  it('the same list again guesses nothing', () => {
    const rows = new RowHeights();
    const ids = idsOf(3);
    rows.sync(ids, () => 5);
    rows.sync(ids, () => {
      throw new Error('guessed again');
    });
    expect([...rows.currentOffsets()]).toEqual([0, 5, 10, 15]);
  });

  it('appended rows are the only ones guessed; measured heights above them stay', () => {
    const rows = new RowHeights();
    const ids = idsOf(3);
    rows.sync(ids, () => 5);
    expect(rows.measure(1, 'r1', 50)).toBe(true);
    const guessed: number[] = [];
    rows.sync([...ids, 'r3', 'r4'], (i) => (guessed.push(i), 7));
    expect(guessed).toEqual([3, 4]);
    expect([...rows.currentOffsets()]).toEqual([0, 5, 55, 60, 67, 74]);
  });

  it('rows put in front (an older page) are guessed; the known rows keep their measured heights, further down', () => {
    const rows = new RowHeights();
    const ids = idsOf(3);
    rows.sync(ids, () => 5);
    rows.measure(1, 'r1', 50);
    rows.currentOffsets();
    const guessed: number[] = [];
    const next = [...idsOf(2, 'old'), ...ids, 'new0'];
    rows.sync(next, (i) => (guessed.push(i), 9), 2);
    expect(guessed).toEqual([0, 1, 5]);
    expect([...rows.currentOffsets()]).toEqual([0, 9, 18, 23, 73, 78, 87]);
    // Measured again at its new position, under its own id only.
    expect(rows.measure(3, 'r1', 50)).toBe(false);
    expect(rows.measure(1, 'r1', 60)).toBe(false);
    expect(rows.measure(3, 'r1', 40)).toBe(true);
    expect(rows.currentOffsets()[6]).toBe(77);
  });

  it('a claimed put-in-front that does not match the list starts over', () => {
    const rows = new RowHeights();
    rows.sync(idsOf(3), () => 5);
    const guessed: number[] = [];
    rows.sync(['x', 'y', 'r0', 'r1', 'zz'], (i) => (guessed.push(i), 1), 2);
    expect(guessed).toEqual([0, 1, 2, 3, 4]);
    expect([...rows.currentOffsets()]).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('a list that is not an extension (rows replaced or dropped) is guessed again from the first row', () => {
    const rows = new RowHeights();
    rows.sync(idsOf(3), () => 5);
    rows.measure(0, 'r0', 40);
    const guessed: number[] = [];
    rows.sync(idsOf(2, 's'), (i) => (guessed.push(i), 9));
    expect(guessed).toEqual([0, 1]);
    expect([...rows.currentOffsets()]).toEqual([0, 9, 18]);
    // Fewer rows of the same list (the last one dropped) is not an extension either.
    rows.sync(['s0'], () => 3);
    expect([...rows.currentOffsets()]).toEqual([0, 3]);
  });

  it('a measurement moves the offsets below the row only', () => {
    const rows = new RowHeights();
    rows.sync(idsOf(4), () => 10);
    const before = rows.currentOffsets();
    expect(rows.measure(3, 'r3', 25)).toBe(true);
    const after = rows.currentOffsets();
    expect(after).toBe(before);
    expect([...after]).toEqual([0, 10, 20, 30, 55]);
  });

  it('ignores a measurement of a row rendered for an older list (its id is not at that index), a bad index, and an unchanged height', () => {
    const rows = new RowHeights();
    rows.sync(idsOf(3), () => 10);
    expect(rows.measure(1, 'r2', 99)).toBe(false);
    expect(rows.measure(Number('x'), 'r1', 99)).toBe(false);
    expect(rows.measure(-1, 'r0', 99)).toBe(false);
    expect(rows.measure(7, 'r7', 99)).toBe(false);
    expect(rows.measure(2, 'r2', 10)).toBe(false);
    expect([...rows.currentOffsets()]).toEqual([0, 10, 20, 30]);
  });

  it('an empty list has a single 0 offset, and grows from there', () => {
    const rows = new RowHeights();
    rows.sync([], () => 1);
    expect([...rows.currentOffsets()]).toEqual([0]);
    rows.sync(['a'], () => 4);
    expect([...rows.currentOffsets()]).toEqual([0, 4]);
  });

  it('any mix of appends, measurements and replacements ends where a full rebuild does (seeded), guessing each new row once', () => {
    let seed = 11;
    const rnd = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
    const rows = new RowHeights();
    let ids: string[] = [];
    let truth: number[] = [];
    let generation = 0;
    for (let step = 0; step < 400; step++) {
      const action = rnd(10);
      let guesses = 0;
      if (action === 0) {
        generation++;
        ids = idsOf(rnd(30), `g${generation}-`);
        truth = ids.map(() => 1 + rnd(300));
        rows.sync(ids, (i) => (guesses++, truth[i]!));
        expect(guesses).toBe(ids.length);
      } else if (action < 5) {
        const added = 1 + rnd(3);
        const base = ids.length;
        ids = [...ids, ...idsOf(added, `g${generation}-n${step}-`)];
        truth = [...truth, ...Array.from({ length: added }, () => 1 + rnd(300))];
        rows.sync(ids, (i) => (guesses++, truth[i]!));
        expect(guesses).toBe(ids.length - base);
      } else if (ids.length) {
        const at = rnd(ids.length);
        truth[at] = 1 + rnd(300);
        rows.measure(at, ids[at]!, truth[at]!);
      }
      expect([...rows.currentOffsets()]).toEqual([...offsetsOf(truth)]);
    }
  });
});

describe('rangeFor: the rows covering [top, bottom]', () => {
  const o = uniform(10, 100); // rows 0..9, row i spans [100 i, 100 i + 100)

  it('starts at the row whose bottom is below top, and ends after the last row whose top is above bottom', () => {
    expect(rangeFor(o, 250, 480)).toEqual({ start: 2, end: 5, tail: false });
  });

  it('binary search edges: a top exactly on a boundary starts at the row below it, just above it at the row above', () => {
    expect(rangeFor(o, 300, 350).start).toBe(3);
    expect(rangeFor(o, 299.5, 350).start).toBe(2);
    expect(rangeFor(o, 0, 50).start).toBe(0);
    expect(rangeFor(o, 100, 150).start).toBe(1);
    expect(rangeFor(o, 900, 950).start).toBe(9);
    expect(rangeFor(o, 999.9, 1000).start).toBe(9);
  });

  it('a bottom exactly on a boundary does not take the row that starts there', () => {
    expect(rangeFor(o, 0, 300)).toEqual({ start: 0, end: 3, tail: false });
    expect(rangeFor(o, 0, 300.5)).toEqual({ start: 0, end: 4, tail: false });
  });

  it('clamps a window above the content to the first rows and one below it to the last row', () => {
    expect(rangeFor(o, -500, 150)).toEqual({ start: 0, end: 2, tail: false });
    expect(rangeFor(o, 5000, 6000)).toEqual({ start: 9, end: 10, tail: true });
  });

  it('always renders at least one row, even for an empty window', () => {
    expect(rangeFor(o, 420, 420)).toEqual({ start: 4, end: 5, tail: false });
  });

  it('marks a window reaching the last row as the tail', () => {
    expect(rangeFor(o, 750, 1000)).toEqual({ start: 7, end: 10, tail: true });
  });

  it('finds the right row in a long list (every row of 2,000, both edges of each)', () => {
    const heights = Array.from({ length: 2000 }, (_, i) => 20 + ((i * 37) % 90));
    const long = offsetsOf(heights);
    for (let i = 0; i < 2000; i++) {
      expect(rangeFor(long, long[i]!, long[i]! + 1).start).toBe(i);
      expect(rangeFor(long, long[i + 1]! - 0.5, long[i + 1]!).start).toBe(i);
    }
  });
});

describe('an empty list', () => {
  const o = offsetsOf([]);

  it('renders no rows, anchored at the (empty) end, with no spacers', () => {
    expect(rangeFor(o, 0, 500)).toEqual({ start: 0, end: 0, tail: true });
    expect(tailRange(o, 500, 800)).toEqual({ start: 0, end: 0, tail: true });
    expect(spacers(o, { start: 0, end: 0, tail: true })).toEqual({ top: 0, bottom: 0 });
  });

  it('never asks for a re-window', () => {
    expect(needsRewindow(o, { start: 0, end: 0, tail: true }, 0, 500, 800, 200)).toBe(false);
  });
});

describe('tailRange: the list anchored at its end', () => {
  it('takes the last rows that fill the viewport, then the overscan above it', () => {
    const o = uniform(50, 100); // total 5,000
    expect(tailRange(o, 300, 0)).toEqual({ start: 47, end: 50, tail: true });
    expect(tailRange(o, 300, 800)).toEqual({ start: 39, end: 50, tail: true });
  });

  it('takes the whole list when it is shorter than the viewport', () => {
    expect(tailRange(uniform(3, 50), 600, 800)).toEqual({ start: 0, end: 3, tail: true });
  });

  it('with variable heights, starts at the tall row that reaches into the viewport', () => {
    const o = offsetsOf([5, 500, 5, 5, 1000, 5]); // [0, 5, 505, 510, 515, 1515, 1520]
    expect(tailRange(o, 100, 0)).toEqual({ start: 4, end: 6, tail: true });
    expect(tailRange(o, 1010, 0)).toEqual({ start: 3, end: 6, tail: true });
    expect(rangeFor(o, 100, 200)).toEqual({ start: 1, end: 2, tail: false });
  });

  it('grows with the list: a tail range shows every new row, a range elsewhere stays cut where it was', () => {
    expect(shownRange({ start: 40, end: 50, tail: true }, 53)).toEqual({ start: 40, end: 53, tail: true });
    expect(shownRange({ start: 10, end: 20, tail: false }, 53)).toEqual({ start: 10, end: 20, tail: false });
    // A list that shrank under either kind of range.
    expect(shownRange({ start: 40, end: 50, tail: true }, 30)).toEqual({ start: 30, end: 30, tail: true });
    expect(shownRange({ start: 10, end: 20, tail: false }, 15)).toEqual({ start: 10, end: 15, tail: false });
  });
});

describe('shiftRange', () => {
  it('moves a range down by the rows put in front, keeping whether it is anchored at the end', () => {
    expect(shiftRange({ start: 3, end: 9, tail: false }, 200)).toEqual({ start: 203, end: 209, tail: false });
    expect(shownRange(shiftRange({ start: 5, end: 10, tail: true }, 4), 14)).toEqual({ start: 9, end: 14, tail: true });
  });
});

describe('spacers', () => {
  it('stand in for the rows above and below the rendered ones, to the pixel', () => {
    const o = offsetsOf([10, 20, 30, 40, 50]); // total 150
    expect(spacers(o, { start: 1, end: 3, tail: false })).toEqual({ top: 10, bottom: 90 });
    expect(spacers(o, { start: 0, end: 5, tail: true })).toEqual({ top: 0, bottom: 0 });
    const { top, bottom } = spacers(o, { start: 2, end: 4, tail: false });
    expect(top + (o[4]! - o[2]!) + bottom).toBe(o[5]);
  });
});

describe('needsRewindow', () => {
  const OVERSCAN = 800;
  const REFILL = 200;
  const heights = Array.from({ length: 40 }, () => 100); // total 4,000
  const range = { start: 5, end: 15, tail: false }; // renders [500, 1500)

  it('leaves a window that covers the viewport with margin alone', () => {
    expect(needsRewindow(offsetsOf(heights), range, 700, 1000, OVERSCAN, REFILL)).toBe(false);
  });

  it('re-windows when less than the refill margin is left below or above the viewport', () => {
    expect(needsRewindow(offsetsOf(heights), range, 1100, 1400, OVERSCAN, REFILL)).toBe(true);
    expect(needsRewindow(offsetsOf(heights), range, 650, 950, OVERSCAN, REFILL)).toBe(true);
  });

  it('re-windows when rows measured smaller than first laid out no longer reach the viewport (a resize)', () => {
    const before = offsetsOf(heights);
    expect(needsRewindow(before, range, 700, 1000, OVERSCAN, REFILL)).toBe(false);
    const shrunk = heights.map((h, i) => (i >= 5 && i < 15 ? 20 : h));
    const after = offsetsOf(shrunk);
    expect(spacers(after, range)).toEqual({ top: 500, bottom: 2500 });
    expect(needsRewindow(after, range, 700, 1000, OVERSCAN, REFILL)).toBe(true);
    // The window recomputed from the new offsets covers the viewport again.
    const next = rangeFor(after, 700 - OVERSCAN, 1000 + OVERSCAN);
    expect(needsRewindow(after, next, 700, 1000, OVERSCAN, REFILL)).toBe(false);
  });

  it('re-windows when more than three overscans are rendered above or below the viewport', () => {
    const o = offsetsOf(heights);
    // viewport [3000, 3300], overscan 100: up to 300 px beyond each edge is fine
    expect(needsRewindow(o, { start: 27, end: 36, tail: false }, 3000, 3300, 100, REFILL)).toBe(false);
    expect(needsRewindow(o, { start: 0, end: 34, tail: false }, 3000, 3300, 100, REFILL)).toBe(true);
    expect(needsRewindow(o, { start: 29, end: 40, tail: true }, 3000, 3300, 100, REFILL)).toBe(true);
  });

  it('does not ask for content beyond either end of the list', () => {
    const o = offsetsOf(heights);
    expect(needsRewindow(o, { start: 0, end: 8, tail: false }, 0, 300, OVERSCAN, REFILL)).toBe(false);
    expect(needsRewindow(o, { start: 32, end: 40, tail: true }, 3700, 4000, OVERSCAN, REFILL)).toBe(false);
  });

  it('before the first frame (no overscan yet) only the viewport itself must be covered', () => {
    const o = offsetsOf(heights);
    expect(needsRewindow(o, { start: 37, end: 40, tail: true }, 3700, 4000, 0, REFILL)).toBe(false);
    expect(needsRewindow(o, { start: 38, end: 40, tail: true }, 3700, 4000, 0, REFILL)).toBe(true);
    // Rows reaching above the viewport are kept, however many: dropping them would render the first frame twice.
    expect(needsRewindow(o, { start: 35, end: 40, tail: true }, 3700, 4000, 0, REFILL)).toBe(false);
    expect(needsRewindow(o, { start: 0, end: 40, tail: true }, 3700, 4000, 0, REFILL)).toBe(false);
  });
});

describe('extendsList and sameRange', () => {
  it('tells an appended list from one whose rows were replaced or dropped', () => {
    expect(extendsList([], ['a'])).toBe(true);
    expect(extendsList(['a', 'b'], ['a', 'b', 'c'])).toBe(true);
    expect(extendsList(['a', 'b'], ['a', 'b'])).toBe(true);
    expect(extendsList(['a', 'b'], ['a'])).toBe(false);
    expect(extendsList(['a', 'b'], ['a', 'x', 'c'])).toBe(false);
    expect(extendsList(['a'], [])).toBe(false);
  });

  it('compares every field of a range', () => {
    expect(sameRange({ start: 1, end: 2, tail: false }, { start: 1, end: 2, tail: false })).toBe(true);
    expect(sameRange({ start: 1, end: 2, tail: false }, { start: 1, end: 2, tail: true })).toBe(false);
    expect(sameRange({ start: 1, end: 2, tail: false }, { start: 1, end: 3, tail: false })).toBe(false);
    expect(sameRange({ start: 1, end: 2, tail: false }, { start: 0, end: 2, tail: false })).toBe(false);
  });
});
