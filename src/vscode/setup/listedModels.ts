// What the provider's `/models` said about each model (context window, images, tools: modelInfo.ts), kept
// for the window's lifetime per provider and server: filled when the model picker lists the models, or,
// for a session whose model was never picked here, asked once from the configured server (the one the
// user chose) for the providers whose list carries such facts. Nothing is asked of any other server.
import type { ModelFacts } from '../../core/model/modelInfo';
import { authStyleFor, type ProviderId } from '../../shared/providers';
import { listModels } from './modelList';

/** Providers whose `/models` entries state windows or capabilities (OpenAI's and Azure's list ids only). */
const LISTS_FACTS: ReadonlySet<ProviderId> = new Set(['openrouter', 'vllm', 'llamacpp', 'lmstudio', 'custom']);
/** A session does not wait longer than this for the list before it starts with what else is known. */
const SESSION_LIST_TIMEOUT_MS = 2_000;

const byServer = new Map<string, Map<string, ModelFacts>>();

function serverKey(target: { provider: ProviderId; baseUrl: string }): string {
  return `${target.provider} ${target.baseUrl.replace(/\/+$/, '')}`;
}

/** Remembers what a listing said (the picker calls this with every list it shows). */
export function rememberListedModels(target: { provider: ProviderId; baseUrl: string }, facts: ReadonlyMap<string, ModelFacts>): void {
  byServer.set(serverKey(target), new Map(facts));
}

/** What the provider said about `model`; asks its `/models` once per server when nothing is known yet. */
export async function serverModelFacts(target: { provider: ProviderId; baseUrl: string }, model: string, apiKey: string): Promise<ModelFacts | undefined> {
  const key = serverKey(target);
  if (!byServer.has(key) && LISTS_FACTS.has(target.provider)) {
    const listed = await listModels(target.baseUrl, apiKey || undefined, AbortSignal.timeout(SESSION_LIST_TIMEOUT_MS), authStyleFor(target.provider));
    // A failed list is remembered as empty too: the session must not pay the timeout again for every rebuild.
    byServer.set(key, listed.ok ? listed.facts : new Map());
  }
  return byServer.get(key)?.get(model);
}

/** What is already known about `model` on that server, without asking it (the header's context meter). */
export function knownServerModelFacts(target: { provider: ProviderId; baseUrl: string }, model: string): ModelFacts | undefined {
  return byServer.get(serverKey(target))?.get(model);
}

/** For tests: forget everything. */
export function forgetListedModels(): void {
  byServer.clear();
}
