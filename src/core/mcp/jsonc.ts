// JSON with comments, as VS Code writes `.vscode/mcp.json` and settings: `//` and `/* */` comments and
// trailing commas are allowed, everything else is plain JSON. The text is a workspace file (untrusted), so
// its size is capped before any work is done and the result comes from JSON.parse, never from eval.
// Pure: no node imports.

/** Larger files are refused unread: no MCP configuration needs this much. */
export const MAX_CONFIG_BYTES = 256 * 1024;

export class JsoncError extends Error {
  override name = 'JsoncError';
}

/** `text` without comments and trailing commas (strings kept byte for byte), then JSON.parse'd. */
export function parseJsonc(text: string): unknown {
  if (text.length > MAX_CONFIG_BYTES) throw new JsoncError(`the file is larger than ${MAX_CONFIG_BYTES / 1024} KiB`);
  const stripped = stripJsonc(text.replace(/^\uFEFF/, ''));
  try {
    return JSON.parse(stripped) as unknown;
  } catch (error) {
    throw new JsoncError(`not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Index just past the string literal starting at `i` (escapes included), so `"//"` is not a comment. */
function stringEnd(text: string, i: number): number {
  let j = i + 1;
  while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
  return Math.min(j + 1, text.length);
}

function stripJsonc(text: string): string {
  return dropTrailingCommas(stripComments(text));
}

function stripComments(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '"') {
      const end = stringEnd(text, i);
      out += text.slice(i, end);
      i = end;
    } else if (ch === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (ch === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) throw new JsoncError('an unterminated /* comment');
      // Keep line breaks so JSON.parse's positions still point at the right line.
      out += text.slice(i, end + 2).replace(/[^\n]/g, ' ');
      i = end + 2;
    } else {
      out += ch;
      i++;
    }
  }
  return out;
}

function dropTrailingCommas(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '"') {
      const end = stringEnd(text, i);
      out += text.slice(i, end);
      i = end;
      continue;
    }
    if (ch === ',') {
      let j = i + 1;
      while (j < text.length && /\s/.test(text[j]!)) j++;
      out += text[j] === '}' || text[j] === ']' ? ' ' : ',';
    } else out += ch;
    i++;
  }
  return out;
}
