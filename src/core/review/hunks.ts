// Splits a proposed file change into reviewable hunks: each contiguous run of changed lines becomes one
// hunk, addressed by character offsets into the current text (what the editor buffer holds), so the
// editor can mark it in place and accept exactly that range. Applying every hunk reproduces the proposal
// byte for byte (line endings included): the pieces come straight from a line diff of the two texts.
import { diffLines } from 'diff';
import type { HunkSummary } from '../../shared/events';
import type { StaleCause } from './staleCause';

export type HunkState = HunkSummary['state'];

export interface ReviewHunk {
  /** Stable within its change set: `<file index>.<hunk index>`. */
  id: string;
  /**
   * Offsets into the document. While the hunk is pending (or stale) `[start, end)` holds `oldText`, the
   * text it would replace; once accepted it holds `newText`, the text it put there (so it can be undone).
   */
  start: number;
  end: number;
  oldText: string;
  newText: string;
  state: HunkState;
  /** 1-based line where the hunk starts in the text it was proposed against (for messages). */
  line: number;
  /** Why it went stale (set with the state), so the card and the agent are told the same cause. */
  staleCause?: StaleCause;
}

/** Lines of context shown around each hunk in the chat card. */
const CONTEXT_LINES = 3;

/** The hunks that turn `oldText` into `newText`, in document order, all pending. */
export function computeHunks(oldText: string, newText: string, idPrefix: string): ReviewHunk[] {
  const hunks: ReviewHunk[] = [];
  let offset = 0;
  let line = 1;
  let open: ReviewHunk | undefined;
  for (const part of diffLines(oldText, newText)) {
    if (!part.added && !part.removed) {
      open = undefined;
      offset += part.value.length;
      line += countNewlines(part.value);
      continue;
    }
    if (!open) {
      open = { id: `${idPrefix}.${hunks.length + 1}`, start: offset, end: offset, oldText: '', newText: '', state: 'pending', line };
      hunks.push(open);
    }
    if (part.removed) {
      open.oldText += part.value;
      open.end += part.value.length;
      offset += part.value.length;
      line += countNewlines(part.value);
    } else {
      open.newText += part.value;
    }
  }
  return hunks;
}

function countNewlines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** `text` with the given hunks applied (the others left as they are). Hunks must not overlap. */
export function applyHunks(text: string, hunks: readonly Pick<ReviewHunk, 'start' | 'end' | 'newText'>[]): string {
  let result = text;
  for (const hunk of [...hunks].sort((a, b) => b.start - a.start)) {
    result = result.slice(0, hunk.start) + hunk.newText + result.slice(hunk.end);
  }
  return result;
}

/** Splits into lines without their terminators; a final terminator does not start another line. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** What the chat card shows of each hunk: a unified-diff header and lines with a little context. */
export function summarizeHunks(oldText: string, hunks: readonly ReviewHunk[]): HunkSummary[] {
  const oldLines = splitLines(oldText);
  let shift = 0; // new-file line numbers move by what earlier hunks added or removed
  return hunks.map((hunk) => {
    const removed = splitLines(hunk.oldText);
    const added = splitLines(hunk.newText);
    const firstLine = hunk.line; // first replaced line (or the line the insertion precedes)
    const before = oldLines.slice(Math.max(0, firstLine - 1 - CONTEXT_LINES), firstLine - 1);
    const after = oldLines.slice(firstLine - 1 + removed.length, firstLine - 1 + removed.length + CONTEXT_LINES);
    const oldStart = firstLine - before.length;
    const header = `@@ -${oldStart},${before.length + removed.length + after.length} +${oldStart + shift},${before.length + added.length + after.length} @@`;
    shift += added.length - removed.length;
    return {
      id: hunk.id,
      header,
      lines: [...before.map((l) => ` ${l}`), ...removed.map((l) => `-${l}`), ...added.map((l) => `+${l}`), ...after.map((l) => ` ${l}`)],
      added: added.length,
      removed: removed.length,
      line: firstLine,
      state: hunk.state,
    };
  });
}
