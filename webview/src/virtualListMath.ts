// The virtual message list's arithmetic, apart from React and the DOM so it can be tested on its own
// (test/webview/virtualListMath.test.ts): row offsets from row heights, which rows cover a stretch of
// content, the rows that fill the end of the list (the chat is anchored there), when the rendered window
// no longer fits the viewport, the spacers that stand in for the rows not rendered, and the row heights
// (guessed by rowHeightGuess.ts until measured) kept up to date at the cost of what changed (RowHeights: an
// all-day chat has 10,000 rows, and a streamed answer changes the last one every frame).
// MessageList.tsx owns the React state and the measuring; nothing here touches the DOM.

/** Rows `start` (inclusive) to `end` (exclusive) are rendered; `tail` keeps `end` at the last row as rows arrive. */
export interface Range {
  start: number;
  end: number;
  tail: boolean;
}

export function sameRange(a: Range, b: Range): boolean {
  return a.start === b.start && a.end === b.end && a.tail === b.tail;
}

/**
 * offsets[i] = top of row i, offsets[count] = the total height. `reuse` is filled in place when it has the
 * right length (no allocation per re-layout of a long chat).
 */
export function buildOffsets(count: number, heightOf: (index: number) => number, reuse?: Float64Array): Float64Array {
  const offsets = reuse && reuse.length === count + 1 ? reuse : new Float64Array(count + 1);
  offsets[0] = 0;
  for (let i = 0; i < count; i++) offsets[i + 1] = offsets[i]! + heightOf(i);
  return offsets;
}

/**
 * `previous` (offsets of some earlier row count) brought up to `count` rows where only rows from `from` on may
 * have changed height (or are new): the rows before it keep their offsets, so a row growing at the end of a
 * long chat (a streamed answer) costs one addition, not one per row. Filled in place when the length is right.
 */
export function updateOffsets(previous: Float64Array, from: number, count: number, heightOf: (index: number) => number): Float64Array {
  const start = Math.max(0, Math.min(from, count, previous.length - 1));
  let offsets = previous;
  if (previous.length !== count + 1) {
    offsets = new Float64Array(count + 1);
    offsets.set(previous.subarray(0, start + 1));
  }
  for (let i = start; i < count; i++) offsets[i + 1] = offsets[i]! + heightOf(i);
  return offsets;
}

/**
 * Row heights by position (measured once a row has been laid out, a guess until then) and the offsets summed
 * from them. Work is proportional to what changed: appended rows are guessed once each, a row measured at a
 * new height re-sums the offsets below it only, and a list that is not an extension of the last one (rows
 * replaced or dropped: a new snapshot) starts over with guesses.
 */
export class RowHeights {
  private ids: readonly string[] = [];
  private heights: Float64Array = new Float64Array(0);
  private offsets: Float64Array = new Float64Array(1);
  /** The first row whose offset below it is out of date (Infinity: none). */
  private from = 0;

  /**
   * Takes the current id list; `guess(index)` is asked for each row not known from the previous list.
   * `putInFront`: `ids` is the previous list with that many rows put in front (an older page of the
   * history) and maybe some appended; the known rows keep their heights, moved down by that many.
   */
  sync(ids: readonly string[], guess: (index: number) => number, putInFront = 0): void {
    if (ids === this.ids) return;
    const old = this.ids;
    if (putInFront > 0 && old.length > 0 && ids[putInFront] === old[0] && ids[putInFront + old.length - 1] === old[old.length - 1]) {
      const heights = new Float64Array(Math.max(ids.length, this.heights.length + putInFront));
      heights.set(this.heights.subarray(0, old.length), putInFront);
      for (let i = 0; i < putInFront; i++) heights[i] = guess(i);
      for (let i = putInFront + old.length; i < ids.length; i++) heights[i] = guess(i);
      this.heights = heights;
      this.from = 0;
      this.ids = ids;
      return;
    }
    const keep = extendsList(this.ids, ids) ? this.ids.length : 0;
    if (this.heights.length < ids.length) {
      // Room to grow: a chat gains rows one by one.
      const grown = new Float64Array(Math.max(ids.length, this.heights.length * 2));
      grown.set(this.heights.subarray(0, keep));
      this.heights = grown;
    }
    for (let i = keep; i < ids.length; i++) this.heights[i] = guess(i);
    this.from = Math.min(this.from, keep);
    this.ids = ids;
  }

  /**
   * Records the laid-out height of row `index`. Nothing is recorded (false) when `id` is not that row of the
   * current list (it was rendered for an older one) or the height is the one already known.
   */
  measure(index: number, id: string, height: number): boolean {
    if (this.ids[index] !== id || this.heights[index] === height) return false;
    this.heights[index] = height;
    this.from = Math.min(this.from, index);
    return true;
  }

  /** offsets[i] = top of row i, offsets[count] = the total height, for the list last synced. */
  currentOffsets(): Float64Array {
    const count = this.ids.length;
    if (this.from < count || this.offsets.length !== count + 1) {
      const heights = this.heights;
      this.offsets = updateOffsets(this.offsets, this.from, count, (i) => heights[i]!);
    }
    this.from = Infinity;
    return this.offsets;
  }
}

/**
 * The rows that cover [top, bottom] (content pixels): from the first row whose bottom is below `top` (binary
 * search) to the last row whose top is above `bottom`; at least one row when there is one.
 */
export function rangeFor(offsets: Float64Array, top: number, bottom: number): Range {
  const n = offsets.length - 1;
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (offsets[mid + 1]! <= top) lo = mid + 1;
    else hi = mid;
  }
  const start = Math.min(lo, Math.max(0, n - 1));
  let end = start;
  while (end < n && offsets[end]! < bottom) end++;
  end = Math.max(end, Math.min(n, start + 1));
  return { start, end, tail: end === n };
}

/** The last rows, enough to fill `viewport` plus `above` pixels: the list anchored at its end. */
export function tailRange(offsets: Float64Array, viewport: number, above: number): Range {
  const n = offsets.length - 1;
  return { ...rangeFor(offsets, offsets[n]! - viewport - above, offsets[n]!), end: n, tail: true };
}

/** `range` over a list that got `count` rows put in front: the same rows, further down. */
export function shiftRange(range: Range, count: number): Range {
  return { start: range.start + count, end: range.end + count, tail: range.tail };
}

/** The range as rendered for `count` rows: a tail range grows with the list, any range is cut to it. */
export function shownRange(range: Range, count: number): Range {
  return range.tail ? { start: Math.min(range.start, count), end: count, tail: true } : { ...range, end: Math.min(range.end, count) };
}

/**
 * Whether the rendered rows [range.start, range.end) need re-windowing for the viewport [top, bottom]: they
 * leave less than min(refill, overscan) pixels beyond an edge that has more content ("short"), or render more
 * than three overscans beyond an edge ("excess"). Before the first frame (overscan 0) nothing is excess: the
 * rows reaching above the viewport are there because the guesses were a little low, and dropping them would
 * render that frame twice; the first re-window with an overscan trims them.
 */
export function needsRewindow(offsets: Float64Array, range: Range, top: number, bottom: number, overscan: number, refill: number): boolean {
  const n = offsets.length - 1;
  const renderedTop = offsets[range.start] ?? 0;
  const renderedBottom = offsets[range.end] ?? offsets[n]!;
  const margin = Math.min(refill, overscan);
  const short = renderedTop > Math.max(0, top - margin) || renderedBottom < Math.min(offsets[n]!, bottom + margin);
  const excess = overscan > 0 && (renderedTop < top - 3 * overscan || renderedBottom > bottom + 3 * overscan);
  return short || excess;
}

/** The heights of the spacers above and below the rendered rows. */
export function spacers(offsets: Float64Array, range: Range): { top: number; bottom: number } {
  const total = offsets[offsets.length - 1]!;
  return { top: offsets[range.start] ?? 0, bottom: total - (offsets[range.end] ?? total) };
}

/** Whether `next` only appended rows to `before` (else the list starts over at the end: rows were replaced or dropped). */
export function extendsList(before: readonly string[], next: readonly string[]): boolean {
  return !(before.length > next.length || (before.length > 0 && before[before.length - 1] !== next[before.length - 1]));
}

// The height guesses live in rowHeightGuess.ts; re-exported for the list and its tests.
export { estimateHeight, wrappedLines } from './rowHeightGuess';
