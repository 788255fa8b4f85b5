// File access for copying between the user's workspace and a worktree, never following a link out. Both
// sides are untrusted: the workspace can hold symlinks to anywhere (a committed `docs -> /etc`), and a
// worktree checks the same links out. So a path is reached component by component with lstat (a link on
// the way ends it: "under a link"), the file is opened with O_NOFOLLOW and checked to be the very inode
// lstat saw and, on Linux, to sit where we expect (the kernel's name for the open descriptor), and files
// are created with O_EXCL|O_NOFOLLOW after whatever was there is unlinked (unlink never follows a link).
import * as fs from 'node:fs';
import { join } from 'node:path';

const { O_RDONLY, O_NOFOLLOW, O_NONBLOCK, O_WRONLY, O_CREAT, O_EXCL } = fs.constants;

export type Entry =
  | { kind: 'absent' }
  | { kind: 'file'; bytes: Buffer; mode: number }
  | { kind: 'too-large'; size: number }
  | { kind: 'symlink'; target: string }
  /** A directory, FIFO, socket or device where a file was expected. */
  | { kind: 'other'; directory: boolean }
  /** A component on the way is a symbolic link (or not a directory): not followed. */
  | { kind: 'under-link' };

function code(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException).code;
}

/** `rel` split into its components; refuses anything that could climb out (`..`, absolute, empty, NUL). */
export function components(rel: string): string[] {
  const parts = rel.split('/');
  if (rel === '' || rel.startsWith('/') || rel.includes('\0') || parts.some((p) => p === '' || p === '.' || p === '..')) {
    throw new Error(`not a plain relative path: ${JSON.stringify(rel.slice(0, 200))}`);
  }
  return parts;
}

/** Whether every directory on the way to `rel` (not `rel` itself) is a real directory under `root`. */
function parentsAreDirectories(root: string, parts: readonly string[]): 'ok' | 'absent' | 'under-link' {
  let dir = root;
  for (const part of parts.slice(0, -1)) {
    dir = join(dir, part);
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(dir);
    } catch (error) {
      if (code(error) === 'ENOENT') return 'absent';
      throw error;
    }
    if (!stat.isDirectory()) return stat.isSymbolicLink() ? 'under-link' : 'absent';
  }
  return 'ok';
}

/** Where the kernel says an open descriptor is (Linux); undefined where it cannot tell. */
function openedAt(fd: number): string | undefined {
  try {
    return fs.readlinkSync(`/proc/self/fd/${fd}`);
  } catch {
    return undefined;
  }
}

/**
 * Reads `root/rel` without following any link. `realRoot` is `root` with its own links resolved (the
 * root itself may legitimately be reached through one, e.g. /tmp on macOS).
 */
export function readEntry(root: string, realRoot: string, rel: string, maxBytes: number): Entry {
  const parts = components(rel);
  const parents = parentsAreDirectories(root, parts);
  if (parents !== 'ok') return { kind: parents };
  const path = join(root, rel);
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(path);
  } catch (error) {
    if (code(error) === 'ENOENT' || code(error) === 'ENOTDIR') return { kind: 'absent' };
    throw error;
  }
  if (stat.isSymbolicLink()) return { kind: 'symlink', target: fs.readlinkSync(path, 'utf8') };
  if (!stat.isFile()) return { kind: 'other', directory: stat.isDirectory() };
  if (stat.size > maxBytes) return { kind: 'too-large', size: stat.size };
  const fd = fs.openSync(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
  try {
    const opened = fs.fstatSync(fd);
    // Swapped between lstat and open: not the file we checked.
    if (!opened.isFile() || opened.ino !== stat.ino || opened.dev !== stat.dev) return { kind: 'under-link' };
    const at = openedAt(fd);
    if (at !== undefined && at !== join(realRoot, rel)) return { kind: 'under-link' };
    if (opened.size > maxBytes) return { kind: 'too-large', size: opened.size };
    const bytes = fs.readFileSync(fd);
    if (bytes.length > maxBytes) return { kind: 'too-large', size: bytes.length };
    return { kind: 'file', bytes, mode: opened.mode & 0o777 };
  } finally {
    fs.closeSync(fd);
  }
}

/** Makes the directories on the way to `rel` under `root`, refusing any that is a link or a file. */
function makeParents(root: string, parts: readonly string[]): void {
  let dir = root;
  for (const part of parts.slice(0, -1)) {
    dir = join(dir, part);
    try {
      fs.mkdirSync(dir);
    } catch (error) {
      if (code(error) !== 'EEXIST') throw error;
      if (!fs.lstatSync(dir).isDirectory()) throw new Error(`${dir} is not a directory (a link or a file is in the way)`);
    }
  }
}

/** Removes `root/rel` if it is a file or a link (never follows it; a directory is left and reported). */
export function removeEntry(root: string, rel: string): void {
  const parts = components(rel);
  if (parentsAreDirectories(root, parts) !== 'ok') return;
  const path = join(root, rel);
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(path);
  } catch (error) {
    if (code(error) === 'ENOENT') return;
    throw error;
  }
  if (stat.isDirectory()) throw new Error(`${rel} is a directory`);
  fs.unlinkSync(path);
}

/** Puts `entry` (a file or a link) at `root/rel`, replacing a file or link there. */
export function writeEntry(root: string, rel: string, entry: Extract<Entry, { kind: 'file' | 'symlink' }>): void {
  const parts = components(rel);
  makeParents(root, parts);
  removeEntry(root, rel);
  const path = join(root, rel);
  if (entry.kind === 'symlink') {
    fs.symlinkSync(entry.target, path);
    return;
  }
  const fd = fs.openSync(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, entry.mode);
  try {
    fs.writeFileSync(fd, entry.bytes);
    fs.fchmodSync(fd, entry.mode);
  } finally {
    fs.closeSync(fd);
  }
}

/** Whether a link at `rel` pointing to `target` stays inside the tree it is in (judged by its text only). */
export function linkStaysInside(rel: string, target: string): boolean {
  if (target.startsWith('/') || target === '') return false;
  let depth = rel.split('/').length - 1;
  for (const part of target.split('/')) {
    if (part === '..') depth--;
    else if (part !== '' && part !== '.') depth++;
    if (depth < 0) return false;
  }
  return true;
}
