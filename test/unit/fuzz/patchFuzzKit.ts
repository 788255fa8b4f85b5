// Inputs and checks for the apply_patch fuzz suite, shared by the in-memory worker and the on-disk runs.
// Pure (no node I/O) so it can be bundled into a worker thread.
//   - generated workspaces (text files with LF / CRLF / mixed endings, BOMs, missing final newlines, a
//     binary and a Latin-1 file, directories) and valid patches against them, with the exact files
//     applying them must produce (the oracle);
//   - the Codex scenarios (loaded by the caller);
//   - mutators: byte and character flips, line drops / duplication / swaps, truncation, random markers,
//     CRLF, BOM, NUL bytes, huge lines, `../` and absolute paths;
//   - the invariants every outcome must satisfy, among them faithfulness: whatever applies changes only
//     the lines its '-' lines stand for, every other line keeps its bytes (generated patches quote the
//     file loosely on purpose: trailing blanks, indentation, tabs as spaces, typography as ASCII).
import { computeChangeSet, PatchApplyError, PatchParseError } from '../../../src/core/patch/apply';
import { normalizePath, resolvePath } from '../../../src/core/patch/posixPath';
import { normalizePunctuation } from '../../../src/core/patch/seek';
import type { ChangeSet } from '../../../src/core/patch/types';
import type { FileReader } from '../../../src/core/ports';
import type { Random } from './random';

/** Workspace-relative path → text, or raw bytes for files that are not UTF-8 text. */
export type Workspace = Map<string, string | Uint8Array>;

export interface PatchInput {
  workspace: Workspace;
  patch: string;
  /** What the workspace must look like after applying `patch` (unmutated generated inputs only). */
  expected?: Workspace;
  origin: string;
  mutations: string[];
}

export interface Scenario {
  name: string;
  patch: string;
  files: Record<string, string>;
}

/** The virtual workspace root of in-memory runs. */
export const MEMORY_ROOT = '/ws';

// ---- an in-memory FileReader over a Workspace -----------------------------------------------------------

export class WorkspaceFiles implements FileReader {
  private readonly directories = new Set<string>();

  constructor(
    private readonly workspace: Workspace,
    private readonly root: string,
  ) {
    for (const path of workspace.keys()) {
      const parts = path.split('/');
      for (let i = 1; i < parts.length; i++) this.directories.add(parts.slice(0, i).join('/'));
    }
  }

  private relative(path: string): string | undefined {
    if (path === this.root) return '';
    return path.startsWith(`${this.root}/`) ? path.slice(this.root.length + 1) : undefined;
  }

  async readText(path: string): Promise<string | undefined> {
    const rel = this.relative(path);
    if (rel === undefined) return undefined;
    if (rel === '' || this.directories.has(rel)) throw new Error(`EISDIR: illegal operation on a directory, read '${path}'`);
    const content = this.workspace.get(rel);
    if (content instanceof Uint8Array) throw new Error(`${path} is not UTF-8 text`);
    return content;
  }

  async exists(path: string): Promise<boolean> {
    const rel = this.relative(path);
    return rel !== undefined && (rel === '' || this.workspace.has(rel) || this.directories.has(rel));
  }

  async isDirectory(path: string): Promise<boolean> {
    const rel = this.relative(path);
    return rel !== undefined && (rel === '' || this.directories.has(rel));
  }
}

// ---- generated workspaces and valid patches --------------------------------------------------------------

const DIRS = ['', '', 'src/', 'src/lib/', 'docs/', 'a b/', 'ünï/', '.hidden/'];
const NAMES = ['main.ts', 'readme.md', 'data.txt', 'notes', 'x.py', 'Makefile', 'é.txt', 'long-name.with.dots.json'];

/** Lone surrogate halves: not representable in UTF-8 (a file on disk would read back as U+FFFD). */
export const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** File text: no characters that make a line ambiguous in a patch (CR, BOM) or that UTF-8 cannot hold. */
function safeWords(rng: Random, max: number): string {
  let out = '';
  const count = rng.int(0, max);
  for (let i = 0; i < count; i++) out += (i ? ' ' : '') + rng.word(8);
  return out.replace(/[\r\uFEFF]/g, '?').replace(LONE_SURROGATE, '?');
}

let bigJsonText: string | undefined;
function bigJson(): string {
  return (bigJsonText ??= `${Array.from({ length: 40_000 }, (_, i) => (i % 2 ? '  }' : '}')).join('\n')}\n`);
}

interface TextFile {
  bom: boolean;
  lines: string[];
  endings: string[];
}

function randomTextFile(rng: Random, fileIndex: number): TextFile {
  const count = rng.weighted([
    [1, 0],
    [3, rng.int(1, 5)],
    [6, rng.int(5, 40)],
  ] as const);
  const style = rng.weighted([
    [6, 'lf'],
    [3, 'crlf'],
    [1, 'mixed'],
  ] as const);
  const lines: string[] = [];
  const endings: string[] = [];
  for (let i = 0; i < count; i++) {
    // Unique lines, so a chunk can only match where it was cut from (the oracle relies on it); unique
    // under every loose tier too ("line <file>.<index> " starts each one).
    let line = `${rng.pick(['', '  ', '\t', '    '])}line ${fileIndex}.${i} ${safeWords(rng, 5)}`.replace(/\s+$/, '');
    // Typography and trailing blanks: what a loose match must leave in place.
    if (rng.chance(0.15)) line += rng.pick([' — “quoted”', ' – ‘x’…', ' a\u00a0b', ' zero\u200bwidth']);
    if (rng.chance(0.1)) line += rng.pick([' ', '\t', '  \t']);
    lines.push(line);
    endings.push(style === 'lf' ? '\n' : style === 'crlf' ? '\r\n' : rng.pick(['\n', '\r\n']));
  }
  if (count > 0 && rng.chance(0.2)) endings[count - 1] = '';
  return { bom: rng.chance(0.15), lines, endings };
}

function render(file: TextFile): string {
  return (file.bom ? '\uFEFF' : '') + file.lines.map((line, i) => line + file.endings[i]).join('');
}

/** What applyChunks promises for a file: BOM kept, the prevailing line break for new lines, a final line break. */
function prevailingEol(file: TextFile): string {
  const crlf = file.endings.filter((e) => e === '\r\n').length;
  const lf = file.endings.filter((e) => e === '\n').length;
  return crlf > lf ? '\r\n' : '\n';
}

export function randomWorkspace(rng: Random): { workspace: Workspace; texts: Map<string, TextFile> } {
  const workspace: Workspace = new Map();
  const texts = new Map<string, TextFile>();
  const count = rng.int(1, 6);
  for (let i = 0; i < count; i++) {
    const path = `${rng.pick(DIRS)}${i}-${rng.pick(NAMES)}`;
    const file = randomTextFile(rng, i);
    texts.set(path, file);
    workspace.set(path, render(file));
  }
  if (rng.chance(0.2)) workspace.set('image.png', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0xff, 0xfe]));
  if (rng.chance(0.2)) workspace.set('latin1.txt', new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x0a]));
  // A long file of repeated lines (a lockfile, minified JSON): where a naive line search goes quadratic.
  if (rng.chance(0.03)) workspace.set('big.json', bigJson());
  return { workspace, texts };
}

interface Chunk {
  start: number;
  removeCount: number;
  patchLines: string[];
  /** The chunk's lines in the result: a number keeps that file line (bytes and break), a string is added. */
  newLines: (number | string)[];
  scope?: string;
  endOfFile: boolean;
}

/**
 * How a chunk quotes the file's lines (its context and '-' lines), as models do: exactly, with trailing
 * blanks added or dropped, two spaces too deep (the '+' lines then too), tabs written as four spaces, or
 * typography as ASCII. Every loose form must still change only the '-' lines.
 */
type Quoting = 'exact' | 'trailing-whitespace' | 'deeper' | 'tabs-as-spaces' | 'ascii-punctuation';

/** 1-3 chunks in file order, each with some context, removals and additions (never only additions). */
function randomChunks(rng: Random, file: TextFile): Chunk[] {
  const n = file.lines.length;
  if (n === 0) return [];
  const chunks: Chunk[] = [];
  let from = 0;
  const wanted = rng.int(1, 3);
  for (let c = 0; c < wanted && from < n; c++) {
    const start = rng.int(from, Math.min(n - 1, from + 10));
    const before = rng.int(0, Math.min(3, n - start - 1));
    const removed = rng.int(0, Math.min(3, n - start - before));
    const after = rng.int(removed + before === 0 ? 1 : 0, Math.min(3, n - start - before - removed));
    const oldCount = before + removed + after;
    if (oldCount === 0) break;
    const quoting = rng.weighted<Quoting>([
      [4, 'exact'],
      [2, 'trailing-whitespace'],
      [1, 'deeper'],
      [1, 'tabs-as-spaces'],
      [2, 'ascii-punctuation'],
    ]);
    const slice = file.lines.slice(start, start + oldCount);
    const quote = quoter(rng, quoting);
    const added = addedLines(rng, c, quoting, slice, removed === 0 ? 1 : 0);
    const patchLines = [
      ...slice.slice(0, before).map((l) => ` ${quote(l)}`),
      ...slice.slice(before, before + removed).map((l) => `-${quote(l)}`),
      ...added.map(({ written }) => `+${written}`),
      ...slice.slice(before + removed).map((l) => ` ${quote(l)}`),
    ];
    const kept = (from: number, count: number) => Array.from({ length: count }, (_, k) => start + from + k);
    const newLines = [...kept(0, before), ...added.map(({ expected }) => expected), ...kept(before + removed, after)];
    const scopeAt = start > from ? rng.int(from, start - 1) : -1;
    const chunk: Chunk = { start, removeCount: oldCount, patchLines, newLines, endOfFile: start + oldCount === n && rng.chance(0.5) };
    if (scopeAt >= 0 && rng.chance(0.4) && file.lines[scopeAt]!.trim() !== '') chunk.scope = file.lines[scopeAt]!;
    chunks.push(chunk);
    from = start + oldCount;
    if (from >= n) break;
  }
  return chunks;
}

/** How `quoting` writes a file line in the patch. */
function quoter(rng: Random, quoting: Quoting): (line: string) => string {
  switch (quoting) {
    case 'exact':
      return (line) => line;
    case 'trailing-whitespace':
      return (line) => (line !== line.trimEnd() ? line.trimEnd() : line + rng.pick([' ', '\t', '   ']));
    case 'deeper':
      return (line) => `  ${line}`;
    case 'tabs-as-spaces':
      return (line) => line.replace(/^\t+/, (tabs) => '    '.repeat(tabs.length));
    case 'ascii-punctuation':
      return (line) => normalizePunctuation(line);
  }
}

/**
 * A chunk's added lines as the patch writes them and as the file must get them. They keep the patch's
 * text, except for the one re-indentation the matched lines justify: two spaces off when the patch quotes
 * everything two spaces deeper; tabs for four spaces when the patch wrote the file's tab indentation as
 * spaces and no quoted line is indented with four real spaces (which would contradict that rule).
 */
function addedLines(rng: Random, c: number, quoting: Quoting, quoted: string[], atLeast: number): { written: string; expected: string }[] {
  // Added lines are never blank (those are not re-indented) and never equal to a file line.
  const text = (k: number) => `added ${c}.${k} ${safeWords(rng, 4)}${rng.chance(0.2) ? ' — “new”' : ''}`.trimEnd();
  return Array.from({ length: rng.int(atLeast, 3) }, (_, k) => {
    if (quoting === 'deeper') {
      const own = rng.pick(['', '  ', '\t']) + text(k);
      return { written: `  ${own}`, expected: own };
    }
    if (quoting === 'tabs-as-spaces') {
      const written = rng.pick(['', '  ', '    ', '      ', '        ', '\t']) + text(k);
      const tabs = quoted.some((l) => /^\t/.test(l)) && !quoted.some((l) => /^ {4}/.test(l));
      const indent = /^ */.exec(written)![0].length;
      return { written, expected: tabs && !written.startsWith('\t') ? '\t'.repeat(Math.floor(indent / 4)) + ' '.repeat(indent % 4) + written.slice(indent) : written };
    }
    const written = rng.pick(['', '  ', '\t']) + text(k);
    return { written, expected: written };
  });
}

/** The file after `chunks`, as the engine must produce it: kept lines keep their bytes and breaks. */
function applyOracle(file: TextFile, chunks: Chunk[]): string {
  const eol = prevailingEol(file);
  const lines = [...file.lines];
  const endings = [...file.endings];
  for (const chunk of [...chunks].reverse()) {
    lines.splice(chunk.start, chunk.removeCount, ...chunk.newLines.map((l) => (typeof l === 'number' ? file.lines[l]! : l)));
    endings.splice(chunk.start, chunk.removeCount, ...chunk.newLines.map((l) => (typeof l === 'number' ? file.endings[l]! : eol)));
  }
  // Always a final break; a last line without one that now has lines after it gets one as well.
  return (file.bom ? '\uFEFF' : '') + lines.map((l, i) => l + (endings[i] || eol)).join('');
}

/** A valid patch against a random workspace, and the workspace it must produce. */
export function generatedInput(rng: Random): PatchInput {
  const { workspace, texts } = randomWorkspace(rng);
  const expected: Workspace = new Map(workspace);
  const body: string[] = [];
  const used = new Set<string>();
  const taken = (path: string) => [...expected.keys()].some((p) => p === path || p.startsWith(`${path}/`) || path.startsWith(`${p}/`));
  const operations = rng.int(1, 4);
  for (let op = 0; op < operations; op++) {
    const candidates = [...texts.keys()].filter((p) => !used.has(p));
    const kind = rng.weighted([
      [5, 'update'],
      [2, 'add'],
      [1, 'delete'],
      [1, 'move'],
    ] as const);
    if (kind === 'add' || candidates.length === 0) {
      const path = `${rng.pick(DIRS)}new-${op}-${rng.pick(NAMES)}`;
      if (taken(path) || used.has(path)) continue;
      const lines = Array.from({ length: rng.int(0, 6) }, (_, i) => `new ${op}.${i} ${safeWords(rng, 5)}`.trimEnd());
      body.push(`*** Add File: ${path}`, ...lines.map((l) => `+${l}`));
      expected.set(path, lines.map((l) => `${l}\n`).join(''));
      used.add(path);
      continue;
    }
    const path = rng.pick(candidates);
    used.add(path);
    const file = texts.get(path)!;
    if (kind === 'delete') {
      body.push(`*** Delete File: ${path}`);
      expected.delete(path);
      continue;
    }
    const chunks = randomChunks(rng, file);
    let moveTo: string | undefined;
    if (kind === 'move') {
      moveTo = `moved/${op}-${rng.pick(NAMES)}`;
      if (taken(moveTo) || used.has(moveTo)) moveTo = undefined;
    }
    if (chunks.length === 0 && moveTo === undefined) continue;
    body.push(`*** Update File: ${path}`);
    if (moveTo !== undefined) body.push(`*** Move to: ${moveTo}`);
    chunks.forEach((chunk, i) => {
      const header = chunk.scope !== undefined ? `@@ ${chunk.scope}` : i === 0 && rng.chance(0.2) ? undefined : rng.chance(0.1) ? `@@ -${chunk.start + 1},${chunk.removeCount} +${chunk.start + 1},${chunk.newLines.length} @@` : '@@';
      if (header !== undefined) body.push(header);
      body.push(...chunk.patchLines);
      if (chunk.endOfFile) body.push('*** End of File');
    });
    const updated = chunks.length ? applyOracle(file, chunks) : render(file);
    expected.delete(path);
    expected.set(moveTo ?? path, updated);
    if (moveTo !== undefined) used.add(moveTo);
  }
  if (body.length === 0) {
    body.push('*** Add File: fallback.txt', '+x');
    expected.set('fallback.txt', 'x\n');
  }
  const patch = ['*** Begin Patch', ...body, '*** End Patch'].join('\n') + (rng.chance(0.5) ? '\n' : '');
  return { workspace, patch, expected, origin: 'generated', mutations: [] };
}

export function scenarioInput(scenario: Scenario): PatchInput {
  return { workspace: new Map(Object.entries(scenario.files)), patch: scenario.patch, origin: `scenario ${scenario.name}`, mutations: [] };
}

// ---- mutation ----------------------------------------------------------------------------------------------

const MARKERS = [
  '*** Begin Patch',
  '*** End Patch',
  '*** End of File',
  '@@',
  '@@ ',
  '@@ -1,3 +1,4 @@',
  '@@ -x +y @@',
  '*** Add File: x.txt',
  '*** Add File:',
  '*** Delete File: ',
  '*** Update File: 0-main.ts',
  '*** Move to: moved.txt',
  '*** Move to:',
  '*** Frobnicate File: x',
  '***',
  "<<'EOF'",
  'EOF',
  'apply_patch <<EOF',
  '+',
  '-',
  ' ',
  '',
  '\\ No newline at end of file',
  '```',
];

const EVIL_PATHS = [
  '../escape.txt',
  '../../escape.txt',
  '../../../../../../etc/passwd',
  '/etc/passwd',
  '/tmp/../etc/shadow',
  '/',
  '.',
  '..',
  '',
  '   ',
  'a/../../b.txt',
  'src/',
  'src//x.txt',
  './0-main.ts',
  'nul\u0000byte.txt',
  'back\\slash.txt',
  'C:\\Windows\\win.ini',
  '~/.ssh/authorized_keys',
  'x'.repeat(300),
  `${'deep/'.repeat(60)}f.txt`,
  '.git/config',
  'AGENTS.md',
  'image.png',
  'latin1.txt',
  'image.png/child.txt',
  'src',
  ' spaced name.txt ',
  'line\nbreak.txt',
  'big.json',
];

function lineMutation(lines: string[], rng: Random, kind: string): void {
  const at = rng.int(0, Math.max(0, lines.length - 1));
  switch (kind) {
    case 'drop-line':
      lines.splice(at, 1);
      break;
    case 'duplicate-line':
      lines.splice(at, 0, ...Array.from({ length: rng.chance(0.05) ? rng.int(100, 5_000) : 1 }, () => lines[at] ?? ''));
      break;
    case 'swap-lines': {
      const other = rng.int(0, Math.max(0, lines.length - 1));
      [lines[at], lines[other]] = [lines[other] ?? '', lines[at] ?? ''];
      break;
    }
    case 'marker':
      lines.splice(rng.int(0, lines.length), 0, rng.pick(MARKERS));
      break;
    case 'prefix': {
      const line = lines[at] ?? '';
      lines[at] = rng.pick([' ', '+', '-', '@', '*', '', '\t', '#']) + line.slice(1);
      break;
    }
    case 'path': {
      const headers = lines.map((l, i) => [l, i] as const).filter(([l]) => /^\s*\*\*\* (Add|Delete|Update) File:|^\s*\*\*\* Move to:/.test(l));
      const [line, index] = headers.length ? rng.pick(headers) : [lines[at] ?? '', at];
      const prefix = /^(\s*\*\*\* (?:(?:Add|Delete|Update) File|Move to):)/.exec(line)?.[1] ?? '*** Update File:';
      lines[index] = `${prefix} ${rng.pick(EVIL_PATHS)}`;
      break;
    }
    case 'pad-markers':
      for (let i = 0; i < lines.length; i++) if (lines[i]!.startsWith('***')) lines[i] = `  ${lines[i]}\t `;
      break;
    case 'huge-line':
      lines.splice(at, 0, rng.pick(['+', ' ', '-', '@@ ', '*** Update File: ', '']) + 'z'.repeat(rng.int(20_000, 600_000)));
      break;
    case 'long-chunk': {
      // Thousands of context lines that each match many lines of big.json, ending in one that matches none.
      const context = Array.from({ length: rng.int(1_000, 20_000) }, (_, i) => (i % 2 ? '   }' : ' }'));
      lines.splice(Math.max(0, lines.length - 1), 0, '*** Update File: big.json', '@@', ...context, '-not in the file');
      break;
    }
    case 'heredoc':
      lines.unshift(rng.pick(["apply_patch <<'EOF'", '<<EOF', 'apply_patch <<"PATCH"']));
      lines.push(rng.pick(['EOF', 'PATCH', 'END']));
      break;
  }
}

/** 1-4 random mutations of the patch text (sometimes of the workspace under it). */
export function mutateInput(base: PatchInput, rng: Random): PatchInput {
  let patch = base.patch;
  const workspace: Workspace = new Map(base.workspace);
  const mutations: string[] = [];
  const rounds = rng.int(1, 4);
  for (let round = 0; round < rounds; round++) {
    const kind = rng.weighted([
      [8, 'byte-flip'],
      [8, 'char-flip'],
      [10, 'drop-line'],
      [6, 'duplicate-line'],
      [5, 'swap-lines'],
      [8, 'truncate'],
      [10, 'marker'],
      [8, 'prefix'],
      [12, 'path'],
      [4, 'crlf'],
      [2, 'lone-cr'],
      [3, 'bom'],
      [3, 'nul'],
      [2, 'pad-markers'],
      [1, 'huge-line'],
      [1, 'long-chunk'],
      [2, 'heredoc'],
      [3, 'json-wrap'],
      [5, 'workspace'],
    ] as const);
    mutations.push(kind);
    switch (kind) {
      case 'byte-flip': {
        const bytes = new TextEncoder().encode(patch);
        if (bytes.length) {
          const at = rng.int(0, bytes.length - 1);
          bytes[at] = bytes[at]! ^ (1 << rng.int(0, 7));
        }
        patch = new TextDecoder('utf-8').decode(bytes);
        break;
      }
      case 'char-flip': {
        const at = rng.int(0, Math.max(0, patch.length - 1));
        patch = patch.slice(0, at) + rng.char() + patch.slice(at + 1);
        break;
      }
      case 'truncate':
        patch = patch.slice(0, rng.int(0, patch.length));
        break;
      case 'crlf':
        patch = rng.chance(0.5) ? patch.replace(/\n/g, '\r\n') : patch.replace(/\n/g, () => (rng.chance(0.5) ? '\r\n' : '\n'));
        break;
      case 'lone-cr':
        patch = patch.replace(/\n/g, () => (rng.chance(0.2) ? '\r' : '\n'));
        break;
      case 'bom':
        patch = rng.chance(0.7) ? `\uFEFF${patch}` : patch.replace('\n', '\n\uFEFF');
        break;
      case 'nul': {
        const at = rng.int(0, patch.length);
        patch = `${patch.slice(0, at)}\u0000${patch.slice(at)}`;
        break;
      }
      case 'json-wrap':
        patch = JSON.stringify({ input: patch });
        break;
      case 'workspace': {
        const paths = [...workspace.keys()];
        if (!paths.length) break;
        const path = rng.pick(paths);
        const content = workspace.get(path)!;
        const change = rng.pick(['edit', 'remove', 'binary', 'dir'] as const);
        if (change === 'edit' && typeof content === 'string') workspace.set(path, content.replace(/line/, 'LINE'));
        else if (change === 'remove') workspace.delete(path);
        else if (change === 'binary') workspace.set(path, new Uint8Array([0xff, 0x00, 0xc3]));
        else {
          workspace.delete(path);
          workspace.set(`${path}/inner.txt`, 'inner\n');
        }
        break;
      }
      default: {
        const lines = patch.split('\n');
        lineMutation(lines, rng, kind);
        patch = lines.join('\n');
      }
    }
  }
  return { workspace, patch, origin: base.origin, mutations };
}

/** Input #`index` of a run: unmutated generated (with oracle), a scenario, or a mutation of either. */
export function inputAt(rng: Random, scenarios: Scenario[], unmutatedShare: number): PatchInput {
  const fromScenario = scenarios.length > 0 && rng.chance(0.25);
  const base = fromScenario ? scenarioInput(rng.pick(scenarios)) : generatedInput(rng);
  if (rng.chance(unmutatedShare)) return base;
  return mutateInput(base, rng);
}

// ---- invariants ------------------------------------------------------------------------------------------

const MAX_ERROR_MESSAGE_CHARS = 8_000;

/** Why an error thrown by computeChangeSet is not acceptable, or undefined. */
export function errorProblem(error: unknown): string | undefined {
  if (!(error instanceof PatchParseError) && !(error instanceof PatchApplyError)) {
    return `threw ${error instanceof Error ? `${error.constructor.name}: ${error.message.slice(0, 300)}` : JSON.stringify(error)}`;
  }
  if (!error.message.trim()) return 'an error without a message';
  if (/\bundefined\b|\[object Object\]|\bNaN\b/.test(error.message)) return `an unreadable message: ${error.message.slice(0, 300)}`;
  // The message goes to the model as tool output: echoing a megabyte line back would flood its context.
  if (error.message.length > MAX_ERROR_MESSAGE_CHARS) return `a ${error.message.length}-character message`;
  return undefined;
}

/** Why a computed change set is inconsistent with the workspace it was computed from, or undefined. */
export function changeSetProblem(changeSet: ChangeSet, workspace: Workspace, root: string): string | undefined {
  if (changeSet.changes.length === 0) return 'an empty change set';
  const targets = new Set<string>();
  for (const change of changeSet.changes) {
    for (const path of change.movePath !== undefined ? [change.path, change.movePath] : [change.path]) {
      if (!path.startsWith('/') || normalizePath(path) !== path) return `a path that is not absolute and normal: ${JSON.stringify(path)}`;
      if (targets.has(path)) return `${path} is changed twice`;
      targets.add(path);
    }
    const rel = path(change.path, root);
    // Outside the workspace the fuzz cannot know the files (on disk: the real /etc); the engine read them.
    if (rel === undefined) continue;
    const current = workspace.get(rel);
    if (current instanceof Uint8Array) return `a binary file became text: ${change.path}`;
    // A file cannot be created under a file: the writer could only fail on it, after the review.
    for (const target of change.kind === 'delete' ? [] : [change.movePath ?? change.path]) {
      const parts = (path(target, root) ?? '').split('/');
      for (let i = 1; i < parts.length; i++) {
        const dir = parts.slice(0, i).join('/');
        if (workspace.has(dir)) return `${change.kind} ${target} lies under the file ${dir}`;
      }
    }
    switch (change.kind) {
      case 'add':
        if (change.oldText !== undefined || typeof change.newText !== 'string') return `add ${change.path} has the wrong texts`;
        if (current !== undefined) return `add ${change.path} over an existing file`;
        break;
      case 'delete':
        if (change.newText !== undefined || typeof change.oldText !== 'string') return `delete ${change.path} has the wrong texts`;
        if (current !== change.oldText) return `delete ${change.path}: oldText is not what is on disk`;
        break;
      case 'update':
        if (typeof change.oldText !== 'string' || typeof change.newText !== 'string') return `update ${change.path} has the wrong texts`;
        if (current !== change.oldText) return `update ${change.path}: oldText is not what is on disk`;
        if (change.movePath === undefined && change.oldText === change.newText) return `update ${change.path} changes nothing`;
        break;
    }
  }
  return undefined;
}

function path(absolute: string, root: string): string | undefined {
  return absolute.startsWith(`${root}/`) ? absolute.slice(root.length + 1) : undefined;
}

/** The workspace after `changeSet` (paths inside `root` only), to compare with an oracle. */
export function applyToWorkspace(workspace: Workspace, changeSet: ChangeSet, root: string): Workspace {
  const out: Workspace = new Map(workspace);
  for (const change of changeSet.changes) {
    const from = path(change.path, root)!;
    if (change.kind === 'delete') out.delete(from);
    else if (change.movePath !== undefined) {
      out.delete(from);
      out.set(path(change.movePath, root)!, change.newText!);
    } else out.set(from, change.newText!);
  }
  return out;
}

export function sameWorkspace(a: Workspace, b: Workspace): string | undefined {
  const keys = new Set([...a.keys(), ...b.keys()]);
  for (const key of [...keys].sort()) {
    const x = a.get(key);
    const y = b.get(key);
    const same = x instanceof Uint8Array && y instanceof Uint8Array ? x.length === y.length && x.every((v, i) => v === y[i]) : x === y;
    if (!same) return `${key}: ${JSON.stringify(typeof x === 'string' ? x.slice(0, 200) : x)} != expected ${JSON.stringify(typeof y === 'string' ? y.slice(0, 200) : y)}`;
  }
  return undefined;
}

/** Largest old × new line count the faithfulness check aligns (its table has one byte per pair). */
const MAX_ALIGNMENT_CELLS = 4_000_000;

interface TextLine {
  text: string;
  /** '\n', '\r\n', or '' for a last line without a break. */
  ending: string;
}

function textLines(text: string): TextLine[] {
  const lines: TextLine[] = [];
  let start = 0;
  for (const match of text.matchAll(/\r?\n/g)) {
    lines.push({ text: text.slice(start, match.index), ending: match[0] });
    start = match.index + match[0].length;
  }
  if (start < text.length) lines.push({ text: text.slice(start), ending: '' });
  return lines;
}

/**
 * Why an applied patch changed more of a file than its '-' lines, or undefined; for any input that
 * applies, mutated or not. Each updated file's new text must be its old text with some lines removed that
 * a '-' line of the patch matches loosely (punctuation normalised, trimmed), and some lines inserted that
 * are a '+' line of the patch (up to indentation) or blank; every other line keeps its bytes and its line
 * break (a last line that had none may gain one), and a BOM stays. Skipped: files an Add File or a move
 * replaces whole, and files too large to align. `checked` counts the files verified.
 */
export function faithfulnessProblem(patch: string, changeSet: ChangeSet, root: string): { problem?: string; checked: number } {
  const patchLines = patch.split(/\r?\n/);
  const replacedWhole = new Set(
    patchLines.flatMap((line) => {
      // As the parser reads headers: trimmed first (padding, a stray CR), then the same pattern.
      const header = /^\*\*\* (?:Add File|Move to):(.*)$/.exec(line.trim());
      return header ? [resolvePath(root, header[1]!.trim())] : [];
    }),
  );
  const canonical = (line: string) => normalizePunctuation(line).trim();
  const removable = new Set(patchLines.filter((l) => l.startsWith('-')).map((l) => canonical(l.slice(1))));
  const insertable = new Set(patchLines.filter((l) => l.startsWith('+')).map((l) => l.slice(1).trim()));
  insertable.add('');
  let checked = 0;
  for (const change of changeSet.changes) {
    if (change.kind !== 'update' || change.oldText === undefined || change.newText === undefined) continue;
    if (replacedWhole.has(change.path) || (change.movePath !== undefined && replacedWhole.has(change.movePath))) continue;
    const oldBom = change.oldText.startsWith('\uFEFF');
    if (oldBom !== change.newText.startsWith('\uFEFF')) return { problem: `${change.path}: the BOM was ${oldBom ? 'dropped' : 'added'}`, checked };
    let before = textLines(oldBom ? change.oldText.slice(1) : change.oldText);
    let after = textLines(oldBom ? change.newText.slice(1) : change.newText);
    // Lines identical in text and break at either end can always be kept (exchange argument), so only the
    // middle needs the quadratic alignment.
    const same = (a: TextLine | undefined, b: TextLine | undefined) => a !== undefined && b !== undefined && a.text === b.text && a.ending === b.ending;
    let head = 0;
    while (same(before[head], after[head])) head++;
    let tail = 0;
    while (tail < before.length - head && tail < after.length - head && same(before[before.length - 1 - tail], after[after.length - 1 - tail])) tail++;
    before = before.slice(head, before.length - tail);
    after = after.slice(head, after.length - tail);
    if ((before.length + 1) * (after.length + 1) > MAX_ALIGNMENT_CELLS) continue;
    if (!alignable(before, after, (line) => removable.has(canonical(line.text)), (line) => insertable.has(line.text.trim()))) {
      const stray = after.findIndex((line) => !insertable.has(line.text.trim()) && !before.some((old) => old.text === line.text));
      const detail =
        stray >= 0
          ? `line ${head + stray + 1} of the result, ${JSON.stringify(after[stray]!.text.slice(0, 120))}, is neither a line of the file nor a '+' line of the patch`
          : "a line of the file was dropped without a '-' line, moved, or its line break changed";
      return { problem: `${change.path} changed beyond its '-' lines: ${detail}`, checked };
    }
    checked++;
  }
  return { checked };
}

/** Can `after` be made from `before` by keeping lines byte for byte, dropping removable ones, inserting insertable ones? */
function alignable(before: TextLine[], after: TextLine[], removable: (line: TextLine) => boolean, insertable: (line: TextLine) => boolean): boolean {
  const canDrop = before.map(removable);
  const canInsert = after.map(insertable);
  const width = after.length + 1;
  const reach = new Uint8Array((before.length + 1) * width);
  reach[0] = 1;
  for (let i = 0; i <= before.length; i++) {
    for (let j = 0; j <= after.length; j++) {
      if (!reach[i * width + j]) continue;
      const old = before[i];
      const now = after[j];
      if (old && now && old.text === now.text && (old.ending === now.ending || old.ending === '')) reach[(i + 1) * width + j + 1] = 1;
      if (old && canDrop[i]) reach[(i + 1) * width + j] = 1;
      if (now && canInsert[j]) reach[i * width + j + 1] = 1;
    }
  }
  return reach[before.length * width + after.length] === 1;
}

export type PatchOutcome = { kind: 'applied'; changeSet: ChangeSet; faithfulChecked: number } | { kind: 'rejected'; error: PatchParseError | PatchApplyError };

/** Runs computeChangeSet and checks the result; `problem` says what is wrong with it. */
export async function runInput(input: PatchInput, root: string, files: FileReader, workspace: Workspace): Promise<{ outcome?: PatchOutcome; problem?: string }> {
  let changeSet: ChangeSet;
  try {
    changeSet = await computeChangeSet(input.patch, root, files, 'fuzz');
  } catch (error) {
    const problem = errorProblem(error);
    if (problem) return { problem };
    if (input.expected) return { problem: `a valid patch was rejected: ${(error as Error).message.slice(0, 500)}` };
    return { outcome: { kind: 'rejected', error: error as PatchParseError } };
  }
  const problem = changeSetProblem(changeSet, workspace, root);
  if (problem) return { problem };
  if (input.expected) {
    const problem = sameWorkspace(applyToWorkspace(workspace, changeSet, root), input.expected);
    if (problem) return { problem: `wrong result: ${problem}` };
  }
  const faithful = faithfulnessProblem(input.patch, changeSet, root);
  if (faithful.problem) return { problem: faithful.problem };
  return { outcome: { kind: 'applied', changeSet, faithfulChecked: faithful.checked } };
}
