// Small text helpers shared by the fix context gathering and its prompts.

/** The document's lines as VS Code counts them: a trailing newline gives a last, empty line. */
export function splitDocumentLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/** Leading whitespace width (a tab counts as 4 columns). */
export function indentOf(line: string): number {
  let width = 0;
  for (const ch of line) {
    if (ch === ' ') width++;
    else if (ch === '\t') width += 4 - (width % 4);
    else break;
  }
  return width;
}

export const isBlank = (line: string): boolean => line.trim() === '';

/** A Markdown fence longer than any backtick run inside `text`, so the code cannot close it. */
export function fenceFor(text: string): string {
  let longest = 0;
  for (const match of text.matchAll(/`+/g)) longest = Math.max(longest, match[0].length);
  return '`'.repeat(Math.max(3, longest + 1));
}

/** VS Code language ids that differ from the names Markdown highlighters know. */
const FENCE_LANGUAGES: Record<string, string> = {
  typescriptreact: 'tsx',
  javascriptreact: 'jsx',
  shellscript: 'bash',
  plaintext: '',
  'jsonc': 'json',
  csharp: 'cs',
  objectivec: 'objc',
  'objective-cpp': 'objc',
  dockerfile: 'dockerfile',
};

export function fenceLanguage(languageId: string): string {
  const id = FENCE_LANGUAGES[languageId] ?? languageId;
  return /^[\w+#.-]{1,40}$/.test(id) ? id : '';
}

/** A fenced code block of `text`. */
export function codeBlock(text: string, languageId: string): string {
  const fence = fenceFor(text);
  return `${fence}${fenceLanguage(languageId)}\n${text}\n${fence}`;
}

/** "line 5" or "lines 5–9", 1-based, from 0-based inclusive bounds. */
export function lineRangeText(startLine: number, endLine: number): string {
  return startLine === endLine ? `line ${startLine + 1}` : `lines ${startLine + 1}–${endLine + 1}`;
}

/** Cuts a line longer than `max` characters, saying how much was left out. */
export function clipLine(line: string, max: number): string {
  return line.length <= max ? line : `${line.slice(0, max)} … (${line.length - max} more characters)`;
}
