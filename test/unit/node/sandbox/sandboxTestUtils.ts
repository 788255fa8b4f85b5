// Shared by the sandbox tests: whether bwrap works here (it must in CI; locally its absence skips with a
// plain message, never a vacuous pass), temp dirs, and running a command to completion.
import { mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import type { ProcessRunner, RunningProcess, SpawnOptions } from '../../../../src/core/ports';
import { probeSandbox } from '../../../../src/node/sandbox/sandboxProbe';

const inCi = process.env.CI === 'true' || process.env.CI === '1';

function bwrapProblem(): string | undefined {
  if (process.platform !== 'linux') return `bwrap not available: this is ${process.platform}, not Linux`;
  const availability = probeSandbox({ platform: 'linux' });
  return availability.ok ? undefined : `bwrap not available: ${availability.reason}`;
}

/** `describe` for tests that need a working bwrap: skips locally (saying why), fails in CI. */
export function describeWithBwrap(name: string, body: () => void): void {
  const problem = bwrapProblem();
  if (!problem) {
    describe(name, body);
    return;
  }
  if (inCi) {
    describe(name, () => {
      it('needs bubblewrap, which CI installs (.ci/run)', () => {
        throw new Error(`${problem}. The sandbox tests cannot run, and CI must not pass without them.`);
      });
    });
    return;
  }
  console.warn(`[sandbox tests] ${problem}: skipping "${name}".`);
  describe.skip(`${name} (${problem})`, body);
}

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/**
 * A fresh temp dir (real path, removed after the file's tests). Inside the sandbox /tmp is its private
 * temp dir, so fixtures standing for the rest of the disk (a home, a folder outside the workspace) pass
 * `onDisk` and live under /var/tmp instead.
 */
export function tempDir(prefix: string, onDisk = false): string {
  const dir = realpathSync(mkdtempSync(join(onDisk ? '/var/tmp' : tmpdir(), prefix)));
  dirs.push(dir);
  return dir;
}

export async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export interface Finished {
  code: number;
  /** Output with CRLF folded to LF. */
  out: string;
}

export function start(runner: ProcessRunner, options: SpawnOptions): { proc: RunningProcess; out: () => string } {
  const proc = runner.spawn(options);
  let text = '';
  proc.onOutput((chunk) => (text += chunk));
  return { proc, out: () => text.replace(/\r\n/g, '\n') };
}

export async function runToEnd(runner: ProcessRunner, options: SpawnOptions): Promise<Finished> {
  const { proc, out } = start(runner, options);
  const code = await proc.exited;
  return { code, out: out() };
}

/** Host pids whose command line is exactly `argv` (not zombies). */
export function hostPidsRunning(argv: string[]): number[] {
  const wanted = argv.join('\0');
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0$/, '');
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (cmdline === wanted && stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z') pids.push(Number(entry));
    } catch {
      // exited while we looked
    }
  }
  return pids;
}
