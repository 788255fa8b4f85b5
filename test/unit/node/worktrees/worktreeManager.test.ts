// WorktreeManager against real git repositories in temp folders: where a worktree goes and what it starts
// from (HEAD plus the user's uncommitted state, ignored files left out), what comes back (only the agent's
// own edits: add, delete, update, move; binary files and links named, not carried), a file the user
// changed meanwhile going stale instead of being overwritten, removal, and crash leftovers.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createChangeSetReview } from '../../../../src/core/review/changeSetReview';
import { writeChangeSetAtomically } from '../../../../src/node/fsChangeSetWriter';
import { WorktreeManager, WorktreeUnavailableError } from '../../../../src/node/worktrees/worktreeManager';
import { cleanupFolders, makeRepo, read, tempFolder, userGit, write } from './gitFixture';

afterEach(cleanupFolders);

const byPath = <T extends { path: string }>(items: readonly T[]) => new Map(items.map((item) => [item.path, item]));

describe('WorktreeManager availability', () => {
  it('is not offered outside git, nor in a repository without a commit, and says why', async () => {
    const manager = new WorktreeManager();
    const plain = tempFolder();
    expect(await manager.isAvailable(plain)).toEqual({ available: false, reason: 'the workspace is not a git repository (worktrees need git)' });
    await expect(manager.create(plain, 'x')).rejects.toBeInstanceOf(WorktreeUnavailableError);
    const empty = tempFolder();
    userGit(empty, ['init', '-q']);
    expect(await manager.isAvailable(empty)).toEqual({ available: false, reason: 'the repository has no commit yet (a worktree starts from one)' });
    expect(fs.readdirSync(path.dirname(empty)).filter((n) => n === '.tandem-worktrees')).toEqual([]);
  });

  it('is not offered without a git executable', async () => {
    const { repo } = makeRepo({ 'a.txt': 'a\n' });
    expect(await new WorktreeManager({ git: path.join(tempFolder(), 'no-git-here') }).isAvailable(repo)).toEqual({ available: false, reason: 'git is not installed' });
  });

  it('is offered in a repository with a commit, from a subfolder too', async () => {
    const { repo } = makeRepo({ 'pkg/a.txt': 'a\n' });
    const manager = new WorktreeManager();
    const availability = await manager.isAvailable(path.join(repo, 'pkg'));
    expect(availability).toMatchObject({ available: true, repo: { toplevel: repo, gitDir: path.join(repo, '.git'), commonDir: path.join(repo, '.git') } });
  });
});

describe('WorktreeManager.create', () => {
  it('checks HEAD out next to the repository, not inside it, and carries the uncommitted state over as the baseline', async () => {
    const { base, repo } = makeRepo({ 'src/kept.txt': 'kept\n', 'src/edited.txt': 'one\n', 'src/gone.txt': 'gone\n', 'staged.txt': 'old\n', '.gitignore': 'build/\n' });
    write(repo, 'src/edited.txt', 'one\ntwo (uncommitted)\n');
    fs.rmSync(path.join(repo, 'src/gone.txt'));
    write(repo, 'staged.txt', 'new, staged\n');
    userGit(repo, ['add', 'staged.txt']);
    write(repo, 'notes/untracked.md', 'draft\n');
    write(repo, 'build/output.bin', 'ignored\n');
    const statusBefore = userGit(repo, ['status', '--porcelain']);

    const manager = new WorktreeManager();
    const wt = await manager.create(repo, 'Fix the Parser!');

    expect(path.dirname(wt.path)).toBe(path.join(base, '.tandem-worktrees', 'repo'));
    expect(path.basename(wt.path)).toMatch(/^fix-the-parser-[0-9a-f]{8}$/);
    expect(wt.workspacePath).toBe(wt.path);
    // Nothing new in the user's repository: same status, the worktree is not an untracked folder of it.
    expect(userGit(repo, ['status', '--porcelain'])).toBe(statusBefore);
    expect(userGit(repo, ['worktree', 'list', '--porcelain'])).toContain(`worktree ${wt.path}\nHEAD ${wt.repo.head}\ndetached`);
    // What the user sees, not what was committed; ignored files stay behind.
    expect(read(wt.path, 'src/kept.txt')).toBe('kept\n');
    expect(read(wt.path, 'src/edited.txt')).toBe('one\ntwo (uncommitted)\n');
    expect(fs.existsSync(path.join(wt.path, 'src/gone.txt'))).toBe(false);
    expect(read(wt.path, 'staged.txt')).toBe('new, staged\n');
    expect(read(wt.path, 'notes/untracked.md')).toBe('draft\n');
    expect(fs.existsSync(path.join(wt.path, 'build'))).toBe(false);
    expect(Object.keys(wt.baseline).sort()).toEqual(['notes/untracked.md', 'src/edited.txt', 'src/gone.txt', 'staged.txt']);
    // The copy is the baseline: nothing has changed yet.
    const result = await manager.changes(wt);
    expect(result.changeSet.changes).toEqual([]);
    expect(result.skipped).toEqual([]);
    await manager.remove(wt);
  });

  it('maps a workspace subfolder to the same subfolder of the worktree', async () => {
    const { repo } = makeRepo({ 'pkg/a.txt': 'a\n', 'other.txt': 'o\n' });
    const manager = new WorktreeManager();
    const wt = await manager.create(path.join(repo, 'pkg'), 'sub');
    expect(wt.workspacePath).toBe(path.join(wt.path, 'pkg'));
    expect(read(wt.workspacePath, 'a.txt')).toBe('a\n');
    await manager.remove(wt);
  });

  it('never reuses a folder that exists: a colliding name gets a new id and the folder there is left alone', async () => {
    const { base, repo } = makeRepo({ 'a.txt': 'a\n' });
    const taken = path.join(base, '.tandem-worktrees', 'repo', 'job-00000000');
    write(taken, 'mine.txt', 'the user made this\n');
    const ids = ['00000000', '11111111'];
    const manager = new WorktreeManager({ newId: () => ids.shift()! });
    const wt = await manager.create(repo, 'job');
    expect(wt.path).toBe(path.join(base, '.tandem-worktrees', 'repo', 'job-11111111'));
    expect(fs.readdirSync(taken)).toEqual(['mine.txt']);
    expect(fs.existsSync(path.join(base, '.tandem-worktrees', 'repo', '.job-00000000.tandem'))).toBe(false);
    await manager.remove(wt);
    expect(read(taken, 'mine.txt')).toBe('the user made this\n');
  });

  it('refuses a folder for worktrees that is a link or inside the repository', async () => {
    const { repo } = makeRepo({ 'a.txt': 'a\n' });
    const elsewhere = tempFolder();
    const link = path.join(tempFolder(), 'wts');
    fs.symlinkSync(elsewhere, link);
    await expect(new WorktreeManager({ containerFor: () => link }).create(repo, 'x')).rejects.toThrow(/not a plain folder/);
    await expect(new WorktreeManager({ containerFor: () => path.join(repo, 'wts') }).create(repo, 'x')).rejects.toThrow(/inside the repository/);
    expect(fs.readdirSync(elsewhere)).toEqual([]);
    expect(fs.existsSync(path.join(repo, 'wts'))).toBe(false);
    expect(userGit(repo, ['worktree', 'list']).trim().split('\n')).toHaveLength(1);
  });
});

describe('WorktreeManager.changes', () => {
  it('returns only what the agent did: update per hunk, add, delete, move, on the workspace paths', async () => {
    const lines = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`).join('\n') + '\n';
    const { repo } = makeRepo({ 'long.txt': lines, 'del.txt': 'delete me\n', 'old/name.txt': 'moved content\n', 'untouched.txt': 'u\n' });
    write(repo, 'wip.txt', 'user work in progress\n');
    const manager = new WorktreeManager();
    const wt = await manager.create(repo, 'agent');
    write(wt.path, 'long.txt', lines.replace('line 2\n', 'line 2 changed\n').replace('line 28\n', 'line 28 changed\n'));
    write(wt.path, 'added/new.txt', 'brand new\n');
    fs.rmSync(path.join(wt.path, 'del.txt'));
    fs.mkdirSync(path.join(wt.path, 'new'));
    fs.renameSync(path.join(wt.path, 'old/name.txt'), path.join(wt.path, 'new/name.txt'));
    write(wt.path, 'wip.txt', 'user work in progress\nfinished by the agent\n');

    const { changeSet, conflicts, skipped } = await manager.changes(wt);
    expect(conflicts).toEqual([]);
    expect(skipped).toEqual([]);
    const changes = byPath(changeSet.changes);
    expect([...changes.keys()].sort()).toEqual(['added/new.txt', 'del.txt', 'long.txt', 'old/name.txt', 'wip.txt'].map((p) => path.join(repo, p)));
    expect(changes.get(path.join(repo, 'added/new.txt'))).toEqual({ path: path.join(repo, 'added/new.txt'), kind: 'add', oldText: undefined, newText: 'brand new\n' });
    expect(changes.get(path.join(repo, 'del.txt'))).toEqual({ path: path.join(repo, 'del.txt'), kind: 'delete', oldText: 'delete me\n', newText: undefined });
    expect(changes.get(path.join(repo, 'old/name.txt'))).toEqual({ path: path.join(repo, 'old/name.txt'), kind: 'update', movePath: path.join(repo, 'new/name.txt'), oldText: 'moved content\n', newText: 'moved content\n' });
    // The baseline of the user's uncommitted file is what they had, not HEAD (where it did not exist).
    expect(changes.get(path.join(repo, 'wip.txt'))).toMatchObject({ kind: 'update', oldText: 'user work in progress\n' });
    // Reviewable per hunk like any patch: two separate hunks in long.txt.
    const review = createChangeSetReview(changeSet, 'turn-1', (p) => p);
    expect(review.files.find((f) => f.path === path.join(repo, 'long.txt'))!.hunks).toHaveLength(2);

    // The main workspace is untouched until the change set is applied; then it holds the agent's result.
    expect(fs.existsSync(path.join(repo, 'added/new.txt'))).toBe(false);
    await writeChangeSetAtomically(changeSet);
    expect(read(repo, 'added/new.txt')).toBe('brand new\n');
    expect(fs.existsSync(path.join(repo, 'del.txt'))).toBe(false);
    expect(read(repo, 'new/name.txt')).toBe('moved content\n');
    expect(fs.existsSync(path.join(repo, 'old/name.txt'))).toBe(false);
    expect(read(repo, 'long.txt')).toContain('line 28 changed\n');
    expect(read(repo, 'wip.txt')).toBe('user work in progress\nfinished by the agent\n');
    await manager.remove(wt);
  });

  it('names binary files, links and oversized files instead of carrying them', async () => {
    const { repo } = makeRepo({ 'image.png': 'placeholder\n', 'a.txt': 'a\n' });
    const manager = new WorktreeManager({ limits: { maxFileBytes: 1000 } });
    const wt = await manager.create(repo, 'bin');
    fs.writeFileSync(path.join(wt.path, 'image.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0xff, 0xfe, 0x00]));
    fs.writeFileSync(path.join(wt.path, 'new.bin'), Buffer.from([0xff, 0x00, 0xc3]));
    fs.symlinkSync('/etc/passwd', path.join(wt.path, 'link'));
    write(wt.path, 'big.txt', 'x'.repeat(2000));
    write(wt.path, 'a.txt', 'a\nb\n');
    const { changeSet, skipped } = await manager.changes(wt);
    expect(changeSet.changes.map((c) => c.path)).toEqual([path.join(repo, 'a.txt')]);
    expect(Object.fromEntries(skipped.map((s) => [s.path, s.reason]))).toEqual({
      'image.png': 'binary (not UTF-8 text): the review edits text only',
      'new.bin': 'binary (not UTF-8 text): the review edits text only',
      link: 'a symbolic link (links are not carried back)',
      'big.txt': 'larger than the limit (2000 bytes)',
    });
    await manager.remove(wt);
  });

  it('names an executable bit the agent set or cleared (modes are not carried), and still carries the text', async () => {
    const { repo } = makeRepo({ 'run.sh': 'echo run\n', 'tool.sh': 'echo tool\n', 'same.txt': 'same\n' });
    fs.chmodSync(path.join(repo, 'tool.sh'), 0o755);
    userGit(repo, ['add', 'tool.sh']);
    userGit(repo, ['commit', '-q', '--no-verify', '-m', 'tool is executable']);
    const manager = new WorktreeManager();
    const wt = await manager.create(repo, 'modes');
    fs.chmodSync(path.join(wt.path, 'run.sh'), 0o755); // mode only
    fs.chmodSync(path.join(wt.path, 'tool.sh'), 0o644); // mode only, the other way
    fs.writeFileSync(path.join(wt.path, 'new.sh'), 'echo new\n', { mode: 0o755 }); // a new executable script
    write(wt.path, 'same.txt', 'same\nmore\n'); // text only: no note
    const { changeSet, skipped } = await manager.changes(wt);
    expect(changeSet.changes.map((c) => [path.relative(repo, c.path), c.kind]).sort()).toEqual([
      ['new.sh', 'add'],
      ['same.txt', 'update'],
    ]);
    const reasons = Object.fromEntries(skipped.map((s) => [s.path, s.reason]));
    expect(Object.keys(reasons).sort()).toEqual(['new.sh', 'run.sh', 'tool.sh']);
    expect(reasons['run.sh']).toMatch(/^made executable in the worktree/);
    expect(reasons['new.sh']).toMatch(/^made executable in the worktree/);
    expect(reasons['tool.sh']).toMatch(/^made non-executable in the worktree/);
    await manager.remove(wt);
  });

  it('carries names with newlines, quotes and non-ASCII letters both ways', async () => {
    const odd = ['dir with space/ünïcødé 😀.txt', 'new\nline.txt', 'quote"back\\slash.txt'];
    const { repo } = makeRepo({ [odd[0]!]: 'one\n' });
    write(repo, odd[0]!, 'one\nuser edit\n');
    write(repo, odd[1]!, 'untracked with a newline in its name\n');
    const manager = new WorktreeManager();
    const wt = await manager.create(repo, 'names');
    expect(read(wt.path, odd[0]!)).toBe('one\nuser edit\n');
    expect(read(wt.path, odd[1]!)).toBe('untracked with a newline in its name\n');
    write(wt.path, odd[0]!, 'one\nuser edit\nagent edit\n');
    write(wt.path, odd[2]!, 'added\n');
    const { changeSet, skipped } = await manager.changes(wt);
    expect(skipped).toEqual([]);
    expect(changeSet.changes.map((c) => [c.path, c.kind, c.oldText])).toEqual([
      [path.join(repo, odd[0]!), 'update', 'one\nuser edit\n'],
      [path.join(repo, odd[2]!), 'add', undefined],
    ]);
    await manager.remove(wt);
  });

  it('a file the user changed in the workspace meanwhile is a conflict: stale in review, refused by the writer, never overwritten', async () => {
    const { repo } = makeRepo({ 'shared.txt': 'base\n', 'free.txt': 'free\n' });
    const manager = new WorktreeManager();
    const wt = await manager.create(repo, 'conflict');
    write(wt.path, 'shared.txt', 'base\nagent line\n');
    write(wt.path, 'both-new.txt', 'agent version\n');
    write(wt.path, 'free.txt', 'free\nagent\n');
    // The user goes on working in the main workspace meanwhile.
    write(repo, 'shared.txt', 'base\nuser line\n');
    write(repo, 'both-new.txt', 'user version\n');
    // A folder the user made where the agent made a file: something is there, never replaced.
    write(wt.path, 'thing', 'agent file\n');
    write(repo, 'thing/user.txt', 'user folder\n');

    const { changeSet, conflicts } = await manager.changes(wt);
    expect(conflicts).toEqual([
      { path: 'both-new.txt', reason: 'created in the workspace since the worktree was made' },
      { path: 'shared.txt', reason: 'changed in the workspace since the worktree was made' },
      { path: 'thing', reason: 'created in the workspace since the worktree was made' },
    ]);
    const changes = byPath(changeSet.changes);
    // Made against the baseline: the review compares it with the file now and marks the hunks stale.
    expect(changes.get(path.join(repo, 'shared.txt'))).toMatchObject({ kind: 'update', oldText: 'base\n' });
    // An add over a file that appeared is an update of an empty file: stale too, not an overwrite.
    expect(changes.get(path.join(repo, 'both-new.txt'))).toMatchObject({ kind: 'update', oldText: '', newText: 'agent version\n' });
    for (const name of ['shared.txt', 'both-new.txt']) expect(changes.get(path.join(repo, name))!.oldText).not.toBe(read(repo, name));
    await expect(writeChangeSetAtomically(changeSet)).rejects.toThrow();
    expect(read(repo, 'shared.txt')).toBe('base\nuser line\n');
    expect(read(repo, 'both-new.txt')).toBe('user version\n');
    expect(read(repo, 'free.txt')).toBe('free\n');
    expect(read(repo, 'thing/user.txt')).toBe('user folder\n');
    await manager.remove(wt);
  });

  it('a move whose source the user changed is split into a delete (stale) and an add', async () => {
    const { repo } = makeRepo({ 'from.txt': 'content\n' });
    const manager = new WorktreeManager();
    const wt = await manager.create(repo, 'move');
    fs.renameSync(path.join(wt.path, 'from.txt'), path.join(wt.path, 'to.txt'));
    write(repo, 'from.txt', 'content\nuser edit\n');
    const { changeSet, conflicts } = await manager.changes(wt);
    expect(conflicts.map((c) => c.path)).toEqual(['from.txt']);
    expect(changeSet.changes).toEqual([
      { path: path.join(repo, 'from.txt'), kind: 'delete', oldText: 'content\n', newText: undefined },
      { path: path.join(repo, 'to.txt'), kind: 'add', oldText: undefined, newText: 'content\n' },
    ]);
    await manager.remove(wt);
  });
});

describe('WorktreeManager.remove and cleanupStale', () => {
  it('remove deletes the folder, git forgets the worktree, Tandem forgets its record', async () => {
    const { base, repo } = makeRepo({ 'a.txt': 'a\n' });
    const manager = new WorktreeManager();
    const wt = await manager.create(repo, 'gone');
    write(wt.path, 'dirty.txt', 'uncommitted in the worktree\n');
    await manager.remove(wt);
    expect(fs.existsSync(wt.path)).toBe(false);
    expect(fs.existsSync(wt.metaDir)).toBe(false);
    expect(userGit(repo, ['worktree', 'list', '--porcelain'])).not.toContain(wt.path);
    expect(fs.readdirSync(path.join(base, '.tandem-worktrees', 'repo'))).toEqual([]);
  });

  it('cleanupStale removes worktrees whose owner is gone or that are older than a day, and keeps live ones', async () => {
    const { repo } = makeRepo({ 'a.txt': 'a\n' });
    const exited = spawnSync(process.execPath, ['-e', '0']).pid!;
    let now = Date.now();
    const crashed = await new WorktreeManager({ ownerPid: exited }).create(repo, 'crashed');
    const live = new WorktreeManager({ now: () => now });
    const running = await live.create(repo, 'running');

    expect(await live.cleanupStale(repo)).toEqual([crashed.path]);
    expect(fs.existsSync(crashed.path)).toBe(false);
    expect(fs.existsSync(running.path)).toBe(true);
    now += 25 * 60 * 60 * 1000;
    expect(await live.cleanupStale(repo)).toEqual([running.path]);
    expect(fs.existsSync(running.path)).toBe(false);
    expect(execFileSync('git', ['worktree', 'list'], { cwd: repo, encoding: 'utf8' }).trim().split('\n')).toHaveLength(1);
  });

  it('bounds how many worktrees one repository has', async () => {
    const { repo } = makeRepo({ 'a.txt': 'a\n' });
    const manager = new WorktreeManager({ limits: { maxWorktrees: 1 } });
    const first = await manager.create(repo, 'one');
    await expect(manager.create(repo, 'two')).rejects.toThrow(/limit 1/);
    await manager.remove(first);
  });
});
