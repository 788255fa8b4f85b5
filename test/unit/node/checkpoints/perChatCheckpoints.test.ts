// Checkpoints per chat: two chats' recorders on one shared workspace snapshot, each chat's commands run
// through its own runner (real shell commands in a temp folder). Each chat's restore gives back byte for
// byte the files ITS commands and patches changed and nothing else; a file two chats changed at the same
// time is in both checkpoints, marked as shared, and written only when the user says so; files nobody
// touched are not even rewritten; the snapshot is scanned once per command whatever the number of chats.
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProcessRunner } from '../../../../src/core/ports';
import { PipeRunner } from '../../../../src/node/pipeRunner';
import { checkpointRunner } from '../../../../src/node/checkpoints/checkpointRunner';
import { CheckpointStore, type Checkpoint } from '../../../../src/node/checkpoints/checkpointStore';
import { applyRestore, planRestore } from '../../../../src/node/checkpoints/restorePlan';
import { TurnRecorder } from '../../../../src/node/checkpoints/turnRecorder';
import { WorkspaceSnapshot } from '../../../../src/node/checkpoints/workspaceSnapshot';

let base: string;
let workspace: string;
let store: CheckpointStore;
let snapshot: WorkspaceSnapshot;
let chatA: { recorder: TurnRecorder; runner: ProcessRunner };
let chatB: { recorder: TurnRecorder; runner: ProcessRunner };

function chat(): { recorder: TurnRecorder; runner: ProcessRunner } {
  const recorder = new TurnRecorder(store, snapshot);
  return { recorder, runner: checkpointRunner(new PipeRunner('/bin/bash'), () => recorder) };
}

beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'tandem-ckpt-chats-'));
  workspace = join(base, 'ws');
  mkdirSync(workspace);
  store = new CheckpointStore(join(base, 'store'));
  snapshot = new WorkspaceSnapshot(store, () => [workspace]);
  chatA = chat();
  chatB = chat();
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

const at = (relative: string) => join(workspace, relative);
const run = (c: { runner: ProcessRunner }, command: string) => c.runner.spawn({ command, cwd: workspace }).exited;
const names = (checkpoint: Checkpoint | undefined) => checkpoint?.files.map((f) => [f.path.slice(workspace.length + 1), f.sharedWith ?? []]);

const binary = Buffer.from([0, 1, 2, 255, 254, 0x89, 0x50, 0x4e, 0x47, 0, 0, 13, 10, 26]);

function seed(): void {
  writeFileSync(at('a-config.txt'), 'mode=debug\r\nlevel=3\r\n');
  writeFileSync(at('a-doomed.txt'), 'delete me\n');
  writeFileSync(at('b-old-name.txt'), 'moving\n');
  writeFileSync(at('b-image.bin'), binary);
  writeFileSync(at('untouched.txt'), 'never changed\n');
}

/** Bytes (base64) of every file under `dir`, to compare trees byte for byte. */
function tree(dir: string, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (lstatSync(full).isDirectory()) Object.assign(out, tree(full, `${prefix}${name}/`));
    else out[`${prefix}${name}`] = readFileSync(full).toString('base64');
  }
  return out;
}

async function beginBoth(): Promise<void> {
  await Promise.all([chatA.recorder.beginTurn('chat-a'), chatB.recorder.beginTurn('chat-b')]);
  chatA.recorder.nameTurn('a1');
  chatB.recorder.nameTurn('b1');
}

/** A command that waits for a line on stdin, then runs `then`: it is running until the test says go. */
function held(c: { runner: ProcessRunner }, then: string) {
  const proc = c.runner.spawn({ command: `read line; ${then}`, cwd: workspace });
  return { go: () => proc.write('go\n'), exited: proc.exited };
}

describe('checkpoints per chat', () => {
  it("gives each chat's interleaved commands to that chat, and each restore gives back exactly its files", async () => {
    seed();
    const original = tree(workspace);
    const untouched = statSync(at('untouched.txt'));
    await beginBoth();
    expect(await run(chatA, "sed -i 's/debug/release/' a-config.txt")).toBe(0);
    expect(await run(chatB, 'mv b-old-name.txt b-new-name.txt')).toBe(0);
    expect(await run(chatA, 'rm a-doomed.txt')).toBe(0);
    expect(await run(chatB, "printf '\\x00\\xffchanged' > b-image.bin && head -c 2000 /dev/urandom > b-new.bin")).toBe(0);
    expect(await run(chatA, "printf 'fresh\\n' > a-created.txt")).toBe(0);
    const afterBoth = tree(workspace);
    const a = await chatA.recorder.endTurn();
    const b = await chatB.recorder.endTurn();

    expect(names(a)).toEqual([['a-config.txt', []], ['a-created.txt', []], ['a-doomed.txt', []]]);
    expect(names(b)).toEqual([['b-image.bin', []], ['b-new-name.txt', []], ['b-new.bin', []], ['b-old-name.txt', []]]);

    // Chat A's restore: A's files as they were, B's work as B left it.
    const planA = (await planRestore(store, 'chat-a', 'a1'))!;
    expect(planA.items.map((i) => i.status)).toEqual(['restore', 'restore', 'restore']);
    applyRestore(planA, [workspace]);
    const expectedAfterA: Record<string, string> = { ...afterBoth, 'a-config.txt': original['a-config.txt']!, 'a-doomed.txt': original['a-doomed.txt']! };
    delete expectedAfterA['a-created.txt'];
    expect(tree(workspace)).toEqual(expectedAfterA);

    // Then chat B's: everything byte for byte as before both turns.
    const planB = (await planRestore(store, 'chat-b', 'b1'))!;
    expect(planB.items.map((i) => i.status)).toEqual(['restore', 'restore', 'restore', 'restore']);
    applyRestore(planB, [workspace]);
    expect(tree(workspace)).toEqual(original);
    const now = statSync(at('untouched.txt'));
    expect([now.ino, now.mtimeMs]).toEqual([untouched.ino, untouched.mtimeMs]);
  });

  it('records a file changed while both chats had a command running in both checkpoints, as shared, and restores it only when asked', async () => {
    seed();
    const original = tree(workspace);
    await beginBoth();
    const slowA = held(chatA, "sed -i 's/3/4/' a-config.txt");
    // B's command runs and ends while A's is still running: whose change it was cannot be told apart.
    expect(await run(chatB, 'rm b-old-name.txt')).toBe(0);
    slowA.go();
    expect(await slowA.exited).toBe(0);
    const a = await chatA.recorder.endTurn();
    const b = await chatB.recorder.endTurn();
    expect(names(a)).toEqual([['a-config.txt', []], ['b-old-name.txt', ['chat-b']]]);
    expect(names(b)).toEqual([['b-old-name.txt', ['chat-a']]]);

    const planA = (await planRestore(store, 'chat-a', 'a1'))!;
    expect(planA.items.map((i) => [i.path.slice(workspace.length + 1), i.status, i.sharedWith])).toEqual([
      ['a-config.txt', 'restore', undefined],
      ['b-old-name.txt', 'overlap', ['chat-b']],
    ]);
    // By default the overlap is left alone: only A's own file comes back.
    expect(applyRestore(planA, [workspace]).done).toEqual([at('a-config.txt')]);
    expect(readFileSync(at('a-config.txt'), 'utf8')).toBe('mode=debug\r\nlevel=3\r\n');
    expect(() => statSync(at('b-old-name.txt'))).toThrow();
    // B's restore asks too; told to, it writes it back.
    const planB = (await planRestore(store, 'chat-b', 'b1'))!;
    expect(planB.items.map((i) => i.status)).toEqual(['overlap']);
    applyRestore(planB, [workspace], new Set([at('b-old-name.txt')]));
    expect(tree(workspace)).toEqual(original);
  });

  it("marks a file chat A patched and chat B's command then changed, in both; files of one chat only are not marked", async () => {
    seed();
    await beginBoth();
    chatA.recorder.notePatch({ id: 'cs1', changes: [{ path: at('untouched.txt'), kind: 'update', oldText: 'never changed\n', newText: 'patched by A\n' }] });
    writeFileSync(at('untouched.txt'), 'patched by A\n'); // the review applies A's accepted patch
    // B's command runs over the same file (and one of its own) while A's turn is open.
    expect(await run(chatB, "printf 'B was here\\n' >> untouched.txt && printf 'b\\n' > b-own.txt")).toBe(0);
    const a = await chatA.recorder.endTurn();
    const b = await chatB.recorder.endTurn();
    expect(names(a)).toEqual([['untouched.txt', ['chat-b']]]);
    expect(names(b)).toEqual([['b-own.txt', []], ['untouched.txt', ['chat-a']]]);
    const planB = (await planRestore(store, 'chat-b', 'b1'))!;
    expect(planB.items.map((i) => [i.path.slice(workspace.length + 1), i.status])).toEqual([
      ['b-own.txt', 'restore'],
      ['untouched.txt', 'overlap'],
    ]);
    applyRestore(planB, [workspace]);
    expect(() => statSync(at('b-own.txt'))).toThrow();
    expect(readFileSync(at('untouched.txt'), 'utf8')).toBe('patched by A\nB was here\n');
  });

  it("keeps a file the other chat changed after this chat's turn ended a conflict, not an overlap", async () => {
    seed();
    await beginBoth();
    expect(await run(chatA, "sed -i 's/3/4/' a-config.txt")).toBe(0);
    await chatA.recorder.endTurn();
    expect(await run(chatB, "sed -i 's/4/5/' a-config.txt")).toBe(0);
    const b = await chatB.recorder.endTurn();
    expect(names(b)).toEqual([['a-config.txt', []]]);
    const planA = (await planRestore(store, 'chat-a', 'a1'))!;
    expect(planA.items.map((i) => [i.status, i.sharedWith])).toEqual([['conflict', undefined]]);
    expect(applyRestore(planA, [workspace]).done).toEqual([]);
    applyRestore((await planRestore(store, 'chat-b', 'b1'))!, [workspace]);
    expect(readFileSync(at('a-config.txt'), 'utf8')).toBe('mode=debug\r\nlevel=4\r\n');
  });

  it('gives a change made while no chat runs a command (the user saving) to neither chat', async () => {
    seed();
    await beginBoth();
    expect(await run(chatA, 'echo a > a-one.txt')).toBe(0);
    writeFileSync(at('untouched.txt'), 'the user saved this\n');
    expect(await run(chatB, 'echo b > b-one.txt')).toBe(0);
    writeFileSync(at('a-config.txt'), 'the user again\n');
    expect(names(await chatA.recorder.endTurn())).toEqual([['a-one.txt', []]]);
    expect(names(await chatB.recorder.endTurn())).toEqual([['b-one.txt', []]]);
  });

  it('gives a command of a chat with no open turn to nobody, even while the other chat records', async () => {
    seed();
    await chatA.recorder.beginTurn('chat-a');
    chatA.recorder.nameTurn('a1');
    expect(await run(chatB, 'echo b > b-outside.txt')).toBe(0); // B is not recording: not scanned around
    expect(await run(chatA, 'echo a > a-one.txt')).toBe(0);
    expect(names(await chatA.recorder.endTurn())).toEqual([['a-one.txt', []]]);
  });

  it('marks a file both chats patched while both turns were open, in both', async () => {
    seed();
    await beginBoth();
    chatA.recorder.notePatch({ id: 'a', changes: [{ path: at('untouched.txt'), kind: 'update', oldText: 'never changed\n', newText: 'A\n' }] });
    writeFileSync(at('untouched.txt'), 'A\n');
    chatB.recorder.notePatch({ id: 'b', changes: [{ path: at('untouched.txt'), kind: 'update', oldText: 'A\n', newText: 'B\n' }, { path: at('b-added.txt'), kind: 'add', oldText: undefined, newText: 'b\n' }] });
    writeFileSync(at('untouched.txt'), 'B\n');
    writeFileSync(at('b-added.txt'), 'b\n');
    expect(names(await chatA.recorder.endTurn())).toEqual([['untouched.txt', ['chat-b']]]);
    expect(names(await chatB.recorder.endTurn())).toEqual([['b-added.txt', []], ['untouched.txt', ['chat-a']]]);
    const planB = (await planRestore(store, 'chat-b', 'b1'))!;
    applyRestore(planB, [workspace]);
    expect(() => statSync(at('b-added.txt'))).toThrow();
    expect(readFileSync(at('untouched.txt'), 'utf8')).toBe('B\n'); // the overlap waits for the user's word
    applyRestore(planB, [workspace], new Set([at('untouched.txt')]));
    expect(readFileSync(at('untouched.txt'), 'utf8')).toBe('A\n'); // B's before: what A left
  });

  it("does not re-read .gitignore while another chat's command runs (newly visible files are nobody's creation)", async () => {
    seed();
    writeFileSync(at('.gitignore'), '/build/\n');
    mkdirSync(at('build'));
    writeFileSync(at('build/out.js'), 'built before the turns\n');
    await chatB.recorder.beginTurn('chat-b');
    chatB.recorder.nameTurn('b1');
    writeFileSync(at('.gitignore'), '# nothing ignored any more\n'); // saved while nothing runs: nobody's change
    const slowB = held(chatB, 'echo b > b-one.txt');
    // A's turn opens while B's command runs: build/out.js must not look created by B's command.
    await chatA.recorder.beginTurn('chat-a');
    chatA.recorder.nameTurn('a1');
    slowB.go();
    expect(await slowB.exited).toBe(0);
    expect(names(await chatB.recorder.endTurn())).toEqual([['b-one.txt', []]]);
    expect(await run(chatA, 'true')).toBe(0);
    expect(names(await chatA.recorder.endTurn())).toEqual([]);
    // The next turn, with nothing running, reads the new rules: build/ is watched from then on.
    await chatA.recorder.beginTurn('chat-a');
    chatA.recorder.nameTurn('a2');
    expect(await run(chatA, 'echo rebuilt > build/out.js')).toBe(0);
    const a2 = (await chatA.recorder.endTurn())!;
    expect(names(a2)).toEqual([['build/out.js', []]]);
    applyRestore((await planRestore(store, 'chat-a', 'a2'))!, [workspace]);
    expect(readFileSync(at('build/out.js'), 'utf8')).toBe('built before the turns\n');
  });

  it("marks what changes while another chat's background command (its turn over) still runs as shared with that chat", async () => {
    seed();
    await chatB.recorder.beginTurn('chat-b');
    chatB.recorder.nameTurn('b1');
    const backgroundB = held(chatB, "printf 'from b in the background\\n' > b-late.txt");
    expect(names(await chatB.recorder.endTurn())).toEqual([]);
    await chatA.recorder.beginTurn('chat-a');
    chatA.recorder.nameTurn('a1');
    const slowA = held(chatA, "sed -i 's/3/4/' a-config.txt");
    backgroundB.go();
    expect(await backgroundB.exited).toBe(0);
    slowA.go();
    expect(await slowA.exited).toBe(0);
    expect(names(await chatA.recorder.endTurn())).toEqual([['a-config.txt', []], ['b-late.txt', ['chat-b']]]);
    const planA = (await planRestore(store, 'chat-a', 'a1'))!;
    expect(planA.items.map((i) => [i.path.slice(workspace.length + 1), i.status])).toEqual([
      ['a-config.txt', 'restore'],
      ['b-late.txt', 'overlap'],
    ]);
    applyRestore(planA, [workspace]);
    expect(readFileSync(at('b-late.txt'), 'utf8')).toBe('from b in the background\n');
  });

  it('keeps a chat that works in other folders (its worktree) on a snapshot of its own: blamed for nothing in the workspace', async () => {
    seed();
    const worktree = join(base, 'worktree');
    mkdirSync(worktree);
    writeFileSync(join(worktree, 'w.txt'), 'worktree file\n');
    const recorder = new TurnRecorder(store, new WorkspaceSnapshot(store, () => [worktree]));
    const chatW = { recorder, runner: checkpointRunner(new PipeRunner('/bin/bash'), () => recorder) };
    await Promise.all([chatA.recorder.beginTurn('chat-a'), chatW.recorder.beginTurn('chat-w')]);
    chatA.recorder.nameTurn('a1');
    chatW.recorder.nameTurn('w1');
    const slowW = chatW.runner.spawn({ command: "read line; printf 'changed\\n' > w.txt", cwd: worktree });
    expect(await run(chatA, "sed -i 's/3/4/' a-config.txt")).toBe(0);
    writeFileSync(at('untouched.txt'), 'the user saved this while the worktree chat ran\n');
    slowW.write('go\n');
    expect(await slowW.exited).toBe(0);
    expect(names(await chatA.recorder.endTurn())).toEqual([['a-config.txt', []]]);
    expect((await chatW.recorder.endTurn())?.files.map((f) => [f.path, f.sharedWith])).toEqual([[join(worktree, 'w.txt'), undefined]]);
    applyRestore((await planRestore(store, 'chat-w', 'w1'))!, [worktree]);
    expect(readFileSync(join(worktree, 'w.txt'), 'utf8')).toBe('worktree file\n');
    expect(readFileSync(at('untouched.txt'), 'utf8')).toBe('the user saved this while the worktree chat ran\n');
  });

  it('reads the workspace once for both chats and scans once per command, whatever the number of chats', async () => {
    seed();
    await beginBoth(); // both first turns at once: one first snapshot (reads), then B's stamp-only compare
    expect(snapshot.stats.scans).toBe(2);
    expect(await run(chatA, 'true')).toBe(0);
    expect(snapshot.stats.scans).toBe(4); // before and after the command, once for both chats
    expect(await run(chatB, 'true')).toBe(0);
    expect(snapshot.stats.scans).toBe(6);
    expect(chatA.recorder.stats).toBe(chatB.recorder.stats);
  });
});
