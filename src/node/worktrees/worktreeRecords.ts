// Tandem's own records of a worktree, kept in its metadata folder next to it (never inside it, where the
// agent writes): who owns it (a process, and for a chat's worktree the chat), the commit it started from,
// and its baseline (what each changed path held when it was made or last brought back). A chat's worktree
// outlives the window: after a reload the chat finds it again from these records (`attach`), and a
// bring-back moves the baseline of what came back (`rebaseline`), so the next one offers only what is new.
// Everything read back here is checked as untrusted input: a blob name is a plain file name, an entry a
// known kind, a commit id hex, git's folder for the worktree inside the repository's `worktrees/`.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { join, sep } from 'node:path';
import type { BaselineEntry } from './types';

export interface OwnerRecord {
  version: 1;
  pid: number;
  createdAt: number;
  worktree: string;
  toplevel: string;
  gitDir: string;
  /** The commit the worktree was made at (its baseline's HEAD), once it exists. */
  head?: string;
  /** The worktree's own git dir (`<commonDir>/worktrees/<name>`), once git made it. */
  worktreeGitDir?: string;
  /** The chat this worktree belongs to: kept as long as that chat is, whatever the process or age. */
  chat?: string;
}

export const OWNER_FILE = 'owner.json';
export const BASELINE_FILE = 'baseline.json';
const BLOB_NAME = /^[A-Za-z0-9-]{1,80}$/;
const COMMIT = /^[0-9a-f]{40,64}$/;

export function readOwner(metaDir: string): OwnerRecord | undefined {
  try {
    const raw = JSON.parse(fs.readFileSync(join(metaDir, OWNER_FILE), 'utf8')) as unknown;
    if (typeof raw !== 'object' || raw === null) return undefined;
    const owner = raw as Partial<OwnerRecord>;
    if (typeof owner.pid !== 'number' || typeof owner.worktree !== 'string' || typeof owner.toplevel !== 'string' || typeof owner.gitDir !== 'string') return undefined;
    if (owner.head !== undefined && (typeof owner.head !== 'string' || !COMMIT.test(owner.head))) return undefined;
    if (owner.chat !== undefined && typeof owner.chat !== 'string') return undefined;
    if (owner.worktreeGitDir !== undefined && typeof owner.worktreeGitDir !== 'string') return undefined;
    return { version: 1, createdAt: typeof owner.createdAt === 'number' ? owner.createdAt : 0, ...owner } as OwnerRecord;
  } catch {
    return undefined;
  }
}

/** Written whole to a temporary name, then renamed: a crash leaves the old record or the new one. */
export function writeRecord(metaDir: string, file: string, value: unknown): void {
  const temporary = join(metaDir, `.${file}.${process.pid}.tmp`);
  fs.writeFileSync(temporary, JSON.stringify(value), { mode: 0o600 });
  fs.renameSync(temporary, join(metaDir, file));
}

/** The baseline as recorded; an entry that is not well formed makes the whole record unusable. */
export function readBaseline(metaDir: string): Record<string, BaselineEntry> {
  const raw = JSON.parse(fs.readFileSync(join(metaDir, BASELINE_FILE), 'utf8')) as unknown;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error('the worktree baseline record is not an object');
  const baseline: Record<string, BaselineEntry> = {};
  for (const [path, entry] of Object.entries(raw as Record<string, unknown>)) {
    if (!isRelativePath(path)) throw new Error(`the worktree baseline names an unusable path (${JSON.stringify(path.slice(0, 100))})`);
    const e = entry as Partial<{ kind: string; blob: unknown; mode: unknown; target: unknown }>;
    if (e?.kind === 'absent') baseline[path] = { kind: 'absent' };
    else if (e?.kind === 'file' && typeof e.blob === 'string' && BLOB_NAME.test(e.blob) && typeof e.mode === 'number') baseline[path] = { kind: 'file', blob: e.blob, mode: e.mode };
    else if (e?.kind === 'symlink' && typeof e.target === 'string') baseline[path] = { kind: 'symlink', target: e.target };
    else throw new Error(`the worktree baseline entry of ${path} is not well formed`);
  }
  return baseline;
}

/** A repository-relative path: no empty, `.` or `..` part, not absolute, no NUL. */
export function isRelativePath(path: string): boolean {
  if (path === '' || path.startsWith('/') || path.includes('\0') || path.includes('\\')) return false;
  return path.split('/').every((part) => part !== '' && part !== '.' && part !== '..');
}

/** What a path holds now, as the new baseline: a file's bytes, or nothing there. */
export interface RebaselineEntry {
  /** Repository-relative. */
  path: string;
  /** undefined: the path holds nothing. */
  content: Buffer | undefined;
  /** The file's mode (default 0o644). */
  mode?: number;
}

/**
 * `baseline` with each entry's path moved to what it holds now; the bytes go to a blob named by their
 * hash (written once). The record on disk is replaced whole. Returns the new baseline.
 */
export function moveBaseline(metaDir: string, baseline: Readonly<Record<string, BaselineEntry>>, entries: readonly RebaselineEntry[]): Record<string, BaselineEntry> {
  const next: Record<string, BaselineEntry> = { ...baseline };
  const blobs = join(metaDir, 'baseline');
  fs.mkdirSync(blobs, { recursive: true, mode: 0o700 });
  for (const entry of entries) {
    if (!isRelativePath(entry.path) || entry.path.split('/').some((part) => part.toLowerCase() === '.git')) throw new Error(`cannot rebaseline ${JSON.stringify(entry.path)}: not a path of the work tree`);
    if (entry.content === undefined) {
      next[entry.path] = { kind: 'absent' };
      continue;
    }
    const blob = `sha-${createHash('sha256').update(entry.content).digest('hex')}`;
    const file = join(blobs, blob);
    if (!fs.existsSync(file)) fs.writeFileSync(file, entry.content, { mode: 0o600 });
    next[entry.path] = { kind: 'file', blob, mode: entry.mode ?? 0o644 };
  }
  writeRecord(metaDir, BASELINE_FILE, next);
  return next;
}

/** `child` is `parent` or inside it. */
export function isInside(parent: string, child: string): boolean {
  return child === parent || child.startsWith(parent.endsWith(sep) ? parent : parent + sep);
}
