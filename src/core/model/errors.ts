// Turns whatever the SDK, fetch or the stream throws into a `ModelError` with a stable code (tests and the
// UI key on it), a message a user can act on that names the provider ("OpenRouter (https://…) rejected
// the key") and says which failure it is (key, quota, unknown model, no tool support, context length…),
// and what the retry loop needs (retryable, Retry-After).
// Aborts are never classified: the caller rethrows the signal's reason so a Stop ends the turn as stopped.
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import type { TurnError } from '../../shared/events';
import { detectProvider, providerPreset } from '../../shared/providers';

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

/**
 * Who answered, for messages: "OpenRouter (https://openrouter.ai/api/v1)", "Azure OpenAI (https://…)", or
 * "the API at http://…" for a server that is no preset's.
 */
export function serverLabel(baseUrl: string): string {
  const provider = detectProvider(baseUrl);
  return provider === 'custom' ? `the API at ${baseUrl}` : `${providerPreset(provider).label.replace(/ \(local\)$/, '')} (${baseUrl})`;
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Servers' ways of saying the model does not exist (OpenAI, Azure deployments, Ollama, OpenRouter, vLLM, LM Studio). */
const UNKNOWN_MODEL =
  /model[^.]{0,120}\b(?:does not exist|not found|is not a valid model|not available)|no such model|unknown model|invalid model|deployment[^.]{0,80}does not exist|DeploymentNotFound|not a valid model id|model_not_found|try pulling it first/i;
/** ... and of saying the model (or the server's setup) cannot call tools (Ollama, OpenRouter, vLLM, llama-server, LM Studio). */
const NO_TOOLS =
  /does not support tools|(?:function calling|tool use|tool calling|tool_choice)[^.]{0,60}(?:not supported|unsupported|is not enabled)|support tool use|--enable-auto-tool-choice|tools param requires --jinja/i;

const DROP_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_BODY_TIMEOUT', 'ERR_STREAM_PREMATURE_CLOSE']);

/**
 * Classifies a failure of one model request against `baseUrl`. Abort errors must be handled before
 * calling this (see `abortReason`). `apiKey`, when given, is scrubbed from every message.
 */
export function classifyError(error: unknown, baseUrl: string, options: { apiKey?: string } = {}): ModelError {
  if (error instanceof ModelError) return error;
  const { apiKey } = options;
  const server = serverLabel(baseUrl);

  if (error instanceof APIConnectionTimeoutError) {
    return new ModelError('timeout', `The request to ${server} timed out. The server may be overloaded; try again.`, { retryable: true, cause: error });
  }
  if (error instanceof APIConnectionError) {
    const codes = causeCodes(error);
    const unreachable = codes.some((c) => c === 'ECONNREFUSED' || c === 'ENOTFOUND' || c === 'EAI_AGAIN' || c === 'EHOSTUNREACH' || c === 'ENETUNREACH');
    const detail = codes.length ? ` (${[...new Set(codes)].filter((c) => /^[A-Z_]+$/.test(c)).join(', ')})` : '';
    return new ModelError('connection', `Could not connect to ${server}${detail}. Check that the server is running and that tandem.baseUrl is right.`, {
      // Refused / unknown host will not fix itself in seconds; resets and the like might.
      retryable: !unreachable,
      cause: error,
    });
  }
  if (error instanceof APIError) return classifyApiError(error, server, apiKey);

  // The SDK's SSE decoder throws a SyntaxError for an event whose data is not JSON.
  if (error instanceof SyntaxError) {
    return new ModelError('stream_dropped', `${capitalized(server)} sent a malformed streaming event, so the response was cut short. Try again; if it keeps happening, check tandem.wireApi.`, {
      retryable: true,
      cause: error,
    });
  }
  // fetch (undici) throws TypeError('terminated') when the socket closes while the body is being read.
  const codes = causeCodes(error);
  if (codes.some((c) => DROP_CODES.has(c)) || /\bterminated\b|other side closed|socket hang up/i.test(causeMessages(error))) {
    return new ModelError('stream_dropped', `The connection to ${server} dropped while the response was streaming.`, { retryable: true, cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ModelError('internal', `Unexpected error talking to ${server}: ${redactSecrets(message, apiKey)}`, { cause: error });
}

function classifyApiError(error: APIError, server: string, apiKey?: string): ModelError {
  const status = error.status;
  const code = typeof error.code === 'string' ? error.code : '';
  const said = serverMessage(error, apiKey);
  const retryAfterMs = retryAfterFromHeaders(error.headers);
  const base = { status, cause: error, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  const Server = capitalized(server);
  const shown = status !== undefined ? `${status}: ${said}` : said;

  if (code === 'context_length_exceeded' || /context length|context window|too many tokens/i.test(said)) {
    return new ModelError('context_length', `The conversation is too long for the model's context window. Start a new chat (or remove large attachments) and try again.`, base);
  }
  if (status === 401 || status === 403) {
    return new ModelError('auth', `${Server} rejected the API key (${shown}). Run "Tandem: Set API Key" to update the key for this provider.`, base);
  }
  if (code === 'insufficient_quota' || status === 402) {
    return new ModelError('rate_limited', `${Server} reports that your quota or credits are exhausted (${shown}). Check your plan and billing.`, base);
  }
  if (status === 429) return new ModelError('rate_limited', `Rate limited by ${server} (429: ${said}).`, { ...base, retryable: true });
  if (status === 408) return new ModelError('timeout', `${Server} timed out (408). Try again.`, { ...base, retryable: true });
  if (status !== undefined && status >= 500) {
    return new ModelError('server', `${Server} had a server error (${status}: ${said}). Try again in a moment.`, { ...base, retryable: true });
  }
  // Before "unknown model": "model X does not support tools" names a model that exists.
  if (NO_TOOLS.test(said) || code === 'tools_not_supported') {
    return new ModelError('bad_request', `The model does not support tool calling on ${server} (${shown}), and Tandem needs tools to run commands and edit files. Choose a model with tool calling (Tandem: Choose Model), or enable tool calls on the server.`, base);
  }
  if (code === 'model_not_found' || code === 'DeploymentNotFound' || UNKNOWN_MODEL.test(said)) {
    return new ModelError('bad_request', `${Server} does not know the model in tandem.model (${shown}). Choose one it lists (Tandem: Choose Model); on Azure the model is your deployment's name.`, base);
  }
  if (status === 404) {
    return new ModelError('bad_request', `${Server} answered 404 (${said}). Check tandem.baseUrl, tandem.model and tandem.wireApi.`, base);
  }
  if (status !== undefined) {
    return new ModelError('bad_request', `${Server} rejected the request (${status}: ${said}).`, base);
  }
  // No status: an error event inside an otherwise successful stream.
  if (code.includes('rate_limit')) return new ModelError('rate_limited', `Rate limited by ${server}: ${said}`, { ...base, retryable: true });
  if (code.includes('invalid') || code.includes('bad_request')) return new ModelError('bad_request', `${Server} rejected the request: ${said}`, base);
  return new ModelError('server', `${Server} reported an error while streaming: ${said}`, { ...base, retryable: true });
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
