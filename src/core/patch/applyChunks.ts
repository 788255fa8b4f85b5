// Applies the chunks of one `*** Update File:` to the file's text, in memory. Only what the patch changes
// changes: a chunk's '-' lines are replaced by its '+' lines, and every other byte, context lines
// included, stays the file's own. That matters because matching is tolerant (seek.ts: trailing
// whitespace, indentation, typographic punctuation): a patch that quotes `title - x` for the file's
// `title — x`, or spaces for its tabs, still applies, and its context lines are only a locator; writing
// the patch's copy of them would rewrite lines nobody asked to change.
// '+' lines are the patch's text, with one exception: when the matched lines show that the patch indents
// differently from the file by one consistent rule (tabs written as spaces or the reverse, or a constant
// offset), the '+' lines are re-indented by that rule, so they land in the file's style at the depth the
// patch meant (indentation.ts). No consistent rule: written as given.
// The file keeps its character: a UTF-8 BOM stays, every kept line keeps its own line break (a mixed
// LF/CRLF file changes only where edited), '+' lines get the file's prevailing break. Like Codex, the
// result always ends with a line break.
import { clip } from './clip';
import type { UpdateChunk } from './parser';
import { reindentAddedLines } from './indentation';
import { normalizePunctuation, seekLines } from './seek';

/** The patch is well formed but does not fit the files. The message names the file and shows the lines. */
export class PatchApplyError extends Error {
  override name = 'PatchApplyError';
  constructor(
    message: string,
    /** The file concerned, as written in the patch. */
    readonly path?: string,
  ) {
    super(message);
  }
}

const BOM = '\uFEFF';
const MAX_LINES_SHOWN = 20;
/** Longest line quoted in a listing (20 of them per list). */
const MAX_LISTED_LINE_CHARS = 120;
const RETRY_ADVICE = 'No file was changed. Read the file again and make the context and \'-\' lines match it exactly.';

interface TextLines {
  bom: boolean;
  lines: string[];
  /** Line break after each line: '\n', '\r\n', or '' for a last line without one. */
  endings: string[];
  /** The break most lines use; given to inserted lines. */
  eol: string;
}

interface Replacement {
  start: number;
  deleteCount: number;
  /** The chunk's new lines: a number is the file line (index) a context line keeps, a string an added line. */
  lines: (number | string)[];
}

export function applyChunks(original: string, chunks: readonly UpdateChunk[], displayPath: string): string {
  const text = splitLines(original);
  const replacements = locateChunks(text.lines, chunks, displayPath);
  replacements.sort((a, b) => a.start - b.start);
  // Back to front, so earlier indices stay valid (a kept line's index always lies inside its own chunk).
  for (const { start, deleteCount, lines } of replacements.reverse()) {
    const newLines = lines.map((line) => (typeof line === 'number' ? text.lines[line]! : line));
    const endings = lines.map((line) => (typeof line === 'number' ? text.endings[line]! : text.eol));
    text.lines.splice(start, deleteCount, ...newLines);
    text.endings.splice(start, deleteCount, ...endings);
  }
  return joinLines(text);
}

function locateChunks(lines: string[], chunks: readonly UpdateChunk[], path: string): Replacement[] {
  const replacements: Replacement[] = [];
  let cursor = 0;
  chunks.forEach((chunk, chunkIndex) => {
    const where = `chunk ${chunkIndex + 1} of ${chunks.length}, patch line ${chunk.line}`;
    for (const scope of chunk.scopes) {
      const anchor = seekLines(lines, [scope], cursor);
      if (!anchor) {
        const earlier = cursor > 0 && seekLines(lines, [scope], 0) ? ` It only occurs before the previous chunk's lines: chunks must follow the order of the file.` : '';
        throw new PatchApplyError(`Could not find the line '@@ ${clip(scope)}' in ${path} (${where}).${earlier}\n${RETRY_ADVICE}`, path);
      }
      cursor = anchor.index + 1;
    }

    if (chunk.oldLines.length === 0) {
      // Nothing to match: insert right after the anchor, or append to the file when there is none.
      replacements.push({ start: chunk.scopes.length > 0 ? cursor : lines.length, deleteCount: 0, lines: chunk.newLines });
      return;
    }

    let oldLines = chunk.oldLines;
    let newLines = chunk.newLines;
    let contextOf = chunk.contextOf;
    let match = seekLines(lines, oldLines, cursor, chunk.endOfFile);
    if (!match && oldLines.at(-1) === '') {
      // A trailing empty context line usually stands for the file's final line break, not a blank line.
      oldLines = oldLines.slice(0, -1);
      // A new line that repeated the dropped one no longer has a file line to keep: it is written as added.
      contextOf = contextOf.map((from) => (from === oldLines.length ? -1 : from));
      if (newLines.at(-1) === '') {
        newLines = newLines.slice(0, -1);
        contextOf = contextOf.slice(0, -1);
      }
      match = seekLines(lines, oldLines, cursor, chunk.endOfFile);
    }
    if (!match) throw new PatchApplyError(notFoundMessage(lines, chunk.oldLines, cursor, path, where), path);
    const at = match.index;
    const added = newLines.filter((_, i) => contextOf[i] === -1);
    const reindented = reindentAddedLines(
      oldLines.map((patch, i) => ({ patch, file: lines[at + i]! })),
      added,
    );
    let nextAdded = 0;
    replacements.push({
      start: at,
      deleteCount: oldLines.length,
      lines: contextOf.map((from) => (from === -1 ? reindented[nextAdded++]! : at + from)),
    });
    cursor = at + oldLines.length;
  });
  return replacements;
}

function notFoundMessage(lines: string[], oldLines: string[], cursor: number, path: string, where: string): string {
  const parts = [`Could not find these lines in ${path} (${where}):`, ...indent(oldLines)];
  if (cursor > 0 && seekLines(lines, oldLines, 0)) {
    parts.push("They only occur before the previous chunk's lines: chunks must follow the order of the file.");
  } else {
    const closest = closestWindow(lines, oldLines);
    if (closest !== undefined) {
      const shown = lines.slice(closest, closest + Math.min(oldLines.length, MAX_LINES_SHOWN));
      parts.push(`The closest lines in the file (from line ${closest + 1}):`, ...shown.map((line, i) => `${String(closest + i + 1).padStart(6)} | ${clip(line, MAX_LISTED_LINE_CHARS)}`));
    }
  }
  parts.push(RETRY_ADVICE);
  return parts.join('\n');
}

function indent(lines: string[]): string[] {
  const shown = lines.slice(0, MAX_LINES_SHOWN).map((line) => `    ${clip(line, MAX_LISTED_LINE_CHARS)}`);
  if (lines.length > MAX_LINES_SHOWN) shown.push(`    … (${lines.length - MAX_LINES_SHOWN} more lines)`);
  return shown;
}

/**
 * Start of the window of the file that shares the most non-blank lines (loosely compared) with `wanted`,
 * when at least a third of them match; helps the model see what it got wrong.
 */
function closestWindow(lines: string[], wanted: string[]): number | undefined {
  const loose = (line: string) => normalizePunctuation(line).trim();
  const target = wanted.map(loose);
  const meaningful = target.filter((line) => line !== '').length;
  // Bounded effort: this only improves an error message.
  if (meaningful === 0 || lines.length * target.length > 2_000_000) return undefined;
  const file = lines.map(loose);
  let best: { start: number; score: number } | undefined;
  for (let start = 0; start <= Math.max(0, file.length - target.length); start++) {
    let score = 0;
    for (let i = 0; i < target.length && start + i < file.length; i++) {
      if (target[i] !== '' && file[start + i] === target[i]) score++;
    }
    if (score > (best?.score ?? 0)) best = { start, score };
  }
  return best && best.score >= Math.ceil(meaningful / 3) ? best.start : undefined;
}

function splitLines(text: string): TextLines {
  const bom = text.startsWith(BOM);
  const body = bom ? text.slice(1) : text;
  const lines: string[] = [];
  const endings: string[] = [];
  let crlf = 0;
  let lf = 0;
  let start = 0;
  for (const match of body.matchAll(/\r?\n/g)) {
    lines.push(body.slice(start, match.index));
    endings.push(match[0]);
    if (match[0] === '\r\n') crlf++;
    else lf++;
    start = match.index + match[0].length;
  }
  if (start < body.length) {
    lines.push(body.slice(start));
    endings.push('');
  }
  return { bom, lines, endings, eol: crlf > lf ? '\r\n' : '\n' };
}

function joinLines({ bom, lines, endings, eol }: TextLines): string {
  // The file's last line may have had no break and now be followed by added lines (or be the last line
  // still): either way it gets one, or two lines would run together.
  return (bom ? BOM : '') + lines.map((line, i) => line + (endings[i] || eol)).join('');
}
