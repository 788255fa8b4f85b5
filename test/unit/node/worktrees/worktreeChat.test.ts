// A chat's worktree against real git repositories in temp folders: it outlives the window (a new manager in
// another process finds it again from Tandem's records, never from the worktree), cleanupStale keeps it as
// long as its chat exists whatever its age or owner process, a bring-back moves the baseline of what came
// back (exactly the accepted hunks) so the next one offers only what is new, and what the agent committed
// in the worktree still counts.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { broughtBackEntries, protectedName } from '../../../../src/node/worktrees/broughtBack';
import { WorktreeManager } from '../../../../src/node/worktrees/worktreeManager';
import { cleanupFolders, makeRepo, read, userGit, write } from './gitFixture';

afterEach(cleanupFolders);

const DAY = 24 * 60 * 60 * 1000;
const exitedPid = () => spawnSync(process.execPath, ['-e', '0']).pid!;
const changedPaths = (changes: { changeSet: { changes: { path: string; kind: string }[] } }, top: string) =>
  changes.changeSet.changes.map((c) => `${c.kind} ${path.relative(top, c.path)}`).sort();

describe('a chat’s worktree across a reload (attach)', () => {
  it('is found again by a new process from the handle, with the commit and baseline it was made with', async () => {
    const { repo } = makeRepo({ 'a.txt': 'one\n', 'b.txt': 'b\n' });
    write(repo, 'a.txt', 'one\nuncommitted\n');
    const before = new WorktreeManager();
    const wt = await before.create(repo, 'chat');
    before.claim(wt, 'chat-1');
    write(wt.path, 'a.txt', 'one\nuncommitted\nby the agent\n');
    // The user commits in the workspace meanwhile: the worktree still compares with what it was made from.
    userGit(repo, ['commit', '-qam', 'user commit']);
    write(repo, 'a.txt', 'one\nuncommitted\n');

    const after = new WorktreeManager({ ownerPid: process.pid });
    const again = await after.attach({ id: wt.id, path: wt.path, workspaceRoot: repo }, 'chat-1');
    expect(again).toMatchObject({ id: wt.id, path: wt.path, workspacePath: wt.path, gitDir: wt.gitDir, metaDir: wt.metaDir, baseline: wt.baseline });
    expect(again.repo.head).toBe(wt.repo.head);
    const changes = await after.changes(again);
    expect(changes.changeSet.changes).toEqual([{ path: path.join(repo, 'a.txt'), kind: 'update', oldText: 'one\nuncommitted\n', newText: 'one\nuncommitted\nby the agent\n' }]);
    expect(changes.conflicts).toEqual([]);
  });

  it('refuses a handle that is not the chat’s own worktree of this workspace, and says why', async () => {
    const { repo } = makeRepo({ 'a.txt': 'a\n' });
    const other = makeRepo({ 'x.txt': 'x\n' }).repo;
    const manager = new WorktreeManager();
    const wt = await manager.create(repo, 'chat');
    manager.claim(wt, 'chat-1');
    const handle = { id: wt.id, path: wt.path, workspaceRoot: repo };
    await expect(manager.attach(handle, 'chat-2')).rejects.toThrow(/another chat/);
    await expect(manager.attach({ ...handle, workspaceRoot: other }, 'chat-1')).rejects.toThrow(/not this workspace/);
    await expect(manager.attach({ ...handle, id: 'Not-Ours' }, 'chat-1')).rejects.toThrow(/not one Tandem made/);
    // A folder of a Tandem-like name elsewhere (no record next to it) is not taken for the worktree.
    const planted = path.join(path.dirname(repo), wt.id);
    fs.mkdirSync(planted);
    await expect(manager.attach({ ...handle, path: planted }, 'chat-1')).rejects.toThrow(/gone|not this workspace/);
    // A baseline record naming a blob outside its folder makes the record unusable, not a read elsewhere.
    fs.writeFileSync(path.join(wt.metaDir, 'baseline.json'), JSON.stringify({ 'a.txt': { kind: 'file', blob: '../../../etc/passwd', mode: 420 } }));
    await expect(manager.attach(handle, 'chat-1')).rejects.toThrow(/not well formed/);
    fs.writeFileSync(path.join(wt.metaDir, 'baseline.json'), JSON.stringify({ '../outside.txt': { kind: 'absent' } }));
    await expect(manager.attach(handle, 'chat-1')).rejects.toThrow(/unusable path/);
    await manager.remove(wt);
    await expect(manager.attach(handle, 'chat-1')).rejects.toThrow(/gone/);
  });
});

describe('cleanupStale and chats’ worktrees', () => {
  it('never removes a chat’s worktree while the chat exists, whatever its age or owner process', async () => {
    const { repo } = makeRepo({ 'a.txt': 'a\n' });
    let now = Date.now();
    const window1 = new WorktreeManager({ ownerPid: exitedPid(), now: () => now });
    const kept = await window1.create(repo, 'kept');
    window1.claim(kept, 'chat-kept');
    const orphan = await window1.create(repo, 'orphan');
    window1.claim(orphan, 'chat-closed');
    const subagent = await window1.create(repo, 'agent-1');
    now += 2 * DAY;

    // The window reloaded (its process is gone). Other callers (a session's start) know no chats: chats' worktrees stay.
    const window2 = new WorktreeManager({ now: () => now });
    expect(await window2.cleanupStale(repo)).toEqual([subagent.path]);
    expect(fs.existsSync(kept.path) && fs.existsSync(orphan.path)).toBe(true);
    // The chats' own window knows which chats exist: only the one whose chat is gone goes.
    expect(await window2.cleanupStale(repo, { chatExists: (id) => id === 'chat-kept' })).toEqual([orphan.path]);
    expect(fs.existsSync(kept.path)).toBe(true);
    // Reattached by the new window, it is that window's: kept even when asked about no chat at all.
    await window2.attach({ id: kept.id, path: kept.path, workspaceRoot: repo }, 'chat-kept');
    expect(await window2.cleanupStale(repo, { chatExists: () => false })).toEqual([]);
    expect(fs.existsSync(kept.path)).toBe(true);
  });
});

describe('rebaseline after a bring-back', () => {
  it('offers next time only what differs from what the workspace took; rejected and new edits come again', async () => {
    const { repo } = makeRepo({ 'a.txt': 'a1\na2\na3\na4\na5\na6\na7\na8\n', 'gone.txt': 'gone\n', 'keep.txt': 'keep\n' });
    const manager = new WorktreeManager();
    const wt = await manager.create(repo, 'chat');
    write(wt.path, 'a.txt', 'A1\na2\na3\na4\na5\na6\na7\nA8\n');
    write(wt.path, 'new.txt', 'new\n');
    fs.rmSync(path.join(wt.path, 'gone.txt'));
    expect(changedPaths(await manager.changes(wt), repo)).toEqual(['add new.txt', 'delete gone.txt', 'update a.txt']);

    // The user accepted a.txt's first hunk (not the last), the new file and the delete; the workspace now holds that.
    write(repo, 'a.txt', 'A1\na2\na3\na4\na5\na6\na7\na8\n');
    write(repo, 'new.txt', 'new\n');
    fs.rmSync(path.join(repo, 'gone.txt'));
    manager.rebaseline(wt, [
      { path: 'a.txt', content: Buffer.from('A1\na2\na3\na4\na5\na6\na7\na8\n') },
      { path: 'new.txt', content: Buffer.from('new\n') },
      { path: 'gone.txt', content: undefined },
    ]);
    const second = await manager.changes(wt);
    expect(second.changeSet.changes).toEqual([{ path: path.join(repo, 'a.txt'), kind: 'update', oldText: 'A1\na2\na3\na4\na5\na6\na7\na8\n', newText: 'A1\na2\na3\na4\na5\na6\na7\nA8\n' }]);
    expect(second.conflicts).toEqual([]);

    // The agent goes on: only its new edit comes with the one rejected before.
    write(wt.path, 'keep.txt', 'keep\nmore\n');
    expect(changedPaths(await manager.changes(wt), repo)).toEqual(['update a.txt', 'update keep.txt']);
    // The moved baseline is recorded: a reattached worktree offers the same.
    manager.claim(wt, 'chat-1');
    const again = await new WorktreeManager().attach({ id: wt.id, path: wt.path, workspaceRoot: repo }, 'chat-1');
    expect(changedPaths(await manager.changes(again), repo)).toEqual(['update a.txt', 'update keep.txt']);
    expect(read(repo, 'keep.txt')).toBe('keep\n');
  });

  it('refuses paths outside the work tree or in .git', async () => {
    const { repo } = makeRepo({ 'a.txt': 'a\n' });
    const manager = new WorktreeManager();
    const wt = await manager.create(repo, 'chat');
    for (const bad of ['../x', '/etc/passwd', 'a/../../x', '.git/config', 'sub/.GIT/hooks/pre-commit', '']) {
      expect(() => manager.rebaseline(wt, [{ path: bad, content: Buffer.from('x') }])).toThrow(/cannot rebaseline/);
    }
    expect(wt.baseline).toEqual({});
  });
});

describe('changes the agent committed in its worktree', () => {
  it('still come back (compared with the commit the worktree was made at)', async () => {
    const { repo } = makeRepo({ 'a.txt': 'a\n', 'b.txt': 'b\n' });
    const manager = new WorktreeManager();
    const wt = await manager.create(repo, 'chat');
    write(wt.path, 'a.txt', 'a\ncommitted\n');
    write(wt.path, 'c.txt', 'c\n');
    fs.rmSync(path.join(wt.path, 'b.txt'));
    userGit(wt.path, ['add', '-A']);
    userGit(wt.path, ['commit', '-qm', 'agent commit']);
    write(wt.path, 'c.txt', 'c\nafter the commit\n');
    expect(changedPaths(await manager.changes(wt), repo)).toEqual(['add c.txt', 'delete b.txt', 'update a.txt']);
  });
});

describe('what a bring-back left in the workspace (broughtBackEntries)', () => {
  it('is the proposed-against text with exactly the accepted hunks; adds, deletes and moves when accepted', async () => {
    const { repo } = makeRepo({ 'a.txt': '\uFEFFa1\na2\na3\na4\na5\na6\na7\na8\n', 'gone.txt': 'gone\n', 'old.txt': 'moved\n', 'kept.txt': 'kept\n' });
    const manager = new WorktreeManager();
    const wt = await manager.create(repo, 'chat');
    write(wt.path, 'a.txt', '\uFEFFA1\na2\na3\na4\na5\na6\na7\nA8\n');
    write(wt.path, 'new.txt', 'new\n');
    write(wt.path, 'rejected.txt', 'no\n');
    fs.rmSync(path.join(wt.path, 'gone.txt'));
    fs.renameSync(path.join(wt.path, 'old.txt'), path.join(wt.path, 'moved.txt'));
    const { changeSet } = await manager.changes(wt);
    const index = (rel: string) => changeSet.changes.findIndex((c) => c.path === path.join(repo, rel)) + 1;
    // a.txt's first hunk, the add, the delete and the move accepted; rejected.txt and a.txt's last hunk not.
    const accepted = new Set([`${index('a.txt')}.1`, `${index('new.txt')}.1`, `${index('gone.txt')}.1`, `${index('old.txt')}.1`]);
    const entries = broughtBackEntries(changeSet, accepted, repo);
    expect(entries.map((e) => [e.path, e.content?.toString('utf8')]).sort()).toEqual([
      ['a.txt', '\uFEFFA1\na2\na3\na4\na5\na6\na7\na8\n'],
      ['gone.txt', undefined],
      ['moved.txt', 'moved\n'],
      ['new.txt', 'new\n'],
      ['old.txt', undefined],
    ]);
    // As the workspace holds after such a review: the next bring-back offers the rest only.
    write(repo, 'a.txt', '\uFEFFA1\na2\na3\na4\na5\na6\na7\na8\n');
    write(repo, 'new.txt', 'new\n');
    write(repo, 'moved.txt', 'moved\n');
    fs.rmSync(path.join(repo, 'gone.txt'));
    fs.rmSync(path.join(repo, 'old.txt'));
    manager.rebaseline(wt, entries);
    const next = await manager.changes(wt);
    expect(changedPaths(next, repo)).toEqual(['add rejected.txt', 'update a.txt']);
    expect(next.conflicts).toEqual([]);
    expect(next.changeSet.changes.find((c) => c.kind === 'update')).toMatchObject({ oldText: '\uFEFFA1\na2\na3\na4\na5\na6\na7\na8\n', newText: '\uFEFFA1\na2\na3\na4\na5\na6\na7\nA8\n' });
  });
});

describe('protected names in a bring-back', () => {
  it('are core’s protected names at any depth and case, and every .git* name; ordinary files are not', () => {
    for (const p of ['.vscode/settings.json', 'sub/.VSCode/tasks.json', 'AGENTS.md', 'pkg/agents.md', '.mcp.json', 'x/.MCP.JSON', '.tandem/skills/a/SKILL.md', '.agents/skills/x.md', '.gitattributes', 'lib/.gitmodules', '.github/workflows/ci.yml', '.GitIgnore']) {
      expect(protectedName(p), p).toBeDefined();
    }
    for (const p of ['src/vscode.ts', 'docs/agents.md.txt', 'mcp.json', 'my.git/file', 'src/git.ts', 'notes/.vscodeignore-not']) {
      expect(protectedName(p), p).toBeUndefined();
    }
  });
});
