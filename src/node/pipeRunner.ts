// ProcessRunner on plain pipes, for machines where node-pty cannot load. Same contract as the PTY runner
// but without a terminal: stdout and stderr are merged into one stream, programs see no tty (no colours,
// no interactive prompts), and Ctrl-C written as \u0003 is turned into SIGINT for the process group,
// because there is no terminal driver to do it.
import { spawn, type ChildProcess } from 'node:child_process';
import type { RunningProcess, SpawnOptions } from '../core/ports';
import { userShell } from './environment';
import { commandEnv, killProcessGroup, shellArgs, signalExitCode, type ArgvRunner, type ArgvSpawnOptions } from './ptyRunner';

/** After the shell exits, how long to wait for its pipes to drain before reporting the exit. */
const DRAIN_MS = 200;

class PipeProcess implements RunningProcess {
  readonly exited: Promise<number>;
  private readonly listeners = new Set<(chunk: string) => void>();
  private done = false;

  constructor(private readonly child: ChildProcess) {
    const deliver = (chunk: string) => {
      for (const listener of this.listeners) listener(chunk);
    };
    child.stdout?.setEncoding('utf8').on('data', deliver);
    child.stderr?.setEncoding('utf8').on('data', deliver);
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
        deliver(`${error.message}\n`);
        finish(127);
      });
      child.on('exit', (code, signal) => {
        const exitCode = signal ? signalExitCode(signal) : (code ?? 0);
        // 'close' waits for the pipes, but a background job that inherited them would hold it open
        // forever; wait briefly for the drain, then report the exit regardless.
        const timer = setTimeout(() => finish(exitCode), DRAIN_MS);
        child.once('close', () => {
          clearTimeout(timer);
          finish(exitCode);
        });
      });
    });
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
