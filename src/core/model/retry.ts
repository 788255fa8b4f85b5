// Retries a model request that failed transiently (rate limit, 5xx, dropped or malformed stream, reset
// connection) — but only while nothing has been yielded: once text reached the user, replaying the request
// would duplicate it, so the failure surfaces instead. Backoff is exponential with jitter; the server's
// Retry-After wins when it gives one (capped). Sleeping is abortable and injectable so tests never wait.
import { abortReason, ModelError } from './errors';
import type { ModelClient, ModelRequest, ModelStreamEvent } from './types';

export interface RetryOptions {
  /** Retries after the first attempt. Default 4. */
  maxRetries?: number;
  /** First backoff delay; doubles per attempt. Default 1 s. */
  baseDelayMs?: number;
  /** Ceiling for any single wait, including a server's Retry-After. Default 60 s. */
  maxDelayMs?: number;
  /** Called before each wait. `attempt` counts retries from 1. */
  onRetry?: (attempt: number, delayMs: number, reason: string) => void;
  /** Waits `ms` or rejects with the abort reason. Default: a timer. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Source of jitter in [0, 1). Default Math.random. */
  random?: () => number;
}

export const DEFAULT_RETRY = { maxRetries: 4, baseDelayMs: 1000, maxDelayMs: 60_000 } as const;

/** A timer that rejects with the signal's reason as soon as it aborts. */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(abortReason(signal));
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortReason(signal));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Delay before retry `attempt` (1-based): Retry-After when given, else base·2^(attempt-1) ± 25 %, capped. */
export function retryDelay(attempt: number, error: ModelError, options: Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs' | 'random'> = {}): number {
  const base = options.baseDelayMs ?? DEFAULT_RETRY.baseDelayMs;
  const max = options.maxDelayMs ?? DEFAULT_RETRY.maxDelayMs;
  if (error.retryAfterMs !== undefined) return Math.min(Math.max(0, error.retryAfterMs), max);
  const exponential = base * 2 ** (attempt - 1);
  const jitter = 0.75 + 0.5 * (options.random ?? Math.random)();
  return Math.min(Math.round(exponential * jitter), max);
}

/** `client.stream` with retries of retryable failures that happen before the first event. */
export async function* streamWithRetry(client: ModelClient, request: ModelRequest, signal: AbortSignal, options: RetryOptions = {}): AsyncIterable<ModelStreamEvent> {
  const maxRetries = options.maxRetries ?? DEFAULT_RETRY.maxRetries;
  const sleep = options.sleep ?? abortableSleep;
  for (let attempt = 0; ; attempt++) {
    let yielded = false;
    try {
      for await (const event of client.stream(request, signal)) {
        yielded = true;
        yield event;
      }
      return;
    } catch (error) {
      if (signal.aborted) throw abortReason(signal);
      const retry = error instanceof ModelError && error.retryable && !error.outputProduced && !yielded && attempt < maxRetries;
      if (!retry) throw error;
      const delayMs = retryDelay(attempt + 1, error, options);
      options.onRetry?.(attempt + 1, delayMs, error.message);
      await sleep(delayMs, signal);
      if (signal.aborted) throw abortReason(signal);
    }
  }
}
