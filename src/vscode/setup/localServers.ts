// Local model servers on their default ports (Ollama 11434, LM Studio 1234, vLLM 8000, llama.cpp 8080),
// found while the user is choosing a provider (the setup panel is open or the provider picker is shown),
// never otherwise: one `GET <preset base URL>/models` each, to loopback only, no key, a short timeout, no
// redirects. Whatever answers is untrusted (a different program may own the port): only a well-formed model
// list counts, and the user still chooses; nothing is saved or sent anywhere else by finding it.
import { PROVIDERS, isLoopbackUrl, type ProviderId } from '../../shared/providers';
import { listModels } from './modelList';

export interface LocalServer {
  provider: ProviderId;
  baseUrl: string;
  /** The ids it lists (at most MAX_SHOWN_MODELS). */
  models: string[];
}

const PROBE_TIMEOUT_MS = 1_500;
const MAX_SHOWN_MODELS = 50;

/** The presets probed: local ones whose prefilled URL is on this machine. */
export function localPresets(): { provider: ProviderId; baseUrl: string }[] {
  return PROVIDERS.filter((p) => p.local && p.api === 'openai' && isLoopbackUrl(p.baseUrl)).map((p) => ({ provider: p.id, baseUrl: p.baseUrl }));
}

/**
 * Probes the local presets in parallel; resolves with those that answered with a model list, in preset
 * order. Never throws. `presets` is for tests (they point it at their own loopback servers); anything not
 * on loopback is skipped, whoever asks.
 */
export async function findLocalServers(signal?: AbortSignal, presets = localPresets()): Promise<LocalServer[]> {
  const found = await Promise.all(
    presets.map(async ({ provider, baseUrl }) => {
      if (!isLoopbackUrl(baseUrl)) return undefined;
      const timeout = AbortSignal.timeout(PROBE_TIMEOUT_MS);
      const listed = await listModels(baseUrl, undefined, signal ? AbortSignal.any([signal, timeout]) : timeout, 'none');
      return listed.ok ? { provider, baseUrl, models: listed.models.slice(0, MAX_SHOWN_MODELS) } : undefined;
    }),
  );
  return found.filter((s): s is LocalServer => s !== undefined);
}

let lastFound: LocalServer[] = [];

/** What the last search found (the setup panel shows it through ViewConfig.localServers). */
export function foundLocalServers(): LocalServer[] {
  return lastFound;
}

export function rememberFoundLocalServers(servers: LocalServer[]): void {
  lastFound = servers;
}
