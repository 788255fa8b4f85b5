// What waits while a turn runs: user messages and compactions submitted during it, in order. A session
// delivers the messages at the head of the queue into the running turn when the model can take them, and
// starts whatever is left as the next turn. Kept apart from AgentSession so the ordering rules are plain.
import type { Operation } from './types';

export type TurnOperation = Extract<Operation, { type: 'user_turn' | 'compact' }>;
export type UserTurnOperation = Extract<Operation, { type: 'user_turn' }>;

export interface QueuedTurn {
  submissionId: string;
  op: TurnOperation;
  signal?: AbortSignal;
}

interface Entry extends QueuedTurn {
  /** Removes the listener on the caller's signal once the entry left the queue. */
  release: () => void;
}

export class TurnQueue {
  private readonly entries: Entry[] = [];

  get length(): number {
    return this.entries.length;
  }

  /** Queues a turn; `onAbort` runs if the caller's signal aborts while it waits. */
  add(turn: QueuedTurn, onAbort: () => void): void {
    const listener = () => onAbort();
    this.entries.push({ ...turn, release: () => turn.signal?.removeEventListener('abort', listener) });
    turn.signal?.addEventListener('abort', listener, { once: true });
  }

  /** The messages at the head of the queue, up to the first compaction (what comes after it waits for it). */
  takeMessages(): (QueuedTurn & { op: UserTurnOperation })[] {
    const taken: (QueuedTurn & { op: UserTurnOperation })[] = [];
    while (this.entries[0]?.op.type === 'user_turn') {
      const entry = this.entries.shift()!;
      entry.release();
      taken.push(entry as QueuedTurn & { op: UserTurnOperation });
    }
    return taken;
  }

  /** The next turn to start, skipping those whose caller gave up. */
  next(): QueuedTurn | undefined {
    for (let entry = this.entries.shift(); entry; entry = this.entries.shift()) {
      entry.release();
      if (!entry.signal?.aborted) return entry;
    }
    return undefined;
  }

  /** Takes one submission out of the queue (withdrawn); undefined when it is not waiting. */
  remove(submissionId: string): QueuedTurn | undefined {
    const index = this.entries.findIndex((e) => e.submissionId === submissionId);
    if (index < 0) return undefined;
    const [entry] = this.entries.splice(index, 1);
    entry!.release();
    return entry;
  }

  /** Empties the queue (Stop, dispose). */
  clear(): QueuedTurn[] {
    const all = this.entries.splice(0);
    for (const entry of all) entry.release();
    return all;
  }
}
