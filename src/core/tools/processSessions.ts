// Processes that outlive the exec_command call that started them (dev servers, watchers, interactive
// prompts). exec_command waits up to its yield time; a process still running then is registered here
// under a small integer session id, and write_stdin writes to it and collects what it printed since.
// Output is buffered from the first byte, so nothing printed between two calls is lost. Known secrets
// are redacted here, on the way in, so the live chat card, the session log (which records the card's
// chunks) and the model all get the redacted text; a secret cut across two chunks is still caught.
import type { RunningProcess } from '../ports';
import { knownSecrets, type SecretRegistry } from '../secrets/knownSecrets';
import type { StreamRedactor } from '../secrets/redact';

/** Concurrent background processes per agent session; the oldest is dropped (killed) beyond this. */
export const MAX_PROCESS_SESSIONS = 16;
/**
 * Unseen output kept per process (characters). A chatty process nobody polls would otherwise grow
 * without bound; past the cap the middle is dropped (head and tail kept) and counted, so the model is
 * told how much it missed. Larger than any output budget, so the drop is always inside the cut region.
 */
export const MAX_BUFFERED_CHARS = 1_000_000;

/** Tail chunks are joined into one once there are this many, so tiny chunks cannot pile up. */
const MAX_TAIL_CHUNKS = 1024;

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/**
 * The first `capacity / 2` characters and the last `capacity / 2` characters of a stream, with the
 * number dropped in between. Appending costs O(chunk) however long the stream runs (re-slicing one big
 * string per chunk would cost O(capacity) per chunk: minutes of CPU for a command printing gigabytes).
 * Cuts never split a surrogate pair.
 */
export class HeadTailBuffer {
  private head = '';
  private headFull = false;
  private tail: string[] = [];
  private tailLength = 0;
  private omitted = 0;
  private readonly headCapacity: number;
  /** What the head leaves of the capacity (one more when the head stopped short of a surrogate pair). */
  private tailCapacity: number;

  constructor(private readonly capacity: number) {
    this.headCapacity = Math.floor(capacity / 2);
    this.tailCapacity = capacity - this.headCapacity;
  }

  append(chunk: string): void {
    let rest = chunk;
    if (!this.headFull) {
      const room = this.headCapacity - this.head.length;
      if (rest.length <= room) {
        this.head += rest;
        return;
      }
      const cut = room > 0 && isHighSurrogate(rest.charCodeAt(room - 1)) ? room - 1 : room;
      this.head += rest.slice(0, cut);
      rest = rest.slice(cut);
      this.headFull = true;
      this.tailCapacity = this.capacity - this.head.length;
    }
    this.tail.push(rest);
    this.tailLength += rest.length;
    this.trimTail();
    if (this.tail.length > MAX_TAIL_CHUNKS) this.tail = [this.tail.join('')];
  }

  /** The kept text (head then tail) and how many characters were dropped between them. */
  take(): { output: string; omittedChars: number } {
    const result = { output: this.head + this.tail.join(''), omittedChars: this.omitted };
    this.head = '';
    this.headFull = false;
    this.tail = [];
    this.tailLength = 0;
    this.omitted = 0;
    return result;
  }

  private trimTail(): void {
    let excess = this.tailLength - this.tailCapacity;
    let dropChunks = 0;
    while (excess > 0) {
      const first = this.tail[dropChunks]!;
      if (first.length <= excess) {
        excess -= first.length;
        this.drop(first.length);
        dropChunks++;
        continue;
      }
      const cut = isLowSurrogate(first.charCodeAt(excess)) ? excess + 1 : excess;
      this.tail[dropChunks] = first.slice(cut);
      this.drop(cut);
      excess = 0;
    }
    if (dropChunks > 0) this.tail.splice(0, dropChunks);
  }

  private drop(chars: number): void {
    this.tailLength -= chars;
    this.omitted += chars;
  }
}

export type WaitOutcome = 'exited' | 'yielded' | 'aborted';

/** A running process plus the output the model has not seen yet and its exit code once known. */
export class WatchedProcess {
  readonly startedAt: number;
  private readonly pending = new HeadTailBuffer(MAX_BUFFERED_CHARS);
  private code: number | undefined;
  private readonly exitWaiters = new Set<() => void>();
  private live: ((chunk: string) => void) | undefined;
  private readonly unsubscribe: () => void;
  private readonly redactor: StreamRedactor;

  constructor(
    readonly process: RunningProcess,
    readonly command: string,
    now: () => number = Date.now,
    secrets: SecretRegistry = knownSecrets,
  ) {
    this.startedAt = now();
    this.redactor = secrets.streamRedactor();
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
    return this.pending.take();
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
    // After the exit nothing more can complete a held-back secret prefix: release everything.
    const safe = this.redactor.push(chunk) + (this.code === undefined ? '' : this.redactor.flush());
    this.deliver(safe);
  }

  private deliver(text: string): void {
    if (text === '') return;
    this.live?.(text);
    this.pending.append(text);
  }

  private markExited(code: number): void {
    this.code = code;
    this.deliver(this.redactor.flush());
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
