// Scope → diff through real git and the project's process runner (read-only, sandboxed where bwrap works):
// each scope, a repository without commits, odd file names, and a hostile repository whose configuration
// tries to run programs or reshape the diff.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectDiff, ReviewDiffError } from '../../../src/core/codeReview/gitDiff';
import { scopeFromCommandArg, scopeFromFlags, whyNotRevision } from '../../../src/core/codeReview/scope';
import { createProcessRunner } from '../../../src/node/createRunner';
import { createReviewGitRunner } from '../../../src/node/reviewGitRunner';

const runner = createReviewGitRunner();
/** The same runner with the OS sandbox off: git's overrides and flags alone must hold. */
const unsandboxed = createProcessRunner({ shell: '/bin/sh', loadPty: () => { throw new Error('pipes, as the review runner'); }, onFallback: () => {}, sandbox: { settings: () => ({ mode: 'off', network: false }) } });

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'init.defaultBranch=main', ...args], { cwd, encoding: 'utf8' });
}

function repo(): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'tandem-review-')));
  git(dir, 'init', '-q');
  return dir;
}

function committed(): string {
  const dir = repo();
  writeFileSync(join(dir, 'a.txt'), 'one\ntwo\nthree\n');
  git(dir, 'add', '.');
  git(dir, 'commit', '-qm', 'first');
  return dir;
}

const paths = (d: { files: { path: string }[] }) => d.files.map((f) => f.path).sort();

describe('collectDiff', () => {
  it('uncommitted: tracked changes, staged or not, and untracked files, with the repository root', async () => {
    const dir = committed();
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'a.txt'), 'one\nTWO\nthree\n');
    writeFileSync(join(dir, 'sub', 'new.txt'), 'fresh\n');
    writeFileSync(join(dir, 'staged.txt'), 'staged\n');
    git(dir, 'add', 'staged.txt');
    const diff = await collectDiff(runner, join(dir, 'sub'), { kind: 'uncommitted' }, { roots: [dir] });
    expect(diff.root).toBe(dir);
    expect(paths(diff)).toEqual(['a.txt', 'staged.txt', 'sub/new.txt']);
    expect(diff.files.find((f) => f.path === 'a.txt')?.hunks[0]?.added).toEqual([2]);
    expect(diff.files.find((f) => f.path === 'sub/new.txt')?.status).toBe('added');
  });

  it('staged: only the index', async () => {
    const dir = committed();
    writeFileSync(join(dir, 'a.txt'), 'one\nTWO\nthree\n');
    writeFileSync(join(dir, 'b.txt'), 'b\n');
    git(dir, 'add', 'b.txt');
    const diff = await collectDiff(runner, dir, { kind: 'staged' });
    expect(paths(diff)).toEqual(['b.txt']);
  });

  it('works in a repository with no commits yet (uncommitted and staged)', async () => {
    const dir = repo();
    writeFileSync(join(dir, 'tracked.txt'), 'x\n');
    git(dir, 'add', 'tracked.txt');
    writeFileSync(join(dir, 'tracked.txt'), 'x\ny\n');
    writeFileSync(join(dir, 'untracked.txt'), 'u\n');
    const uncommitted = await collectDiff(runner, dir, { kind: 'uncommitted' });
    expect(paths(uncommitted)).toEqual(['tracked.txt', 'untracked.txt']);
    expect(uncommitted.files.find((f) => f.path === 'tracked.txt')?.hunks[0]?.added).toEqual([1, 2]);
    const staged = await collectDiff(runner, dir, { kind: 'staged' });
    expect(paths(staged)).toEqual(['tracked.txt']);
    expect(staged.files[0]?.hunks[0]?.added).toEqual([1]);
    await expect(collectDiff(runner, dir, { kind: 'base', base: 'main' })).rejects.toThrow(/no commits yet/);
  });

  it('base: the branch since it left the base, not the base moving on; unknown bases say so', async () => {
    const dir = committed();
    git(dir, 'checkout', '-qb', 'feature');
    writeFileSync(join(dir, 'feature.txt'), 'f\n');
    git(dir, 'add', '.');
    git(dir, 'commit', '-qm', 'feature');
    git(dir, 'checkout', '-q', 'main');
    writeFileSync(join(dir, 'main-only.txt'), 'm\n');
    git(dir, 'add', '.');
    git(dir, 'commit', '-qm', 'main moves on');
    git(dir, 'checkout', '-q', 'feature');
    const diff = await collectDiff(runner, dir, { kind: 'base', base: 'main' });
    expect(paths(diff)).toEqual(['feature.txt']);
    expect(diff.label).toMatch(/^changes against main \(merge base [0-9a-f]{7}\)$/);
    await expect(collectDiff(runner, dir, { kind: 'base', base: 'nope' })).rejects.toThrow(/no commit named "nope".*origin\/nope/);
  });

  it('base: falls back to origin/<base> when only the remote branch exists (CI checkouts)', async () => {
    const upstream = committed();
    const clone = realpathSync(mkdtempSync(join(tmpdir(), 'tandem-review-clone-')));
    git(clone, 'clone', '-q', upstream, '.');
    git(clone, 'checkout', '-qb', 'pr');
    git(clone, 'branch', '-qD', 'main');
    writeFileSync(join(clone, 'pr.txt'), 'p\n');
    git(clone, 'add', '.');
    git(clone, 'commit', '-qm', 'pr');
    const diff = await collectDiff(runner, clone, { kind: 'base', base: 'main' });
    expect(paths(diff)).toEqual(['pr.txt']);
  });

  it('commit: one commit against its parent, the root commit too', async () => {
    const dir = committed();
    writeFileSync(join(dir, 'a.txt'), 'one\ntwo\nthree\nfour\n');
    git(dir, 'commit', '-qam', 'second');
    const sha = git(dir, 'rev-parse', 'HEAD').trim();
    const second = await collectDiff(runner, dir, { kind: 'commit', sha: sha.slice(0, 8) });
    expect(second.files[0]?.hunks[0]?.added).toEqual([4]);
    expect(second.label).toBe(`commit ${sha.slice(0, 7)}`);
    const root = await collectDiff(runner, dir, { kind: 'commit', sha: 'HEAD~1' });
    expect(root.files[0]?.status).toBe('added');
    await expect(collectDiff(runner, dir, { kind: 'commit', sha: 'deadbeef' })).rejects.toBeInstanceOf(ReviewDiffError);
  });

  it('odd untracked file names arrive intact; a link shows its target path, never the file it points to', async () => {
    const dir = committed();
    const secret = join(mkdtempSync(join(tmpdir(), 'tandem-review-secret-')), 'id_rsa');
    writeFileSync(secret, 'PRIVATE KEY MATERIAL\n');
    const names = ["it's here.txt", 'semi;colon $(touch pwned).txt', 'new\nline.txt', '-n.txt', 'back\\slash.txt'];
    for (const name of names) writeFileSync(join(dir, name), 'content\n');
    symlinkSync(secret, join(dir, 'link'));
    const diff = await collectDiff(runner, dir, { kind: 'uncommitted' });
    expect(paths(diff)).toEqual([...names, 'link'].sort());
    expect(existsSync(join(dir, 'pwned'))).toBe(false);
    expect(diff.text).not.toContain('PRIVATE KEY MATERIAL');
    expect(diff.text).toContain(secret);
  });

  it.each([
    ['sandboxed where bwrap works', runner],
    ['without a sandbox', unsandboxed],
  ] as const)('a hostile repository configuration runs nothing and does not reshape the diff (%s)', async (_name, gitRunner) => {
    const dir = committed();
    const canary = join(mkdtempSync(join(tmpdir(), 'tandem-review-canary-')), 'ran');
    const evil = join(dir, 'evil.sh');
    writeFileSync(evil, `#!/bin/sh\necho ran >> ${canary}\n`);
    chmodSync(evil, 0o755);
    for (const [key, value] of [
      ['core.fsmonitor', evil],
      ['core.pager', evil],
      ['pager.diff', evil],
      ['diff.external', evil],
      ['diff.evil.textconv', evil],
      ['diff.evil.command', evil],
      ['diff.noprefix', 'true'],
      ['diff.mnemonicPrefix', 'true'],
      ['diff.relative', 'true'],
      ['color.ui', 'always'],
      ['color.diff', 'always'],
      ['core.hooksPath', dir],
    ]) git(dir, 'config', key as string, value as string);
    writeFileSync(join(dir, '.gitattributes'), '*.txt diff=evil\n');
    writeFileSync(join(dir, 'a.txt'), 'one\nTWO\nthree\n');
    mkdirSync(join(dir, 'deep'));
    for (const scope of [{ kind: 'uncommitted' }, { kind: 'staged' }, { kind: 'commit', sha: 'HEAD' }] as const) {
      const diff = await collectDiff(gitRunner, join(dir, 'deep'), scope, { roots: [dir] });
      expect(diff.text).not.toContain('\u001b[');
      if (scope.kind === 'uncommitted') {
        expect(diff.files.find((f) => f.path === 'a.txt')?.hunks[0]?.added).toEqual([2]);
        expect(diff.text).toContain('+++ b/a.txt');
      }
    }
    expect(existsSync(canary)).toBe(false);
  });

  it('outside a repository: a readable error', async () => {
    const dir = realpathSync(mkdtempSync(join(tmpdir(), 'tandem-review-none-')));
    await expect(collectDiff(runner, dir, { kind: 'uncommitted' })).rejects.toThrow(/not inside a git repository/);
  });
});

describe('scopes from flags', () => {
  it('default, each flag, conflicts', () => {
    expect(scopeFromFlags({})).toEqual({ kind: 'uncommitted' });
    expect(scopeFromFlags({ staged: true })).toEqual({ kind: 'staged' });
    expect(scopeFromFlags({ base: 'origin/main' })).toEqual({ kind: 'base', base: 'origin/main' });
    expect(scopeFromFlags({ commit: 'HEAD~2' })).toEqual({ kind: 'commit', sha: 'HEAD~2' });
    expect(scopeFromFlags({ staged: true, base: 'main' })).toEqual({ error: expect.stringMatching(/choose one/) });
  });

  it('command arguments: only the known shapes, refs checked', () => {
    expect(scopeFromCommandArg({ kind: 'staged' })).toEqual({ kind: 'staged' });
    expect(scopeFromCommandArg({ kind: 'base', base: 'main' })).toEqual({ kind: 'base', base: 'main' });
    expect(scopeFromCommandArg({ kind: 'commit', sha: 'abc1234' })).toEqual({ kind: 'commit', sha: 'abc1234' });
    for (const bad of [undefined, 'staged', [], { kind: 'base', base: '-p' }, { kind: 'commit', sha: 1 }, { kind: 'diff', diff: 'x', label: 'y' }, { kind: 'base' }]) {
      expect(scopeFromCommandArg(bad)).toBeUndefined();
    }
  });

  it.each(['--output=/tmp/x', '-p', 'a..b', 'a...b', "main'; touch x; '", 'main$(id)', 'ma in', '.hidden', 'x.lock', 'feature/', '', 'HEAD@{1}', 'a\nb', '`id`'])('refuses %j as a revision', (text) => {
    expect(whyNotRevision(text)).toBeDefined();
  });
});
