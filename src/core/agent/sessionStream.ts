// The one event stream of an agent session, Codex-shaped: every operation gets a submission id, and every
// event the session emits goes out once, tagged with the submission it belongs to. Consumers (the chat,
// the CLI, the SDK, a parent agent) either read the whole stream (`subscribe`) or follow one submission
// (`follow`), which is a filtered view of the same stream, never a second channel.
//
// Following: a submission follows the turn it started, and a user input delivered into a running turn
// (queued input) follows that turn from then on, so its reader sees the answer that took its words into
// account. A follower ends when the turns it follows end, or at once for an operation without a turn.
import type { AgentEvent } from '../../shared/events';
import { AsyncQueue } from './asyncQueue';

/** One event of the session-wide stream. */
export interface SessionEvent {
  submissionId: string;
  event: AgentEvent;
}

/** What `AgentSession.submit` returns: the submission's id, and its events as an async iterable. */
export interface Submission extends AsyncIterable<AgentEvent> {
  readonly id: string;
}

interface Follower {
  readonly submissionId: string;
  readonly queue: AsyncQueue<AgentEvent>;
  /** Turns whose events this follower receives. */
  readonly turnIds: Set<string>;
  /** Called once when the reader stops iterating before the end (a `break` out of `for await`). */
  readonly onAbandon: () => void;
  ended: boolean;
}

export class SessionStream {
  private readonly subscribers = new Set<AsyncQueue<SessionEvent>>();
  private readonly followers = new Map<string, Follower>();

  /** Sends `event` to every subscriber and to the followers of its submission or its turn. */
  publish(submissionId: string, event: AgentEvent): void {
    const tagged = { submissionId, event };
    for (const subscriber of this.subscribers) subscriber.push(tagged);
    for (const follower of this.followers.values()) {
      if (follower.submissionId === submissionId || follower.turnIds.has(event.turnId)) follower.queue.push(event);
    }
  }

  /**
   * Every event from now on, until `signal` aborts or the session is disposed. Each subscriber gets its
   * own buffer, so a slow reader never drops or delays another's events.
   */
  subscribe(signal?: AbortSignal): AsyncIterable<SessionEvent> {
    const queue = new AsyncQueue<SessionEvent>();
    this.subscribers.add(queue);
    const stop = () => {
      this.subscribers.delete(queue);
      queue.close();
    };
    if (signal?.aborted) stop();
    else signal?.addEventListener('abort', stop, { once: true });
    const iterator = queue[Symbol.asyncIterator]();
    return {
      [Symbol.asyncIterator]: () => ({
        next: () => iterator.next(),
        return: () => {
          signal?.removeEventListener('abort', stop);
          stop();
          return Promise.resolve({ value: undefined, done: true });
        },
      }),
    };
  }

  /** Starts following `submissionId`; `onAbandon` runs if the reader breaks out early. */
  follow(submissionId: string, onAbandon: () => void): Submission {
    const follower: Follower = { submissionId, queue: new AsyncQueue<AgentEvent>(), turnIds: new Set(), onAbandon, ended: false };
    this.followers.set(submissionId, follower);
    const iterator = follower.queue[Symbol.asyncIterator]();
    return {
      id: submissionId,
      [Symbol.asyncIterator]: () => ({
        next: () => iterator.next(),
        return: () => {
          if (!follower.ended) {
            this.end(submissionId);
            onAbandon();
          }
          return Promise.resolve({ value: undefined, done: true });
        },
      }),
    };
  }

  /** From now on the follower of `submissionId` also receives the events of `turnId`. */
  joinTurn(submissionId: string, turnId: string): void {
    this.followers.get(submissionId)?.turnIds.add(turnId);
  }

  /** The turn is over: every follower that followed it ends (after what it has buffered). */
  endTurn(turnId: string): void {
    for (const follower of [...this.followers.values()]) {
      if (follower.turnIds.has(turnId)) this.end(follower.submissionId);
    }
  }

  /** Ends one submission's follower (its reader sees the end of iteration). */
  end(submissionId: string): void {
    const follower = this.followers.get(submissionId);
    if (!follower) return;
    follower.ended = true;
    this.followers.delete(submissionId);
    follower.queue.close();
  }

  /** The session is gone: every reader's iteration ends. */
  close(): void {
    for (const id of [...this.followers.keys()]) this.end(id);
    for (const subscriber of this.subscribers) subscriber.close();
    this.subscribers.clear();
  }
}
