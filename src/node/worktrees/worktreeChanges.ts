// What an agent changed in its worktree, as one core ChangeSet on the MAIN workspace's paths, ready for the
// same per-hunk review as any patch. "Changed" is relative to the worktree's baseline (HEAD plus the
// user's uncommitted state copied in), so the copy itself is never part of the result.
//
// The change set is built like apply_patch's (core/patch/apply.ts): text only, strict UTF-8 with any BOM
// kept, `oldText` the content the change was made against. Here that is the baseline, not what the main
// workspace holds now: a file the user changed meanwhile therefore no longer matches, and the review marks
// its hunks stale (and the CLI writer refuses it) instead of overwriting the user's edit. Two cases the
// review would not catch by content are turned into ones it does: a file the agent added that now exists
// in the workspace becomes an update of an empty file (stale unless that file is empty, when nothing is
// lost), and a move whose source changed or whose destination appeared is split into a delete and an add.
// Binary files, links, oversized files and anything reached through a link are not carried: they are
// named in `skipped` so the agent and the user hear of them. The same holds on the workspace's side: a
// path that is a link there, or lies under one (a `lib -> /elsewhere` the user has), is never proposed,
// since the review would write through it to wherever it points. Everything held in memory at once is
// bounded by `maxChangedBytes` (an agent can make thousands of files of the largest size allowed).
import * as fs from 'node:fs';
import { basename, join } from 'node:path';
import type { ChangeSet, FileChange } from '../../core/patch/types';
import { decodePath, gitRaw, gitWithoutFilters, nulRecords } from './gitCli';
import { readEntry, type Entry } from './safeFiles';
import type { SkippedFile, Worktree, WorktreeLimits } from './types';
import { isInsideGitDir, statusOf } from './uncommittedCopy';

export interface WorktreeChanges {
  changeSet: ChangeSet;
  /** Files the user changed in the workspace since the worktree was made: in the set, but stale in review. */
  conflicts: SkippedFile[];
  /** Changes that could not be carried back, and why. */
  skipped: SkippedFile[];
}

type State = { kind: 'absent' } | { kind: 'file'; bytes: Buffer; executable: boolean } | { kind: 'link'; target: string } | { kind: 'unsupported'; reason: string };

const LINK_REASON = 'a symbolic link (links are not carried back)';
/** File modes are not carried back (the review edits text); a change of the executable bit is said, not dropped. */
const MADE_EXECUTABLE = 'made executable in the worktree: the review carries text only, so it comes back without the executable bit (chmod +x it yourself if you want it)';
const MADE_PLAIN = 'made non-executable in the worktree: file modes are not carried back, so yours keeps its executable bit';

interface RawChange {
  path: string;
  base: Buffer | undefined;
  current: Buffer | undefined;
}

const strictUtf8 = () => new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function text(bytes: Buffer): string | undefined {
  try {
    return strictUtf8().decode(bytes);
  } catch {
    return undefined;
  }
}

interface TreeEntry {
  mode: string;
  oid: string;
  size: number;
}

/** HEAD's tree: every path with its mode, object and size (`ls-tree -l`, NUL-separated). */
async function headTree(wt: Worktree, git?: string): Promise<Map<string, TreeEntry>> {
  const output = await gitRaw(['ls-tree', '-r', '-z', '-l', '--full-tree', wt.repo.head], { cwd: wt.path, gitDir: wt.gitDir, ...(git ? { git } : {}) });
  const tree = new Map<string, TreeEntry>();
  for (const record of nulRecords(output)) {
    const tab = record.indexOf(9);
    if (tab < 0) continue;
    const [mode, , oid, size] = record.subarray(0, tab).toString('latin1').split(/ +/);
    const path = decodePath(record.subarray(tab + 1));
    if (path !== undefined && mode && oid) tree.set(path, { mode, oid, size: Number(size) || 0 });
  }
  return tree;
}

/** Paths whose index or file differs from the commit the worktree was made at (a commit made there moves HEAD). */
async function changedSinceBase(wt: Worktree, git?: string): Promise<string[]> {
  const output = await gitWithoutFilters(['diff-index', '--name-only', '-z', '--no-renames', '--ignore-submodules=all', wt.repo.head, '--'], {
    cwd: wt.path,
    gitDir: wt.gitDir,
    workTree: wt.path,
    ...(git ? { git } : {}),
  });
  return nulRecords(output)
    .map(decodePath)
    .filter((path): path is string => path !== undefined && path !== '');
}

/** The blobs' bytes, by object id, in one `cat-file --batch` (object ids only: no path ever goes on a line). */
async function readBlobs(wt: Worktree, oids: readonly string[], bytes: number, git?: string): Promise<Map<string, Buffer>> {
  const blobs = new Map<string, Buffer>();
  if (oids.length === 0) return blobs;
  const output = await gitRaw(['cat-file', '--batch'], { cwd: wt.path, gitDir: wt.gitDir, input: `${oids.join('\n')}\n`, maxBuffer: bytes + oids.length * 128 + 4096, ...(git ? { git } : {}) });
  let at = 0;
  while (at < output.length) {
    const eol = output.indexOf(10, at);
    if (eol < 0) break;
    const [oid, type, size] = output.subarray(at, eol).toString('latin1').split(' ');
    at = eol + 1;
    if (type === 'missing' || !oid || size === undefined) continue;
    const length = Number(size);
    blobs.set(oid, output.subarray(at, at + length));
    at += length + 1;
  }
  return blobs;
}

function stateOf(entry: Entry): State {
  switch (entry.kind) {
    case 'absent':
      return { kind: 'absent' };
    case 'file':
      return { kind: 'file', bytes: entry.bytes, executable: (entry.mode & 0o111) !== 0 };
    case 'symlink':
      return { kind: 'link', target: entry.target };
    case 'too-large':
      return { kind: 'unsupported', reason: `larger than the limit (${entry.size} bytes)` };
    case 'under-link':
      return { kind: 'unsupported', reason: 'reached through a symbolic link' };
    case 'other':
      // A folder where a file was: as a file it is gone (the folder's files are candidates of their own).
      return entry.directory ? { kind: 'absent' } : { kind: 'unsupported', reason: 'not a regular file' };
  }
}

const same = (a: Buffer | undefined, b: Buffer | undefined) => (a === undefined ? b === undefined : b !== undefined && a.equals(b));

export async function worktreeChanges(wt: Worktree, limits: WorktreeLimits, git?: string): Promise<WorktreeChanges> {
  const status = await statusOf(wt.gitDir, wt.path, git);
  const skipped: SkippedFile[] = status.nested.map((path) => ({ path, reason: 'a repository of its own (not carried back)' }));
  if (status.unnamed > 0) skipped.push({ path: '(unnamed)', reason: `${status.unnamed} file name(s) are not UTF-8` });
  // What the agent committed in the worktree is no longer in its status: the paths that differ from the
  // commit it was made at count too.
  const committed = await changedSinceBase(wt, git);
  const candidates = [...new Set([...status.entries.map((e) => e.path), ...committed, ...Object.keys(wt.baseline)])].sort();
  const tree = await headTree(wt, git);
  const realWorktree = fs.realpathSync(wt.path);
  const overBudget = `past the limit of ${limits.maxChangedBytes} bytes of changes`;
  let budget = limits.maxChangedBytes;

  // The baseline of each candidate: the copied-in state, else HEAD's blob (fetched in one batch below).
  const base = new Map<string, State>();
  const wanted = new Map<string, TreeEntry>();
  for (const path of candidates) {
    const copied = wt.baseline[path];
    const head = tree.get(path);
    if (copied?.kind === 'absent' || (!copied && !head)) base.set(path, { kind: 'absent' });
    else if (copied?.kind === 'file') base.set(path, { kind: 'file', bytes: fs.readFileSync(join(wt.metaDir, 'baseline', copied.blob)), executable: (copied.mode & 0o111) !== 0 });
    else if (copied?.kind === 'symlink') base.set(path, { kind: 'link', target: copied.target });
    else if (head && head.mode !== '100644' && head.mode !== '100755' && head.mode !== '120000') base.set(path, { kind: 'unsupported', reason: 'not a regular file in HEAD' });
    else if (head && head.size > limits.maxFileBytes) base.set(path, { kind: 'unsupported', reason: `larger than the limit (${head.size} bytes)` });
    else if (head && head.size > budget) base.set(path, { kind: 'unsupported', reason: overBudget });
    else if (head) {
      budget -= head.size;
      wanted.set(path, head);
    }
  }
  const blobs = await readBlobs(wt, [...new Set([...wanted.values()].map((h) => h.oid))], limits.maxChangedBytes, git);
  for (const [path, head] of wanted) {
    const bytes = blobs.get(head.oid);
    // A link's blob is its target's text.
    if (!bytes) base.set(path, { kind: 'unsupported', reason: 'its committed content could not be read' });
    else base.set(path, head.mode === '120000' ? { kind: 'link', target: bytes.toString('utf8') } : { kind: 'file', bytes, executable: head.mode === '100755' });
  }

  const raw: RawChange[] = [];
  for (const path of candidates) {
    if (isInsideGitDir(path)) continue;
    const before = base.get(path)!;
    // Past the budget nothing more is read (a path whose committed text was fetched is paid for already).
    if (budget <= 0 && !wanted.has(path)) {
      skipped.push({ path, reason: overBudget });
      continue;
    }
    const after = stateOf(readEntry(wt.path, realWorktree, path, limits.maxFileBytes));
    if (before.kind === 'absent' && after.kind === 'absent') continue;
    // An executable bit the agent set or cleared is named (the text, if it changed too, still comes back).
    const wasExecutable = before.kind === 'file' && before.executable;
    if (after.kind === 'file' && after.executable !== wasExecutable) skipped.push({ path, reason: after.executable ? MADE_EXECUTABLE : MADE_PLAIN });
    if (before.kind === 'file' && after.kind === 'file' && before.bytes.equals(after.bytes)) continue;
    if (before.kind === 'link' && after.kind === 'link' && before.target === after.target) continue;
    if (after.kind === 'unsupported' || after.kind === 'link') {
      skipped.push({ path, reason: after.kind === 'link' ? LINK_REASON : after.reason });
      continue;
    }
    if (before.kind === 'unsupported' || before.kind === 'link') {
      skipped.push({ path, reason: before.kind === 'link' ? LINK_REASON : before.reason });
      continue;
    }
    const current = after.kind === 'file' ? after.bytes : undefined;
    // What is kept costs the budget (the base of a HEAD file was counted when its blob was fetched).
    const cost = (current?.length ?? 0) + (before.kind === 'file' && !wanted.has(path) ? before.bytes.length : 0);
    if (cost > budget) {
      skipped.push({ path, reason: overBudget });
      continue;
    }
    budget -= cost;
    raw.push({ path, base: before.kind === 'file' ? before.bytes : undefined, current });
  }
  const textual = raw.filter((change) => {
    const binary = (change.base !== undefined && text(change.base) === undefined) || (change.current !== undefined && text(change.current) === undefined);
    if (binary) skipped.push({ path: change.path, reason: 'binary (not UTF-8 text): the review edits text only' });
    return !binary;
  });
  if (textual.length > limits.maxChangedFiles) {
    for (const change of textual.splice(limits.maxChangedFiles)) skipped.push({ path: change.path, reason: `past the limit of ${limits.maxChangedFiles} changed files` });
  }
  const { changes, conflicts, throughLinks } = againstWorkspace(pairMoves(textual), wt, limits);
  return { changeSet: { id: `worktree-${wt.id}`, changes }, conflicts, skipped: [...skipped, ...throughLinks] };
}

interface Planned {
  path: string;
  movePath?: string;
  base: Buffer | undefined;
  current: Buffer | undefined;
}

/** A delete and an add of exactly the same text are a move (each used once; the same file name first). */
function pairMoves(changes: RawChange[]): Planned[] {
  const deletes = changes.filter((c) => c.base !== undefined && c.current === undefined);
  const adds = changes.filter((c) => c.base === undefined && c.current !== undefined);
  const moved = new Map<RawChange, RawChange>();
  const used = new Set<RawChange>();
  for (const add of adds) {
    const matches = deletes.filter((d) => !used.has(d) && d.base!.equals(add.current!));
    const match = matches.find((d) => basename(d.path) === basename(add.path)) ?? matches[0];
    if (!match) continue;
    used.add(match);
    moved.set(add, match);
  }
  const planned: Planned[] = [];
  for (const change of changes) {
    if (used.has(change)) continue;
    const from = moved.get(change);
    planned.push(from ? { path: from.path, movePath: change.path, base: from.base, current: change.current } : { ...change });
  }
  return planned;
}

/** The FileChanges on the workspace's paths, with what the user changed there since made visible to the review. */
function againstWorkspace(planned: Planned[], wt: Worktree, limits: WorktreeLimits): { changes: FileChange[]; conflicts: SkippedFile[]; throughLinks: SkippedFile[] } {
  const top = wt.repo.toplevel;
  const realTop = fs.realpathSync(top);
  const throughLinks: SkippedFile[] = [];
  // A link in the workspace (at the path or on the way): the review would write wherever it points.
  const linked = (path: string) => {
    const kind = readEntry(top, realTop, path, 0).kind;
    return kind === 'symlink' || kind === 'under-link';
  };
  // In the workspace a folder where a file would go is something there (never "absent": an add must not replace it).
  const now = (path: string): State => {
    const entry = readEntry(top, realTop, path, limits.maxFileBytes);
    return entry.kind === 'other' ? { kind: 'unsupported', reason: 'not a regular file' } : stateOf(entry);
  };
  const changes: FileChange[] = [];
  const conflicts: SkippedFile[] = [];
  const conflict = (path: string, reason: string) => conflicts.push({ path, reason });
  const add = (path: string, current: Buffer) => {
    const there = now(path);
    if (there.kind === 'absent') return changes.push({ path: join(top, path), kind: 'add', oldText: undefined, newText: text(current)! });
    conflict(path, 'created in the workspace since the worktree was made');
    return changes.push({ path: join(top, path), kind: 'update', oldText: '', newText: text(current)! });
  };
  const onBase = (path: string, base: Buffer) => {
    const there = now(path);
    if (there.kind === 'file' && there.bytes.equals(base)) return true;
    conflict(path, there.kind === 'absent' ? 'deleted in the workspace since the worktree was made' : 'changed in the workspace since the worktree was made');
    return false;
  };
  for (const change of planned) {
    const { path, base, current } = change;
    const link = [path, change.movePath].find((p) => p !== undefined && linked(p));
    if (link !== undefined) {
      throughLinks.push({ path: link, reason: 'a symbolic link in the workspace, or under one (never written through)' });
      continue;
    }
    if (change.movePath !== undefined) {
      if (onBase(path, base!) && now(change.movePath).kind === 'absent') {
        changes.push({ path: join(top, path), kind: 'update', movePath: join(top, change.movePath), oldText: text(base!)!, newText: text(current!)! });
        continue;
      }
      changes.push({ path: join(top, path), kind: 'delete', oldText: text(base!)!, newText: undefined });
      add(change.movePath, current!);
      continue;
    }
    if (base === undefined) {
      add(path, current!);
      continue;
    }
    onBase(path, base);
    if (current === undefined) changes.push({ path: join(top, path), kind: 'delete', oldText: text(base)!, newText: undefined });
    else if (!same(base, current)) changes.push({ path: join(top, path), kind: 'update', oldText: text(base)!, newText: text(current)! });
  }
  return { changes, conflicts, throughLinks };
}
