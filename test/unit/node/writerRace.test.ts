// The check/write race of the change-set writer: a process swaps a workspace directory for a symlink
// out of the workspace and back as fast as it can while the writer adds files (and creates
// directories) under it, hundreds of times. Writes may fail, or land in the real directory; not one may
// ever land outside. The swapper is a separate process, like a background command the agent started.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { confinedWriterFs } from '../../../src/node/confinedWriterFs';
import { writeChangeSetAtomically } from '../../../src/node/fsChangeSetWriter';

const SWAPPER = `
const fs = require('fs');
const [ws, out] = process.argv.slice(1);
let cycles = 0;
for (;;) {
  try { fs.renameSync(ws + '/d', ws + '/d.real'); } catch {}
  try { fs.symlinkSync(out, ws + '/d'); } catch {}
  try { fs.unlinkSync(ws + '/d'); } catch {}
  try { fs.renameSync(ws + '/d.real', ws + '/d'); } catch {}
  if (++cycles === 200) process.stdout.write('swapping\\n');
}`;

let root: string;
let ws: string;
let out: string;
let swapper: ChildProcess | undefined;

function everythingUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true }).map(String);
}

beforeEach(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), 'tandem-race-')));
  ws = join(root, 'ws');
  out = join(root, 'out');
  mkdirSync(join(ws, 'd'), { recursive: true });
  mkdirSync(out);
  writeFileSync(join(ws, 'd', 'existing.txt'), 'old\n');
});

afterEach(() => {
  swapper?.kill('SIGKILL');
  swapper = undefined;
  rmSync(root, { recursive: true, force: true });
});

async function startSwapper(): Promise<void> {
  swapper = spawn(process.execPath, ['-e', SWAPPER, ws, out], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    swapper!.stdout!.once('data', () => resolve());
    swapper!.once('exit', (code) => reject(new Error(`swapper exited (${code})`)));
  });
}

describe('writer against a directory swapped for a symlink', () => {
  it('never writes outside the workspace, over hundreds of raced writes', async () => {
    await startSwapper();
    const fs = confinedWriterFs([ws]);
    let written = 0;
    let refused = 0;
    for (let i = 0; i < 300; i++) {
      const changes = [
        { kind: 'add' as const, path: join(ws, 'd', `f-${i}.txt`), oldText: undefined, newText: `file ${i}\n` },
        { kind: 'add' as const, path: join(ws, 'd', `n-${i}`, 'deep', 'g.txt'), oldText: undefined, newText: `deep ${i}\n` },
      ];
      await writeChangeSetAtomically({ id: `race-${i}`, changes }, fs).then(
        () => written++,
        () => refused++,
      );
      expect(everythingUnder(out), `after write ${i}`).toEqual([]);
    }
    swapper?.kill('SIGKILL');
    expect(written + refused).toBe(300);
    expect(everythingUnder(out)).toEqual([]);
  });

  it('refuses at once when the directory is a link out of the workspace, and still writes real directories', async () => {
    const fs = confinedWriterFs([ws]);
    await writeChangeSetAtomically({ id: 'ok', changes: [{ kind: 'add', path: join(ws, 'd', 'a', 'ok.txt'), oldText: undefined, newText: 'ok\n' }] }, fs);
    expect(everythingUnder(join(ws, 'd'))).toContain(join('a', 'ok.txt'));
    rmSync(join(ws, 'd'), { recursive: true });
    const { symlinkSync } = await import('node:fs');
    symlinkSync(out, join(ws, 'd'));
    await expect(writeChangeSetAtomically({ id: 'no', changes: [{ kind: 'add', path: join(ws, 'd', 'x', 'y.txt'), oldText: undefined, newText: 'x\n' }] }, fs)).rejects.toThrow(/outside the workspace/);
    expect(everythingUnder(out)).toEqual([]);
  });

  it('refuses to replace a symbolic link (the write would turn it into a plain file)', async () => {
    const { symlinkSync } = await import('node:fs');
    symlinkSync(join(ws, 'd', 'existing.txt'), join(ws, 'link.txt'));
    await expect(
      writeChangeSetAtomically({ id: 'l', changes: [{ kind: 'update', path: join(ws, 'link.txt'), oldText: 'old\n', newText: 'new\n' }] }, confinedWriterFs([ws])),
    ).rejects.toThrow(/symbolic link/);
  });
});
