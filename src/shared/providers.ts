// The model providers the first-run setup offers, with what each needs: a base URL (prefilled), the wire
// API it speaks, whether it wants a key. Shared by the webview's setup panel, the host's quick picks and
// the host's check of what the panel sends (`parseSetup`), so the three can never disagree.
// Imports nothing: src/shared stays at the bottom of the layers.

export const PROVIDER_IDS = ['openai', 'azure', 'openrouter', 'ollama', 'lmstudio', 'custom'] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];

export interface ProviderPreset {
  id: ProviderId;
  label: string;
  /** Prefilled base URL; `<resource>` is a placeholder the user must replace (Azure). */
  baseUrl: string;
  wireApi: 'responses' | 'chat';
  /** A model to start from ('' when the provider has no sensible default: the user picks one). */
  model: string;
  /** Local servers accept any key or none. */
  local: boolean;
  /** One line under the provider's name. */
  hint: string;
}

export const PROVIDERS: readonly ProviderPreset[] = [
  { id: 'openai', label: 'OpenAI', baseUrl: 'https://api.openai.com/v1', wireApi: 'responses', model: 'gpt-5.5', local: false, hint: 'API key from platform.openai.com.' },
  {
    id: 'azure',
    label: 'Azure OpenAI',
    baseUrl: 'https://<resource>.openai.azure.com/openai/v1',
    wireApi: 'responses',
    model: '',
    local: false,
    hint: 'Replace <resource> with your resource name; the model is your deployment name.',
  },
  { id: 'openrouter', label: 'OpenRouter', baseUrl: 'https://openrouter.ai/api/v1', wireApi: 'chat', model: '', local: false, hint: 'One key for many models (openrouter.ai/keys).' },
  { id: 'ollama', label: 'Ollama (local)', baseUrl: 'http://localhost:11434/v1', wireApi: 'chat', model: '', local: true, hint: 'Runs on this machine; no key needed. `ollama pull <model>` first.' },
  { id: 'lmstudio', label: 'LM Studio (local)', baseUrl: 'http://localhost:1234/v1', wireApi: 'chat', model: '', local: true, hint: 'Start the server in LM Studio; no key needed.' },
  { id: 'custom', label: 'Custom (OpenAI-compatible)', baseUrl: '', wireApi: 'chat', model: '', local: false, hint: 'Any server that speaks Chat Completions or the Responses API.' },
];

export function providerPreset(id: ProviderId): ProviderPreset {
  return PROVIDERS.find((p) => p.id === id) ?? (PROVIDERS[PROVIDERS.length - 1] as ProviderPreset);
}

/** Loopback hosts: a server there runs on the user's own machine and needs no key. */
export function isLoopbackUrl(baseUrl: string): boolean {
  let host: string;
  try {
    host = new URL(baseUrl).hostname.toLowerCase();
  } catch {
    return false;
  }
  return host === 'localhost' || host === '[::1]' || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host);
}

/** Which preset a configured base URL belongs to (for the header and the panel's initial choice). */
export function detectProvider(baseUrl: string): ProviderId {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return 'custom';
  }
  const host = url.hostname.toLowerCase();
  if (host === 'api.openai.com') return 'openai';
  if (host.endsWith('.openai.azure.com')) return 'azure';
  if (host === 'openrouter.ai') return 'openrouter';
  if (isLoopbackUrl(baseUrl) && url.port === '11434') return 'ollama';
  if (isLoopbackUrl(baseUrl) && url.port === '1234') return 'lmstudio';
  return 'custom';
}

/** What the setup panel asks the host to save (user settings). */
export interface ProviderSetup {
  provider: ProviderId;
  baseUrl: string;
  model: string;
  wireApi: 'responses' | 'chat';
}

export const MAX_MODEL_CHARS = 200;
export const MAX_BASE_URL_CHARS = 2_000;

/**
 * Why `baseUrl` cannot be used, or undefined when it can: http(s) only, no user info (a key in the URL
 * would land in settings.json), no placeholder left, no query or fragment (the SDK appends paths).
 */
export function baseUrlProblem(baseUrl: string): string | undefined {
  const trimmed = baseUrl.trim();
  if (!trimmed) return 'Enter the base URL of the API.';
  if (trimmed.length > MAX_BASE_URL_CHARS) return 'The base URL is too long.';
  if (/[<>]/.test(trimmed)) return 'Replace the <placeholder> in the base URL.';
  // eslint-disable-next-line no-control-regex -- control characters and spaces are what is refused here
  if (/[\u0000-\u0020\u007f]/.test(trimmed)) return 'The base URL contains spaces or control characters.';
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return 'The base URL is not a valid URL (for example https://api.openai.com/v1).';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'The base URL must start with https:// or http://.';
  if (url.username || url.password) return 'Put the key in the key prompt, not in the URL.';
  if (url.search || url.hash) return 'The base URL cannot have a query (?…) or fragment (#…).';
  return undefined;
}

/** Why `model` cannot be used, or undefined. Model ids are one printable token (`gpt-5.5`, `org/model:tag`). */
export function modelProblem(model: string): string | undefined {
  const trimmed = model.trim();
  if (!trimmed) return 'Enter a model id.';
  if (trimmed.length > MAX_MODEL_CHARS) return 'The model id is too long.';
  if (!/^[\x21-\x7e]+$/.test(trimmed)) return 'A model id has no spaces or special characters.';
  return undefined;
}

/** A checked copy of an untrusted setup (from the webview), or undefined when anything is off. */
export function parseSetup(raw: unknown): ProviderSetup | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const r = raw as Record<string, unknown>;
  if (!PROVIDER_IDS.includes(r.provider as ProviderId)) return undefined;
  if (r.wireApi !== 'responses' && r.wireApi !== 'chat') return undefined;
  if (typeof r.baseUrl !== 'string' || typeof r.model !== 'string') return undefined;
  if (baseUrlProblem(r.baseUrl) !== undefined || modelProblem(r.model) !== undefined) return undefined;
  return { provider: r.provider as ProviderId, baseUrl: r.baseUrl.trim().replace(/\/+$/, ''), model: r.model.trim(), wireApi: r.wireApi };
}

/** Whether the server at `baseUrl` needs a key: every one but the local presets (Ollama, LM Studio). */
export function keyRequiredFor(baseUrl: string): boolean {
  return !providerPreset(detectProvider(baseUrl)).local;
}
