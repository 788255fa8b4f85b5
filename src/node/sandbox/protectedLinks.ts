// Protected top-level names that are symlinks (`.vscode -> vsc`, `AGENTS.md -> docs/A.md`, dangling ones
// too). bwrap mounts the link's target read-only, but the link itself is an entry of a writable folder:
// a command can remove it and put a real `.vscode` with its own settings in its place, or create the
// missing target of a dangling link. The approval policy asks before such commands run unasked
// (core/approvals/diskChecks.ts); this is the runner's second line: before a writing command, each
// protected link is recorded (identity, target, what the target resolves to), and afterwards a changed
// link is put back. Whatever took its place is moved aside, never deleted, and the output says so.
// Recording is synchronous (it runs in spawn, on a handful of names); the repair after the command is
// asynchronous, like the repository sweep it runs next to, so the extension host never waits on the disk.
import { lstatSync, readlinkSync, statSync } from 'node:fs';
import { lstat, readlink, realpath, rename, stat, symlink } from 'node:fs/promises';
import * as path from 'node:path';
import { PROTECTED_DIRS, PROTECTED_FILES } from './protectedScan';

export interface ProtectedLink {
  path: string;
  dev: number;
  ino: number;
  target: string;
  /** `dev:ino` of what the link resolved to, or undefined when it was dangling. */
  resolved: string | undefined;
}

export interface LinkRepair {
  path: string;
  /** Where the entry that replaced the link (or the target a dangling link gained) was moved; '' if none. */
  movedAside: string;
  /** The link stayed but its missing target was created (and is what was moved aside). */
  targetCreated?: boolean;
}

function resolvedId(p: string): string | undefined {
  try {
    const st = statSync(p);
    return `${st.dev}:${st.ino}`;
  } catch {
    return undefined;
  }
}

export function recordProtectedLinks(roots: readonly string[]): ProtectedLink[] {
  const links: ProtectedLink[] = [];
  for (const root of roots) {
    for (const name of [...PROTECTED_DIRS, ...PROTECTED_FILES]) {
      const p = path.join(root, name);
      try {
        const st = lstatSync(p);
        if (st.isSymbolicLink()) links.push({ path: p, dev: st.dev, ino: st.ino, target: readlinkSync(p), resolved: resolvedId(p) });
      } catch {
        // missing: the placeholders cover it
      }
    }
  }
  return links;
}

async function exists(p: string): Promise<boolean> {
  return lstat(p).then(
    () => true,
    () => false,
  );
}

async function asideName(p: string): Promise<string> {
  let to = '';
  for (let n = 0; n < 100 && (to === '' || (await exists(to))); n++) to = `${p}.tandem-replaced-${Date.now().toString(36)}${n ? `-${n}` : ''}`;
  return to;
}

async function resolvedIdNow(p: string): Promise<string | undefined> {
  try {
    const st = await stat(p);
    return `${st.dev}:${st.ino}`;
  } catch {
    return undefined;
  }
}

function inside(root: string, p: string): boolean {
  const relative = path.relative(root, p);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

/** Puts back every recorded link the command changed; resolves to what was repaired. */
export async function restoreProtectedLinks(links: readonly ProtectedLink[], roots: readonly string[]): Promise<LinkRepair[]> {
  const repairs: LinkRepair[] = [];
  for (const link of links) {
    // The folder holding the link must still be the scanned one, not a symlink swapped in meanwhile.
    try {
      if ((await realpath(path.dirname(link.path))) !== path.dirname(link.path)) continue;
    } catch {
      continue;
    }
    const st = await lstat(link.path).catch(() => undefined);
    const unchanged = st?.isSymbolicLink() && st.dev === link.dev && st.ino === link.ino && (await readlink(link.path).catch(() => undefined)) === link.target;
    if (unchanged) {
      // Same link; a dangling one may have gained a target made by the command (`mkdir vsc`).
      if (link.resolved !== undefined || (await resolvedIdNow(link.path)) === undefined) continue;
      let target: string;
      try {
        target = await realpath(link.path);
      } catch {
        continue;
      }
      // Only a target inside a workspace root can be the command's (elsewhere it could not write).
      if (!roots.some((root) => inside(root, target))) continue;
      const to = await asideName(target);
      try {
        await rename(target, to);
        repairs.push({ path: link.path, movedAside: to, targetCreated: true });
      } catch {
        // gone already
      }
      continue;
    }
    const to = st ? await asideName(link.path) : '';
    try {
      if (st) await rename(link.path, to);
      await symlink(link.target, link.path);
      repairs.push({ path: link.path, movedAside: to });
    } catch {
      // the name is taken again (a running command): the next command's check sees it
    }
  }
  return repairs;
}

export function linkRepairNote(repairs: readonly LinkRepair[]): string | undefined {
  if (repairs.length === 0) return undefined;
  const list = repairs
    .map((r) => (r.targetCreated ? `${r.path} (its missing target was created; moved to ${r.movedAside})` : r.movedAside ? `${r.path} (replaced; the replacement is now ${r.movedAside}, the link was put back)` : `${r.path} (removed; the link was put back)`))
    .join(', ');
  return `\r\n[Tandem sandbox] Protected names are read-only, and the command changed protected symlinks: ${list}. Nothing was deleted.\r\n`;
}
