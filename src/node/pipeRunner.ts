// ProcessRunner on plain pipes, for machines where node-pty cannot load. Same contract as the PTY runner
// but without a terminal: stdout and stderr are merged into one stream, programs see no tty (no colours,
// no interactive prompts), and Ctrl-C written as \u0003 is turned into SIGINT for the process group,
// because there is no terminal driver to do it.
import { spawn, type ChildProcess } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';
import type { RunningProcess, SpawnOptions } from '../core/ports';
import { drainFd } from './drainFd';
import { userShell } from './environment';
import { commandEnv, killProcessGroup, shellArgs, signalExitCode, type ArgvRunner, type ArgvSpawnOptions } from './ptyRunner';

/**
 * After the shell exits, how long to wait for its pipes to reach end of file before reporting the exit:
 * the grace for a background job that inherited them (`sleep 100 &`), the same 200 ms node-pty gives
 * the terminal. What the shell wrote is never cut by it: see `readRest`.
 */
const DRAIN_MS = 200;

/** The pipe's file descriptor (libuv's, non-blocking), read directly when the grace runs out. */
function pipeFd(stream: Readable | null): number | undefined {
  const fd = (stream as unknown as { _handle?: { fd?: unknown } } | null)?._handle?.fd;
  return typeof fd === 'number' && fd >= 0 ? fd : undefined;
}

/**
 * Output capture is complete by construction: the exit is reported when both pipes reached end of file,
 * or, when a background job keeps them open, after the grace, once what the kernel still holds for them
 * has been read (`readRest`): the event loop may not have read it yet (a busy extension host), and
 * everything the shell wrote before it exited is in there. Bytes are decoded per stream here, so a UTF-8
 * character split across reads stays whole and an unfinished one at the end shows as U+FFFD.
 */
class PipeProcess implements RunningProcess {
  readonly exited: Promise<number>;
  private readonly listeners = new Set<(chunk: string) => void>();
  private done = false;

  constructor(private readonly child: ChildProcess) {
    const readers = [child.stdout, child.stderr].map((stream) => this.reader(stream));
    // Writing to a process that already exited raises EPIPE on stdin; there is nothing to do about it.
    child.stdin?.on('error', () => {});
    this.exited = new Promise((resolve) => {
      let settled = false;
      const finish = (code: number) => {
        if (settled) return;
        settled = true;
        this.done = true;
        resolve(code);
      };
      child.on('error', (error) => {
        this.deliver(`${error.message}\n`);
        finish(127);
      });
      child.on('exit', (code, signal) => {
        const exitCode = signal ? signalExitCode(signal) : (code ?? 0);
        // 'close' waits for the pipes, but a background job that inherited them would hold it open
        // forever; wait briefly, then take what is buffered and report the exit regardless.
        const timer = setTimeout(() => {
          for (const reader of readers) reader.readRest();
          finish(exitCode);
        }, DRAIN_MS);
        child.once('close', () => {
          clearTimeout(timer);
          finish(exitCode);
        });
      });
    });
  }

  /** Decodes one pipe into the listeners; `readRest` reads what the kernel holds for it right now. */
  private reader(stream: Readable | null): { readRest(): void } {
    const decoder = new StringDecoder('utf8');
    stream?.on('data', (bytes: Buffer) => this.deliver(decoder.write(bytes)));
    stream?.on('end', () => this.deliver(decoder.end()));
    return {
      readRest: () => {
        const fd = pipeFd(stream);
        if (fd === undefined) return;
        if (drainFd(fd, (bytes) => this.deliver(decoder.write(bytes))) === 'eof') this.deliver(decoder.end());
      },
    };
  }

  private deliver(text: string): void {
    if (!text) return;
    for (const listener of this.listeners) listener(text);
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  onOutput(listener: (chunk: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  write(chars: string): void {
    if (this.done) return;
    const parts = chars.split('\u0003');
    parts.forEach((part, index) => {
      if (index > 0) this.interrupt();
      if (part) this.child.stdin?.write(part);
    });
  }

  kill(): void {
    if (!this.done && this.child.pid !== undefined) killProcessGroup(this.child.pid);
  }

  private interrupt(): void {
    try {
      if (this.child.pid !== undefined) process.kill(-this.child.pid, 'SIGINT');
    } catch {
      // already gone
    }
  }
}

export class PipeRunner implements ArgvRunner {
  constructor(readonly shell: string = userShell()) {}

  spawn(options: SpawnOptions): RunningProcess {
    return this.spawnArgv({ ...options, file: this.shell, args: shellArgs(options.command, options.login) });
  }

  spawnArgv(options: ArgvSpawnOptions): RunningProcess {
    const child = spawn(options.file, options.args, {
      cwd: options.cwd,
      env: commandEnv(options.env, 'dumb', options.dropEnv),
      // Own process group (setsid), so kill() reaches background jobs and grandchildren too.
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    return new PipeProcess(child);
  }
}
