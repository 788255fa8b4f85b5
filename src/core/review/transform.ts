// Keeps hunks valid while the user types in a file under review: an edit before a hunk moves it, an edit
// after it leaves it alone, an edit that touches it makes it stale (never applied automatically; the
// agent is told and can propose again). Accepted hunks are tracked the same way so they can be undone
// until the user edits them.
import type { ReviewHunk } from './hunks';

/** One replacement in a document, as VS Code reports it: offsets into the text before the change. */
export interface TextChange {
  offset: number;
  length: number;
  text: string;
}

/** Hunks whose range still matters: pending ones (to accept) and accepted ones (to undo). */
const isTracked = (hunk: ReviewHunk) => hunk.state === 'pending' || hunk.state === 'accepted';

/**
 * Moves `hunks` (in place) through `changes`, the content changes of one document event. VS Code gives
 * the changes of one event against the text before the event, non-overlapping; applying them from the
 * highest offset down keeps every offset valid, so they are processed in that order whatever order they
 * arrive in. Returns the hunks that became stale. `exclude` names a hunk whose own edit this is.
 */
export function transformHunks(hunks: ReviewHunk[], changes: readonly TextChange[], exclude?: string): ReviewHunk[] {
  const stale: ReviewHunk[] = [];
  const ordered = [...changes].sort((a, b) => b.offset - a.offset);
  for (const change of ordered) {
    const changeEnd = change.offset + change.length;
    const delta = change.text.length - change.length;
    for (const hunk of hunks) {
      if (!isTracked(hunk) || hunk.id === exclude) continue;
      // Whole lines inserted exactly where a hunk starts (Enter at the end of the line above, a paste of
      // full lines) go above it and leave its lines intact: the hunk just moves down.
      const linesAbove = change.length === 0 && change.offset === hunk.start && /\n$/.test(change.text);
      if (!linesAbove && touches(change.offset, changeEnd, hunk.start, hunk.end)) {
        if (hunk.state === 'pending') {
          hunk.state = 'stale';
          stale.push(hunk);
        } else {
          hunk.state = 'accepted'; // stays accepted; it just cannot be undone any more
          hunk.start = hunk.end = -1;
        }
        continue;
      }
      if (changeEnd <= hunk.start) {
        // also the `linesAbove` case: offset === start, length 0
        hunk.start += delta;
        hunk.end += delta;
      }
    }
  }
  return stale;
}

/**
 * Whether a change of `[start, end)` touches a hunk of `[hunkStart, hunkEnd)`. Hunks cover whole lines:
 * an edit ending exactly where a hunk starts is on the line before it, one starting where it ends is on
 * the line after it. Typing at the very start of a hunk edits its first line, so that touches. A pure
 * insertion (empty range) is touched by typing at its point (ambiguous: before or after?) or by an edit
 * spanning it; deleting the line before or after it just moves or keeps its point.
 */
function touches(start: number, end: number, hunkStart: number, hunkEnd: number): boolean {
  if (hunkStart < 0) return false; // an accepted hunk that can no longer be undone
  if (hunkStart === hunkEnd) return start === end ? start === hunkStart : start < hunkStart && end > hunkStart;
  if (start === end) return start >= hunkStart && start < hunkEnd;
  return start < hunkEnd && end > hunkStart;
}

/** Whether an accepted hunk can still be undone (the user has not edited what it put there). */
export function isUndoable(hunk: ReviewHunk): boolean {
  return hunk.state === 'accepted' && hunk.start >= 0;
}
