// Which chat has which worktree (src/vscode/chats/chatWorktrees.ts), against real git repositories in temp
// folders and an in-memory workspaceState: a chat's edits go to its worktree only; a new window (same
// storage, a new manager) finds the chat's worktree again; a chat whose worktree was removed, or whose
// record is junk, never runs in the workspace instead; after a reload the worktree of a chat that never got
// a message goes when it holds nothing, every other recorded chat keeps its worktree, and a worktree whose
// chat is no longer recorded goes once its owner process is gone.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChangeSet } from '../../../src/core/patch/types';
import { WorktreeManager } from '../../../src/node/worktrees/worktreeManager';
import type { AgentEvent } from '../../../src/shared/events';
import { ChatWorktrees } from '../../../src/vscode/chats/chatWorktrees';
import { cleanupFolders, makeRepo, read, write } from '../node/worktrees/gitFixture';
import { MemoryMemento } from './memoryMemento';

afterEach(cleanupFolders);

const log = { warn: () => undefined, info: () => undefined };
const windowOn = (memento: MemoryMemento, root: string, trusted = true) => new ChatWorktrees(memento, log, () => ({ root, trusted }), new WorktreeManager());
const update = (file: string, oldText: string, newText: string, id = 'call_1'): ChangeSet => ({ id, changes: [{ path: file, kind: 'update', oldText, newText }] });

describe('a chat bound to a worktree', () => {
  it('writes its edits only there, and a new window finds the worktree again from the stored record', async () => {
    const { repo } = makeRepo({ 'calc.ts': 'one\ntwo\n' });
    const memento = new MemoryMemento();
    const first = windowOn(memento, repo);
    expect(await first.availability()).toMatchObject({ available: true });
    const wt = await first.create('chat');
    await first.bind('c1', wt);
    expect(first.facts('c1')).toEqual({ name: wt.id, path: wt.path });
    expect(first.isolated('c1') && !first.isolated('c2')).toBe(true);
    expect(await first.worktreeFor('c2')).toBeUndefined(); // a chat in the workspace

    const events: AgentEvent[] = [];
    const written = await first.write('c1', update(path.join(wt.workspacePath, 'calc.ts'), 'one\ntwo\n', 'one\n2\n'), 'c1-t1', (e) => events.push(e));
    expect(written.outcome).toBe('applied');
    expect(read(wt.path, 'calc.ts')).toBe('one\n2\n');
    expect(read(repo, 'calc.ts')).toBe('one\ntwo\n');
    expect(events).toEqual([{ type: 'patch.hunk', turnId: 'c1-t1', changeSetId: 'call_1', hunkId: '1.1', state: 'accepted', inWorktree: true }]);
    // The model naming the workspace's own file (or anything outside the worktree) is refused, nothing written.
    const outside = await first.write('c1', update(path.join(repo, 'calc.ts'), 'one\ntwo\n', 'hacked\n', 'call_2'), 'c1-t1', (e) => events.push(e));
    expect(outside).toMatchObject({ outcome: 'failed' });
    expect(outside.message).toMatch(/only files inside it/);
    const inGit = await first.write('c1', update(path.join(wt.workspacePath, '.git', 'config'), '', 'x', 'call_3'), 'c1-t1', (e) => events.push(e));
    expect(inGit.message).toMatch(/inside a \.git folder/);
    expect(read(repo, 'calc.ts')).toBe('one\ntwo\n');
    expect(events).toHaveLength(1);

    const second = windowOn(memento, repo);
    const again = await second.worktreeFor('c1');
    expect(again).toMatchObject({ id: wt.id, path: wt.path, workspacePath: wt.workspacePath });
    expect(await second.unbroughtChanges('c1')).toBe(1);
  });

  it('once its worktree is removed, the chat stays isolated and never runs in the workspace instead', async () => {
    const { repo } = makeRepo({ 'a.txt': 'a\n' });
    const memento = new MemoryMemento();
    const chats = windowOn(memento, repo);
    const wt = await chats.create('chat');
    await chats.bind('c1', wt);
    await chats.remove('c1');
    expect(fs.existsSync(wt.path)).toBe(false);
    expect(chats.isolated('c1')).toBe(true);
    expect(chats.facts('c1')).toEqual({ name: wt.id, path: '', removed: true });
    await expect(chats.worktreeFor('c1')).rejects.toThrow(/removed/);
    await expect(windowOn(memento, repo).worktreeFor('c1')).rejects.toThrow(/removed/);
    await chats.forget('c1');
    expect(chats.isolated('c1')).toBe(false);
  });

  it('a record that is not one Tandem writes is refused, and the chat does not fall back to the workspace', async () => {
    const { repo } = makeRepo({ 'a.txt': 'a\n' });
    const memento = new MemoryMemento();
    const chats = windowOn(memento, repo);
    await memento.update('tandem.chatWorktrees', {
      outside: { handle: { id: 'chat-0badc0de', path: '/etc', workspaceRoot: repo }, createdAt: 0 },
      named: { handle: { id: '../x', path: '/tmp/../x', workspaceRoot: repo }, createdAt: 0 },
      junk: 'rm -rf /',
    });
    for (const id of ['outside', 'named', 'junk']) {
      expect(chats.isolated(id)).toBe(true);
      expect(chats.facts(id)?.path ?? '').toBe('');
      await expect(chats.worktreeFor(id)).rejects.toThrow(/unreadable|removed/);
    }
  });

  it('is not offered in an untrusted workspace nor outside git, and says why', async () => {
    const { repo } = makeRepo({ 'a.txt': 'a\n' });
    expect(await windowOn(new MemoryMemento(), repo, false).availability()).toEqual({ available: false, reason: 'the workspace is not trusted' });
    const plain = path.dirname(repo);
    expect(await windowOn(new MemoryMemento(), plain).availability()).toEqual({ available: false, reason: 'the workspace is not a git repository (worktrees need git)' });
    await expect(windowOn(new MemoryMemento(), repo, false).create('chat')).rejects.toThrow(/trusted/);
  });
});

describe('cleanup after a reload', () => {
  it('removes an unused chat’s empty worktree and crash leftovers, keeps every other chat’s', async () => {
    const { repo } = makeRepo({ 'a.txt': 'a\n' });
    const memento = new MemoryMemento();
    const before = windowOn(memento, repo);
    const make = async (chatId: string) => {
      const wt = await before.create('chat');
      await before.bind(chatId, wt);
      return wt;
    };
    const empty = await make('never-used');
    const changed = await make('never-used-but-changed');
    write(changed.path, 'a.txt', 'a\nchanged in the worktree\n');
    const used = await make('used');
    // A worktree claimed for a chat this window never recorded (a crash between making and recording), owner gone.
    const exited = spawnSync(process.execPath, ['-e', '0']).pid!;
    const crashManager = new WorktreeManager({ ownerPid: exited });
    const leftover = await crashManager.create(repo, 'chat');
    crashManager.claim(leftover, 'lost-chat');

    const after = windowOn(memento, repo);
    await after.cleanup(async (id) => id !== 'used');
    expect(fs.existsSync(empty.path)).toBe(false);
    expect(after.isolated('never-used')).toBe(false);
    expect(fs.existsSync(changed.path) && fs.existsSync(used.path)).toBe(true);
    expect(fs.existsSync(leftover.path)).toBe(false);
    expect(read(changed.path, 'a.txt')).toBe('a\nchanged in the worktree\n');
  });
});
