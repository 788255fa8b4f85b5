// The provider's model list (`GET {baseUrl}/models`, which OpenAI, Azure's v1 API, OpenRouter, Ollama,
// LM Studio, vLLM and llama.cpp's server all serve), for the model picker, with what each entry says about
// the model (context window, images, tools: modelInfo.ts). The answer is untrusted: only ids that are one
// printable token are kept, at most MAX_MODELS of them, and a slow or odd server just means "type the id".
import { modelFactsFromListing, type ModelFacts } from '../../core/model/modelInfo';
import { modelProblem, type AuthStyle } from '../../shared/providers';

export const MAX_MODELS = 2_000;
const TIMEOUT_MS = 5_000;
/** Larger bodies are not model lists (OpenRouter's, with descriptions, is ~1 MB). */
const MAX_BODY_BYTES = 8 * 1024 * 1024;

export type ModelListResult = { ok: true; models: string[]; facts: Map<string, ModelFacts> } | { ok: false; reason: string };

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

/** What each listed model's entry states about it (only for ids `modelIdsFrom` keeps). */
export function modelFactsFrom(body: unknown, ids: readonly string[]): Map<string, ModelFacts> {
  const facts = new Map<string, ModelFacts>();
  const list = (body as { data?: unknown; models?: unknown }).data ?? (body as { models?: unknown }).models;
  if (!Array.isArray(list)) return facts;
  const wanted = new Set(ids);
  for (const item of list.slice(0, MAX_MODELS * 2)) {
    const id = typeof item === 'object' && item !== null ? ((item as { id?: unknown }).id ?? (item as { name?: unknown }).name) : undefined;
    if (typeof id !== 'string' || !wanted.has(id.trim()) || facts.has(id.trim())) continue;
    const stated = modelFactsFromListing(item);
    if (Object.keys(stated).length > 0) facts.set(id.trim(), stated);
  }
  return facts;
}

/** The key as the provider expects it (Azure: `api-key`, else a bearer token); nothing without a key. */
export function authHeaders(auth: AuthStyle, apiKey: string | undefined): Record<string, string> {
  if (!apiKey) return {};
  return auth === 'api-key' ? { 'api-key': apiKey } : { authorization: `Bearer ${apiKey}` };
}

/** Asks the server for its models; never throws. `apiKey` is sent only in the provider's auth header. */
export async function listModels(baseUrl: string, apiKey: string | undefined, signal?: AbortSignal, auth: AuthStyle = 'bearer'): Promise<ModelListResult> {
  const timeout = AbortSignal.timeout(TIMEOUT_MS);
  try {
    const response = await fetch(`${baseUrl.replace(/\/+$/, '')}/models`, {
      headers: { accept: 'application/json', ...authHeaders(auth, apiKey) },
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
    return { ok: true, models, facts: modelFactsFrom(body, models) };
  } catch (error) {
    return { ok: false, reason: timeout.aborted ? 'no answer within 5 s' : error instanceof Error ? error.message : String(error) };
  }
}
