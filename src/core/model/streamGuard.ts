// What both providers wrap around the SDK's parsed event stream: a stall guard (a server that keeps the
// connection open but stops sending would otherwise hang the turn until Stop), abort handling, and the
// classification of every failure into a ModelError. The providers' normalisers (normalizeResponsesEvents,
// normalizeChatChunks) turn the SDK's events into ModelStreamEvents; this runs them.
import { abortReason, ModelError, streamFailure } from './errors';
import type { ModelStreamEvent } from './types';

/** How long a stream may go without an event before it is abandoned (Codex's stream_idle_timeout_ms). */
export const DEFAULT_STREAM_IDLE_TIMEOUT_MS = 300_000;

export interface StreamContext {
  /** Named in error messages. */
  baseUrl: string;
  /** Scrubbed from error messages. */
  apiKey: string;
  /** The caller's signal (Stop). */
  signal: AbortSignal;
  /** Longest wait for the next event. Default DEFAULT_STREAM_IDLE_TIMEOUT_MS. */
  idleTimeoutMs?: number;
  /**
   * Longest wait for `open` (the SDK's own header timeout plus reading an error body). Set it above the
   * SDK's timeout so that one reports slow headers first. Default: `idleTimeoutMs`.
   */
  openTimeoutMs?: number;
}

/** Turns the SDK's events (parsed JSON of unknown shape) into ours; throws ModelError for what it rejects. */
export type StreamNormalizer = (events: AsyncIterable<unknown>, baseUrl: string) => AsyncIterable<ModelStreamEvent>;

/** Thrown inside the guard when nothing arrived in time; turned into a ModelError below. */
class StreamStalled extends Error {
  constructor(readonly waitedMs: number) {
    super('stream stalled');
  }
}

/**
 * Opens the stream with `open` (given the signal the request must honour), normalises it, and yields
 * the result. Ends normally only after the normaliser saw the response finish; otherwise throws the
 * caller's abort reason (Stop) or a classified ModelError, flagged `outputProduced` once anything was
 * yielded (the retry loop must not replay it then).
 */
export async function* guardStream(open: (signal: AbortSignal) => Promise<AsyncIterable<unknown>>, normalize: StreamNormalizer, context: StreamContext): AsyncGenerator<ModelStreamEvent> {
  const { signal, baseUrl, apiKey } = context;
  const idleTimeoutMs = context.idleTimeoutMs ?? DEFAULT_STREAM_IDLE_TIMEOUT_MS;
  const stall = new AbortController();
  let produced = false;
  try {
    const events = await within(open(AbortSignal.any([signal, stall.signal])), context.openTimeoutMs ?? idleTimeoutMs, stall, signal);
    for await (const event of normalize(watchIdle(events, idleTimeoutMs, stall, signal), baseUrl)) {
      produced = true;
      yield event;
    }
    if (signal.aborted) throw abortReason(signal);
  } catch (error) {
    if (!signal.aborted && (error instanceof StreamStalled || stall.signal.aborted)) {
      const waited = error instanceof StreamStalled ? error.waitedMs : idleTimeoutMs;
      const stalled = new ModelError('timeout', `The API at ${baseUrl} stopped sending the response (nothing for ${formatSeconds(waited)}). Try again.`, {
        retryable: true,
        cause: error,
      });
      stalled.outputProduced = produced;
      throw stalled;
    }
    throw streamFailure(error, signal, baseUrl, apiKey, produced);
  }
}

/** `events`, failing with StreamStalled when the next one takes longer than `ms`; Stop ends the wait at once. */
async function* watchIdle(events: AsyncIterable<unknown>, ms: number, stall: AbortController, signal: AbortSignal): AsyncGenerator<unknown> {
  const iterator = events[Symbol.asyncIterator]();
  let finished = false;
  try {
    for (;;) {
      const next = await within(iterator.next(), ms, stall, signal);
      if (next.done) {
        finished = true;
        return;
      }
      yield next.value;
    }
  } finally {
    // Stopping early (completed, stalled, failed downstream): close the source without waiting on it, as
    // a stalled one may never settle. The SDK's stream aborts its request when closed.
    if (!finished) void Promise.resolve(iterator.return?.()).catch(() => undefined);
  }
}

/**
 * `pending`, or StreamStalled after `ms` (aborting `stall`, which the request honours), or the abort
 * reason at once on Stop. Also bounds opening the stream: the SDK's own timeout only covers the response
 * headers, and an error response whose body never ends would otherwise hang inside the SDK.
 */
function within<T>(pending: Promise<T>, ms: number, stall: AbortController, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    pending.catch(() => undefined);
    return Promise.reject(abortReason(signal));
  }
  return new Promise((resolve, reject) => {
    const settle = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    };
    const onAbort = () => {
      settle();
      reject(abortReason(signal));
    };
    const timer = setTimeout(() => {
      settle();
      stall.abort(new StreamStalled(ms));
      reject(new StreamStalled(ms));
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
    pending.then(
      (result) => {
        settle();
        resolve(result);
      },
      (error: unknown) => {
        settle();
        reject(error);
      },
    );
  });
}

function formatSeconds(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`;
}

// ---- shape checks shared by the normalisers -------------------------------------------------------------

/** A streaming event that parsed as JSON but not into the shape the API documents. */
export function malformedEvent(baseUrl: string, detail: string): ModelError {
  return new ModelError('stream_dropped', `The API at ${baseUrl} sent a malformed streaming event (${detail}), so the response was cut short. Try again; if it keeps happening, check tandem.wireApi.`, {
    retryable: true,
  });
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A token count: a finite, non-negative number, else 0 (usage is informative; it never fails a response). */
export function tokenCount(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.round(value) : 0;
}
