// Carries the user's uncommitted state into a fresh worktree, so a sub-agent starts from what the user
// sees rather than from the last commit: every path `git status` lists (tracked files changed, staged or
// deleted, and untracked files that are not ignored) is copied from the workspace, or removed, in the
// worktree. What was copied is recorded as the worktree's baseline (bytes kept in Tandem's metadata
// folder, outside the worktree) so the result is only what the agent changed afterwards.
// Bounded: files over a size, and past a total size or count, are skipped and named; links are copied
// only when their text keeps them inside the repository; nothing under a link is reached (safeFiles.ts).
import * as fs from 'node:fs';
import { join } from 'node:path';
import { decodePath, gitWithoutFilters, nulRecords } from './gitCli';
import { linkStaysInside, readEntry, removeEntry, writeEntry, type Entry } from './safeFiles';
import type { BaselineEntry, RepoInfo, SkippedFile, WorktreeLimits } from './types';

export interface StatusEntry {
  /** The two status letters (`??` for untracked). */
  code: string;
  path: string;
}

/**
 * `git status` of a work tree: changed tracked paths and untracked, not ignored files (each file, not
 * folders), without rename pairing or submodules. Names that are not UTF-8 come back in `unnamed`.
 */
export async function statusOf(gitDir: string, workTree: string, git?: string): Promise<{ entries: StatusEntry[]; unnamed: number; nested: string[] }> {
  const output = await gitWithoutFilters(['status', '--porcelain=v1', '-z', '--untracked-files=all', '--no-renames', '--ignore-submodules=all'], {
    cwd: workTree,
    gitDir,
    workTree,
    ...(git ? { git } : {}),
  });
  const entries: StatusEntry[] = [];
  const nested: string[] = [];
  let unnamed = 0;
  for (const record of nulRecords(output)) {
    if (record.length < 4) continue;
    const code = record.subarray(0, 2).toString('latin1');
    const path = decodePath(record.subarray(3));
    if (path === undefined) {
      unnamed++;
      continue;
    }
    // A folder listed as untracked is a repository of its own inside this one: not ours to copy.
    if (path.endsWith('/')) nested.push(path.slice(0, -1));
    else entries.push({ code, path });
  }
  return { entries, unnamed, nested };
}

/** A path inside a `.git` folder (of any depth) is git's own, never a file to carry. */
export function isInsideGitDir(path: string): boolean {
  return path.split('/').some((part) => part.toLowerCase() === '.git');
}

export interface CopyResult {
  baseline: Record<string, BaselineEntry>;
  skipped: SkippedFile[];
}

export async function copyUncommitted(repo: RepoInfo, worktreePath: string, metaDir: string, limits: WorktreeLimits, git?: string): Promise<CopyResult> {
  const status = await statusOf(repo.gitDir, repo.toplevel, git);
  const baseline: Record<string, BaselineEntry> = {};
  const skipped: SkippedFile[] = status.nested.map((path) => ({ path, reason: 'a repository of its own inside this one' }));
  if (status.unnamed > 0) skipped.push({ path: '(unnamed)', reason: `${status.unnamed} file name(s) are not UTF-8` });
  const blobs = join(metaDir, 'baseline');
  fs.mkdirSync(blobs, { recursive: true });
  const realTop = fs.realpathSync(repo.toplevel);
  const budget = { bytes: 0, files: 0 };
  for (const { path } of status.entries) {
    if (isInsideGitDir(path)) {
      skipped.push({ path, reason: 'inside a .git folder' });
      continue;
    }
    try {
      const entry = readEntry(repo.toplevel, realTop, path, limits.maxFileBytes);
      const outcome = copyOne(entry, path, worktreePath, blobs, limits, budget);
      if ('reason' in outcome) skipped.push({ path, reason: outcome.reason });
      else baseline[path] = outcome.baseline;
    } catch (error) {
      // e.g. the worktree holds a committed link or file where this path needs a folder
      skipped.push({ path, reason: `could not be copied: ${error instanceof Error ? error.message : String(error)}` });
    }
  }
  fs.writeFileSync(join(metaDir, 'baseline.json'), JSON.stringify(baseline), { mode: 0o600 });
  return { baseline, skipped };
}

/** Puts one workspace entry into the worktree; says what the baseline now holds there, or why it was skipped. */
function copyOne(
  entry: Entry,
  path: string,
  worktreePath: string,
  blobs: string,
  limits: WorktreeLimits,
  budget: { bytes: number; files: number },
): { baseline: BaselineEntry } | { reason: string } {
  switch (entry.kind) {
    case 'absent':
      removeEntry(worktreePath, path);
      return { baseline: { kind: 'absent' } };
    case 'file': {
      if (budget.files + 1 > limits.maxCopyFiles || budget.bytes + entry.bytes.length > limits.maxCopyBytes) {
        return { reason: `over the copy limit (${limits.maxCopyFiles} files, ${limits.maxCopyBytes} bytes)` };
      }
      budget.files++;
      budget.bytes += entry.bytes.length;
      const blob = String(budget.files);
      fs.writeFileSync(join(blobs, blob), entry.bytes, { mode: 0o600 });
      writeEntry(worktreePath, path, entry);
      return { baseline: { kind: 'file', blob, mode: entry.mode } };
    }
    case 'symlink':
      if (!linkStaysInside(path, entry.target)) return { reason: 'a symbolic link pointing outside the repository' };
      writeEntry(worktreePath, path, entry);
      return { baseline: { kind: 'symlink', target: entry.target } };
    case 'too-large':
      return { reason: `larger than ${limits.maxFileBytes} bytes (${entry.size})` };
    case 'under-link':
      return { reason: 'reached through a symbolic link' };
    case 'other':
      if (!entry.directory) return { reason: 'not a regular file' };
      // A tracked file or link the user replaced by a folder: gone as a file, its files come as their own entries.
      removeEntry(worktreePath, path);
      return { baseline: { kind: 'absent' } };
  }
}
