// The virtual message list's arithmetic, apart from React and the DOM so it can be tested on its own
// (test/webview/virtualListMath.test.ts): row offsets from row heights, which rows cover a stretch of
// content, the rows that fill the end of the list (the chat is anchored there), when the rendered window
// no longer fits the viewport, the spacers that stand in for the rows not rendered, and height guesses for
// rows not measured yet. MessageList.tsx owns the state and the measuring; everything here is pure.
import type { ChatEntry } from '../../src/shared/chatState';

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

/** The range as rendered for `count` rows: a tail range grows with the list, any range is cut to it. */
export function shownRange(range: Range, count: number): Range {
  return range.tail ? { start: Math.min(range.start, count), end: count, tail: true } : { ...range, end: Math.min(range.end, count) };
}

/**
 * Whether the rendered rows [range.start, range.end) need re-windowing for the viewport [top, bottom]: they
 * leave less than min(refill, overscan) pixels beyond an edge that has more content ("short"), or render more
 * than three overscans beyond an edge ("excess").
 */
export function needsRewindow(offsets: Float64Array, range: Range, top: number, bottom: number, overscan: number, refill: number): boolean {
  const n = offsets.length - 1;
  const renderedTop = offsets[range.start] ?? 0;
  const renderedBottom = offsets[range.end] ?? offsets[n]!;
  const margin = Math.min(refill, overscan);
  const short = renderedTop > Math.max(0, top - margin) || renderedBottom < Math.min(offsets[n]!, bottom + margin);
  const excess = renderedTop < top - 3 * overscan || renderedBottom > bottom + 3 * overscan;
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

/** A height guess for a row that has not been on screen, from its text (only the spacers and the scrollbar depend on it). */
export function estimateHeight(entry: ChatEntry | undefined, width: number): number {
  if (!entry) return 0;
  const perLine = Math.max(20, Math.floor((width - 40) / 7.5));
  const lines = (text: string) => {
    let n = 0;
    for (const line of text.split('\n')) n += Math.max(1, Math.ceil(line.length / perLine));
    return n;
  };
  switch (entry.kind) {
    case 'user':
      return 26 + lines(entry.text) * 20;
    case 'assistant':
      return 12 + lines(entry.text) * 21;
    case 'tool': {
      const open = entry.status === 'running' || entry.status === 'error';
      return 44 + (open && entry.output ? Math.min(300, lines(entry.output) * 18) : 0);
    }
    default:
      return 80;
  }
}
