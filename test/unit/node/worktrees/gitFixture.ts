// Real git repositories in temp folders for the worktree tests: made with the test machine's own git
// (nothing Tandem's hardening touches), so a hostile configuration in them is live for any other git.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const made: string[] = [];

/** A fresh real folder (symlinks resolved); removed by `cleanupFolders`. */
export function tempFolder(prefix = 'tandem-wt-'): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  made.push(dir);
  return dir;
}

export function cleanupFolders(): void {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** Plain git as a user would run it (hooks, filters and all), with a fixed identity. */
export function userGit(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** `<base>/repo` with `files` committed; returns both folders. */
export function makeRepo(files: Record<string, string>, base = tempFolder()): { base: string; repo: string } {
  const repo = path.join(base, 'repo');
  fs.mkdirSync(repo);
  userGit(repo, ['init', '-q', '-b', 'main']);
  for (const [name, content] of Object.entries(files)) write(repo, name, content);
  userGit(repo, ['add', '-A']);
  userGit(repo, ['commit', '-q', '--no-verify', '-m', 'initial']);
  return { base, repo };
}

export function write(root: string, name: string, content: string | Buffer): void {
  const file = path.join(root, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
}

export function read(root: string, name: string): string {
  return fs.readFileSync(path.join(root, name), 'utf8');
}
