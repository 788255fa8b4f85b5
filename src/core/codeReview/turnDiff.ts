// "The last agent turn" as a review scope: the diff of what the turn's change sets would make of each file,
// accepted hunks and those still pending (rejected, undone and stale ones are left out), built from the
// proposal's texts rather than from git, so a change is reviewed before the user accepts it. Also maps a
// line of that reviewed version back to where the editor shows it: a pending hunk's new lines are not in
// the buffer yet, so a finding on them sits on the lines the hunk would replace.
import { structuredPatch } from 'diff';
import { applyHunks, computeHunks, type HunkState } from '../review/hunks';
import type { LineRange } from './types';

/** One file of the turn, as the review of its change set holds it. */
export interface TurnFile {
  /** Repository-relative, `/`-separated. */
  path: string;
  kind: 'add' | 'delete' | 'update';
  /** The text the proposal was made against, and the proposed one. */
  oldText: string;
  newText: string;
  /** The prefix of the file's hunk ids (`<prefix>.<n>`, see computeHunks), and each live hunk's state. */
  hunkPrefix: string;
  states: ReadonlyMap<string, HunkState>;
}

const INCLUDED: ReadonlySet<HunkState> = new Set(['pending', 'accepted']);

/** git's quoting for a path with characters a diff header cannot hold as they are. */
function diffPath(path: string): string {
  if (!/["\\\n\t]/.test(path)) return path;
  return `"${path.replace(/[\\"]/g, (c) => `\\${c}`).replace(/\n/g, '\\n').replace(/\t/g, '\\t')}"`;
}

/** The hunks of `file` that are reviewed, as computed on its original text, in document order. */
function includedHunks(file: TurnFile) {
  const whole = file.kind !== 'update';
  const hunks = whole ? [{ id: `${file.hunkPrefix}.1`, start: 0, end: file.oldText.length, oldText: file.oldText, newText: file.newText, state: 'pending' as HunkState, line: 1 }] : computeHunks(file.oldText, file.newText, file.hunkPrefix);
  return hunks.filter((h) => INCLUDED.has(file.states.get(h.id) ?? 'rejected'));
}

/** The reviewed version of the file: its original text with the included hunks applied. */
export function reviewedText(file: TurnFile): string {
  return applyHunks(file.oldText, includedHunks(file));
}

/** A git-style unified diff (a/ b/ prefixes, 3 lines of context) of every file with an included hunk. */
export function turnDiff(files: readonly TurnFile[]): string {
  let out = '';
  for (const file of files) {
    if (includedHunks(file).length === 0) continue;
    const after = reviewedText(file);
    const deleted = file.kind === 'delete' && after === '';
    const added = file.kind === 'add';
    out += `diff --git ${diffPath(`a/${file.path}`)} ${diffPath(`b/${file.path}`)}\n`;
    if (added) out += 'new file mode 100644\n';
    if (deleted) out += 'deleted file mode 100644\n';
    out += `--- ${added ? '/dev/null' : diffPath(`a/${file.path}`)}\n+++ ${deleted ? '/dev/null' : diffPath(`b/${file.path}`)}\n`;
    const patch = structuredPatch('a', 'b', added ? '' : file.oldText, deleted ? '' : after, '', '', { context: 3 });
    for (const hunk of patch.hunks) {
      out += `@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@\n`;
      for (const line of hunk.lines) out += `${line}\n`;
    }
  }
  return out;
}

function lineCount(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return text.length > 0 && !text.endsWith('\n') ? n + 1 : n;
}

/** Where a reviewed-version line is, relative to the file's hunks. */
export type TurnLine =
  /** Inside hunk `hunkId`, `offset` lines after its first new line. */
  | { hunkId: string; offset: number }
  /** Outside every reviewed hunk: `pendingShift` is how many more lines the still pending hunks above it add. */
  | { pendingShift: number };

/** Locates reviewed-version line `line` (1-based) of `file` among its reviewed hunks. */
export function locateTurnLine(file: TurnFile, line: number): TurnLine {
  let shift = 0;
  let pendingShift = 0;
  for (const hunk of includedHunks(file)) {
    const newStart = hunk.line + shift;
    const newLines = lineCount(hunk.newText);
    if (line >= newStart && line < newStart + Math.max(1, newLines)) return { hunkId: hunk.id, offset: Math.min(line - newStart, Math.max(0, newLines - 1)) };
    if (line < newStart) break;
    const delta = newLines - lineCount(hunk.oldText);
    shift += delta;
    if (file.states.get(hunk.id) === 'pending') pendingShift += delta;
  }
  return { pendingShift };
}

/**
 * Maps a finding's reviewed-version range to editor lines (1-based): a line in a pending hunk goes to the
 * lines that hunk replaces (`pendingRange`, its first line for a pure insertion), a line in an accepted hunk
 * to its place in that hunk, any other line up by the lines the pending hunks above it would add.
 */
export function mapTurnRange(
  file: TurnFile,
  range: LineRange,
  live: (hunkId: string) => { state: HunkState; firstLine: number; lastLine: number } | undefined,
): LineRange {
  const one = (line: number): LineRange => {
    const at = locateTurnLine(file, line);
    if ('hunkId' in at) {
      const hunk = live(at.hunkId);
      if (hunk?.state === 'accepted') return { start: hunk.firstLine + at.offset, end: hunk.firstLine + at.offset };
      if (hunk) return { start: hunk.firstLine, end: hunk.lastLine };
      return { start: line, end: line };
    }
    const moved = Math.max(1, line - at.pendingShift);
    return { start: moved, end: moved };
  };
  const first = one(range.start);
  const last = one(range.end);
  return { start: first.start, end: Math.max(first.start, last.end) };
}
