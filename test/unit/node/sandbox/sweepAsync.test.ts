// The repository sweep after a writing command runs in the extension host, so it must not block it: the
// event loop keeps turning while it walks a big tree (a synchronous walk gave 0 ticks here), and it still
// finds what the command made and fails closed when out of time. No sandbox needed: the walk is plain fs.
import { lstatSync, mkdirSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanProtected } from '../../../../src/node/sandbox/protectedScan';
import { sweepNewRepos } from '../../../../src/node/sandbox/repoSweep';
import { tempDir, waitFor } from './sandboxTestUtils';

/** Waits until `path`'s ctime is safely before "now" (past the sweep's clock margin), so it counts as older than a command started next. */
async function settle(path: string): Promise<void> {
  const ctime = lstatSync(path).ctimeMs;
  await waitFor(() => Date.now() > ctime + 300, `${path} to be older than the next command`);
}

/** `width` top folders with `depth` nested folders each: width * depth folders in all. */
function bigTree(root: string, width: number, depth: number): void {
  for (let i = 0; i < width; i++) mkdirSync(join(root, `d${i}`, ...Array.from({ length: depth - 1 }, (_, j) => `n${j}`)), { recursive: true });
}

describe('repository sweep without blocking', () => {
  it('lets the event loop run while it walks 3,000 folders, and finds the repository made after the start', async () => {
    const ws = tempDir('tandem-sweep-async-');
    bigTree(ws, 300, 10);
    const before = scanProtected([ws]);
    expect(before.complete).toBe(true);
    const startedAt = Date.now();
    const planted = join(ws, 'd299', 'n0', 'n1', 'n2', '.git');
    mkdirSync(join(planted, 'hooks'), { recursive: true });

    let ticksDuringSweep = 0;
    let done = false;
    const timer = setInterval(() => {
      if (!done) ticksDuringSweep++;
    }, 1);
    const sweep = sweepNewRepos({ roots: [ws], before, startedAt, placeholders: new Set() });
    const result = await sweep.finally(() => {
      done = true;
      clearInterval(timer);
    });
    expect(ticksDuringSweep).toBeGreaterThan(0);
    expect(result.created.map((e) => e.path)).toEqual([planted]);
    expect(result.unverified).toEqual([]);
    expect(result.unproven).toEqual([]);
    await rm(ws, { recursive: true, force: true }); // here, not in the shared afterAll with its short hook timeout
  }, 60_000);

  it('leaves repositories that existed before alone, and skips placeholders', async () => {
    const ws = tempDir('tandem-sweep-async-old-');
    mkdirSync(join(ws, 'vendor', 'lib', '.git'), { recursive: true });
    mkdirSync(join(ws, 'pkg'));
    const before = scanProtected([ws]);
    await settle(join(ws, 'vendor', 'lib', '.git'));
    const startedAt = Date.now();
    mkdirSync(join(ws, 'pkg', '.git'));
    writeFileSync(join(ws, 'vendor', 'lib', 'f'), 'x');
    const result = await sweepNewRepos({ roots: [ws], before, startedAt, placeholders: new Set([join(ws, 'pkg', '.git')]) });
    expect(result).toEqual({ created: [], unproven: [], unverified: [] });
  });

  it('fails closed when out of time: the folders not walked are listed', async () => {
    const ws = tempDir('tandem-sweep-async-budget-');
    bigTree(ws, 50, 4);
    const before = scanProtected([ws]);
    const outOfTime = await sweepNewRepos({ roots: [ws], before, startedAt: Date.now(), placeholders: new Set(), budgetMs: -1 });
    expect(outOfTime.unverified).toEqual([ws]);
    // a clock that jumps past the budget after the first folders: what is still queued or being read is listed
    let calls = 0;
    const partly = await sweepNewRepos({ roots: [ws], before, startedAt: Date.now(), placeholders: new Set(), budgetMs: 1_000, now: () => (calls++ < 3 ? 0 : 10_000) });
    expect(partly.unverified.length).toBeGreaterThan(0);
    expect(partly.unverified.every((dir) => dir.startsWith(ws))).toBe(true);
    await rm(ws, { recursive: true, force: true });
  }, 60_000);
});
