// The fork-bomb guard: RLIMIT_NPROC set inside the sandbox's user namespace bounds how many processes a
// command can have, and when the command ends its PID namespace takes every leftover process with it.
// The kernel exempts root from RLIMIT_NPROC, so when the tests run as root (CI does) bwrap is started
// through a shim that drops to `nobody` first: that is the unprivileged setup real users have.
import { chmodSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createProcessRunner } from '../../../../src/node/createRunner';
import { findOnPath } from '../../../../src/node/sandbox/sandboxProbe';
import { describeWithBwrap, hostPidsRunning, runToEnd, tempDir, waitFor } from './sandboxTestUtils';

const NOBODY = 65534;
const LIMIT = 40;
const SLEEP = ['sleep', '765.4321'];
/** Forks up to 200 background sleeps, reporting each; dash gives up at the first failed fork. */
const FORK_LOOP = `i=0; while [ $i -lt 200 ]; do ${SLEEP.join(' ')} & i=$((i+1)); echo "forked $i"; done; echo "loop finished"`;

function unprivilegedBwrap(): string | undefined {
  const bwrap = findOnPath('bwrap');
  if (!bwrap || process.getuid?.() !== 0) return bwrap;
  const setpriv = findOnPath('setpriv');
  if (!setpriv) throw new Error('running as root needs setpriv (util-linux) to test the process limit as an unprivileged user');
  const shim = join(tempDir('tandem-sb-shim-'), 'bwrap-as-nobody');
  writeFileSync(shim, `#!/bin/sh\nexec ${setpriv} --reuid=${NOBODY} --regid=${NOBODY} --clear-groups ${bwrap} "$@"\n`);
  chmodSync(shim, 0o755);
  return shim;
}

describeWithBwrap('sandbox process limit', () => {
  const bwrapPath = unprivilegedBwrap();
  // `nobody` must reach these (and the sandbox probe's temp dir): the test runner's TMPDIR may sit in a
  // root-only folder (scripts/test.sh keeps everything under one mode-700 temp root), so use /tmp itself.
  const base = realpathSync('/tmp');
  const workspace = mkdtempSync(join(base, 'tandem-sb-fork-ws-'));
  const privateTmp = mkdtempSync(join(base, 'tandem-sb-fork-tmp-'));
  for (const dir of [workspace, privateTmp]) chmodSync(dir, 0o777);
  const savedTmp = process.env.TMPDIR;
  beforeAll(() => {
    process.env.TMPDIR = privateTmp; // the availability probe binds tmpdir()
  });
  afterAll(() => {
    if (savedTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmp;
    for (const dir of [workspace, privateTmp]) rmSync(dir, { recursive: true, force: true });
  });
  const runner = (maxProcesses: number) => {
    const r = createProcessRunner({
      shell: '/bin/sh',
      sandbox: { settings: () => ({ mode: 'workspace-write', network: false }), approvalPolicy: () => 'auto', maxProcesses, tempDir: privateTmp, homeDir: workspace, ...(bwrapPath ? { bwrapPath } : {}) },
    });
    // Without this, a sandbox that cannot start as `nobody` would run the loop unconfined and the test would
    // fail in a confusing way (200 forks): say what is wrong instead.
    expect(r.sandboxStatus?.()).toMatchObject({ state: 'enforced' });
    return r;
  };

  it('stops a fork loop at the limit and leaves nothing behind', async () => {
    const result = await runToEnd(runner(LIMIT), { command: FORK_LOOP, cwd: workspace, workspaceRoots: [workspace] });
    const forked = Math.max(0, ...[...result.out.matchAll(/forked (\d+)/g)].map((m) => Number(m[1])));
    expect(result.out).toMatch(/Cannot fork/);
    expect(result.out).not.toContain('loop finished');
    expect(result.code).not.toBe(0);
    expect(forked).toBeGreaterThan(0);
    expect(forked).toBeLessThan(LIMIT);
    await waitFor(() => hostPidsRunning(SLEEP).length === 0, 'the sleeps to die with the sandbox');
  });

  it('is the limit that stops it: with room to spare the same loop finishes', async () => {
    const result = await runToEnd(runner(4096), { command: FORK_LOOP, cwd: workspace, workspaceRoots: [workspace] });
    expect(result.out).toContain('forked 200');
    expect(result.out).toContain('loop finished');
    expect(result.code).toBe(0);
    await waitFor(() => hostPidsRunning(SLEEP).length === 0, 'the sleeps to die with the sandbox');
  });
});
