// Reads git's unified diff into files and hunks, so findings can be checked against the lines a change
// really touched. The diff comes from a repository under review (untrusted): file names may hold spaces,
// quotes, newlines (git C-quotes those), and a removed line `-- x` prints as `--- x`, so hunks are read by
// their header's line counts, never by what a line looks like.
import type { DiffFile, DiffHunk } from './types';

const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

/** Undoes git's C-style quoting of a path (`"a\tb\303\251"`); unquoted text is returned as it is. */
export function unquoteGitPath(text: string): string {
  if (!text.startsWith('"') || !text.endsWith('"') || text.length < 2) return text;
  const bytes: number[] = [];
  const body = text.slice(1, -1);
  const simple: Record<string, number> = { n: 10, t: 9, r: 13, '"': 34, '\\': 92, a: 7, b: 8, f: 12, v: 11 };
  for (let i = 0; i < body.length; i++) {
    const ch = body[i] as string;
    if (ch !== '\\') {
      bytes.push(...new TextEncoder().encode(ch));
      continue;
    }
    const next = body[i + 1] ?? '';
    if (/[0-7]/.test(next)) {
      const octal = /^[0-7]{1,3}/.exec(body.slice(i + 1))?.[0] ?? '0';
      bytes.push(parseInt(octal, 8) & 0xff);
      i += octal.length;
    } else {
      bytes.push(simple[next] ?? next.charCodeAt(0));
      i += 1;
    }
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}

/** `a/src/x.ts` → `src/x.ts` (our diffs always use the `a/` and `b/` prefixes); `/dev/null` → undefined. */
function stripPrefix(raw: string): string | undefined {
  const text = unquoteGitPath(raw.replace(/\t$/, ''));
  if (text === '/dev/null') return undefined;
  return /^[ab]\//.test(text) ? text.slice(2) : text;
}

/** The path from `diff --git a/X b/X` when no `---`/`+++` lines say it (binary or mode-only changes). */
function pathFromGitHeader(rest: string): string | undefined {
  if (rest.startsWith('"')) {
    const end = /^"(?:[^"\\]|\\.)*"/.exec(rest)?.[0];
    const second = end ? rest.slice(end.length + 1) : '';
    return second ? stripPrefix(second) : undefined;
  }
  // Unquoted `a/P b/P` with both halves equal (renames print `rename to` lines instead).
  const half = (rest.length - 1) / 2;
  if (Number.isInteger(half) && rest.slice(2, half) === rest.slice(half + 3)) return rest.slice(half + 3);
  const at = rest.indexOf(' b/');
  return at >= 0 ? rest.slice(at + 3) : undefined;
}

function newFile(headerRest: string): DiffFile {
  return { path: pathFromGitHeader(headerRest) ?? '', status: 'modified', binary: false, hunks: [] };
}

export function parseUnifiedDiff(text: string): DiffFile[] {
  const files: DiffFile[] = [];
  const lines = text.split('\n');
  let file: DiffFile | undefined;
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] as string;
    if (line.startsWith('diff --git ')) {
      file = newFile(line.slice('diff --git '.length));
      files.push(file);
      i++;
      continue;
    }
    if (!file) {
      i++;
      continue;
    }
    const hunk = HUNK_HEADER.exec(line);
    if (hunk) {
      i = readHunk(lines, i, file, hunk);
      continue;
    }
    if (line.startsWith('new file mode')) file.status = 'added';
    else if (line.startsWith('deleted file mode')) file.status = 'deleted';
    else if (line.startsWith('rename from ')) {
      file.status = 'renamed';
      file.oldPath = unquoteGitPath(line.slice('rename from '.length));
    } else if (line.startsWith('rename to ')) file.path = unquoteGitPath(line.slice('rename to '.length));
    else if (line.startsWith('Binary files ') || line === 'GIT binary patch') file.binary = true;
    else if (line.startsWith('--- ')) {
      const old = stripPrefix(line.slice(4));
      if (old === undefined) file.status = 'added';
      else if (file.status !== 'renamed') file.oldPath = old;
    } else if (line.startsWith('+++ ')) {
      const now = stripPrefix(line.slice(4));
      if (now === undefined) {
        file.status = 'deleted';
        if (file.oldPath) file.path = file.oldPath;
      } else file.path = now;
    }
    i++;
  }
  for (const f of files) if (f.oldPath === f.path) delete f.oldPath;
  return files.filter((f) => f.path !== '');
}

/** Reads one hunk starting at its header; returns the index of the line after it. */
function readHunk(lines: string[], start: number, file: DiffFile, header: RegExpExecArray): number {
  let oldLeft = header[2] === undefined ? 1 : Number(header[2]);
  let newLeft = header[4] === undefined ? 1 : Number(header[4]);
  const newStart = Number(header[3]);
  const hunk: DiffHunk = { header: lines[start] as string, newStart, newLines: newLeft, added: [], lines: [] };
  let newLine = newStart;
  let i = start + 1;
  while (i < lines.length && (oldLeft > 0 || newLeft > 0)) {
    const line = lines[i] as string;
    const tag = line[0];
    if (tag === '+') {
      hunk.added.push(newLine++);
      newLeft--;
    } else if (tag === '-') oldLeft--;
    else if (tag === ' ' || line === '') {
      // An empty line is blank context (diff.suppressBlankEmpty), unless the diff simply ended.
      if (line === '' && i === lines.length - 1) break;
      newLine++;
      oldLeft--;
      newLeft--;
    } else if (tag !== '\\') break;
    hunk.lines.push(line);
    i++;
  }
  // "\ No newline at end of file" after the last counted line belongs to this hunk.
  while (i < lines.length && (lines[i] as string).startsWith('\\')) hunk.lines.push(lines[i++] as string);
  file.hunks.push(hunk);
  return i;
}

/** The hunk of `file` that touches new-file line `line` (1-based): its added lines or its span. */
export function hunkAtLine(file: DiffFile, line: number): DiffHunk | undefined {
  return file.hunks.find((h) => h.added.includes(line)) ?? file.hunks.find((h) => line >= h.newStart && line < h.newStart + Math.max(h.newLines, 1));
}
