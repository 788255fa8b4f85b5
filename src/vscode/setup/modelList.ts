// The provider's model list (`GET {baseUrl}/models`, which OpenAI, Azure's v1 API, OpenRouter, Ollama,
// LM Studio and vLLM all serve), for the model picker. The answer is untrusted: only ids that are one
// printable token are kept, at most MAX_MODELS of them, and a slow or odd server just means "type the id".
import { modelProblem } from '../../shared/providers';

export const MAX_MODELS = 2_000;
const TIMEOUT_MS = 5_000;
/** Larger bodies are not model lists (OpenRouter's, with descriptions, is ~1 MB). */
const MAX_BODY_BYTES = 8 * 1024 * 1024;

export type ModelListResult = { ok: true; models: string[] } | { ok: false; reason: string };

/** Model ids from a `/models` body (`{ data: [{ id }] }`, or Ollama's older `{ models: [{ name }] }`). */
export function modelIdsFrom(body: unknown): string[] | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const list = (body as { data?: unknown; models?: unknown }).data ?? (body as { models?: unknown }).models;
  if (!Array.isArray(list)) return undefined;
  const ids = new Set<string>();
  for (const item of list) {
    const id = typeof item === 'object' && item !== null ? ((item as { id?: unknown }).id ?? (item as { name?: unknown }).name) : undefined;
    if (typeof id === 'string' && modelProblem(id) === undefined) ids.add(id.trim());
    if (ids.size >= MAX_MODELS) break;
  }
  return [...ids].sort((a, b) => a.localeCompare(b));
}

/** Asks the server for its models; never throws. `apiKey` is sent only as the bearer token. */
export async function listModels(baseUrl: string, apiKey: string | undefined, signal?: AbortSignal): Promise<ModelListResult> {
  const timeout = AbortSignal.timeout(TIMEOUT_MS);
  try {
    const response = await fetch(`${baseUrl.replace(/\/+$/, '')}/models`, {
      headers: { accept: 'application/json', ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      redirect: 'error', // a redirect could carry the key elsewhere
    });
    if (!response.ok) return { ok: false, reason: `the server answered ${response.status}` };
    const length = Number(response.headers.get('content-length') ?? 0);
    if (length > MAX_BODY_BYTES) return { ok: false, reason: 'the model list is too large' };
    const text = await response.text();
    if (text.length > MAX_BODY_BYTES) return { ok: false, reason: 'the model list is too large' };
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return { ok: false, reason: 'the answer is not JSON' };
    }
    const models = modelIdsFrom(body);
    if (!models || models.length === 0) return { ok: false, reason: 'the server listed no models' };
    return { ok: true, models };
  } catch (error) {
    return { ok: false, reason: timeout.aborted ? 'no answer within 5 s' : error instanceof Error ? error.message : String(error) };
  }
}
