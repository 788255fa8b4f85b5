// The facts Tandem shows and uses about a VS Code language model (id, name, vendor, family, context window),
// read defensively: models come from other extensions' providers, so a name may be huge or hold control
// characters, ids may repeat, and `maxInputTokens` may be missing or nonsense. Pure (tested without VS Code).

export interface LanguageModelInfo {
  /** What `tandem.model` holds and `vscode.lm.selectChatModels({ id })` finds. */
  id: string;
  name: string;
  vendor: string;
  family: string;
  /** The model's context window (what one request may send), 0 when the provider did not say. */
  maxInputTokens: number;
}

const MAX_TEXT_CHARS = 200;
/** Longer lists are cut (a provider could list thousands): the picker shows this many at most. */
export const MAX_LANGUAGE_MODELS = 500;

function shownText(value: unknown): string {
  if (typeof value !== 'string') return '';
  // eslint-disable-next-line no-control-regex -- control characters from another extension are not shown
  const clean = value.replace(/[\u0000-\u001f\u007f]/g, ' ').trim();
  return clean.length > MAX_TEXT_CHARS ? `${clean.slice(0, MAX_TEXT_CHARS)}…` : clean;
}

/** A positive whole number of tokens, or 0 for "unknown". */
export function windowTokens(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 1 ? Math.floor(value) : 0;
}

/**
 * The models as Tandem lists them: one entry per id (the first wins), ids that are not usable strings
 * dropped, sorted by vendor then name, at most MAX_LANGUAGE_MODELS.
 */
export function toLanguageModelInfos(models: readonly unknown[]): LanguageModelInfo[] {
  const byId = new Map<string, LanguageModelInfo>();
  for (const model of models) {
    if (typeof model !== 'object' || model === null) continue;
    const m = model as Record<string, unknown>;
    if (typeof m.id !== 'string' || m.id.trim() === '' || m.id.length > MAX_TEXT_CHARS || byId.has(m.id)) continue;
    byId.set(m.id, { id: m.id, name: shownText(m.name) || m.id, vendor: shownText(m.vendor), family: shownText(m.family), maxInputTokens: windowTokens(m.maxInputTokens) });
  }
  return [...byId.values()]
    .sort((a, b) => a.vendor.localeCompare(b.vendor) || a.name.localeCompare(b.name) || a.id.localeCompare(b.id))
    .slice(0, MAX_LANGUAGE_MODELS);
}

/** "Name (id)" for messages, or just the id when the name says nothing more. */
export function modelLabelFor(info: Pick<LanguageModelInfo, 'id' | 'name' | 'vendor'>): string {
  const name = info.name && info.name !== info.id ? `'${info.name}' (${info.id})` : `'${info.id}'`;
  return `the VS Code language model ${name}${info.vendor ? ` from ${info.vendor}` : ''}`;
}
