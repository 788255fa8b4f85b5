// How many tokens a model's context holds, for the chat's context meter. Providers do not report it on
// the wire, so it comes from the model id (longest matching prefix wins); unknown models get a
// conservative default rather than a number that would make the meter look emptier than it is.

/** Prefix of a model id → context window in tokens, most specific first. */
const WINDOWS: readonly [prefix: string, tokens: number][] = [
  ['gpt-5', 400_000],
  ['gpt-4.1', 1_047_576],
  ['gpt-4o', 128_000],
  ['o4', 200_000],
  ['o3', 200_000],
  ['codex-', 400_000],
  ['claude', 200_000],
  ['gemini', 1_048_576],
  ['deepseek', 128_000],
  ['qwen', 128_000],
  ['llama', 128_000],
  ['mistral', 128_000],
];

export const DEFAULT_CONTEXT_WINDOW = 128_000;

export function contextWindowFor(model: string): number {
  const id = model.toLowerCase().replace(/^.*\//, ''); // "openai/gpt-5" (routers) → "gpt-5"
  return WINDOWS.find(([prefix]) => id.startsWith(prefix))?.[1] ?? DEFAULT_CONTEXT_WINDOW;
}
