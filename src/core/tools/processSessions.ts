// Processes that outlive the exec_command call that started them (dev servers, watchers, interactive
// prompts). exec_command waits up to its yield time; a process still running then is registered here
// under a small integer session id, and write_stdin writes to it and collects what it printed since.
// Output is buffered from the first byte, so nothing printed between two calls is lost.
import type { RunningProcess } from '../ports';

/** Concurrent background processes per agent session; the oldest is dropped (killed) beyond this. */
export const MAX_PROCESS_SESSIONS = 16;
/**
 * Unseen output kept per process (characters). A chatty process nobody polls would otherwise grow
 * without bound; past the cap the middle is dropped (head and tail kept) and counted, so the model is
 * told how much it missed. Larger than any output budget, so the drop is always inside the cut region.
 */
export const MAX_BUFFERED_CHARS = 1_000_000;

export type WaitOutcome = 'exited' | 'yielded' | 'aborted';

/** A running process plus the output the model has not seen yet and its exit code once known. */
export class WatchedProcess {
  readonly startedAt: number;
  private pending = '';
  private omitted = 0;
  private code: number | undefined;
  private readonly exitWaiters = new Set<() => void>();
  private live: ((chunk: string) => void) | undefined;
  private readonly unsubscribe: () => void;

  constructor(
    readonly process: RunningProcess,
    readonly command: string,
    now: () => number = Date.now,
  ) {
    this.startedAt = now();
    this.unsubscribe = process.onOutput((chunk) => this.append(chunk));
    void process.exited.then(
      (code) => this.markExited(code),
      () => this.markExited(-1),
    );
  }

  /** Exit code, or `undefined` while the process runs. */
  get exitCode(): number | undefined {
    return this.code;
  }

  /**
   * Routes new output to the chat card of whichever call is currently waiting on this process (the
   * exec_command that started it, later a write_stdin). Cleared between calls: the turn that would
   * receive the events may be over.
   */
  setLiveListener(listener: ((chunk: string) => void) | undefined): void {
    this.live = listener;
  }

  /** Output since the last `take`, and how many characters of it were dropped by the buffer cap. */
  take(): { output: string; omittedChars: number } {
    const result = { output: this.pending, omittedChars: this.omitted };
    this.pending = '';
    this.omitted = 0;
    return result;
  }

  /** Resolves when the process exits, `ms` elapse, or `signal` aborts, whichever is first. */
  wait(ms: number, signal: AbortSignal): Promise<WaitOutcome> {
    if (this.code !== undefined) return Promise.resolve('exited');
    if (signal.aborted) return Promise.resolve('aborted');
    return new Promise((resolve) => {
      const done = (outcome: WaitOutcome) => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        this.exitWaiters.delete(onExit);
        resolve(outcome);
      };
      const onAbort = () => done('aborted');
      const onExit = () => done('exited');
      const timer = setTimeout(() => done('yielded'), ms);
      signal.addEventListener('abort', onAbort, { once: true });
      this.exitWaiters.add(onExit);
    });
  }

  /** Kills the process tree (no-op once it has exited). */
  kill(): void {
    if (this.code === undefined) this.process.kill();
  }

  /** Stops buffering (the session is forgotten). */
  dispose(): void {
    this.unsubscribe();
    this.live = undefined;
  }

  private append(chunk: string): void {
    this.live?.(chunk);
    this.pending += chunk;
    if (this.pending.length > MAX_BUFFERED_CHARS) {
      // Keep the first half as it was and slide the second half forward: the middle is what gets lost.
      const half = MAX_BUFFERED_CHARS / 2;
      this.omitted += this.pending.length - MAX_BUFFERED_CHARS;
      this.pending = this.pending.slice(0, half) + this.pending.slice(this.pending.length - half);
    }
  }

  private markExited(code: number): void {
    this.code = code;
    for (const waiter of [...this.exitWaiters]) waiter();
  }
}

export interface ProcessSessionInfo {
  id: number;
  command: string;
  /** The exec_command call that started the process. */
  callId: string;
  watched: WatchedProcess;
}

/** Registry of background processes of one agent session, keyed by session id. */
export class ProcessSessions {
  private nextId = 1;
  private readonly sessions = new Map<number, ProcessSessionInfo>();

  constructor(private readonly maxSessions = MAX_PROCESS_SESSIONS) {}

  /** Registers a process that is still running; returns its session id. */
  add(watched: WatchedProcess, callId: string): number {
    while (this.sessions.size >= this.maxSessions) this.evictOne();
    const id = this.nextId++;
    this.sessions.set(id, { id, command: watched.command, callId, watched });
    return id;
  }

  get(id: number): ProcessSessionInfo | undefined {
    return this.sessions.get(id);
  }

  /** Forgets a session (after the model has seen its exit). Does not kill it. */
  remove(id: number): void {
    this.sessions.get(id)?.watched.dispose();
    this.sessions.delete(id);
  }

  /** Sessions in the order they were started. */
  list(): ProcessSessionInfo[] {
    return [...this.sessions.values()];
  }

  get size(): number {
    return this.sessions.size;
  }

  /** Kills every background process (Stop, New Chat, dispose) and forgets them. */
  killAll(): void {
    for (const session of this.sessions.values()) {
      session.watched.kill();
      session.watched.dispose();
    }
    this.sessions.clear();
  }

  /** Drops an exited session whose end the model never read if there is one, else kills the oldest. */
  private evictOne(): void {
    const victim = this.list().find((s) => s.watched.exitCode !== undefined) ?? this.list()[0];
    if (!victim) return;
    victim.watched.kill();
    this.remove(victim.id);
  }
}
