// Finds the protected entries inside the writable roots before a sandboxed command starts, and again
// after it ends. bwrap can only mount over paths that exist, so every `.git` (directory, or the file a
// worktree or submodule has) found at any depth is mounted read-only; the top-level names that do not
// exist yet get placeholders (placeholders.ts). A repository the command creates during its run cannot
// be stopped by a mount; the sweep after the command (repoSweep.ts, unbounded in folders) finds it.
//
// This scan is bounded (a monorepo with a huge build tree must not stall every command): it visits at
// most MAX_SCAN_DIRS directories breadth-first, never follows symlinks, never descends into a `.git` or
// `node_modules`, and says when it stopped early. A repository beyond it is not mounted read-only, and
// the sweep never moves one it cannot prove new.
import { existsSync, lstatSync, readdirSync, type Dirent } from 'node:fs';
import * as path from 'node:path';
import { PROTECTED_DIR_NAMES, PROTECTED_FILE_NAMES } from '../../core/approvals/protectedNames';

/** Inside a writable root, these stay read-only (the one list, shared with the policy: core/approvals/protectedNames.ts). */
export const PROTECTED_DIRS = PROTECTED_DIR_NAMES;
export const PROTECTED_FILES = PROTECTED_FILE_NAMES;

export const MAX_SCAN_DIRS = 20_000;
/** Not descended into: dependency trees are large, and git does not look for repositories there either. */
const SKIPPED_DIRS = new Set(['node_modules']);

export interface ProtectedEntry {
  path: string;
  /** What is there now: `dir`/`file`, or `link` for a symlink (which may be replaced: see the sweep). */
  kind: 'dir' | 'file' | 'link' | 'other';
  /** Identity, so the sweep notices an entry replaced by another at the same path. */
  dev: number;
  ino: number;
}

export interface ProtectedScan {
  /** Every existing `.git` at any depth and every existing top-level protected name. */
  entries: ProtectedEntry[];
  /**
   * The top-level protected names that do not exist (they need placeholders). Not `.git` in a folder
   * inside another repository: an empty `.git` there would stop git's search for the parent repository
   * ("not a git repository"), so a top-level `.git` made there is left to the sweep instead.
   */
  missing: { path: string; kind: 'dir' | 'file' }[];
  /** False when the walk hit its bound: deeper repositories were not looked for. */
  complete: boolean;
}

function entryAt(p: string): ProtectedEntry | undefined {
  try {
    const st = lstatSync(p);
    const kind = st.isSymbolicLink() ? 'link' : st.isDirectory() ? 'dir' : st.isFile() ? 'file' : 'other';
    return { path: p, kind, dev: st.dev, ino: st.ino };
  } catch {
    return undefined;
  }
}

function listDir(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return []; // unreadable or gone: nothing to protect there that the command could reach either
  }
}

export function scanProtected(roots: readonly string[], maxDirs = MAX_SCAN_DIRS): ProtectedScan {
  const entries: ProtectedEntry[] = [];
  const missing: ProtectedScan['missing'] = [];
  for (const root of roots) {
    for (const name of [...PROTECTED_DIRS, ...PROTECTED_FILES]) {
      const p = path.join(root, name);
      const entry = entryAt(p);
      if (entry) entries.push(entry);
      else if (name !== '.git' || !insideRepository(root)) missing.push({ path: p, kind: (PROTECTED_FILES as readonly string[]).includes(name) ? 'file' : 'dir' });
    }
  }
  // Breadth-first below the roots for nested `.git` entries (the top-level ones are already listed).
  const queue = [...roots];
  let visited = 0;
  let complete = true;
  while (queue.length > 0) {
    if (visited >= maxDirs) {
      complete = false;
      break;
    }
    const dir = queue.shift()!;
    visited++;
    const isRoot = roots.includes(dir);
    for (const child of listDir(dir)) {
      const p = path.join(dir, child.name);
      if (child.name === '.git') {
        if (!isRoot) {
          const entry = entryAt(p);
          if (entry) entries.push(entry);
        }
        continue;
      }
      if (child.isDirectory() && !SKIPPED_DIRS.has(child.name)) queue.push(p);
    }
  }
  return { entries, missing, complete };
}

/** Whether a parent directory of `dir` holds a `.git` (git would find that repository from `dir`). */
function insideRepository(dir: string): boolean {
  for (let parent = path.dirname(dir); ; parent = path.dirname(parent)) {
    if (existsSync(path.join(parent, '.git'))) return true;
    if (path.dirname(parent) === parent) return false;
  }
}
