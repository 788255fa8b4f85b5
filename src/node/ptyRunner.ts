// ProcessRunner on node-pty: commands run in a real pseudo-terminal, so programs behave as they do in the
// user's terminal (colours, line buffering, prompts that wait for input). node-pty is a native module and
// is loaded lazily so that a failed load (wrong ABI, missing prebuild) can fall back to pipes
// (createRunner.ts). The helpers at the top are shared with the pipe runner.
import { constants } from 'node:os';
import { StringDecoder } from 'node:string_decoder';
import type * as NodePtyModule from 'node-pty';
import type { IPty } from 'node-pty';
import type { ProcessRunner, RunningProcess, SpawnOptions } from '../core/ports';
import { dropSecretsFromEnv } from './commandSecrets';
import { drainFd } from './drainFd';
import { userShell } from './environment';

/** Grace period between SIGTERM and SIGKILL when killing a process tree. */
export const KILL_GRACE_MS = 2_000;

/**
 * The user's environment plus what keeps commands non-interactive where they should be: pagers that
 * would wait for a keypress (git log, man) print straight through. ELECTRON_RUN_AS_NODE (set in the
 * extension host) is dropped, or a `code` launched by the agent would start as plain Node.
 */
export function commandEnv(extra: Record<string, string> | undefined, term: string, drop: readonly string[] = []): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  for (const key of ['ELECTRON_RUN_AS_NODE', ...drop]) delete env[key];
  dropSecretsFromEnv(env);
  if (env.PATH !== undefined) env.PATH = absolutePathEntries(env.PATH);
  Object.assign(env, { TERM: term, PAGER: 'cat', GIT_PAGER: 'cat', GH_PAGER: 'cat' }, extra);
  return env;
}

/**
 * PATH without relative or empty entries (an empty entry means the current directory). With `.` on PATH,
 * a workspace could ship its own `ls` or `git` and a command the classifier judged read-only would run it,
 * unsandboxed where no sandbox exists.
 */
export function absolutePathEntries(pathValue: string): string {
  return pathValue.split(':').filter((entry) => entry.startsWith('/')).join(':');
}

/** A program and its arguments to start directly (the sandbox wraps the shell in bwrap / sandbox-exec). */
export interface ArgvSpawnOptions {
  file: string;
  args: string[];
  cwd: string;
  /** Added to the user's environment. */
  env?: Record<string, string>;
  /** Removed from the user's environment. */
  dropEnv?: readonly string[];
  cols?: number;
  rows?: number;
}

/** A runner that can also start an arbitrary argv with the same terminal, environment and kill semantics. */
export interface ArgvRunner extends ProcessRunner {
  spawnArgv(options: ArgvSpawnOptions): RunningProcess;
}

/** `shell -c cmd`, or `-lc` for a login shell (reads the profile: slower, but sees the user's PATH setup). */
export function shellArgs(command: string, login: boolean | undefined): string[] {
  return [login ? '-lc' : '-c', command];
}

/** 128 + signal number, the shell convention for "killed by a signal". */
export function signalExitCode(signal: NodeJS.Signals | number): number {
  const number = typeof signal === 'number' ? signal : (constants.signals[signal] ?? 15);
  return 128 + number;
}

function isGroupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Kills a whole process group (the command's shell leads its own group, so background jobs and
 * grandchildren go too): SIGTERM now, SIGKILL after `graceMs` if any member is still there.
 */
export function killProcessGroup(pgid: number, graceMs = KILL_GRACE_MS): void {
  try {
    process.kill(-pgid, 'SIGTERM');
  } catch {
    return; // group already gone
  }
  const timer = setTimeout(() => {
    if (!isGroupAlive(pgid)) return;
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // exited in between
    }
  }, graceMs);
  timer.unref();
}

export type NodePty = typeof NodePtyModule;

/** Loads node-pty; throws when the native module cannot load on this machine. */
export function loadNodePty(): NodePty {
  // A plain require (not an import) so a load failure is a catchable error at runtime, and so esbuild
  // leaves the native module external.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('node-pty') as NodePty;
}

/**
 * node-pty on Linux reports about half of the commands that exit at once without output (`bash -c 'touch
 * x'`: the shell execs a program that closes its stdio on exit) as "killed by SIGHUP" with exit code 0,
 * although the command ran to completion (the hang-up comes from the terminal closing as the session
 * leader exits). Nothing but the terminal closing sends SIGHUP to the command's session, and we close it
 * only when we kill, so a SIGHUP we did not cause is read as the exit code it came with.
 */
const SIGHUP = constants.signals.SIGHUP;

/**
 * node-pty's terminal socket (private: `_socket`, a tty.ReadStream on the master). node-pty destroys it
 * 200 ms after the command exits when the terminal has not reported EOF by then, dropping what the kernel
 * still holds; we drain the master just before that happens. `undefined` when a node-pty release moved it
 * (ptyRunner.test.ts fails then, so an upgrade cannot silently bring the loss back).
 */
export function terminalSocket(pty: IPty): { destroy(error?: Error): unknown } | undefined {
  const socket = (pty as unknown as { _socket?: unknown })._socket;
  return typeof socket === 'object' && socket !== null && typeof (socket as { destroy?: unknown }).destroy === 'function'
    ? (socket as { destroy(error?: Error): unknown })
    : undefined;
}

/** The master's file descriptor (UnixTerminal's `fd`), when there is one. */
function masterFd(pty: IPty): number | undefined {
  const fd = (pty as unknown as { fd?: unknown }).fd;
  return typeof fd === 'number' && fd >= 0 ? fd : undefined;
}

/**
 * Output capture is complete by construction: the exit is reported only after the terminal is read to its
 * end. node-pty's exit event can come while the kernel still holds output (seen as `seq 1 20000` losing
 * its last few hundred lines whenever the event loop was slow to read: the extension host, parallel
 * commands). node-pty itself waits for the master's EOF (EIO) before it emits exit, but only 200 ms; then
 * it destroys the socket, so we read the master dry (drainFd) right before that and deliver it first.
 * That 200 ms is also the grace for a background job that keeps the terminal open (`sleep 100 &`): what
 * it prints within the grace is kept, later output is not, and the command never hangs on it. 200 ms is
 * node-pty's (and the pipe runner's) choice; longer would delay every command that leaves a job behind.
 * Bytes are decoded here, not by node-pty, so a UTF-8 character split across reads or across the drain
 * stays whole and an unfinished one at the very end still shows (as U+FFFD) instead of vanishing.
 */
class PtyProcess implements RunningProcess {
  readonly exited: Promise<number>;
  private readonly listeners = new Set<(chunk: string) => void>();
  private readonly decoder = new StringDecoder('utf8');
  private done = false;
  private killed = false;

  constructor(private readonly pty: IPty) {
    // With `encoding: null` node-pty hands over Buffers (its typings say string).
    pty.onData((chunk: string | Buffer) => this.receive(chunk));
    const socket = terminalSocket(pty);
    const fd = masterFd(pty);
    if (socket && fd !== undefined) {
      const destroy = socket.destroy.bind(socket);
      let drained = false;
      socket.destroy = (error?: Error) => {
        // Once only, and never after the socket closed: its fd number may belong to another file by then.
        if (!drained && !this.done && !(socket as { destroyed?: boolean }).destroyed) {
          drained = true;
          drainFd(fd, (bytes) => this.receive(bytes));
        }
        return destroy(error);
      };
    }
    this.exited = new Promise((resolve) => {
      pty.onExit(({ exitCode, signal }) => {
        this.done = true;
        this.deliver(this.decoder.end());
        resolve(signal && !(signal === SIGHUP && !this.killed) ? signalExitCode(signal) : exitCode);
      });
    });
  }

  private receive(chunk: string | Buffer): void {
    this.deliver(typeof chunk === 'string' ? chunk : this.decoder.write(chunk));
  }

  private deliver(text: string): void {
    if (!text) return;
    for (const listener of this.listeners) listener(text);
  }

  get pid(): number {
    return this.pty.pid;
  }

  onOutput(listener: (chunk: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  write(chars: string): void {
    if (!this.done) this.pty.write(chars);
  }

  kill(): void {
    // The pty child calls setsid(), so its pid is also its process group id.
    if (this.done) return;
    this.killed = true;
    killProcessGroup(this.pty.pid);
  }
}

export class PtyRunner implements ArgvRunner {
  constructor(
    private readonly pty: NodePty = loadNodePty(),
    readonly shell: string = userShell(),
  ) {}

  spawn(options: SpawnOptions): RunningProcess {
    return this.spawnArgv({ ...options, file: this.shell, args: shellArgs(options.command, options.login) });
  }

  spawnArgv(options: ArgvSpawnOptions): RunningProcess {
    const pty = this.pty.spawn(options.file, options.args, {
      name: 'xterm-256color',
      cols: options.cols ?? 120,
      rows: options.rows ?? 40,
      cwd: options.cwd,
      env: commandEnv(options.env, 'xterm-256color', options.dropEnv),
      // Raw bytes: PtyProcess decodes them itself (see there).
      encoding: null,
    });
    return new PtyProcess(pty);
  }
}
