// Parser for Codex's patch format (grammar in grammar.ts). Strict where a mistake would change what gets
// written (unknown operations, lines without a ' '/'+'/'-' prefix, empty updates), lenient where models
// commonly stray without ambiguity: whitespace around markers and headers, a heredoc wrapper, CRLF,
// blank lines between operations, git-style `@@ -1,3 +1,4 @@` chunk headers.
import { clip } from './clip';

/** One `@@` chunk of an `*** Update File:` operation. */
export interface UpdateChunk {
  /** `@@ <line>` anchors, outermost first: each must be found (in order) before the chunk's lines. */
  scopes: string[];
  /** Context and removed lines: what the file must contain. */
  oldLines: string[];
  /** Context and added lines: what replaces `oldLines`. */
  newLines: string[];
  /**
   * For each of `newLines`: the index in `oldLines` of the context line it repeats, or -1 for an added
   * ('+') line. A context line is written back as the file has it, not as the patch quotes it.
   */
  contextOf: number[];
  /** Followed by `*** End of File`: `oldLines` are the last lines of the file. */
  endOfFile: boolean;
  /** 1-based line of the chunk's first line in the patch text, for error messages. */
  line: number;
}

export type PatchOperation =
  | { kind: 'add'; path: string; contents: string; line: number }
  | { kind: 'delete'; path: string; line: number }
  | { kind: 'update'; path: string; movePath?: string; chunks: UpdateChunk[]; line: number };

/** The patch text is malformed. The message names the line and what was expected; it goes to the model. */
export class PatchParseError extends Error {
  override name = 'PatchParseError';
  constructor(
    message: string,
    /** 1-based line in the patch text, when the problem is on one line. */
    readonly line?: number,
  ) {
    super(line === undefined ? message : `Invalid patch, line ${line}: ${message}`);
  }
}

const BEGIN_MARKER = '*** Begin Patch';
const END_MARKER = '*** End Patch';
const END_OF_FILE_MARKER = '*** End of File';
const FILE_HEADER = /^\*\*\* (Add|Delete|Update) File:(.*)$/;
const MOVE_HEADER = /^\*\*\* Move to:(.*)$/;
// `apply_patch <<'EOF'` (the shell form models know from Codex), `<<EOF`, `<<"EOF"`, `<<-EOF`.
const HEREDOC_OPENER = /^(?:apply_?patch\s*)?<<-?\s*(['"]?)([A-Za-z_][A-Za-z0-9_]*)\1$/;
// A unified-diff hunk header; git appends the enclosing function after the second `@@`.
const UNIFIED_HUNK_HEADER = /^@@ -\d+(?:,\d+)? \+\d+(?:,\d+)? @@ ?(.*)$/;
const VALID_HEADERS = "'*** Add File: <path>', '*** Delete File: <path>' or '*** Update File: <path>'";

export function parsePatch(text: string): PatchOperation[] {
  const lines = text.split(/\r?\n/);
  let first = lines.findIndex((l) => l.trim() !== '');
  let last = lines.findLastIndex((l) => l.trim() !== '');
  if (first === -1) throw new PatchParseError(`The patch is empty. It must start with '${BEGIN_MARKER}' and end with '${END_MARKER}'.`);

  const heredoc = HEREDOC_OPENER.exec(lines[first]!.trim());
  if (heredoc && first < last && lines[last]!.trim() === heredoc[2]) {
    first = lines.findIndex((l, i) => i > first && l.trim() !== '');
    last = lines.findLastIndex((l, i) => i < last && l.trim() !== '');
    if (first === -1 || last < first) throw new PatchParseError('The heredoc contains no patch.');
  }
  if (lines[first]!.trim() !== BEGIN_MARKER) {
    throw new PatchParseError(`expected '${BEGIN_MARKER}' as the first line, got '${clip(lines[first]!)}'.`, first + 1);
  }
  if (last === first || lines[last]!.trim() !== END_MARKER) {
    throw new PatchParseError(`expected '${END_MARKER}' as the last line, got '${clip(lines[last]!)}'.`, last + 1);
  }

  const operations = new OperationReader(lines, first + 1, last).readAll();
  if (operations.length === 0) {
    throw new PatchParseError(`The patch contains no file operations. Between '${BEGIN_MARKER}' and '${END_MARKER}', use ${VALID_HEADERS}.`);
  }
  return operations;
}

/** Walks the lines between the markers; `end` is the index of the `*** End Patch` line. */
class OperationReader {
  private at: number;

  constructor(
    private readonly lines: string[],
    start: number,
    private readonly end: number,
  ) {
    this.at = start;
  }

  readAll(): PatchOperation[] {
    const operations: PatchOperation[] = [];
    while (this.at < this.end) {
      const line = this.lines[this.at]!;
      if (line.trim() === '') {
        this.at++;
        continue;
      }
      const header = FILE_HEADER.exec(line.trim());
      if (!header) {
        const previous = operations.at(-1);
        const hint = previous?.kind === 'add' ? ' Every line of an added file must start with \'+\'.' : '';
        throw this.error(`'${clip(line)}' is not a valid file operation. Expected ${VALID_HEADERS}, or '${END_MARKER}'.${hint}`);
      }
      const path = header[2]!.trim();
      if (path === '') throw this.error(`the ${header[1]} File header needs a path.`);
      const headerLine = this.at + 1;
      this.at++;
      if (header[1] === 'Add') operations.push({ kind: 'add', path, contents: this.readAddedLines(), line: headerLine });
      else if (header[1] === 'Delete') operations.push({ kind: 'delete', path, line: headerLine });
      else operations.push(this.readUpdate(path, headerLine));
    }
    return operations;
  }

  private readAddedLines(): string {
    let contents = '';
    while (this.at < this.end && this.lines[this.at]!.startsWith('+')) {
      contents += `${this.lines[this.at]!.slice(1)}\n`;
      this.at++;
    }
    return contents;
  }

  private readUpdate(path: string, headerLine: number): PatchOperation {
    let movePath: string | undefined;
    const move = this.at < this.end ? MOVE_HEADER.exec(this.lines[this.at]!.trim()) : null;
    if (move) {
      movePath = move[1]!.trim();
      if (movePath === '') throw this.error("'*** Move to:' needs a path.");
      this.at++;
    }
    const chunks: UpdateChunk[] = [];
    for (;;) {
      while (this.at < this.end && this.lines[this.at]!.trim() === '') this.at++;
      if (this.at >= this.end || this.startsOperation(this.lines[this.at]!)) break;
      chunks.push(this.readChunk(path, chunks.length === 0));
    }
    // A bare rename (`*** Move to:` and no chunk) is allowed by the grammar; an update without either is a mistake.
    if (chunks.length === 0 && movePath === undefined) {
      throw new PatchParseError(`'*** Update File: ${clip(path)}' has no changes. Add at least one '@@' chunk with '-' and '+' lines.`, headerLine);
    }
    return { kind: 'update', path, ...(movePath !== undefined ? { movePath } : {}), chunks, line: headerLine };
  }

  private readChunk(path: string, isFirst: boolean): UpdateChunk {
    const chunk: UpdateChunk = { scopes: [], oldLines: [], newLines: [], contextOf: [], endOfFile: false, line: this.at + 1 };
    // Consecutive `@@` lines narrow the search step by step (class, then method).
    while (this.at < this.end && this.lines[this.at]!.startsWith('@@')) {
      const scope = chunkScope(this.lines[this.at]!);
      if (scope === null) throw this.error(`'${clip(this.lines[this.at]!)}' is not a valid chunk header. Use '@@' or '@@ <a line of the file above the change>'.`);
      if (scope !== '') chunk.scopes.push(scope);
      this.at++;
    }
    // Only the first chunk may omit its `@@` header; later chunks are delimited by one.
    if (this.at === chunk.line - 1 && !isFirst) throw this.error(`expected '@@' to start the next chunk of ${clip(path)}.`);

    let lineCount = 0;
    while (this.at < this.end) {
      const line = this.lines[this.at]!;
      if (line.trim() === END_OF_FILE_MARKER) {
        chunk.endOfFile = true;
        this.at++;
        break;
      }
      if (line.startsWith('@@') || this.startsOperation(line)) break;
      const marker = line[0];
      if (marker === ' ' || marker === undefined) {
        // An empty line is an empty context line: models often drop the lone space.
        chunk.contextOf.push(chunk.oldLines.length);
        chunk.oldLines.push(line.slice(1));
        chunk.newLines.push(line.slice(1));
      } else if (marker === '-') {
        chunk.oldLines.push(line.slice(1));
      } else if (marker === '+') {
        chunk.contextOf.push(-1);
        chunk.newLines.push(line.slice(1));
      } else {
        throw this.error(
          `unexpected line '${clip(line)}' in a chunk of ${clip(path)}. Each line must start with ' ' (context), '-' (remove) or '+' (add); start another chunk with '@@'.`,
        );
      }
      lineCount++;
      this.at++;
    }
    if (lineCount === 0) throw new PatchParseError(`a chunk of ${clip(path)} has no lines. Give context (' '), removed ('-') or added ('+') lines after '@@'.`, chunk.line);
    return chunk;
  }

  /** A line that ends the current update: the next file operation or another `***` marker. */
  private startsOperation(line: string): boolean {
    return line.startsWith('***') || FILE_HEADER.test(line.trim());
  }

  private error(message: string): PatchParseError {
    return new PatchParseError(message, this.at + 1);
  }
}

/** The anchor text of an `@@` line: '' for a bare `@@`, null when the line is not a chunk header at all. */
function chunkScope(line: string): string | null {
  const trimmed = line.trimEnd();
  if (trimmed === '@@') return '';
  const unified = UNIFIED_HUNK_HEADER.exec(trimmed);
  if (unified) return unified[1]!.trim();
  if (trimmed.startsWith('@@ ')) return trimmed.slice(3);
  return null;
}
