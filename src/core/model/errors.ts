// Turns whatever the SDK, fetch or the stream throws into a `ModelError` with a stable code (tests and the
// UI key on it), a message a user can act on, and what the retry loop needs (retryable, Retry-After).
// Aborts are never classified: the caller rethrows the signal's reason so a Stop ends the turn as stopped.
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import type { TurnError } from '../../shared/events';

export type ModelErrorCode = TurnError['code'];

export interface ModelErrorOptions {
  retryable?: boolean;
  retryAfterMs?: number;
  status?: number;
  cause?: unknown;
}

export class ModelError extends Error {
  override name = 'ModelError';
  readonly code: ModelErrorCode;
  /** Transient: the same request may succeed later (the retry loop still requires no output yet). */
  readonly retryable: boolean;
  /** What the server asked us to wait (Retry-After / retry-after-ms), when it said. */
  readonly retryAfterMs: number | undefined;
  readonly status: number | undefined;
  /** Set by the provider when the stream had already yielded events before failing: never retried then. */
  outputProduced = false;

  constructor(code: ModelErrorCode, message: string, options: ModelErrorOptions = {}) {
    super(message, options.cause !== undefined ? { cause: options.cause } : undefined);
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.retryAfterMs = options.retryAfterMs;
    this.status = options.status;
  }
}

/** True for the errors fetch and the SDK throw when a request is aborted. */
export function isAbortError(error: unknown): boolean {
  if (error instanceof APIUserAbortError) return true;
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';
}

/** What to throw when `signal` aborted: its reason (the web-platform convention), or an AbortError. */
export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted.', 'AbortError');
}

/** Reads Retry-After (seconds or an HTTP date) or the non-standard retry-after-ms. */
export function retryAfterFromHeaders(headers: Headers | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = Number.parseFloat(headers.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return Math.round(ms);
  const value = headers.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

/** Node's error codes anywhere in the cause chain (fetch wraps them: TypeError → cause → AggregateError). */
function causeCodes(error: unknown, depth = 0): string[] {
  if (typeof error !== 'object' || error === null || depth > 6) return [];
  const codes: string[] = [];
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') codes.push(code);
  const errors = (error as { errors?: unknown }).errors;
  if (Array.isArray(errors)) for (const inner of errors) codes.push(...causeCodes(inner, depth + 1));
  codes.push(...causeCodes((error as { cause?: unknown }).cause, depth + 1));
  return codes;
}

function causeMessages(error: unknown, depth = 0): string {
  if (!(error instanceof Error) || depth > 6) return '';
  return `${error.message} ${causeMessages(error.cause, depth + 1)}`;
}

/** Removes the API key (and anything shaped like one) from text that may reach the user or a log. */
export function redactSecrets(text: string, apiKey?: string): string {
  let out = text;
  if (apiKey && apiKey.length >= 4) out = out.split(apiKey).join('[redacted]');
  return out.replace(/\b(sk|rk|pk)-[A-Za-z0-9_*-]{8,}/g, '[redacted]');
}

/** The server's own explanation, trimmed: APIError messages are "<status> <message>". */
function serverMessage(error: APIError, apiKey?: string): string {
  const inner = (error.error as { message?: unknown } | undefined)?.message;
  const text = typeof inner === 'string' ? inner : error.message;
  const clean = redactSecrets(text, apiKey).trim();
  return clean.length > 300 ? `${clean.slice(0, 300)}…` : clean;
}

const DROP_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_BODY_TIMEOUT', 'ERR_STREAM_PREMATURE_CLOSE']);

/**
 * Classifies a failure of one model request against `baseUrl`. Abort errors must be handled before
 * calling this (see `abortReason`). `apiKey`, when given, is scrubbed from every message.
 */
export function classifyError(error: unknown, baseUrl: string, options: { apiKey?: string } = {}): ModelError {
  if (error instanceof ModelError) return error;
  const { apiKey } = options;

  if (error instanceof APIConnectionTimeoutError) {
    return new ModelError('timeout', `The request to ${baseUrl} timed out. The server may be overloaded; try again.`, { retryable: true, cause: error });
  }
  if (error instanceof APIConnectionError) {
    const codes = causeCodes(error);
    const unreachable = codes.some((c) => c === 'ECONNREFUSED' || c === 'ENOTFOUND' || c === 'EAI_AGAIN' || c === 'EHOSTUNREACH' || c === 'ENETUNREACH');
    const detail = codes.length ? ` (${[...new Set(codes)].filter((c) => /^[A-Z_]+$/.test(c)).join(', ')})` : '';
    return new ModelError('connection', `Could not connect to ${baseUrl}${detail}. Check that the server is running and that tandem.baseUrl is right.`, {
      // Refused / unknown host will not fix itself in seconds; resets and the like might.
      retryable: !unreachable,
      cause: error,
    });
  }
  if (error instanceof APIError) return classifyApiError(error, baseUrl, apiKey);

  // The SDK's SSE decoder throws a SyntaxError for an event whose data is not JSON.
  if (error instanceof SyntaxError) {
    return new ModelError('stream_dropped', `The API at ${baseUrl} sent a malformed streaming event, so the response was cut short. Try again; if it keeps happening, check tandem.wireApi.`, {
      retryable: true,
      cause: error,
    });
  }
  // fetch (undici) throws TypeError('terminated') when the socket closes while the body is being read.
  const codes = causeCodes(error);
  if (codes.some((c) => DROP_CODES.has(c)) || /\bterminated\b|other side closed|socket hang up/i.test(causeMessages(error))) {
    return new ModelError('stream_dropped', `The connection to ${baseUrl} dropped while the response was streaming.`, { retryable: true, cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ModelError('internal', `Unexpected error talking to ${baseUrl}: ${redactSecrets(message, apiKey)}`, { cause: error });
}

function classifyApiError(error: APIError, baseUrl: string, apiKey?: string): ModelError {
  const status = error.status;
  const code = typeof error.code === 'string' ? error.code : '';
  const said = serverMessage(error, apiKey);
  const retryAfterMs = retryAfterFromHeaders(error.headers);
  const base = { status, cause: error, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };

  if (code === 'context_length_exceeded' || /context length|context window|too many tokens/i.test(said)) {
    return new ModelError('context_length', `The conversation is too long for the model's context window. Start a new chat (or remove large attachments) and try again.`, base);
  }
  if (status === 401 || status === 403) {
    return new ModelError('auth', `The API at ${baseUrl} rejected the request (${status}: ${said}). Run "Tandem: Set API Key" to update your key.`, base);
  }
  if (status === 429) {
    if (code === 'insufficient_quota') {
      return new ModelError('rate_limited', `The API at ${baseUrl} reports that your quota is exhausted (${said}). Check your plan and billing.`, base);
    }
    return new ModelError('rate_limited', `Rate limited by ${baseUrl} (429: ${said}).`, { ...base, retryable: true });
  }
  if (status === 408) return new ModelError('timeout', `The API at ${baseUrl} timed out (408). Try again.`, { ...base, retryable: true });
  if (status !== undefined && status >= 500) {
    return new ModelError('server', `The API at ${baseUrl} had a server error (${status}: ${said}). Try again in a moment.`, { ...base, retryable: true });
  }
  if (status === 404) {
    return new ModelError('bad_request', `The API at ${baseUrl} answered 404 (${said}). Check tandem.baseUrl, tandem.model and tandem.wireApi.`, base);
  }
  if (status !== undefined) {
    return new ModelError('bad_request', `The API at ${baseUrl} rejected the request (${status}: ${said}).`, base);
  }
  // No status: an error event inside an otherwise successful stream.
  if (code.includes('rate_limit')) return new ModelError('rate_limited', `Rate limited by ${baseUrl}: ${said}`, { ...base, retryable: true });
  if (code.includes('invalid') || code.includes('bad_request')) return new ModelError('bad_request', `The API at ${baseUrl} rejected the request: ${said}`, base);
  return new ModelError('server', `The API at ${baseUrl} reported an error while streaming: ${said}`, { ...base, retryable: true });
}

/**
 * What a provider throws when its stream fails: the abort reason when `signal` aborted (never a
 * failure), otherwise the classified error, flagged when output had already been yielded.
 */
export function streamFailure(error: unknown, signal: AbortSignal, baseUrl: string, apiKey: string, outputProduced: boolean): unknown {
  if (signal.aborted) return abortReason(signal);
  if (isAbortError(error)) return error;
  const classified = classifyError(error, baseUrl, { apiKey });
  if (outputProduced) classified.outputProduced = true;
  return classified;
}

/** The user-facing form of any failure that ends a turn. */
export function toTurnError(error: unknown): TurnError {
  if (error instanceof ModelError) {
    const action =
      error.code === 'auth' || error.code === 'no_api_key'
        ? { label: 'Set API Key', command: 'tandem.setApiKey' }
        : error.code === 'context_length'
          ? { label: 'New Chat', command: 'tandem.newChat' }
          : error.code === 'bad_request' || error.code === 'internal'
            ? undefined
            : { label: 'Retry', command: 'retry' };
    return { code: error.code, message: error.message, ...(action ? { action } : {}) };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'internal', message: `Internal error: ${redactSecrets(message)}` };
}
