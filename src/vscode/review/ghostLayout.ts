// Where and how a pending hunk is drawn in the editor, decided without the VS Code API so it can be tested
// on its own. A replacement marks the lines it replaces and puts "⟵ Tandem: <new text>" after the last
// of them; a deletion marks its lines; an insertion replaces nothing, so it must not look like it replaces
// the line it sits next to: it draws a line between two lines (a border under the line above the
// insertion point, or over the first line at the top of the file) with "Tandem inserts below/above: …".
import { splitLines } from '../../core/review/hunks';

const MAX_GHOST_CHARS = 120;

export interface GhostLayout {
  kind: 'replace' | 'delete' | 'insert-below' | 'insert-above';
  /** 0-based line the ghost text (and, for insertions, the boundary) is drawn on. */
  line: number;
  /** Lines `[from, to]` (0-based, inclusive) the hunk replaces or deletes; absent for insertions. */
  replaced?: { from: number; to: number };
  text: string;
}

export interface HunkText {
  start: number;
  end: number;
  newText: string;
}

/**
 * `positionAt` maps a document offset to its 0-based line and character, as TextDocument.positionAt does.
 * `chat` names the proposing chat when several chats have proposals in the file.
 */
export function ghostLayout(hunk: HunkText, positionAt: (offset: number) => { line: number; character: number }, chat?: string): GhostLayout {
  const lines = splitLines(hunk.newText);
  const tandem = chat ? `Tandem («${chat}»)` : 'Tandem';
  const preview = previewOf(lines);
  if (hunk.end > hunk.start) {
    const from = positionAt(hunk.start).line;
    const to = positionAt(hunk.end - 1).line;
    if (lines.length === 0) return { kind: 'delete', line: to, replaced: { from, to }, text: `⟵ ${tandem}: delete these lines` };
    return { kind: 'replace', line: to, replaced: { from, to }, text: `⟵ ${tandem}: ${preview}` };
  }
  const at = positionAt(hunk.start);
  // Mid-line (the end of a last line without a newline): the new lines go after this line.
  if (at.character > 0) return { kind: 'insert-below', line: at.line, text: `⤷ ${tandem} inserts below: ${preview}` };
  if (at.line > 0) return { kind: 'insert-below', line: at.line - 1, text: `⤷ ${tandem} inserts below: ${preview}` };
  return { kind: 'insert-above', line: 0, text: `⤴ ${tandem} inserts above: ${preview}` };
}

function previewOf(lines: readonly string[]): string {
  const first = (lines[0] ?? '').trim();
  const shown = first.length > MAX_GHOST_CHARS ? `${first.slice(0, MAX_GHOST_CHARS)}…` : first;
  const more = lines.length > 1 ? `  (+${lines.length - 1} more line${lines.length > 2 ? 's' : ''}, hover to see)` : '';
  return `${shown}${more}`;
}
