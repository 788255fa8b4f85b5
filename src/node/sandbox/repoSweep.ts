// After a writing command: which `.git` entries did it create? bwrap cannot stop `git init sub` (mounts
// only cover paths that exist when the sandbox starts), so the runner moves new repositories aside
// (repoQuarantine.ts). The red team beat the old bounded after-scan both ways: 20,500 padding folders
// made the scan stop before a planted repository (it survived with a live core.fsmonitor), and a user's
// real repository beyond the before-scan's bound was taken for new and renamed.
//
// So this walk has no folder count: it visits every folder below the roots (node_modules included,
// never following symlinks or entering a `.git`), bounded by time only; when the budget runs out the
// runner fails the command and says which folders were not checked. A `.git` not seen before counts as
// created only when that is proven:
//   - its ctime is before the command started: it existed and nothing renamed or replaced it (a ctime
//     cannot be set back), so it is left alone: a user's repository is never moved;
//   - else, where the before-scan was complete (it walked everything but node_modules), it is new;
//   - else its birth time decides (statx; a rename keeps it, but nothing can be renamed into a root from
//     outside: each root is its own mount in the sandbox, so `mv /tmp/x .` arrives as a fresh copy);
//   - else (no birth time, or it was born before the command: an unprotected repository beyond the
//     before-scan that the command changed) it is reported, not moved, and the command fails.
//
// The walk is asynchronous (fs.promises, SWEEP_CONCURRENCY folders read at a time): it runs in the
// extension host, where a synchronous walk of a large workspace (0.4-0.9 s for 7,000 folders, up to the
// whole budget) froze the chat and every other extension. The budget is checked before each folder is
// read and also by a timer, so a read that never returns (a hung network mount) fails closed in time too;
// the folders still queued or being read then count as unchecked.
import { lstat, readdir } from 'node:fs/promises';
import type { Dirent } from 'node:fs';
import * as path from 'node:path';
import type { ProtectedEntry, ProtectedScan } from './protectedScan';

/** How long the walk may take before the command is failed as unchecked (a huge tree, or padding). */
export const SWEEP_BUDGET_MS = 5_000;
/**
 * Folders read at once: enough to keep libuv's 4 file-system threads busy (a walk is latency-bound),
 * few enough that the walk does not crowd out the extension host's other file I/O.
 */
export const SWEEP_CONCURRENCY = 8;
/**
 * File times come from the kernel's coarse clock, which lags Date.now() by at most a tick (a few ms);
 * err towards "changed". A larger margin would take a repository made just before the command for new.
 */
const CLOCK_MARGIN_MS = 100;
/** Folders named in a note when the budget ran out. */
const LISTED_UNVERIFIED = 10;

export interface SweepInput {
  roots: readonly string[];
  before: ProtectedScan;
  /** Date.now() right before the command started. */
  startedAt: number;
  /**
   * Placeholders (mounted read-only in running sandboxes): changes there came from outside. Asked while
   * the walk runs, so a placeholder another command made meanwhile is recognised too.
   */
  placeholders: { has(path: string): boolean };
  budgetMs?: number;
  now?: () => number;
  concurrency?: number;
}

export interface SweepResult {
  /** `.git` entries proven made (or replaced) during the command: to be moved aside. */
  created: ProtectedEntry[];
  /** `.git` entries that existed before, outside the before-scan's reach, and changed: reported. */
  unproven: string[];
  /** Folders left unwalked when the budget ran out (empty when the walk finished). */
  unverified: string[];
}

async function listDir(dir: string): Promise<Dirent[]> {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch {
    return []; // gone or unreadable: the command could not have made anything there for git to find
  }
}

export function sweepNewRepos(input: SweepInput): Promise<SweepResult> {
  const now = input.now ?? Date.now;
  const budget = input.budgetMs ?? SWEEP_BUDGET_MS;
  const concurrency = Math.max(1, input.concurrency ?? SWEEP_CONCURRENCY);
  const since = input.startedAt - CLOCK_MARGIN_MS;
  const known = new Set(input.before.entries.map((e) => `${e.path}\0${e.dev}\0${e.ino}`));
  const covered = (p: string) => input.before.complete && !p.split(path.sep).includes('node_modules');
  const created: ProtectedEntry[] = [];
  const unproven: string[] = [];
  const queue = [...input.roots];
  /** Folders being read right now: unchecked if the budget runs out before they are done. */
  const reading = new Set<string>();
  const t0 = now();

  return new Promise<SweepResult>((resolve) => {
    let settled = false;
    const finish = (unverified: string[]) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      resolve({ created: [...created], unproven: [...unproven], unverified });
    };
    const outOfTime = () => finish([...reading, ...queue]);
    // A read that hangs never calls pump() again; the timer fails the walk closed anyway.
    const deadline = setTimeout(outOfTime, Math.max(0, budget) + 50);
    deadline.unref?.();

    const visit = async (dir: string) => {
      for (const child of await listDir(dir)) {
        if (settled) return;
        const p = path.join(dir, child.name);
        if (child.name !== '.git') {
          if (child.isDirectory()) queue.push(p);
          continue;
        }
        if (input.placeholders.has(p)) continue;
        let st;
        try {
          st = await lstat(p);
        } catch {
          continue;
        }
        if (known.has(`${p}\0${st.dev}\0${st.ino}`) || st.ctimeMs < since) continue;
        const kind = st.isSymbolicLink() ? 'link' : st.isDirectory() ? 'dir' : st.isFile() ? 'file' : 'other';
        const bornDuring = st.birthtimeMs > 0 && st.birthtimeMs >= since;
        if (covered(p) || bornDuring) created.push({ path: p, kind, dev: st.dev, ino: st.ino });
        else unproven.push(p);
      }
    };

    const pump = () => {
      if (settled) return;
      if (queue.length > 0 && now() - t0 > budget) return outOfTime();
      while (reading.size < concurrency && queue.length > 0) {
        const dir = queue.pop()!;
        reading.add(dir);
        void visit(dir).finally(() => {
          reading.delete(dir);
          pump();
        });
      }
      if (reading.size === 0 && queue.length === 0) finish([]);
    };
    pump();
  });
}

/** The note for what the sweep could not settle, or undefined when it settled everything. */
export function sweepProblemNote(result: SweepResult): string | undefined {
  const parts: string[] = [];
  if (result.unverified.length > 0) {
    const shown = result.unverified.slice(0, LISTED_UNVERIFIED).join(', ');
    const more = result.unverified.length > LISTED_UNVERIFIED ? ` and ${result.unverified.length - LISTED_UNVERIFIED} more` : '';
    parts.push(`the workspace could not be checked for new repositories in time; these folders were not checked: ${shown}${more}. Look for a .git there before running git in them`);
  }
  if (result.unproven.length > 0) {
    parts.push(`these repositories existed before but were not protected (the workspace is too large to scan before each command) and changed during the command, so they were left in place: ${result.unproven.join(', ')}. Check their config and hooks before running git there`);
  }
  return parts.length > 0 ? `\r\n[Tandem sandbox] Failed closed: ${parts.join('; ')}.\r\n` : undefined;
}
