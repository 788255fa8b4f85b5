// A repository created during a sandboxed command (`git init sub`, `mkdir -p a/.git/hooks`, a `.git`
// file pointing elsewhere) cannot be prevented by bwrap: mounts only cover paths that exist when the
// sandbox starts. Its hooks and config would run later, outside any sandbox, when the user (or VS Code's
// git extension, which opens nested repositories by itself) runs git there. So once the command has
// ended, each new nested `.git` is moved aside to a name git does not look for (`.git.tandem-blocked-…`):
// nothing is deleted, the user can inspect it or move it back, and the command's output says so.
// Which entries are new is repoSweep.ts's call (only what it proves new is moved). Best-effort, not a
// guarantee: the repository exists while the command runs (inside the sandbox it can only do what the
// sandbox allows).
import { lstat, realpath, rename } from 'node:fs/promises';
import * as path from 'node:path';
import type { ProtectedEntry } from './protectedScan';

export interface Quarantined {
  from: string;
  to: string;
}

async function exists(p: string): Promise<boolean> {
  return lstat(p).then(
    () => true,
    () => false,
  );
}

/** Asynchronous like the sweep that finds the entries: the extension host does not wait on the disk. */
export async function quarantineRepos(entries: readonly ProtectedEntry[]): Promise<Quarantined[]> {
  const moved: Quarantined[] = [];
  for (const entry of entries) {
    const dir = path.dirname(entry.path);
    // The parent must still be the directory that was scanned, not a symlink swapped in since (another
    // running command could do that), or the rename would act on a repository elsewhere.
    try {
      if ((await realpath(dir)) !== dir) continue;
    } catch {
      continue;
    }
    // Still the entry the sweep found: the walk and this move are asynchronous, so check it again.
    const now = await lstat(entry.path).catch(() => undefined);
    if (!now || now.dev !== entry.dev || now.ino !== entry.ino) continue;
    let to = '';
    for (let n = 0; n < 100 && (to === '' || (await exists(to))); n++) to = path.join(dir, `.git.tandem-blocked-${Date.now().toString(36)}${n ? `-${n}` : ''}`);
    try {
      await rename(entry.path, to);
      moved.push({ from: entry.path, to });
    } catch {
      // gone already, or not ours to move: the scan will find it again next time
    }
  }
  return moved;
}
