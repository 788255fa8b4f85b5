// Turns a scope into its diff by running git through the project's process runner. The repository under
// review is untrusted: every command runs with the read-only confinement (nothing writable, no network,
// where an OS sandbox exists) and with git's safety overrides (no fsmonitor, hooks, pagers, credential
// helpers …), and carries flags that defeat configuration which would change the diff's shape or run a
// program (`diff.external`, textconv, `diff.noprefix`, `diff.relative`, colour). Refs pass whyNotRevision
// and file names are single-quoted, so nothing from the repository is ever read as shell or as an option.
import { gitSafetyEnv } from '../approvals/gitReadOnly';
import type { ProcessRunner } from '../ports';
import { parseUnifiedDiff } from './diffParse';
import { describeScope, whyNotRevision } from './scope';
import type { CollectedDiff, ReviewScope } from './types';

/** Options every diff gets, whatever the repository's configuration says. */
const DIFF_OPTIONS = '--no-color --no-ext-diff --no-textconv --src-prefix=a/ --dst-prefix=b/ --no-relative --unified=3 --find-renames';
/** More than this is cut (the command is stopped): a review of it would not fit a model's context anyway. */
export const MAX_DIFF_CHARS = 8_000_000;
/** Untracked files beyond this many are left out of an uncommitted review (and counted). */
export const MAX_UNTRACKED_FILES = 200;

export class ReviewDiffError extends Error {}

/** A word for a POSIX shell (the runner given here uses /bin/sh): single-quoted, `'` spelled `'\''`. */
export function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

interface GitResult {
  code: number;
  output: string;
  truncated: boolean;
}

/**
 * Where git runs: the runner, and the folders the sandbox shows (read-only): the caller's workspace
 * folders, never the repository's top level found by git. A top level above them (a dotfiles repository
 * in the home directory) would make everything under it visible, credential stores included.
 */
interface GitContext {
  runner: ProcessRunner;
  roots: readonly string[];
}

/** Runs one shell command line of git commands, read-only; output capped at MAX_DIFF_CHARS. */
export async function runGit(git: GitContext, cwd: string, command: string): Promise<GitResult> {
  const child = git.runner.spawn({ command, cwd, confinement: 'read-only', env: gitSafetyEnv(), workspaceRoots: git.roots });
  let output = '';
  let truncated = false;
  child.onOutput((chunk) => {
    if (truncated) return;
    output += chunk;
    if (output.length > MAX_DIFF_CHARS) {
      truncated = true;
      output = output.slice(0, MAX_DIFF_CHARS);
      child.kill();
    }
  });
  const code = await child.exited;
  return { code, output, truncated };
}

async function mustRun(git: GitContext, cwd: string, command: string, what: string): Promise<GitResult> {
  const result = await runGit(git, cwd, command);
  if (result.code !== 0 && !result.truncated) throw new ReviewDiffError(`${what} failed (git exit ${result.code})${result.output.trim() ? `: ${result.output.trim().slice(0, 400)}` : ''}`);
  return result;
}

/** The commit a user-named revision points to; for a branch missing locally, `origin/<name>` (CI checkouts). */
async function resolveCommit(git: GitContext, cwd: string, revision: string, tryOrigin: boolean): Promise<string> {
  const why = whyNotRevision(revision);
  if (why) throw new ReviewDiffError(why);
  for (const candidate of tryOrigin ? [revision, `origin/${revision}`] : [revision]) {
    const result = await runGit(git, cwd, `git rev-parse --verify --quiet ${shellQuote(`${candidate}^{commit}`)} 2>/dev/null`);
    const sha = result.output.trim();
    if (result.code === 0 && /^[0-9a-f]{40,64}$/.test(sha)) return sha;
  }
  throw new ReviewDiffError(`no commit named "${revision}" in this repository${tryOrigin ? ` (nor origin/${revision}; fetch it first)` : ''}`);
}

async function hasHead(git: GitContext, cwd: string): Promise<boolean> {
  return (await runGit(git, cwd, "git rev-parse --verify --quiet 'HEAD^{commit}' >/dev/null 2>&1")).code === 0;
}

/** Untracked, not ignored files as "new file" diffs (git renders links as their target, binaries as such). */
async function untrackedDiff(git: GitContext, root: string): Promise<{ text: string; omitted: number }> {
  const listing = await mustRun(git, root, 'git ls-files --others --exclude-standard -z 2>/dev/null', 'listing untracked files');
  const paths = listing.output.split('\0').filter((p) => p !== '' && !p.endsWith('/'));
  const taken = paths.slice(0, MAX_UNTRACKED_FILES);
  if (taken.length === 0) return { text: '', omitted: 0 };
  // `git diff --no-index` exits 1 when the files differ, which they do: the output is what counts.
  const command = taken.map((p) => `git diff --no-index ${DIFF_OPTIONS} -- /dev/null ${shellQuote(p)} 2>/dev/null`).join('; ');
  const result = await runGit(git, root, `${command}; true`);
  return { text: result.output, omitted: paths.length - taken.length };
}

export interface CollectOptions {
  /** Folders the sandbox shows git (the workspace folders); default: `cwd`. */
  roots?: readonly string[];
  /** Called with notes worth telling the user (untracked files left out, a cut diff). */
  onNote?(note: string): void;
}

/** The diff of `scope` in the repository containing `cwd`. Throws ReviewDiffError with a readable reason. */
export async function collectDiff(runner: ProcessRunner, cwd: string, scope: ReviewScope, options: CollectOptions = {}): Promise<CollectedDiff> {
  const git: GitContext = { runner, roots: options.roots?.length ? options.roots : [cwd] };
  if (scope.kind === 'diff') return { scope, label: scope.label, root: cwd, text: scope.diff, files: parseUnifiedDiff(scope.diff) };
  const top = await runGit(git, cwd, 'git rev-parse --show-toplevel 2>&1');
  if (top.code !== 0) throw new ReviewDiffError(`not inside a git repository (${top.output.trim().split('\n')[0] || `git exit ${top.code}`})`);
  const root = top.output.trim().split('\n').at(-1) as string;
  const head = await hasHead(git, root);
  let text: string;
  let label = describeScope(scope);
  let truncated = false;
  switch (scope.kind) {
    case 'uncommitted': {
      // Without a first commit, the working tree is compared with the empty tree.
      const against = head ? 'HEAD' : (await mustRun(git, root, 'git hash-object -t tree /dev/null 2>/dev/null', 'finding the empty tree')).output.trim();
      const tracked = await mustRun(git, root, `git diff ${DIFF_OPTIONS} ${against} -- 2>/dev/null`, 'git diff');
      const untracked = await untrackedDiff(git, root);
      if (untracked.omitted > 0) options.onNote?.(`${untracked.omitted} more untracked file(s) were left out of the review.`);
      text = tracked.output + (untracked.text && tracked.output && !tracked.output.endsWith('\n') ? '\n' : '') + untracked.text;
      truncated = tracked.truncated;
      break;
    }
    case 'staged': {
      const result = await mustRun(git, root, `git diff --cached ${DIFF_OPTIONS} -- 2>/dev/null`, 'git diff --cached');
      text = result.output;
      truncated = result.truncated;
      break;
    }
    case 'base': {
      if (!head) throw new ReviewDiffError('the repository has no commits yet: there is no branch to compare');
      const base = await resolveCommit(git, root, scope.base, true);
      const mergeBase = await mustRun(git, root, `git merge-base HEAD ${base} 2>&1`, `finding where the branch left ${scope.base}`);
      const sha = mergeBase.output.trim();
      if (!/^[0-9a-f]{40,64}$/.test(sha)) throw new ReviewDiffError(`no merge base with ${scope.base}`);
      const result = await mustRun(git, root, `git diff ${DIFF_OPTIONS} ${sha} HEAD -- 2>/dev/null`, 'git diff');
      text = result.output;
      truncated = result.truncated;
      label = `changes against ${scope.base} (merge base ${sha.slice(0, 7)})`;
      break;
    }
    case 'commit': {
      const sha = await resolveCommit(git, root, scope.sha, false);
      const result = await mustRun(git, root, `git show ${DIFF_OPTIONS} --format= --diff-merges=first-parent ${sha} -- 2>/dev/null`, 'git show');
      text = result.output;
      truncated = result.truncated;
      label = `commit ${sha.slice(0, 7)}`;
      break;
    }
  }
  if (truncated) options.onNote?.(`The diff is longer than ${MAX_DIFF_CHARS.toLocaleString('en-US')} characters; the rest was cut.`);
  return { scope, label, root, text, files: parseUnifiedDiff(text) };
}

/** Local branches, then remote ones (for the base picker); names that fail whyNotRevision are left out. */
export async function listBranches(runner: ProcessRunner, cwd: string, roots?: readonly string[]): Promise<{ current?: string; branches: string[] }> {
  const git: GitContext = { runner, roots: roots?.length ? roots : [cwd] };
  const refs = await runGit(git, cwd, "git for-each-ref --format='%(refname:short)' refs/heads refs/remotes 2>/dev/null");
  const current = (await runGit(git, cwd, 'git branch --show-current 2>/dev/null')).output.trim();
  const branches = refs.output.split('\n').map((b) => b.trim()).filter((b) => b !== '' && !b.endsWith('/HEAD') && whyNotRevision(b) === undefined);
  return { ...(current ? { current } : {}), branches: [...new Set(branches)] };
}

/** The last commits (full SHA and subject) for the commit picker. */
export async function recentCommits(runner: ProcessRunner, cwd: string, roots?: readonly string[], count = 30): Promise<{ sha: string; subject: string }[]> {
  const git: GitContext = { runner, roots: roots?.length ? roots : [cwd] };
  const log = await runGit(git, cwd, `git log --no-color --format='%H%x09%s' -n ${Math.max(1, Math.floor(count))} 2>/dev/null`);
  return log.output
    .split('\n')
    .map((line) => /^([0-9a-f]{40,64})\t(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ sha: m[1] as string, subject: m[2] as string }));
}
