// The cheap half of "what did this command change": a synchronous walk of the workspace roots that
// records each regular file's size, mtime, ctime and inode (no content). Two scans compared give the
// candidates; only those are read and hashed (turnRecorder.ts). Synchronous because it runs right
// before a command is spawned (ProcessRunner.spawn is synchronous) and right after it exits, like the
// sandbox's own protected-path scan.
//
// Bounded, so a huge tree cannot stall every command: `.git` and `node_modules` are never entered,
// nor anything the root `.gitignore` excludes (ignoreRules.ts), symlinks are not followed (and not
// recorded), and the walk stops after `maxFiles` files, saying so (`truncated`).
import { lstatSync, readdirSync, type Dirent } from 'node:fs';
import * as path from 'node:path';
import { IgnoreRules } from './ignoreRules';

/** Never walked: the repository itself and dependency trees. */
export const SKIPPED_DIRECTORIES = new Set(['.git', 'node_modules']);

export const DEFAULT_MAX_SCAN_FILES = 50_000;

export interface FileStamp {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
  mode: number;
}

export interface WorkspaceScan {
  /** Absolute path -> stamp, regular files only. */
  files: Map<string, FileStamp>;
  /** The walk stopped at the file budget: files beyond it are not watched. */
  truncated: boolean;
}

export interface ScanOptions {
  maxFiles?: number;
  /** Ignore rules per root (read once by the caller; default: each root's .gitignore now). */
  ignoreFor?: (root: string) => IgnoreRules;
}

export function scanWorkspace(roots: readonly string[], options: ScanOptions = {}): WorkspaceScan {
  const maxFiles = options.maxFiles ?? DEFAULT_MAX_SCAN_FILES;
  const files = new Map<string, FileStamp>();
  let truncated = false;
  for (const root of roots) {
    const ignore = options.ignoreFor?.(root) ?? IgnoreRules.forRoot(root);
    const checkIgnores = !ignore.isEmpty;
    // Breadth-first, so the budget keeps the shallow (usually the hand-written) files. Paths are joined
    // by hand: this loop runs for every file before and after every command.
    const queue: string[] = [''];
    for (let next = 0; next < queue.length && !truncated; next++) {
      const relativeDir = queue[next]!;
      const absoluteDir = relativeDir === '' ? root : `${root}${path.sep}${relativeDir}`;
      let entries: Dirent[];
      try {
        entries = readdirSync(absoluteDir, { withFileTypes: true });
      } catch {
        continue; // vanished or unreadable: nothing to record
      }
      for (const entry of entries) {
        const name = entry.name;
        const relative = relativeDir === '' ? name : `${relativeDir}/${name}`;
        if (entry.isDirectory()) {
          if (!SKIPPED_DIRECTORIES.has(name) && !(checkIgnores && ignore.ignores(relative, true))) queue.push(relative);
          continue;
        }
        if (!entry.isFile() || (checkIgnores && ignore.ignores(relative, false))) continue;
        if (files.size >= maxFiles) {
          truncated = true;
          break;
        }
        const absolute = `${absoluteDir}${path.sep}${name}`;
        const stats = lstatSync(absolute, { throwIfNoEntry: false });
        // gone between readdir and lstat (absent), or replaced by something else
        if (stats?.isFile()) files.set(absolute, { size: stats.size, mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs, ino: stats.ino, mode: stats.mode & 0o7777 });
      }
    }
  }
  return { files, truncated };
}

/** Same file content as far as the stamps can tell (a rewrite always moves ctime). */
export function sameStamp(a: FileStamp, b: FileStamp): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs && a.ino === b.ino && a.mode === b.mode;
}
