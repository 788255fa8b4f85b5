// Both process runners against real processes: output, exit codes, stdin, environment and killing a
// whole process tree. No timing assertions: every wait is on a condition.
import { mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProcessRunner, RunningProcess } from '../../../src/core/ports';
import { createProcessRunner } from '../../../src/node/createRunner';
import { PipeRunner } from '../../../src/node/pipeRunner';
import { absolutePathEntries, loadNodePty, PtyRunner, terminalSocket, type NodePty } from '../../../src/node/ptyRunner';

const runners: [string, () => ProcessRunner][] = [
  ['pty', () => new PtyRunner(undefined, '/bin/bash')],
  ['pipe', () => new PipeRunner('/bin/bash')],
];

/** Collects all output of a process. */
function collect(proc: RunningProcess): { text: () => string } {
  let text = '';
  proc.onOutput((chunk) => (text += chunk));
  return { text: () => text };
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Alive and not a zombie (PID 1 in a container may never reap orphans). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** `seq 1 n` as printed: one number a line. */
function seqText(n: number): string {
  let text = '';
  for (let i = 1; i <= n; i++) text += `${i}\n`;
  return text;
}

/**
 * Holds the event loop for `ms`, as a busy extension host does between two reads of a command's output
 * (chat state, webview messages, the session log). Not a wait for a condition: the slowness is the input.
 */
function blockEventLoop(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

const started: RunningProcess[] = [];
afterEach(() => {
  for (const proc of started.splice(0)) proc.kill();
});

describe.each(runners)('%s runner', (_name, makeRunner) => {
  const runner = makeRunner();
  const run = (command: string, extra: { login?: boolean } = {}) => {
    const proc = runner.spawn({ command, cwd: tmpdir(), ...extra });
    started.push(proc);
    return { proc, out: collect(proc) };
  };

  it('streams output and exits 0', async () => {
    const { proc, out } = run('echo hello; echo world');
    expect(await proc.exited).toBe(0);
    expect(out.text().replace(/\r\n/g, '\n')).toBe('hello\nworld\n');
  });

  it('reports the exit code', async () => {
    expect(await run('exit 3').proc.exited).toBe(3);
    expect(await run('false').proc.exited).toBe(1);
  });

  it('reports 0 for commands that exit at once without output (node-pty reported some as SIGHUP)', async () => {
    const marker = join(mkdtempSync(join(tmpdir(), 'tandem-hup-')), 'x');
    const codes: number[] = [];
    for (let i = 0; i < 40; i++) codes.push(await run(`touch ${marker}`).proc.exited);
    expect(codes.filter((c) => c !== 0)).toEqual([]);
  });

  it('keeps the end of the output when the reader is slow (exit reported before the terminal was read to its end)', async () => {
    // ~28 KB fits the kernel's buffer, so `seq` exits while most of it is unread; each read then takes
    // 250 ms, longer than node-pty waited for the rest (200 ms) before it closed the terminal.
    const { proc, out } = run('seq 1 5000');
    proc.onOutput(() => blockEventLoop(250));
    expect(await proc.exited).toBe(0);
    expect(out.text().replace(/\r\n/g, '\n')).toBe(seqText(5_000));
  });

  it('runs in the given working directory', async () => {
    const { proc, out } = run('pwd');
    await proc.exited;
    expect(out.text().trim()).toBe(tmpdir());
  });

  it('round-trips stdin', async () => {
    const { proc, out } = run('read x; echo "got $x"');
    proc.write('banana\n');
    expect(await proc.exited).toBe(0);
    expect(out.text()).toContain('got banana');
  });

  it('sets PAGER and GIT_PAGER to cat', async () => {
    const { proc, out } = run('echo "pager=$PAGER git=$GIT_PAGER"');
    await proc.exited;
    expect(out.text()).toContain('pager=cat git=cat');
  });

  it('kills the whole process tree, background jobs included', async () => {
    const { proc, out } = run('sleep 100 & echo "pid:$!"; sleep 100 & echo "pid:$!"; wait');
    await waitFor(() => (out.text().match(/pid:\d+/g) ?? []).length === 2, 'both pids');
    const pids = [...out.text().matchAll(/pid:(\d+)/g)].map((m) => Number(m[1]));
    expect(pids.every(isAlive)).toBe(true);
    proc.kill();
    expect(await proc.exited).toBeGreaterThanOrEqual(128);
    await waitFor(() => !pids.some(isAlive), 'sleeps to be gone');
  });

  it('reports 128 + signal when killed', async () => {
    const { proc, out } = run('echo ready; sleep 100');
    await waitFor(() => out.text().includes('ready'), 'ready');
    proc.kill();
    expect(await proc.exited).toBe(128 + 15);
  });

  it('does not hang on a background job that keeps the output open, and keeps what came before the exit', async () => {
    const { proc, out } = run('echo before; sleep 100 & echo "pid:$!"');
    expect(await proc.exited).toBe(0);
    expect(out.text()).toMatch(/^before\r?\npid:\d+\r?\n$/);
    process.kill(Number(/pid:(\d+)/.exec(out.text())![1]), 'SIGKILL');
  });

  it('reports the exit although a background job keeps writing (what is left to read is capped)', async () => {
    const { proc, out } = run('yes & echo "pid:$!"');
    try {
      expect(await proc.exited).toBe(0);
      expect(out.text()).toMatch(/pid:\d+/);
    } finally {
      process.kill(Number(/pid:(\d+)/.exec(out.text())?.[1] ?? 0) || -proc.pid, 'SIGKILL');
    }
  });

  it('keeps a UTF-8 character split across writes whole, and shows an unfinished one at the end', async () => {
    const { proc, out } = run("printf 'a\\342'; sleep 0.05; printf '\\202\\254b\\342\\202'");
    expect(await proc.exited).toBe(0);
    expect(out.text()).toBe('a€b\ufffd');
  });

  it('ignores writes and kills after exit', async () => {
    const { proc } = run('true');
    await proc.exited;
    expect(() => proc.write('late\n')).not.toThrow();
    expect(() => proc.kill()).not.toThrow();
  });
});

describe('pty runner specifics', () => {
  it("finds node-pty's terminal socket and master fd (drained before node-pty closes them; an upgrade that moves them fails here)", async () => {
    const pty = loadNodePty().spawn('/bin/sh', ['-c', 'exit 0'], { cwd: tmpdir(), env: { PATH: process.env.PATH ?? '' } });
    expect(terminalSocket(pty)).toBeDefined();
    expect((pty as unknown as { fd: unknown }).fd).toEqual(expect.any(Number));
    await new Promise((resolve) => pty.onExit(resolve));
  });

  it('gives the command a terminal of 120 columns', async () => {
    const proc = new PtyRunner(undefined, '/bin/bash').spawn({ command: 'tty -s && echo tty; tput cols; echo "$TERM"', cwd: tmpdir() });
    const out = collect(proc);
    await proc.exited;
    expect(out.text().replace(/\r/g, '').split('\n').slice(0, 3)).toEqual(['tty', '120', 'xterm-256color']);
  });

  it('interrupts with Ctrl-C through the terminal', async () => {
    const proc = new PtyRunner(undefined, '/bin/bash').spawn({ command: 'echo ready; sleep 100', cwd: tmpdir() });
    started.push(proc);
    const out = collect(proc);
    await waitFor(() => out.text().includes('ready'), 'ready');
    proc.write('\u0003');
    expect(await proc.exited).toBe(128 + 2);
  });
});

describe('pipe runner specifics', () => {
  it('merges stderr into the output and turns \\u0003 into SIGINT', async () => {
    const runner = new PipeRunner('/bin/bash');
    const a = runner.spawn({ command: 'echo out; echo err >&2', cwd: tmpdir() });
    const out = collect(a);
    await a.exited;
    expect(out.text()).toContain('out\n');
    expect(out.text()).toContain('err\n');

    const b = runner.spawn({ command: 'echo ready; sleep 100', cwd: tmpdir() });
    started.push(b);
    const outB = collect(b);
    await waitFor(() => outB.text().includes('ready'), 'ready');
    b.write('\u0003');
    expect(await b.exited).toBe(128 + 2);
  });
});

describe('createProcessRunner', () => {
  it('uses the pty when node-pty loads, without a fallback notice', async () => {
    const notices: string[] = [];
    const runner = createProcessRunner({ shell: '/bin/bash', onFallback: (reason) => notices.push(reason) });
    const proc = runner.spawn({ command: 'tty -s && echo tty || echo notty', cwd: tmpdir() });
    const out = collect(proc);
    await proc.exited;
    expect(out.text().trim()).toBe('tty');
    expect(notices).toEqual([]);
    expect(runner.shell).toBe('/bin/bash');
  });
});

describe('createProcessRunner fallback', () => {
  it('falls back to pipes with one notice when node-pty cannot load', async () => {
    const notices: string[] = [];
    const runner = createProcessRunner({
      shell: '/bin/bash',
      onFallback: (reason) => notices.push(reason),
      loadPty: () => {
        throw new Error('NODE_MODULE_VERSION mismatch');
      },
    });
    for (let i = 0; i < 2; i++) {
      const proc = runner.spawn({ command: 'tty -s && echo tty || echo notty', cwd: tmpdir() });
      const out = collect(proc);
      await proc.exited;
      expect(out.text().trim()).toBe('notty');
    }
    expect(notices).toEqual(['NODE_MODULE_VERSION mismatch']);
  });

  it('falls back when the pty loads but cannot spawn', async () => {
    const notices: string[] = [];
    const brokenPty = { spawn: () => { throw new Error('posix_spawnp failed'); } } as unknown as NodePty;
    const runner = createProcessRunner({ shell: '/bin/bash', onFallback: (reason) => notices.push(reason), loadPty: () => brokenPty });
    const proc = runner.spawn({ command: 'echo fine', cwd: tmpdir() });
    const out = collect(proc);
    expect(await proc.exited).toBe(0);
    expect(out.text()).toBe('fine\n');
    expect(notices).toEqual(['posix_spawnp failed']);
  });
});

describe('command PATH', () => {
  it('drops relative and empty entries, so a workspace cannot shadow ls or git', () => {
    expect(absolutePathEntries('.:/usr/bin::bin:/bin:./node_modules/.bin:')).toBe('/usr/bin:/bin');
    expect(absolutePathEntries('')).toBe('');
    expect(absolutePathEntries('/a b/c:~/bin')).toBe('/a b/c');
  });
});
