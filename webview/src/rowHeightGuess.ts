// Height guesses for conversation rows that have not been laid out yet. The virtual list (MessageList.tsx)
// picks the rows of its first frame from these guesses: a guess too high renders too few rows, the
// viewport is short at the top, and the list renders, lays out and measures a second time before that
// frame paints (the old flat guess was ~40% high on a long chat and did exactly that on every open).
// So the guess follows what the stylesheets do with the text: markdown blocks (paragraphs wrap, code
// lines do not, headings are taller, blocks are spaced), the user's pre-wrapped text, and tool cards whose
// output shows only while open, capped. The constants are the styles' (base.css, cards.css,
// markdown.css) at VS Code's 13px font; `fontPx` scales them to the page's font size.
// Pure: tested in test/webview/rowHeightGuess.test.ts.
import type { ChatEntry } from '../../src/shared/chatState';

/** VS Code's default font size, at which the constants below hold. */
export const BASE_FONT_PX = 13;
/** Average advance of the UI font and of the editor (monospace) font, per px of font size. */
const CHAR_EM = 0.54;
const MONO_CHAR_EM = 0.6;

/** `.row`: 6px above and below, 12px each side. */
const ROW_PAD_Y = 12;
const ROW_PAD_X = 24;
/** `.markdown` line-height 1.5; headings 1.3 at their own size; `.md-block + .md-block` 0.7em apart. */
const MD_LINE_EM = 1.5;
const HEADING_LINE_EM = 1.3;
const HEADING_EM = [1.4, 1.25, 1.1, 1];
const BLOCK_GAP_EM = 0.7;
/** `.code-block pre`: 8px padding above and below; list items are indented 1.6em. */
const CODE_PAD_Y = 16;
const LIST_INDENT_EM = 1.6;
/** `.message.user`: 6px + 1px border above and below, 11px each side; its text at the normal line height. */
const USER_PAD_Y = 14;
const USER_PAD_X = 22;
const NORMAL_LINE_EM = 1.16;
/** A tool card's header line; an open card's output: 6px margin, 6px padding, cut at 300px. */
const TOOL_HEADER_PX = 37;
const TOOL_OUTPUT_EXTRA_PX = 18;
const OUTPUT_CAP_PX = 300;
/** Rows of other kinds (plans, approvals, patches, notices...): rare, a flat guess. */
const OTHER_PX = 80;

/**
 * Lines of `text` once wrapped at `perLine` characters, counting no further than `cap`. Walks the text with
 * indexOf rather than splitting it: every row of a long chat is guessed on open, and a split allocates a
 * string per line of all of them.
 */
export function wrappedLines(text: string, perLine: number, cap = Infinity): number {
  let n = 0;
  let start = 0;
  while (n < cap) {
    const newline = text.indexOf('\n', start);
    const end = newline < 0 ? text.length : newline;
    n += Math.max(1, Math.ceil((end - start) / perLine));
    if (newline < 0) break;
    start = newline + 1;
  }
  return n;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const HEADING = /^ {0,3}(#{1,6})[ \t]/;
const LIST_ITEM = /^\s*(?:[-*+]|\d{1,9}[.)])[ \t]/;
const BLANK = /^\s*$/;

/**
 * The height of `text` rendered as markdown in `width` px (the row's content box), in px at `fontPx`: a
 * line walk, not a parse. Paragraph lines join and wrap; list items wrap one by one, indented; code lines
 * never wrap (the block scrolls sideways); blocks are separated by blank lines and spaced.
 */
export function markdownHeight(text: string, width: number, fontPx = BASE_FONT_PX): number {
  const line = fontPx * MD_LINE_EM;
  const perLine = Math.max(10, Math.floor(width / (fontPx * CHAR_EM)));
  const perItemLine = Math.max(10, Math.floor((width - fontPx * LIST_INDENT_EM) / (fontPx * CHAR_EM)));
  let height = 0;
  let blocks = 0;
  /** What the current block is: nothing yet, a paragraph (chars so far), a list, or a fence (its marker). */
  let paragraph = -1;
  let inList = false;
  let fence: string | undefined;
  const endParagraph = () => {
    if (paragraph >= 0) height += Math.max(1, Math.ceil(paragraph / perLine)) * line;
    paragraph = -1;
  };
  const startBlock = () => {
    endParagraph();
    if (blocks++ > 0) height += fontPx * BLOCK_GAP_EM;
  };
  let start = 0;
  while (start <= text.length) {
    const newline = text.indexOf('\n', start);
    const end = newline < 0 ? text.length : newline;
    const row = text.slice(start, end);
    start = end + 1;
    if (fence !== undefined) {
      // The closing fence ends the block; every other line is one code line.
      if (row.trimStart().startsWith(fence)) fence = undefined;
      else height += line;
      continue;
    }
    const open = FENCE.exec(row);
    if (open) {
      startBlock();
      inList = false;
      fence = open[1]!;
      height += CODE_PAD_Y * (fontPx / BASE_FONT_PX);
      continue;
    }
    if (BLANK.test(row)) {
      endParagraph();
      inList = false;
      continue;
    }
    const heading = HEADING.exec(row);
    if (heading) {
      startBlock();
      inList = false;
      const size = fontPx * (HEADING_EM[heading[1]!.length - 1] ?? 1);
      const chars = row.length - heading[0].length;
      height += Math.max(1, Math.ceil(chars / Math.max(10, Math.floor(width / (size * CHAR_EM))))) * size * HEADING_LINE_EM;
      continue;
    }
    if (LIST_ITEM.test(row)) {
      if (!inList) startBlock();
      else endParagraph();
      inList = true;
      height += Math.max(1, Math.ceil(row.trim().length / perItemLine)) * line;
      continue;
    }
    // Paragraph text (or a list item's continuation, counted as its own line of the item).
    if (inList) {
      height += Math.max(1, Math.ceil(row.trim().length / perItemLine)) * line;
      continue;
    }
    if (paragraph < 0) {
      startBlock();
      paragraph = row.length;
    } else paragraph += 1 + row.length;
  }
  endParagraph();
  // An empty answer (one that has just started streaming) still takes its cursor's line.
  return Math.max(height, line);
}

/** A height guess for a row that has not been on screen, from its text (`width`: the list's client width). */
export function estimateHeight(entry: ChatEntry | undefined, width: number, fontPx = BASE_FONT_PX): number {
  if (!entry) return 0;
  const scale = fontPx / BASE_FONT_PX;
  const content = Math.max(fontPx * 10, width - ROW_PAD_X);
  switch (entry.kind) {
    case 'user': {
      const perLine = Math.max(10, Math.floor((content - USER_PAD_X) / (fontPx * CHAR_EM)));
      return ROW_PAD_Y + USER_PAD_Y * scale + wrappedLines(entry.text, perLine) * fontPx * NORMAL_LINE_EM;
    }
    case 'assistant':
      return ROW_PAD_Y + markdownHeight(entry.text, content, fontPx);
    case 'tool': {
      const open = entry.status === 'running' || entry.status === 'error';
      const header = ROW_PAD_Y + TOOL_HEADER_PX * scale;
      if (!open || !entry.output) return header;
      const outputLine = fontPx * NORMAL_LINE_EM;
      const perLine = Math.max(10, Math.floor((content - 16) / (fontPx * MONO_CHAR_EM)));
      // Past the cap more lines change nothing: stop counting there (long outputs are the norm).
      const cap = Math.ceil(OUTPUT_CAP_PX / outputLine);
      return header + TOOL_OUTPUT_EXTRA_PX + Math.min(OUTPUT_CAP_PX, wrappedLines(entry.output, perLine, cap) * outputLine);
    }
    default:
      return OTHER_PX * scale;
  }
}
