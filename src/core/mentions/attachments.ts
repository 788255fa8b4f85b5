// The text an `@` mention attaches to a message (a file, a folder listing, the problems, the selection,
// the terminal's last output), and the checks an image from the webview must pass. Pure: the host reads
// the workspace and hands the results here.
import { formatDiagnostic } from '../fix/diagnostics';
import { codeBlock } from '../fix/text';
import type { DiagnosticInfo } from '../fix/types';
import { IMAGE_MEDIA_TYPES, MAX_IMAGE_BYTES, type ImageMediaType } from '../../shared/protocol';

/** Longest file text attached by `@file` (characters); the rest is left to the agent to read. */
export const MAX_FILE_CHARS = 100_000;
/** Entries of a folder listing. */
export const MAX_FOLDER_ENTRIES = 200;
/** Problems listed by `@problems`. */
export const MAX_PROBLEMS = 100;
/** Characters of `@terminal` output (the end is kept). */
export const MAX_TERMINAL_CHARS = 20_000;

export function fileAttachment(path: string, text: string, languageId: string, max = MAX_FILE_CHARS): string {
  if (text.length <= max) return `The file \`${path}\`:\n${codeBlock(text, languageId)}`;
  const cut = text.slice(0, max);
  const shownLines = cut.split('\n').length;
  return `The file \`${path}\` (only its first ${max.toLocaleString('en')} characters, about ${shownLines} lines, of ${text.length.toLocaleString('en')}):\n${codeBlock(cut, languageId)}\n(Cut here: read the rest from the file.)`;
}

export function folderAttachment(path: string, entries: readonly { name: string; folder: boolean }[], max = MAX_FOLDER_ENTRIES): string {
  const sorted = [...entries].sort((a, b) => Number(b.folder) - Number(a.folder) || a.name.localeCompare(b.name));
  const list = sorted.slice(0, max).map((e) => `${e.name}${e.folder ? '/' : ''}`);
  if (sorted.length > max) list.push(`… and ${sorted.length - max} more`);
  return `The folder \`${path || '.'}\` contains:\n${codeBlock(list.join('\n') || '(empty)', 'text')}`;
}

export function problemsAttachment(files: readonly { path: string; diagnostics: readonly DiagnosticInfo[] }[], max = MAX_PROBLEMS): string {
  const withProblems = files.filter((f) => f.diagnostics.length > 0);
  if (withProblems.length === 0) return 'The workspace has no problems reported (errors, warnings) right now.';
  const lines: string[] = ['The problems VS Code reports in the workspace:'];
  let shown = 0;
  let total = 0;
  for (const file of withProblems) {
    total += file.diagnostics.length;
    if (shown >= max) continue;
    lines.push('', `\`${file.path}\`:`);
    for (const d of file.diagnostics.slice(0, max - shown)) lines.push(`- ${formatDiagnostic(d)}`);
    shown += Math.min(file.diagnostics.length, max - shown);
  }
  if (total > shown) lines.push('', `… and ${total - shown} more.`);
  return lines.join('\n');
}

export function selectionAttachment(path: string, startLine: number, endLine: number, text: string, languageId: string): string {
  const lines = startLine === endLine ? `line ${startLine + 1}` : `lines ${startLine + 1}–${endLine + 1}`;
  const cut = text.length > MAX_FILE_CHARS ? `${text.slice(0, MAX_FILE_CHARS)}` : text;
  return `The selected code in \`${path}\`, ${lines}:\n${codeBlock(cut, languageId)}${cut !== text ? '\n(Cut here: the selection goes on.)' : ''}`;
}

export function terminalAttachment(command: string | undefined, output: string, max = MAX_TERMINAL_CHARS): string {
  const tail = output.length > max ? `…${output.slice(output.length - max)}` : output;
  return `The last output of the Tandem terminal${command ? ` (\`${command.split('\n')[0]}\`)` : ''}:\n${codeBlock(tail || '(no output)', 'text')}`;
}

/** `src/shapes.ts:5-9`, 1-based, for a selection chip. */
export function selectionLabel(path: string, startLine: number, endLine: number): string {
  return `${path}:${startLine + 1}${endLine > startLine ? `-${endLine + 1}` : ''}`;
}

// ---- images ----

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** The first bytes of base64 text (enough for a file signature). */
function leadingBytes(dataBase64: string, count: number): number[] {
  const bytes: number[] = [];
  for (let i = 0; i + 4 <= dataBase64.length && bytes.length < count; i += 4) {
    const [a, b, c, d] = [...dataBase64.slice(i, i + 4)].map((ch) => (ch === '=' ? 0 : ALPHABET.indexOf(ch)));
    const n = (a! << 18) | (b! << 12) | (c! << 6) | d!;
    bytes.push((n >> 16) & 255, (n >> 8) & 255, n & 255);
  }
  return bytes.slice(0, count);
}

function signatureMatches(mediaType: ImageMediaType, b: number[]): boolean {
  const starts = (sig: number[], at = 0) => sig.every((x, i) => b[at + i] === x);
  switch (mediaType) {
    case 'image/png':
      return starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    case 'image/jpeg':
      return starts([0xff, 0xd8, 0xff]);
    case 'image/gif':
      return starts([0x47, 0x49, 0x46, 0x38]); // GIF8
    case 'image/webp':
      return starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8); // RIFF....WEBP
  }
}

export type ImageCheck = { ok: true; bytes: number } | { ok: false; reason: string };

/** Whether an image from the webview may be attached: an allowed type, real base64, its bytes really that type, small enough. */
export function checkImage(mediaType: string, dataBase64: string, maxBytes = MAX_IMAGE_BYTES): ImageCheck {
  if (!IMAGE_MEDIA_TYPES.includes(mediaType as ImageMediaType)) return { ok: false, reason: `${mediaType || 'this file type'} is not an image Tandem can attach (PNG, JPEG, GIF or WebP).` };
  if (dataBase64.length === 0 || dataBase64.length % 4 !== 0 || !BASE64.test(dataBase64)) return { ok: false, reason: 'The image data is not valid base64.' };
  const bytes = (dataBase64.length / 4) * 3 - (dataBase64.endsWith('==') ? 2 : dataBase64.endsWith('=') ? 1 : 0);
  if (bytes > maxBytes) return { ok: false, reason: `The image is ${(bytes / 1024 / 1024).toFixed(1)} MB; at most ${Math.round(maxBytes / 1024 / 1024)} MB can be attached.` };
  if (!signatureMatches(mediaType as ImageMediaType, leadingBytes(dataBase64, 12))) return { ok: false, reason: `The data is not a ${mediaType.slice(6).toUpperCase()} image.` };
  return { ok: true, bytes };
}
