// Splits markdown into top-level blocks so a streaming message re-renders only its growing tail.
// Boundaries are blank lines outside fences, and the start of an unindented fence. A blank line followed
// by an indented line keeps the block open (list continuations, indented code). A fence that is not
// closed yet extends to the end of the text, as markdown-it renders it.

export interface Block {
  text: string;
  /** False only for the last block of a message that is still streaming. */
  complete: boolean;
}

const FENCE_OPEN = /^( {0,3})(`{3,}|~{3,})(.*)$/;
/** A link reference definition anywhere makes blocks depend on each other: then render the text whole. */
const REFERENCE_DEFINITION = /^ {0,3}\[[^\]]+\]:\s*\S/m;

interface Fence {
  char: string;
  length: number;
}

function fenceOpen(line: string): Fence | undefined {
  const m = FENCE_OPEN.exec(line);
  if (!m) return undefined;
  const marker = m[2] ?? '';
  const info = m[3] ?? '';
  const char = marker.charAt(0);
  // A backtick fence's info string may not contain backticks (that is inline code).
  if (char === '`' && info.includes('`')) return undefined;
  return { char, length: marker.length };
}

function closesFence(line: string, fence: Fence): boolean {
  const trimmed = line.replace(/^ {0,3}/, '').trimEnd();
  if (trimmed.length < fence.length) return false;
  for (const c of trimmed) if (c !== fence.char) return false;
  return true;
}

export function splitBlocks(text: string, streaming: boolean): Block[] {
  if (REFERENCE_DEFINITION.test(text)) return [{ text, complete: !streaming }];
  const blocks: string[] = [];
  let current: string[] = [];
  let fence: Fence | undefined;
  let fenceOwnsBlock = false;
  let sawBlank = false;

  const flush = () => {
    while (current.length > 0 && current[current.length - 1]?.trim() === '') current.pop();
    if (current.length > 0) blocks.push(current.join('\n'));
    current = [];
    sawBlank = false;
  };

  for (const line of text.split('\n')) {
    if (fence) {
      current.push(line);
      if (closesFence(line, fence)) {
        fence = undefined;
        // An indented fence belongs to a list item, which may go on after it.
        if (fenceOwnsBlock) flush();
      }
      continue;
    }
    if (line.trim() === '') {
      if (current.length > 0) {
        current.push(line);
        sawBlank = true;
      }
      continue;
    }
    const indented = /^[ \t]/.test(line);
    if (sawBlank && !indented) flush();
    sawBlank = false;
    const open = fenceOpen(line);
    if (open) {
      if (!indented) flush();
      fence = open;
      fenceOwnsBlock = !indented;
    }
    current.push(line);
  }
  flush();
  return blocks.map((b, i) => ({ text: b, complete: !streaming || i < blocks.length - 1 }));
}
