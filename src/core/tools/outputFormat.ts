// What the model sees of a command's output: cleaned of terminal artefacts, cut to a token budget, and
// framed with a short header. The model pays for every token of tool output and long logs push the
// conversation towards the context limit, so output is budgeted like Codex's unified exec does:
// keep the head (how it started) and the tail (errors, the summary line) and say how much was cut.
//
// Framing (one header line per fact, then the output):
//   Wall time: 1.2 seconds
//   Process exited with code 0            | Process running with session ID 3
//   Output:
//   <output>
// Known secrets are redacted once more after the terminal artefacts are stripped: a key printed with
// colour codes or NULs between its characters only becomes readable here.
import { knownSecrets } from '../secrets/knownSecrets';

/** Default token budget for exec_command / write_stdin output. */
export const DEFAULT_MAX_OUTPUT_TOKENS = 10_000;
/** Upper bound a model may ask for; keeps one call from filling the context window. */
export const MAX_OUTPUT_TOKENS_LIMIT = 100_000;

/** Rough token count (the usual 4 characters per token); good enough for budgeting, no tokenizer needed. */
export function approxTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

// CSI (colours, cursor moves), OSC (window titles, hyperlinks; ended by BEL or ST), charset selection and
// other two-byte escapes. Colours mean nothing to the model and cost tokens.
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[()*+][0-9A-Za-z]|\x1b[@-Z\\-_=>]/g;
// Remaining C0 controls (bell, backspace, NUL…) except tab and newline; \r is handled before this runs.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f]/g;

/**
 * Turns raw PTY output into plain text: strips ANSI escapes, converts CRLF to LF, and keeps only the last
 * state of lines redrawn with a bare `\r` (progress bars), which is what a terminal would show.
 */
export function cleanTerminalOutput(raw: string): string {
  const text = raw.replace(ANSI, '').replace(/\r+\n/g, '\n');
  const lines = text.split('\n').map((line) => {
    if (!line.includes('\r')) return line;
    const parts = line.split('\r');
    // A trailing \r (redraw pending) leaves an empty last part; show the last non-empty state.
    for (let i = parts.length - 1; i >= 0; i--) if (parts[i]) return parts[i]!;
    return '';
  });
  return lines.join('\n').replace(CONTROL, '');
}

/**
 * Moves `index` off the low half of a surrogate pair so slicing never splits a character: backwards for
 * the end of the head, forwards for the start of the tail (either way the kept text only shrinks).
 */
function charBoundary(text: string, index: number, direction: -1 | 1): number {
  const code = text.charCodeAt(index);
  return code >= 0xdc00 && code <= 0xdfff ? index + direction : index;
}

function marker(tokens: number): string {
  return `\n…${tokens} tokens truncated…\n`;
}

/**
 * Keeps the head and tail of `text` within `maxTokens` (marker included) and states the cut in the middle
 * as `…N tokens truncated…`. `alreadyOmittedChars` counts text dropped earlier (the session buffer cap),
 * so the stated number covers everything the model does not see. Cuts prefer line boundaries.
 */
export function truncateMiddle(text: string, maxTokens: number, alreadyOmittedChars = 0): string {
  if (approxTokens(text) <= maxTokens && alreadyOmittedChars === 0) return text;
  const totalTokens = approxTokens(text) + Math.ceil(alreadyOmittedChars / 4);
  // Reserve room for the marker; its digits can only shrink as more text is kept, so this is safe.
  const budget = Math.max(0, maxTokens * 4 - marker(totalTokens).length);
  if (text.length <= budget) return insertMarker(text, Math.ceil(alreadyOmittedChars / 4));

  let headEnd = charBoundary(text, Math.floor(budget / 2), -1);
  let tailStart = charBoundary(text, text.length - (budget - headEnd), 1);
  // Snap to whole lines when a newline is reasonably close (within the outer half of each part).
  const headNewline = text.lastIndexOf('\n', headEnd - 1);
  if (headNewline >= headEnd / 2) headEnd = headNewline + 1;
  const tailNewline = text.indexOf('\n', tailStart);
  if (tailNewline !== -1 && tailNewline < tailStart + (text.length - tailStart) / 2) tailStart = tailNewline + 1;

  const cutTokens = approxTokens(text.slice(headEnd, tailStart)) + Math.ceil(alreadyOmittedChars / 4);
  const head = text.slice(0, headEnd).replace(/\n$/, '');
  const tail = text.slice(tailStart);
  return `${head}${marker(cutTokens)}${tail}`;
}

/** Whole text kept but some was dropped before it reached us: put the marker in the middle. */
function insertMarker(text: string, tokens: number): string {
  const mid = text.indexOf('\n', Math.floor(text.length / 2));
  const at = mid === -1 ? text.length : mid;
  return `${text.slice(0, at)}${marker(tokens)}${text.slice(at).replace(/^\n/, '')}`;
}

export type ProcessState = { exitCode: number } | { sessionId: number } | { cancelled: true };

/** The framed tool output the model receives for exec_command and write_stdin. */
export function formatProcessOutput(options: {
  wallTimeMs: number;
  state: ProcessState;
  output: string;
  maxTokens: number;
  omittedChars?: number;
}): string {
  const { state } = options;
  const status =
    'exitCode' in state
      ? `Process exited with code ${state.exitCode}`
      : 'sessionId' in state
        ? `Process running with session ID ${state.sessionId}`
        : 'Process killed: the user stopped it';
  const body = truncateMiddle(knownSecrets.redact(cleanTerminalOutput(options.output)), options.maxTokens, options.omittedChars ?? 0);
  return `Wall time: ${(options.wallTimeMs / 1000).toFixed(1)} seconds\n${status}\nOutput:\n${body}`;
}
