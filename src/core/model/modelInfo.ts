// What Tandem needs to know about a model: its context window (the meter, compaction), whether it takes
// image input (images are not sent to a model that cannot read them), whether it calls tools (the agent
// cannot work without) and whether it answers in a JSON schema (structured output, code review).
// Providers do not report these on the request path, so they come from, in order: the user's override
// (`tandem.models` / `tandem.contextWindow` / `--context-window`), what the provider's `/models` said
// (OpenRouter, vLLM, llama.cpp, LM Studio), a small table of known model families, and safe defaults.
// Everything read from a server is untrusted: only finite, bounded numbers and known words count.

export interface ModelInfo {
  /** Tokens the context holds (input and output together). */
  contextWindow: number;
  imageInput: boolean;
  toolCalling: boolean;
  structuredOutput: boolean;
}

/** Some of the facts, from one source. */
export type ModelFacts = Partial<ModelInfo>;

/**
 * Unknown models: the window the meter has always assumed, tool calling assumed (Tandem is useless
 * without it, and a server that refuses tools says so: errors.ts names the cause), no images (a text-only
 * server may reject the request; the user can turn them on per model), no structured output.
 */
export const DEFAULT_MODEL_INFO: Readonly<ModelInfo> = { contextWindow: 128_000, imageInput: false, toolCalling: true, structuredOutput: false };

/** Bounds for a window from a server or a setting: below this no agent prompt fits, above it is nonsense. */
export const MIN_CONTEXT_WINDOW = 1_024;
export const MAX_CONTEXT_WINDOW = 100_000_000;

/** Prefix of a model id → what the family is known to do, most specific first. */
const KNOWN: readonly [prefix: string, facts: ModelInfo][] = [
  ['gpt-5', { contextWindow: 400_000, imageInput: true, toolCalling: true, structuredOutput: true }],
  ['gpt-4.1', { contextWindow: 1_047_576, imageInput: true, toolCalling: true, structuredOutput: true }],
  ['gpt-4o', { contextWindow: 128_000, imageInput: true, toolCalling: true, structuredOutput: true }],
  ['gpt-oss', { contextWindow: 131_072, imageInput: false, toolCalling: true, structuredOutput: true }],
  ['o4', { contextWindow: 200_000, imageInput: true, toolCalling: true, structuredOutput: true }],
  ['o3', { contextWindow: 200_000, imageInput: true, toolCalling: true, structuredOutput: true }],
  ['codex-', { contextWindow: 400_000, imageInput: true, toolCalling: true, structuredOutput: true }],
  ['claude', { contextWindow: 200_000, imageInput: true, toolCalling: true, structuredOutput: true }],
  ['gemini', { contextWindow: 1_048_576, imageInput: true, toolCalling: true, structuredOutput: true }],
  ['deepseek', { contextWindow: 128_000, imageInput: false, toolCalling: true, structuredOutput: false }],
  ['qwen2.5-vl', { contextWindow: 128_000, imageInput: true, toolCalling: true, structuredOutput: false }],
  ['qwen3-vl', { contextWindow: 256_000, imageInput: true, toolCalling: true, structuredOutput: false }],
  ['qwen', { contextWindow: 128_000, imageInput: false, toolCalling: true, structuredOutput: false }],
  ['llama3.2-vision', { contextWindow: 128_000, imageInput: true, toolCalling: false, structuredOutput: false }],
  ['llama-4', { contextWindow: 1_048_576, imageInput: true, toolCalling: true, structuredOutput: false }],
  ['llama4', { contextWindow: 1_048_576, imageInput: true, toolCalling: true, structuredOutput: false }],
  ['llama', { contextWindow: 128_000, imageInput: false, toolCalling: true, structuredOutput: false }],
  ['mistral', { contextWindow: 128_000, imageInput: false, toolCalling: true, structuredOutput: false }],
  ['devstral', { contextWindow: 128_000, imageInput: false, toolCalling: true, structuredOutput: false }],
  ['llava', { contextWindow: 4_096, imageInput: true, toolCalling: false, structuredOutput: false }],
];

/** The id without a router's vendor prefix or a tag: "openai/gpt-5" → "gpt-5", "qwen3:8b" stays "qwen3:8b". */
function familyId(model: string): string {
  return model.trim().toLowerCase().replace(/^.*\//, '');
}

/** The known-models table's facts for `model`, or undefined. */
export function knownModelFacts(model: string): ModelInfo | undefined {
  const id = familyId(model);
  return KNOWN.find(([prefix]) => id.startsWith(prefix))?.[1];
}

/** A window within bounds, or undefined (a string, NaN, a negative or absurd number). */
export function validContextWindow(value: unknown): number | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  const tokens = Math.floor(value);
  return tokens >= MIN_CONTEXT_WINDOW && tokens <= MAX_CONTEXT_WINDOW ? tokens : undefined;
}

/** A list of words, lower-cased; undefined for anything else (a malformed list states nothing). */
function strings(value: unknown): string[] | undefined {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) return undefined;
  return value.map((v: string) => v.toLowerCase());
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/**
 * The facts one entry of a `/models` answer states, in the shapes providers document:
 * OpenRouter (`context_length`, `top_provider.context_length`, `architecture.input_modalities`,
 * `supported_parameters`), vLLM (`max_model_len`), llama.cpp's llama-server (`meta.n_ctx_train`),
 * LM Studio (`loaded_context_length` / `max_context_length`, `type: "vlm"`, `capabilities`), and
 * `capabilities` lists (`tools`, `vision`) as Ollama's native API reports them. A fact the entry does not
 * state stays unset (never "false" by omission).
 */
export function modelFactsFromListing(entry: unknown): ModelFacts {
  const item = record(entry);
  if (!item) return {};
  const facts: ModelFacts = {};
  const meta = record(item.meta);
  const top = record(item.top_provider);
  const window =
    validContextWindow(item.loaded_context_length) ??
    validContextWindow(item.max_model_len) ??
    validContextWindow(item.context_length) ??
    validContextWindow(top?.context_length) ??
    validContextWindow(item.max_context_length) ??
    validContextWindow(item.context_window) ??
    validContextWindow(meta?.n_ctx) ??
    validContextWindow(meta?.n_ctx_train);
  if (window !== undefined) facts.contextWindow = window;

  const modalities = strings(record(item.architecture)?.input_modalities);
  const capabilities = strings(item.capabilities);
  if (modalities) facts.imageInput = modalities.includes('image');
  else if (typeof item.type === 'string' && ['vlm', 'llm'].includes(item.type)) facts.imageInput = item.type === 'vlm';
  if (capabilities?.includes('vision')) facts.imageInput = true;

  const parameters = strings(item.supported_parameters);
  if (parameters) {
    facts.toolCalling = parameters.includes('tools');
    facts.structuredOutput = parameters.includes('structured_outputs') || parameters.includes('response_format');
  }
  if (capabilities) {
    if (capabilities.includes('tools') || capabilities.includes('tool_use')) facts.toolCalling = true;
    else if (capabilities.includes('completion') && facts.toolCalling === undefined) facts.toolCalling = false; // Ollama lists every capability it has
  }
  return facts;
}

/** The facts a user setting states (`tandem.models["id"]`), checked: wrong types are ignored, not guessed. */
export function modelFactsFromSetting(value: unknown): ModelFacts {
  const item = record(value);
  if (!item) return {};
  const facts: ModelFacts = {};
  const window = validContextWindow(item.contextWindow);
  if (window !== undefined) facts.contextWindow = window;
  for (const key of ['imageInput', 'toolCalling', 'structuredOutput'] as const) {
    if (typeof item[key] === 'boolean') facts[key] = item[key];
  }
  return facts;
}

function defined(facts: ModelFacts | undefined): ModelFacts {
  return Object.fromEntries(Object.entries(facts ?? {}).filter(([, v]) => v !== undefined)) as ModelFacts;
}

/**
 * Everything known about `model`: the user's override wins, then what the provider's `/models` said,
 * then the known-models table, then DEFAULT_MODEL_INFO.
 */
export function resolveModelInfo(model: string, sources: { override?: ModelFacts; server?: ModelFacts } = {}): ModelInfo {
  return { ...DEFAULT_MODEL_INFO, ...knownModelFacts(model), ...defined(sources.server), ...defined(sources.override) };
}
