// The `openai` SDK client both providers use. Retries are ours (retry.ts: they must stop once output was
// shown and report each attempt), so the SDK's are off. Nothing is read from OPENAI_* environment
// variables: an organisation id from the environment must never be sent to a third-party baseUrl.
import OpenAI from 'openai';
import { ModelError } from './errors';

export interface OpenAIClientConfig {
  baseUrl: string;
  apiKey: string;
  /** Replaces global fetch (tests, proxies). */
  fetch?: typeof fetch;
  /** Time allowed until the response headers arrive (the SDK's `timeout`). Default 5 minutes. */
  timeoutMs?: number;
  /**
   * Time allowed between two streamed events before the response is abandoned (and, on top of
   * `timeoutMs`, for an error response to finish). Default 5 minutes.
   */
  streamIdleTimeoutMs?: number;
  /**
   * Headers sent with every request; `null` removes one the SDK would send (Azure: `{ 'api-key': key,
   * Authorization: null }`; a local server without a key: `{ Authorization: null }`). See createClient.ts.
   */
  defaultHeaders?: Record<string, string | null>;
}

export const DEFAULT_TIMEOUT_MS = 5 * 60_000;

/**
 * The SDK client, or — when there is no API key (the SDK refuses to construct then) — the error every
 * request of this client fails with, so a missing key surfaces as a turn error rather than a crash.
 */
export function createOpenAI(config: OpenAIClientConfig): OpenAI | ModelError {
  if (!config.apiKey) return new ModelError('no_api_key', 'No API key is set. Run "Tandem: Set API Key" to add one.');
  return new OpenAI({
    apiKey: config.apiKey,
    baseURL: config.baseUrl,
    organization: null,
    project: null,
    maxRetries: 0,
    timeout: config.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    ...(config.fetch ? { fetch: config.fetch } : {}),
    ...(config.defaultHeaders ? { defaultHeaders: config.defaultHeaders } : {}),
  });
}

/** A data: URL for an inline image (both wire APIs accept them). */
export function imageDataUrl(image: { mediaType: string; dataBase64: string }): string {
  return `data:${image.mediaType};base64,${image.dataBase64}`;
}
