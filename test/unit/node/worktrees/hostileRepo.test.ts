// The worktree manager against repositories written to attack it. A workspace's git configuration is
// untrusted: each program it names here (hooks through core.hooksPath and .git/hooks, core.fsmonitor,
// clean/smudge/process filter drivers named by .gitattributes, one only defined through includeIf for
// worktrees, diff and pager programs, a credential helper) appends to a marker file when run. First the
// corpus is shown to be armed (plain git runs them), then every manager operation runs and the marker
// must stay absent. Also: a `.git` file pointing at another repository, core.worktree pointing away,
// symlinks pointing out of the workspace, oversized files and the copy limits.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WorktreeManager } from '../../../../src/node/worktrees/worktreeManager';
import { cleanupFolders, makeRepo, read, tempFolder, userGit, write } from './gitFixture';

afterEach(cleanupFolders);

/** A program that records that it ran, then passes stdin through (so a filter "works"). */
function armedProgram(dir: string, marker: string, name: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, `#!/bin/sh\necho "${name} $*" >> '${marker}'\ncat\n`, { mode: 0o755 });
  return file;
}

const HOOKS = ['post-checkout', 'post-commit', 'pre-commit', 'post-index-change', 'reference-transaction', 'pre-auto-gc', 'post-rewrite', 'fsmonitor-watchman'];

/** A repository whose configuration runs an armed program at every chance it gets. */
function hostileRepo(): { base: string; repo: string; marker: string } {
  const { base, repo } = makeRepo({
    '.gitattributes': '* filter=evil diff=evil\n*.md filter=late\n',
    'code.txt': 'committed text\n',
    'readme.md': 'committed readme\n',
  });
  const arsenal = path.join(base, 'arsenal');
  fs.mkdirSync(arsenal);
  const marker = path.join(base, 'MARKER');
  const hooks = path.join(arsenal, 'hooks');
  fs.mkdirSync(hooks);
  for (const hook of HOOKS) {
    armedProgram(hooks, marker, hook);
    armedProgram(path.join(repo, '.git', 'hooks'), marker, hook);
  }
  const program = (name: string) => armedProgram(arsenal, marker, name);
  const settings: Array<[string, string]> = [
    ['core.hooksPath', hooks],
    ['core.fsmonitor', program('fsmonitor')],
    ['filter.evil.clean', program('clean')],
    ['filter.evil.smudge', program('smudge')],
    ['filter.evil.required', 'true'],
    ['diff.evil.textconv', program('textconv')],
    ['diff.external', program('external-diff')],
    ['core.pager', program('pager')],
    ['pager.status', program('pager-status')],
    ['credential.helper', `!${program('credential')}`],
    ['core.sshCommand', program('ssh')],
    ['gc.auto', '1'],
  ];
  for (const [key, value] of settings) userGit(repo, ['config', key, value]);
  // Only for linked worktrees: a filter driver (with a long-running `process`) that the main repository does not have.
  const late = path.join(arsenal, 'late.inc');
  fs.writeFileSync(late, `[filter "late"]\n\tprocess = ${program('late-process')}\n\tsmudge = ${program('late-smudge')}\n\tclean = ${program('late-clean')}\n\trequired = true\n`);
  userGit(repo, ['config', 'includeIf.gitdir:**/worktrees/**.path', late]);
  return { base, repo, marker };
}

const ran = (marker: string) => (fs.existsSync(marker) ? fs.readFileSync(marker, 'utf8') : '');

describe('a hostile repository configuration runs nothing', () => {
  it('the corpus is armed: plain git runs its programs', () => {
    const { repo, marker } = hostileRepo();
    write(repo, 'code.txt', 'changed\n');
    userGit(repo, ['status']);
    userGit(repo, ['add', 'code.txt']);
    expect(ran(marker)).toMatch(/fsmonitor|clean/);
    // The includeIf-only driver is live in a linked worktree; the hooks run on a commit.
    // (It fails: the armed `process` filter does not speak the protocol, and the driver is required.)
    expect(() => userGit(repo, ['worktree', 'add', '--detach', path.join(tempFolder(), 'control')])).toThrow(/filter late failed/);
    expect(ran(marker)).toMatch(/late-(process|smudge)/);
    userGit(repo, ['commit', '-q', '--allow-empty', '-m', 'hooks run']);
    expect(ran(marker)).toMatch(/pre-commit/);
  });

  it('isAvailable, create (uncommitted changes included), changes, remove and cleanupStale run none of them', async () => {
    const { repo, marker } = hostileRepo();
    write(repo, 'code.txt', 'committed text\nuncommitted\n');
    write(repo, 'readme.md', 'committed readme\nuncommitted\n');
    write(repo, 'untracked.txt', 'untracked\n');
    const manager = new WorktreeManager();
    expect(await manager.isAvailable(repo)).toMatchObject({ available: true });
    const wt = await manager.create(repo, 'hostile');
    // Checked out raw (no smudge), the user's state copied byte for byte.
    expect(read(wt.path, '.gitattributes')).toBe('* filter=evil diff=evil\n*.md filter=late\n');
    expect(read(wt.path, 'code.txt')).toBe('committed text\nuncommitted\n');
    expect(read(wt.path, 'readme.md')).toBe('committed readme\nuncommitted\n');
    write(wt.path, 'code.txt', 'committed text\nuncommitted\nagent\n');
    write(wt.path, 'new.md', 'agent readme\n');
    const { changeSet } = await manager.changes(wt);
    expect(changeSet.changes.map((c) => [path.relative(repo, c.path), c.kind, c.oldText])).toEqual([
      ['code.txt', 'update', 'committed text\nuncommitted\n'],
      ['new.md', 'add', undefined],
    ]);
    await manager.remove(wt);
    await manager.cleanupStale(repo);
    expect(ran(marker)).toBe('');
    expect(fs.existsSync(wt.path)).toBe(false);
  });

  it('a `.git` file pointing at another repository: its configuration runs nothing either', async () => {
    const { base, repo, marker } = hostileRepo();
    const workspace = path.join(base, 'workspace');
    fs.mkdirSync(workspace);
    fs.writeFileSync(path.join(workspace, '.git'), `gitdir: ${path.join(repo, '.git')}\n`);
    write(workspace, 'code.txt', 'what the workspace holds\n');
    const manager = new WorktreeManager();
    const availability = await manager.isAvailable(workspace);
    expect(availability).toMatchObject({ available: true, repo: { toplevel: workspace, gitDir: path.join(repo, '.git') } });
    const wt = await manager.create(workspace, 'pointer');
    // Next to the workspace git named, never inside the repository the file points to.
    expect(path.dirname(wt.path)).toBe(path.join(base, '.tandem-worktrees', 'workspace'));
    expect(read(wt.path, 'code.txt')).toBe('what the workspace holds\n');
    await manager.changes(wt);
    await manager.remove(wt);
    expect(ran(marker)).toBe('');
    expect(userGit(repo, ['worktree', 'list']).trim().split('\n')).toHaveLength(1);
  });

  it('core.worktree pointing away from the workspace: not offered', async () => {
    const { repo } = makeRepo({ 'a.txt': 'a\n' });
    const elsewhere = tempFolder();
    userGit(repo, ['config', 'core.worktree', elsewhere]);
    expect(await new WorktreeManager().isAvailable(repo)).toEqual({ available: false, reason: 'git places the work tree outside the workspace (core.worktree)' });
  });
});

describe('copying the workspace never leaves it', () => {
  it('links pointing out are not copied or followed; links inside are kept as links', async () => {
    const outside = tempFolder('tandem-outside-');
    write(outside, 'secret.txt', 'SECRET-OUTSIDE\n');
    const { repo } = makeRepo({ 'a.txt': 'a\n' });
    fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(repo, 'abs-link'));
    fs.symlinkSync('../../' + path.basename(outside) + '/secret.txt', path.join(repo, 'rel-link'));
    fs.symlinkSync(outside, path.join(repo, 'dir-link'));
    fs.symlinkSync('a.txt', path.join(repo, 'inside-link'));
    const manager = new WorktreeManager();
    const wt = await manager.create(repo, 'links');
    expect(Object.fromEntries(wt.skipped.map((s) => [s.path, s.reason]))).toEqual({
      'abs-link': 'a symbolic link pointing outside the repository',
      'rel-link': 'a symbolic link pointing outside the repository',
      'dir-link': 'a symbolic link pointing outside the repository',
    });
    expect(fs.readlinkSync(path.join(wt.path, 'inside-link'))).toBe('a.txt');
    for (const name of ['abs-link', 'rel-link', 'dir-link']) expect(fs.existsSync(path.join(wt.path, name))).toBe(false);
    expect(JSON.stringify(fs.readdirSync(wt.metaDir, { recursive: true }))).not.toContain('secret');
    await manager.remove(wt);
    expect(read(outside, 'secret.txt')).toBe('SECRET-OUTSIDE\n');
  });

  it('a committed link to a folder outside is never written through', async () => {
    const outside = tempFolder('tandem-outside-');
    const { repo } = makeRepo({ 'a.txt': 'a\n' });
    fs.symlinkSync(outside, path.join(repo, 'lib'));
    userGit(repo, ['add', 'lib']);
    userGit(repo, ['commit', '-q', '--no-verify', '-m', 'a link']);
    // The user turned the link into a real folder (uncommitted): its file must land in the worktree's own folder.
    fs.rmSync(path.join(repo, 'lib'));
    write(repo, 'lib/x.txt', 'inside lib\n');
    const manager = new WorktreeManager();
    const wt = await manager.create(repo, 'committed-link');
    expect(fs.readdirSync(outside)).toEqual([]);
    expect(fs.lstatSync(path.join(wt.path, 'lib')).isDirectory()).toBe(true);
    expect(read(wt.path, 'lib/x.txt')).toBe('inside lib\n');
    // The agent writes under its own link to outside: not followed on the way back either.
    fs.symlinkSync(outside, path.join(wt.path, 'out'));
    const { changeSet, skipped } = await manager.changes(wt);
    expect(changeSet.changes).toEqual([]);
    expect(skipped).toEqual([{ path: 'out', reason: 'a symbolic link (links are not carried back)' }]);
    await manager.remove(wt);
    expect(fs.readdirSync(outside)).toEqual([]);
  });

  it('oversized files and files past the copy limits are skipped and named', async () => {
    const { repo } = makeRepo({ 'a.txt': 'a\n' });
    write(repo, 'huge.log', Buffer.alloc(5 * 1024 * 1024, 0x61));
    write(repo, 'one.txt', '1\n');
    write(repo, 'two.txt', '2\n');
    write(repo, 'three.txt', '3\n');
    const manager = new WorktreeManager({ limits: { maxCopyFiles: 2 } });
    const wt = await manager.create(repo, 'limits');
    expect(wt.skipped).toEqual([
      { path: 'huge.log', reason: `larger than ${4 * 1024 * 1024} bytes (${5 * 1024 * 1024})` },
      { path: 'two.txt', reason: `over the copy limit (2 files, ${128 * 1024 * 1024} bytes)` },
    ]);
    expect(fs.existsSync(path.join(wt.path, 'huge.log'))).toBe(false);
    expect(fs.readdirSync(wt.path).sort()).toEqual(['.git', 'a.txt', 'one.txt', 'three.txt']);
    await manager.remove(wt);
  });
});
