// Read-only placeholders for protected names that do not exist yet. bwrap can only mount over an existing
// path, so before a command starts, a missing `.git`, `.vscode`, `.tandem`, `.agents` (empty directory) or
// `AGENTS.md` (empty file) is created in each writable root and mounted read-only inside the sandbox: the
// command then cannot create, replace or write it (`mkdir .git` says EEXIST, `touch AGENTS.md` EROFS,
// `mv x AGENTS.md` EBUSY). When the last command using a placeholder ends it is removed again, and only
// if it is still exactly what Tandem made (same inode, still empty): a placeholder that someone outside
// the sandbox filled in the meantime is user data now and stays. Directories are removed with rmdir,
// which refuses a non-empty directory; a file is first renamed aside, checked, and linked back if it
// gained content, so there is no window where a written file is unlinked after the check.
import { closeSync, linkSync, lstatSync, mkdirSync, openSync, readdirSync, renameSync, rmdirSync, unlinkSync } from 'node:fs';
import * as path from 'node:path';

export interface Placeholder {
  path: string;
  kind: 'dir' | 'file';
}

interface Held {
  kind: 'dir' | 'file';
  dev: number;
  ino: number;
  users: number;
}

export class PlaceholderRegistry {
  private readonly held = new Map<string, Held>();

  /**
   * Makes sure each placeholder exists (creating missing ones; one already held is shared), and returns
   * the paths that are now safe to mount. A name that appeared in the meantime is left to the caller's
   * next scan (it is real now, not ours). Call `release` with the result once the command has ended.
   */
  acquire(wanted: readonly Placeholder[]): string[] {
    const acquired: string[] = [];
    for (const { path: p, kind } of wanted) {
      const existing = this.held.get(p);
      if (existing && this.stillOurs(p, existing)) {
        existing.users++;
        acquired.push(p);
        continue;
      }
      try {
        if (kind === 'dir') mkdirSync(p, { mode: 0o755 });
        else closeSync(openSync(p, 'wx', 0o644)); // O_EXCL: never truncates or follows an existing entry
      } catch {
        continue; // it exists now (or its parent is gone): not a placeholder of ours
      }
      const st = lstatSync(p);
      this.held.set(p, { kind, dev: st.dev, ino: st.ino, users: 1 });
      acquired.push(p);
    }
    return acquired;
  }

  release(paths: readonly string[]): void {
    for (const p of paths) {
      const held = this.held.get(p);
      if (!held || --held.users > 0) continue;
      this.held.delete(p);
      if (this.stillOurs(p, held)) removeIfEmpty(p, held);
    }
  }

  /**
   * The placeholders held now, as wanted entries: a command starting while another one holds them must
   * acquire them too (its scan sees them as existing names), or the first command's release would remove
   * a mount source the second one's bwrap is about to use or uses.
   */
  heldPlaceholders(): Placeholder[] {
    return [...this.held].map(([p, held]) => ({ path: p, kind: held.kind }));
  }

  /** Paths currently held as placeholders (their mounts live in running sandboxes). */
  get paths(): string[] {
    return [...this.held.keys()];
  }

  /** Tandem is exiting (its sandboxes die with it): remove every placeholder that is still untouched. */
  releaseAll(): void {
    for (const [p, held] of this.held) {
      this.held.delete(p);
      if (this.stillOurs(p, held)) removeIfEmpty(p, held);
    }
  }

  private stillOurs(p: string, held: Held): boolean {
    try {
      const st = lstatSync(p);
      return st.dev === held.dev && st.ino === held.ino && (held.kind === 'dir' ? st.isDirectory() : st.isFile());
    } catch {
      return false;
    }
  }
}

function removeIfEmpty(p: string, held: Held): void {
  if (held.kind === 'dir') {
    try {
      if (readdirSync(p).length === 0) rmdirSync(p); // rmdir itself refuses a directory that just gained an entry
    } catch {
      // not empty, or gone: nothing of the user's is touched
    }
    return;
  }
  const aside = path.join(path.dirname(p), `.${path.basename(p)}.tandem-placeholder-${process.pid}-${held.ino}`);
  try {
    renameSync(p, aside);
  } catch {
    return;
  }
  const st = lstatSync(aside);
  if (st.ino === held.ino && st.size === 0) {
    unlinkSync(aside);
    return;
  }
  // Someone wrote to it: put it back without clobbering anything that took its name since.
  try {
    linkSync(aside, p);
    unlinkSync(aside);
  } catch {
    // the name is taken again: leave the content under the aside name rather than lose it
  }
}
