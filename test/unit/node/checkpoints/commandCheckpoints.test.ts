// Checkpoints of what real shell commands changed (sed -i, rm, mv, new and binary files) and what
// patches changed, restored byte for byte; files nobody touched stay untouched; edits made after the
// agent's are conflicts, never overwritten silently.
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProcessRunner } from '../../../../src/core/ports';
import { PipeRunner } from '../../../../src/node/pipeRunner';
import { checkpointRunner } from '../../../../src/node/checkpoints/checkpointRunner';
import { CheckpointStore } from '../../../../src/node/checkpoints/checkpointStore';
import { applyRestore, planRestore } from '../../../../src/node/checkpoints/restorePlan';
import { TurnRecorder } from '../../../../src/node/checkpoints/turnRecorder';

let base: string;
let workspace: string;
let storeDir: string;
let store: CheckpointStore;
let recorder: TurnRecorder;
let runner: ProcessRunner;

beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'tandem-ckpt-'));
  workspace = join(base, 'ws');
  storeDir = join(base, 'store');
  mkdirSync(workspace);
  store = new CheckpointStore(storeDir);
  recorder = new TurnRecorder(store, () => [workspace]);
  runner = checkpointRunner(new PipeRunner('/bin/bash'), () => recorder);
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

const at = (relative: string) => join(workspace, relative);

async function run(command: string): Promise<number> {
  return runner.spawn({ command, cwd: workspace }).exited;
}

/** Every file under `dir` with its bytes (base64) and mode, to compare trees byte for byte. */
function tree(dir: string, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    const stats = lstatSync(full);
    if (stats.isDirectory()) Object.assign(out, tree(full, `${prefix}${name}/`));
    else out[`${prefix}${name}`] = `${(stats.mode & 0o777).toString(8)}:${readFileSync(full).toString('base64')}`;
  }
  return out;
}

const binary = Buffer.from([0, 1, 2, 255, 254, 0x89, 0x50, 0x4e, 0x47, 0, 0, 13, 10, 26]);

function seed(): void {
  writeFileSync(at('config.txt'), 'mode=debug\nlevel=3\n');
  writeFileSync(at('doomed.txt'), 'delete me\n');
  writeFileSync(at('old-name.txt'), 'moving\n');
  mkdirSync(at('src'));
  writeFileSync(at('src/app.js'), 'console.log("hi");\r\n');
  writeFileSync(at('image.bin'), binary);
  writeFileSync(at('untouched.txt'), 'never changed\n');
  writeFileSync(at('run.sh'), '#!/bin/sh\necho run\n');
  chmodSync(at('run.sh'), 0o755);
}

describe('checkpoints of command-made changes', () => {
  it('restores sed -i, rm, mv, new, binary and chmod changes byte-exact and leaves untouched files alone', async () => {
    seed();
    const original = tree(workspace);
    const untouchedStat = statSync(at('untouched.txt'));

    await recorder.beginTurn('s1');
    recorder.nameTurn('t1');
    expect(await run("sed -i 's/debug/release/' config.txt")).toBe(0);
    expect(await run('rm doomed.txt')).toBe(0);
    expect(await run('mv old-name.txt new-name.txt')).toBe(0);
    expect(await run("printf 'fresh\\n' > created.txt && mkdir -p gen && head -c 3000 /dev/urandom > gen/blob.bin")).toBe(0);
    expect(await run("printf '\\x00\\x01changed' > image.bin && chmod 600 run.sh")).toBe(0);
    const checkpoint = await recorder.endTurn();

    expect(checkpoint?.files.map((f) => f.path.slice(workspace.length + 1))).toEqual(['config.txt', 'created.txt', 'doomed.txt', 'gen/blob.bin', 'image.bin', 'new-name.txt', 'old-name.txt', 'run.sh']);
    expect(readFileSync(at('config.txt'), 'utf8')).toBe('mode=release\nlevel=3\n');

    const plan = await planRestore(store, 's1', 't1');
    expect(plan?.items.every((item) => item.status === 'restore')).toBe(true);
    applyRestore(plan!, [workspace]);
    expect(tree(workspace)).toEqual({ ...original });
    // Not even rewritten: the same inode and mtime.
    const after = statSync(at('untouched.txt'));
    expect([after.ino, after.mtimeMs]).toEqual([untouchedStat.ino, untouchedStat.mtimeMs]);
    // Directories the turn created stay (empty); files only.
    expect(readdirSync(at('gen'))).toEqual([]);
  });

  it('attributes edits made between commands (no command running) to the user, not to the turn', async () => {
    seed();
    await recorder.beginTurn('s1');
    recorder.nameTurn('t1');
    expect(await run("sed -i 's/3/4/' config.txt")).toBe(0);
    writeFileSync(at('untouched.txt'), 'the user saved this between two commands\n');
    expect(await run('true')).toBe(0);
    const checkpoint = await recorder.endTurn();
    expect(checkpoint?.files.map((f) => f.path)).toEqual([at('config.txt')]);
    const plan = await planRestore(store, 's1', 't1');
    applyRestore(plan!, [workspace]);
    expect(readFileSync(at('untouched.txt'), 'utf8')).toBe('the user saved this between two commands\n');
    expect(readFileSync(at('config.txt'), 'utf8')).toBe('mode=debug\nlevel=3\n');
  });

  it('records patches from the change set (before = the bytes on disk, a created file = absent)', async () => {
    seed();
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('with bom\n')]);
    writeFileSync(at('bom.txt'), bom);
    await recorder.beginTurn('s1');
    recorder.nameTurn('t1');
    recorder.notePatch({
      id: 'cs1',
      changes: [
        { path: at('bom.txt'), kind: 'update', oldText: bom.toString('utf8'), newText: '\ufeffpatched\n' },
        { path: at('added.txt'), kind: 'add', oldText: undefined, newText: 'added\n' },
        { path: at('untouched.txt'), kind: 'update', oldText: 'never changed\n', newText: 'rejected\n' },
      ],
    });
    // The review writes what the user accepted (here: two of three files).
    writeFileSync(at('bom.txt'), '\ufeffpatched\n');
    writeFileSync(at('added.txt'), 'added\n');
    const checkpoint = await recorder.endTurn();
    // The rejected file was left as it was, so it is not part of the checkpoint.
    expect(checkpoint?.files.map((f) => f.path)).toEqual([at('added.txt'), at('bom.txt')]);
    applyRestore((await planRestore(store, 's1', 't1'))!, [workspace]);
    expect(readFileSync(at('bom.txt')).equals(bom)).toBe(true);
    expect(() => statSync(at('added.txt'))).toThrow();
  });

  it('shows a file the user changed after the agent as a conflict and writes it only when asked', async () => {
    seed();
    await recorder.beginTurn('s1');
    recorder.nameTurn('t1');
    expect(await run("sed -i 's/debug/release/' config.txt && printf 'x' > created.txt")).toBe(0);
    await recorder.endTurn();
    writeFileSync(at('config.txt'), 'the user rewrote this\n');
    writeFileSync(at('created.txt'), 'the user kept working in it\n');

    const plan = (await planRestore(store, 's1', 't1'))!;
    expect(plan.items.map((i) => [i.path.slice(workspace.length + 1), i.status])).toEqual([
      ['config.txt', 'conflict'],
      ['created.txt', 'conflict'],
    ]);
    expect(applyRestore(plan, [workspace]).done).toEqual([]);
    expect(readFileSync(at('config.txt'), 'utf8')).toBe('the user rewrote this\n');
    applyRestore(plan, [workspace], new Set([at('config.txt')]));
    expect(readFileSync(at('config.txt'), 'utf8')).toBe('mode=debug\nlevel=3\n');
    expect(readFileSync(at('created.txt'), 'utf8')).toBe('the user kept working in it\n');
  });

  it('restores to before an earlier turn across several turns (earliest before wins)', async () => {
    seed();
    for (const [turn, value] of [['t1', 'one'], ['t2', 'two'], ['t3', 'three']] as const) {
      await recorder.beginTurn('s1');
      recorder.nameTurn(turn);
      expect(await run(`printf '${value}' > config.txt && printf '${value}' > ${turn}.txt`)).toBe(0);
      await recorder.endTurn();
    }
    const plan = (await planRestore(store, 's1', 't2'))!;
    applyRestore(plan, [workspace]);
    expect(readFileSync(at('config.txt'), 'utf8')).toBe('one');
    expect(readFileSync(at('t1.txt'), 'utf8')).toBe('one');
    expect(readdirSync(workspace).filter((n) => /^t\d\.txt$/.test(n))).toEqual(['t1.txt']);
  });

  it('skips .gitignore-d paths, .git and node_modules, and files over the size limit (and says so)', async () => {
    seed();
    store = new CheckpointStore(storeDir, { maxFileBytes: 1024 });
    recorder = new TurnRecorder(store, () => [workspace]);
    writeFileSync(at('.gitignore'), '# build output\n/dist/\n*.log\n!keep.log\n');
    mkdirSync(at('dist'));
    mkdirSync(at('.git'));
    mkdirSync(at('node_modules'));
    writeFileSync(at('big.txt'), 'b'.repeat(4096));
    await recorder.beginTurn('s1');
    recorder.nameTurn('t1');
    expect(await run('echo x > dist/out.js; echo x > debug.log; echo x > keep.log; echo x > .git/HEAD; echo x > node_modules/m.js; echo small > big.txt')).toBe(0);
    const checkpoint = (await recorder.endTurn())!;
    expect(checkpoint.files.map((f) => [f.path.slice(workspace.length + 1), 'skipped' in f.before ? f.before.skipped : 'kept'])).toEqual([
      ['big.txt', 'larger than 1 KB'],
      ['keep.log', 'kept'],
    ]);
    const plan = (await planRestore(store, 's1', 't1'))!;
    expect(plan.items.find((i) => i.path === at('big.txt'))).toMatchObject({ status: 'unavailable', reason: 'its content was not kept: larger than 1 KB' });
    applyRestore(plan, [workspace]);
    expect(readFileSync(at('big.txt'), 'utf8')).toBe('small\n');
    expect(() => statSync(at('keep.log'))).toThrow();
  });

  it('never writes through a symlink a command put in place of a file or a folder', async () => {
    seed();
    const outside = join(base, 'outside');
    mkdirSync(outside);
    writeFileSync(join(outside, 'secret'), 'outside, must stay\n');
    await recorder.beginTurn('s1');
    recorder.nameTurn('t1');
    // the file becomes a link to a file outside; the folder becomes a link to a folder outside
    expect(await run(`rm config.txt && ln -s ${join(outside, 'secret')} config.txt && mv src src-moved && ln -s ${outside} src`)).toBe(0);
    await recorder.endTurn();
    const plan = (await planRestore(store, 's1', 't1'))!;
    const result = applyRestore(plan, [workspace]);
    // config.txt: the link itself is replaced by the file; the outside file is untouched
    expect(lstatSync(at('config.txt')).isSymbolicLink()).toBe(false);
    expect(readFileSync(at('config.txt'), 'utf8')).toBe('mode=debug\nlevel=3\n');
    expect(readFileSync(join(outside, 'secret'), 'utf8')).toBe('outside, must stay\n');
    // src/app.js: its folder is a link now, so it is not restored (and nothing lands outside)
    expect(result.failed.map((f) => [f.path, f.reason])).toEqual([[at('src/app.js'), expect.stringMatching(/is a symbolic link now; nothing was written through it/)]]);
    expect(readdirSync(outside)).toEqual(['secret']);
  });

  it('refuses paths outside the workspace roots it is given', async () => {
    seed();
    await recorder.beginTurn('s1');
    recorder.nameTurn('t1');
    expect(await run("sed -i 's/3/4/' config.txt")).toBe(0);
    await recorder.endTurn();
    const plan = (await planRestore(store, 's1', 't1'))!;
    expect(applyRestore(plan, [join(base, 'elsewhere')]).failed).toEqual([{ path: at('config.txt'), reason: 'outside the workspace folders' }]);
    expect(readFileSync(at('config.txt'), 'utf8')).toBe('mode=debug\nlevel=4\n');
  });

  it('gives a background command that outlives its turn to neither that turn nor the next one', async () => {
    seed();
    await recorder.beginTurn('s1');
    recorder.nameTurn('t1');
    const background = runner.spawn({ command: 'read line; echo late > late.txt', cwd: workspace });
    expect(await run("sed -i 's/3/4/' config.txt")).toBe(0);
    const first = await recorder.endTurn();
    expect(first?.files.map((f) => f.path)).toEqual([at('config.txt')]);
    await recorder.beginTurn('s1');
    recorder.nameTurn('t2');
    background.write('go\n');
    expect(await background.exited).toBe(0);
    expect(readFileSync(at('late.txt'), 'utf8')).toBe('late\n');
    expect(await run('echo two > two.txt')).toBe(0);
    const second = await recorder.endTurn();
    expect(second?.files.map((f) => f.path)).toEqual([at('two.txt')]);
  });

  it('does not scan around a command the enforced sandbox keeps read-only', async () => {
    seed();
    const pipes = new PipeRunner('/bin/bash');
    const sandboxed: ProcessRunner = { shell: pipes.shell, spawn: (o) => pipes.spawn(o), sandboxStatus: () => ({ state: 'enforced', mode: 'workspace-write', network: false, mechanism: 'test' }) };
    const wrapped = checkpointRunner(sandboxed, () => recorder);
    await recorder.beginTurn('s1');
    recorder.nameTurn('t1');
    const scansBefore = recorder.stats.lastScanMs;
    writeFileSync(at('untouched.txt'), 'changed by the user while a read-only command runs\n');
    expect(await wrapped.spawn({ command: 'cat config.txt', cwd: workspace, confinement: 'read-only' }).exited).toBe(0);
    expect(recorder.stats.lastScanMs).toBe(scansBefore); // no scan ran
    // the same command with write access is scanned around
    expect(await wrapped.spawn({ command: "sed -i 's/3/5/' config.txt", cwd: workspace, confinement: 'workspace-write' }).exited).toBe(0);
    expect((await recorder.endTurn())?.files.map((f) => f.path)).toEqual([at('config.txt')]);
  });

  it('bounds what one scan reads: content beyond it is listed as not kept', async () => {
    store = new CheckpointStore(storeDir, { maxScanReadBytes: 1000 });
    recorder = new TurnRecorder(store, () => [workspace]);
    runner = checkpointRunner(new PipeRunner('/bin/bash'), () => recorder);
    await recorder.beginTurn('s1');
    recorder.nameTurn('t1');
    expect(await run('head -c 800 /dev/zero > big1.bin && head -c 800 /dev/zero > big2.bin')).toBe(0);
    expect((await recorder.endTurn())!.files.map((f) => 'absent' in f.before)).toEqual([true, true]);
    // Their content was read in one scan, beyond its budget: a later turn removing both keeps one only.
    await recorder.beginTurn('s1');
    recorder.nameTurn('t2');
    expect(await run('rm big1.bin big2.bin')).toBe(0);
    const reasons = (await recorder.endTurn())!.files.map((f) => ('skipped' in f.before ? f.before.skipped : 'kept'));
    expect(reasons.sort()).toEqual(['kept', 'more than 1 KB changed at once']);
  });

  it('walks at most maxScanFiles files and says so in the checkpoint', async () => {
    store = new CheckpointStore(storeDir, { maxScanFiles: 5 });
    recorder = new TurnRecorder(store, () => [workspace]);
    runner = checkpointRunner(new PipeRunner('/bin/bash'), () => recorder);
    await recorder.beginTurn('s1');
    recorder.nameTurn('t1');
    expect(await run('touch a b c d e f g')).toBe(0);
    const checkpoint = (await recorder.endTurn())!;
    expect(checkpoint.notes).toEqual(['The workspace has more than 5 files; changes commands made beyond them are not in this checkpoint.']);
    expect(checkpoint.files).toHaveLength(5);
  });

  it('does not scan around commands outside a turn', async () => {
    seed();
    expect(await run('echo outside > outside.txt')).toBe(0);
    expect(recorder.stats.lastScanFiles).toBe(0);
    expect(existsSyncish(join(storeDir, 'sessions'))).toBe(false);
  });
});

function existsSyncish(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}
