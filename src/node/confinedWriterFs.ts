// The change-set writer's file operations, confined to the workspace without a check/write race.
// Checking a path and then writing to it by name is racy: a directory on the way can be swapped for a
// symlink out of the workspace in between (a background command the agent started can do that in a
// loop). Node has no openat/renameat, so each operation that changes the disk runs synchronously in the
// target's directory itself: chdir() into it (following links, as the write would), ask the kernel
// where we now are (getcwd names the directory by inode, not by the path we gave), refuse if that is
// outside the workspace, and then act on the bare file name relative to that directory. A swap after
// the check changes which path leads where, but not the directory we are in. Files are opened with
// O_NOFOLLOW, so the final name cannot be a link either. All of it is synchronous, so no other code of
// this process runs while the working directory is borrowed; it is restored before returning.
import * as nodeFs from 'node:fs';
import { basename, dirname, sep } from 'node:path';
import type { WriterFileSystem } from './fsChangeSetWriter';

const { O_CREAT, O_EXCL, O_NOFOLLOW, O_RDONLY, O_WRONLY } = nodeFs.constants;

export class OutsideWorkspaceError extends Error {
  override name = 'OutsideWorkspaceError';
  readonly code = 'ETANDEMOUTSIDE';
}

function isInside(roots: readonly string[], path: string): boolean {
  return roots.some((root) => path === root || path.startsWith(root.endsWith(sep) ? root : root + sep));
}

/** Runs `action` with the process in `dir`, after checking the kernel's name for it is inside `roots`. */
function inDirectory<T>(roots: readonly string[], dir: string, action: () => T): T {
  const saved = process.cwd();
  process.chdir(dir);
  try {
    const here = process.cwd();
    if (!isInside(roots, here)) throw new OutsideWorkspaceError(`${dir} leads to ${here}, outside the workspace; nothing was written there`);
    return action();
  } finally {
    process.chdir(saved);
  }
}

/** A promise of a synchronous result, with the exception (code included) as the rejection. */
function attempt<T>(action: () => T): Promise<T> {
  try {
    return Promise.resolve(action());
  } catch (error) {
    return Promise.reject(error as Error);
  }
}

function sameDirectory(a: string, b: string): string {
  const dir = dirname(a);
  if (dirname(b) !== dir) throw new Error(`confined writes stay in one directory (${a} → ${b})`);
  return dir;
}

/**
 * File operations for writeChangeSetAtomically that can only change the disk inside `roots` (their
 * real paths are taken now). Reads of the old content do not follow a link in the final name; plain
 * stat calls are left as they are (they change nothing and the policy has decided on the paths).
 */
export function confinedWriterFs(roots: readonly string[]): WriterFileSystem {
  const realRoots = [...new Set(roots.flatMap((root) => [root, nodeFs.realpathSync(root)]))];
  const run = <T>(path: string, action: (name: string) => T) => attempt(() => inDirectory(realRoots, dirname(path), () => action(basename(path))));
  const fs = {
    readFile: (path: string) => run(path, (name) => nodeFs.readFileSync(name, { flag: O_RDONLY | O_NOFOLLOW })),
    writeFile: (path: string, content: string) =>
      run(path, (name) => {
        const fd = nodeFs.openSync(name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o666);
        try {
          nodeFs.writeFileSync(fd, content);
        } finally {
          nodeFs.closeSync(fd);
        }
      }),
    chmod: (path: string, mode: number) =>
      run(path, (name) => {
        const fd = nodeFs.openSync(name, O_RDONLY | O_NOFOLLOW);
        try {
          nodeFs.fchmodSync(fd, mode);
        } finally {
          nodeFs.closeSync(fd);
        }
      }),
    rename: (from: string, to: string) => attempt(() => inDirectory(realRoots, sameDirectory(from, to), () => nodeFs.renameSync(basename(from), basename(to)))),
    link: (from: string, to: string) => attempt(() => inDirectory(realRoots, sameDirectory(from, to), () => nodeFs.linkSync(basename(from), basename(to)))),
    copyFile: (from: string, to: string) =>
      attempt(() =>
        inDirectory(realRoots, sameDirectory(from, to), () => {
          if (nodeFs.lstatSync(basename(from)).isSymbolicLink()) throw new Error(`${from} is a symbolic link`);
          nodeFs.copyFileSync(basename(from), basename(to), nodeFs.constants.COPYFILE_EXCL);
        }),
      ),
    unlink: (path: string) => run(path, (name) => nodeFs.unlinkSync(name)),
    mkdir: (path: string) => run(path, (name) => nodeFs.mkdirSync(name)),
    rmdir: (path: string) => run(path, (name) => nodeFs.rmdirSync(name)),
    lstat: (path: string) => nodeFs.promises.lstat(path),
    stat: (path: string) => nodeFs.promises.stat(path),
  };
  return fs as unknown as WriterFileSystem;
}
