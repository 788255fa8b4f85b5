// The model providers the first-run setup offers, with what each needs: a base URL (prefilled), the wire
// API it speaks, how the key travels (auth style), whether it wants one at all. Shared by the webview's
// setup panel, the host's quick picks, the host's check of what the panel sends (`parseSetup`) and the
// model client (auth headers), so they can never disagree.
// Imports nothing: src/shared stays at the bottom of the layers.

export const PROVIDER_IDS = ['openai', 'azure', 'openrouter', 'ollama', 'lmstudio', 'vllm', 'llamacpp', 'vscode-lm', 'custom'] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];

/**
 * How the key is sent: `bearer` (`Authorization: Bearer <key>`, OpenAI and nearly every compatible server),
 * `api-key` (Azure OpenAI's `api-key: <key>` header and no Authorization header), `none` (local servers:
 * no Authorization header unless the user stored a key for that server, e.g. vLLM's `--api-key`).
 */
export type AuthStyle = 'bearer' | 'api-key' | 'none';

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
  /** How the key is sent (see AuthStyle). */
  auth: AuthStyle;
  /**
   * `openai`: an OpenAI-compatible HTTP API at `baseUrl`. `vscode-lm`: VS Code's Language Model API
   * (src/vscode/languageModels): no base URL, no key, no wire API; the models are the ones VS Code lists.
   */
  api: 'openai' | 'vscode-lm';
  /** One line under the provider's name. */
  hint: string;
}

export const PROVIDERS: readonly ProviderPreset[] = [
  { id: 'openai', label: 'OpenAI', baseUrl: 'https://api.openai.com/v1', wireApi: 'responses', model: 'gpt-5.5', local: false, auth: 'bearer', api: 'openai', hint: 'API key from platform.openai.com.' },
  {
    id: 'azure',
    label: 'Azure OpenAI',
    baseUrl: 'https://<resource>.openai.azure.com/openai/v1',
    wireApi: 'responses',
    model: '',
    local: false,
    auth: 'api-key',
    api: 'openai',
    hint: 'Replace <resource> with your resource name; the model is your deployment name.',
  },
  { id: 'openrouter', label: 'OpenRouter', baseUrl: 'https://openrouter.ai/api/v1', wireApi: 'chat', model: '', local: false, auth: 'bearer', api: 'openai', hint: 'One key for many models (openrouter.ai/keys).' },
  { id: 'ollama', label: 'Ollama (local)', baseUrl: 'http://localhost:11434/v1', wireApi: 'chat', model: '', local: true, auth: 'none', api: 'openai', hint: 'Runs on this machine; no key needed. `ollama pull <model>` first.' },
  { id: 'lmstudio', label: 'LM Studio (local)', baseUrl: 'http://localhost:1234/v1', wireApi: 'chat', model: '', local: true, auth: 'none', api: 'openai', hint: 'Start the server in LM Studio; no key needed.' },
  { id: 'vllm', label: 'vLLM (local)', baseUrl: 'http://localhost:8000/v1', wireApi: 'chat', model: '', local: true, auth: 'none', api: 'openai', hint: '`vllm serve <model>`; for tool calls start it with --enable-auto-tool-choice and a --tool-call-parser.' },
  { id: 'llamacpp', label: 'llama.cpp server (local)', baseUrl: 'http://localhost:8080/v1', wireApi: 'chat', model: '', local: true, auth: 'none', api: 'openai', hint: '`llama-server -m model.gguf --jinja` (--jinja enables tool calls); no key needed.' },
  { id: 'vscode-lm', label: 'VS Code language models', baseUrl: '', wireApi: 'chat', model: '', local: false, auth: 'none', api: 'vscode-lm', hint: 'Models you already have in VS Code (GitHub Copilot, other extensions); VS Code asks once before Tandem may use them.' },
  { id: 'custom', label: 'Custom (OpenAI-compatible)', baseUrl: '', wireApi: 'chat', model: '', local: false, auth: 'bearer', api: 'openai', hint: 'Any server that speaks Chat Completions or the Responses API.' },
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
  if (isLoopbackUrl(baseUrl) && url.port === '8000') return 'vllm';
  if (isLoopbackUrl(baseUrl) && url.port === '8080') return 'llamacpp';
  return 'custom';
}

/**
 * The provider in use: `tandem.provider` when it names a preset, otherwise the one `tandem.baseUrl` belongs
 * to (so settings written before `tandem.provider` existed keep meaning what they meant).
 */
export function resolveProvider(explicit: unknown, baseUrl: string): ProviderId {
  return typeof explicit === 'string' && PROVIDER_IDS.includes(explicit as ProviderId) ? (explicit as ProviderId) : detectProvider(baseUrl);
}

/** How the key travels for `provider` (Azure's `api-key` header, a bearer token, or none). */
export function authStyleFor(provider: ProviderId): AuthStyle {
  return providerPreset(provider).auth;
}

/** Whether `provider` cannot work without a key: not for local servers (a key is optional there) nor VS Code's models. */
export function providerNeedsKey(provider: ProviderId): boolean {
  const preset = providerPreset(provider);
  return preset.api === 'openai' && !preset.local;
}

/**
 * Where the key of `provider` at `baseUrl` is kept: one key per provider whose server is fixed (OpenAI,
 * OpenRouter), one per provider *and server* (origin) where the user chooses the server (Azure resources,
 * local servers, custom URLs), so a key typed for one server never goes to another. Undefined: no key
 * (VS Code's language models).
 */
export function keySlot(provider: ProviderId, baseUrl: string): string | undefined {
  const preset = providerPreset(provider);
  if (preset.api !== 'openai') return undefined;
  // The shared OpenAI / OpenRouter key goes only to that provider's own server: with another base URL the
  // provider setting is just a label, and the server gets a slot (and a key) of its own.
  if ((provider === 'openai' || provider === 'openrouter') && isPresetServer(provider, baseUrl)) return provider;
  let origin: string;
  try {
    origin = new URL(baseUrl.trim()).origin;
  } catch {
    origin = baseUrl.trim();
  }
  return `${provider}@${origin.toLowerCase()}`;
}

/** Whether `baseUrl` is the fixed server of `provider` (https on its own host). */
function isPresetServer(provider: 'openai' | 'openrouter', baseUrl: string): boolean {
  try {
    const url = new URL(baseUrl.trim());
    return url.protocol === 'https:' && url.hostname.toLowerCase() === (provider === 'openai' ? 'api.openai.com' : 'openrouter.ai') && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}

/**
 * Whether OPENAI_API_KEY from the environment may stand in for a stored key: only for OpenAI's own server.
 * It is an OpenAI key; a custom URL, a local port or another provider must get a key typed for it.
 */
export function environmentKeyApplies(baseUrl: string): boolean {
  return isPresetServer('openai', baseUrl);
}

/**
 * The key the environment offers for a server at `baseUrl`: TANDEM_API_KEY (set for Tandem, so for the
 * server Tandem is set up for, which a workspace cannot change), else OPENAI_API_KEY for OpenAI's own server only.
 */
export function environmentKeyFor(baseUrl: string, env: Readonly<Record<string, string | undefined>>): string | undefined {
  const forTandem = env.TANDEM_API_KEY?.trim();
  if (forTandem) return forTandem;
  return environmentKeyApplies(baseUrl) ? env.OPENAI_API_KEY?.trim() || undefined : undefined;
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
  if (r.provider === 'vscode-lm') {
    // No server, key or wire API: only the model (possibly still empty: the host then offers VS Code's list).
    if (typeof r.model !== 'string' || (r.model.trim() !== '' && modelProblem(r.model) !== undefined)) return undefined;
    return { provider: 'vscode-lm', baseUrl: '', model: r.model.trim(), wireApi: 'chat' };
  }
  if (r.wireApi !== 'responses' && r.wireApi !== 'chat') return undefined;
  if (typeof r.baseUrl !== 'string' || typeof r.model !== 'string') return undefined;
  if (baseUrlProblem(r.baseUrl) !== undefined || modelProblem(r.model) !== undefined) return undefined;
  return { provider: r.provider as ProviderId, baseUrl: r.baseUrl.trim().replace(/\/+$/, ''), model: r.model.trim(), wireApi: r.wireApi };
}

/** Whether the server at `baseUrl` needs a key: every one but the local presets (Ollama, LM Studio, vLLM, llama.cpp). */
export function keyRequiredFor(baseUrl: string): boolean {
  return providerNeedsKey(detectProvider(baseUrl));
}
