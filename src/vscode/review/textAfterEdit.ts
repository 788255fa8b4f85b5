// The text a document must hold right after the review's own edit, and nothing else: a document is saved
// after an accept or undo only while it holds exactly this, so typing that lands between the edit and the
// save (while the workbench applies the edit, or while an earlier file is being saved) is never written
// on the user's behalf. Pure (no vscode import) so the arithmetic is unit-tested on its own.

export interface Replacement {
  /** Offsets into the text the edit was made against. */
  start: number;
  end: number;
  text: string;
}

/**
 * `text` with `replacements` applied (non-overlapping, any order), their line breaks written as `eol`: the
 * editor inserts text with the document's own line ending, so a `\n` hunk lands as `\r\n` in a CRLF file.
 * Overlapping replacements mean a caller bug, not a text: they throw rather than guess.
 */
export function textAfterEdit(text: string, replacements: readonly Replacement[], eol: '\n' | '\r\n'): string {
  const sorted = [...replacements].sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const r of sorted) {
    if (r.start < at || r.end < r.start || r.end > text.length) throw new Error(`replacement ${r.start}-${r.end} overlaps another or lies outside the text`);
    out += text.slice(at, r.start) + r.text.replace(/\r?\n/g, eol);
    at = r.end;
  }
  return out + text.slice(at);
}
