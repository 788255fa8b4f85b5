// Keeps a session's context inside the model's window. Before every model request the agent loop asks
// `needsCompaction`: the last request's reported input tokens plus an estimate of what was added since
// (or an estimate of everything when the provider reported nothing) against `threshold × window`.
// Compacting replaces the history with one `compaction` item that holds, by construction: the project
// instructions read fresh (never summarised; the system instructions are sent with every request anyway),
// the user's own messages verbatim within a budget, the ledger (ledger.ts) and then the summary.
// The summary is the provider's own where the client has a compaction endpoint (native.ts: the Responses
// API's `/responses/compact`; its opaque item replaces only our summary), else our own summarisation request
// (summarize.ts: Chat Completions, local servers). Whether the endpoint exists is learnt by asking once: an
// "unsupported" answer is remembered for the session, so it is never asked again.
// The loop guard: no second compaction without progress (new user input or tool results) in between, and a
// compacted context that still does not fit ends the turn with a way forward instead of compacting again.
import type { ConversationItem, ModelClient, ModelRequest, NativeCompaction } from '../model/types';
import { renderLedger, updateLedger } from './ledger';
import { NATIVE_SUMMARY_NOTE, NATIVE_SUMMARY_TEXT, nativeCompactionInput, requestNativeCompaction } from './native';
import { summarize } from './summarize';
import { estimateFixedTokens, estimateItemsTokens, estimateItemTokens, estimateTextTokens } from './tokens';
import type { CompactionState } from './types';
import { keepUserMessages } from './userMessages';

export const DEFAULT_COMPACTION_THRESHOLD = 0.8;
export const MIN_COMPACTION_THRESHOLD = 0.5;
export const MAX_COMPACTION_THRESHOLD = 0.95;

/** The header loadAgentsMd (prompt/agentsMd.ts) starts project instructions with. */
const AGENTS_MD_HEADER = '# AGENTS.md instructions for ';

export interface CompactionSettings {
  /** Tokens the model's context holds (contextWindow.ts, or an override). */
  contextWindow: number;
  /** Fraction of the window at which to compact automatically; clamped to 0.5–0.95. */
  threshold: number;
}

export type CompactionReason = 'auto' | 'manual' | 'overflow';

/** Thrown when compacting cannot help; the message says what to do instead. */
export class CompactionError extends Error {}

type CompactionItem = Extract<ConversationItem, { type: 'compaction' }>;

/** Shares of the window for what a compaction keeps (tokens), each with a ceiling for huge windows. */
const BUDGETS = {
  userMessages: { share: 0.1, max: 20_000 },
  ledger: { share: 0.06, max: 6_000 },
  summary: { share: 0.1, max: 8_000 },
  transcript: { share: 0.45, max: 120_000 },
  /** The server's opaque summary (its length / 4, an over-estimate for encrypted text). */
  nativeSummary: { share: 0.25, max: 250_000 },
  /** What goes to the compact endpoint (the rest of the window is its instructions and headroom). */
  nativeInput: { share: 0.85, max: 1_000_000 },
} as const;
/** After compacting, the context must leave this share of the window below the threshold for new work. */
const HEADROOM_SHARE = 0.1;
const CHARS_PER_TOKEN = 4;

/** The part of a (restored) history the model sees: from the last compaction on. */
export function liveHistory(items: readonly ConversationItem[]): ConversationItem[] {
  for (let i = items.length - 1; i >= 0; i--) if (items[i]!.type === 'compaction') return items.slice(i);
  return [...items];
}

export function clampThreshold(value: number | undefined): number {
  if (value === undefined || !Number.isFinite(value)) return DEFAULT_COMPACTION_THRESHOLD;
  return Math.min(MAX_COMPACTION_THRESHOLD, Math.max(MIN_COMPACTION_THRESHOLD, value));
}

export interface CompactOptions {
  client: ModelClient;
  model: string;
  /** Sent with every request (instructions and tools), for the fit check. */
  fixed: Pick<ModelRequest, 'instructions' | 'tools'>;
  /** AGENTS.md read again now; `undefined` keeps the instructions already in the context. */
  loadProjectInstructions?: () => Promise<string | undefined>;
  reason: CompactionReason;
  promptCacheKey?: string;
  signal: AbortSignal;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export interface CompactionResult {
  item: CompactionItem;
  tokensBefore: number;
  tokensAfter: number;
  count: number;
  /** The summary is the provider's own (native compaction), not Tandem's summarisation. */
  native: boolean;
}

/** Whether this session's client has a native compaction endpoint: not asked yet, it works, or it does not. */
export type NativeCompactionStatus = 'untried' | 'available' | 'unavailable';

export class ContextManager {
  private readonly settings: CompactionSettings;
  private reported: { inputTokens: number; historyLength: number } | undefined;
  private requestHistoryLength = 0;
  /** New user input or tool results since the last compaction (a fresh session counts as progress). */
  private progress = true;
  /** Compactions in this session, including those before a reload (from the last compaction item). */
  compactions: number;
  /** Native compaction in this session (remembered so an endpoint that is missing is asked only once). */
  nativeStatus: NativeCompactionStatus = 'untried';
  /** Why the last native attempt was not used (for logs and tests). */
  nativeFallbackReason: string | undefined;

  constructor(settings: CompactionSettings, history: readonly ConversationItem[]) {
    this.settings = { contextWindow: Math.max(1, Math.floor(settings.contextWindow)), threshold: clampThreshold(settings.threshold) };
    const last = history[0]?.type === 'compaction' ? history[0] : undefined;
    this.compactions = last?.state.count ?? 0;
  }

  get contextWindow(): number {
    return this.settings.contextWindow;
  }

  /** Tokens at which an automatic compaction starts. */
  get limit(): number {
    return Math.floor(this.settings.contextWindow * this.settings.threshold);
  }

  /** Called for every item appended to the history. */
  noteItem(item: ConversationItem): void {
    if (item.type === 'user' || item.type === 'tool_output') this.progress = true;
  }

  /** Called right before a model request with the history length it sends. */
  noteRequest(historyLength: number): void {
    this.requestHistoryLength = historyLength;
  }

  /** Called with the usage the provider reported for the last request. */
  noteUsage(inputTokens: number): void {
    if (inputTokens > 0) this.reported = { inputTokens, historyLength: this.requestHistoryLength };
  }

  /** The next request's size: reported tokens of the last request plus an estimate of what was added since. */
  projectedTokens(history: readonly ConversationItem[], fixed: Pick<ModelRequest, 'instructions' | 'tools'>): number {
    const reported = this.reported;
    if (reported && reported.historyLength <= history.length) return reported.inputTokens + estimateItemsTokens(history.slice(reported.historyLength));
    return estimateFixedTokens(fixed) + estimateItemsTokens(history);
  }

  needsCompaction(history: readonly ConversationItem[], fixed: Pick<ModelRequest, 'instructions' | 'tools'>): boolean {
    return this.projectedTokens(history, fixed) > this.limit;
  }

  /**
   * Whether compacting could shrink `history` at all: something besides the newest user message since the
   * last compaction (a first message that alone is too long cannot be helped by a summary).
   */
  hasCompactableHistory(history: readonly ConversationItem[]): boolean {
    let users = 0;
    for (const item of history) {
      if (item.type === 'tool_output') return true;
      if (item.type === 'user' && projectInstructionsItem(item) === undefined) users++;
    }
    return users > 1;
  }

  /** Whether a compaction now would make progress (the loop guard). */
  get canCompact(): boolean {
    return this.progress;
  }

  /** Builds the compaction item that replaces `history`. Does not change the history itself. */
  async compact(history: readonly ConversationItem[], options: CompactOptions): Promise<CompactionResult> {
    const tokensBefore = this.projectedTokens(history, options.fixed);
    if (!this.progress) {
      throw new CompactionError(
        this.compactions > 0
          ? `The context is full again right after compaction ${this.compactions}, with nothing new since; compacting again would loop. Start a new chat, or use a model with a larger context window.`
          : 'There is nothing to compact yet.',
      );
    }
    const window = this.settings.contextWindow;
    const budgetTokens = (name: keyof typeof BUDGETS) => Math.min(BUDGETS[name].max, Math.floor(window * BUDGETS[name].share));
    const budget = (name: keyof typeof BUDGETS) => budgetTokens(name) * CHARS_PER_TOKEN;
    const previous = history[0]?.type === 'compaction' ? history[0] : undefined;
    const inContext = previous ? previous.projectInstructions : projectInstructionsItem(history[0]);
    const since = history.slice(previous || inContext !== undefined ? 1 : 0);
    const projectInstructions = options.loadProjectInstructions ? await options.loadProjectInstructions() : inContext;

    const userTexts = [...(previous?.state.userMessages ?? []), ...since.flatMap((item) => (item.type === 'user' ? [userText(item)] : []))];
    const kept = keepUserMessages(userTexts, budget('userMessages'));
    const ledger = updateLedger(previous?.state.ledger, since);
    const count = this.compactions + 1;
    const build = (summary: string, native?: NativeCompaction): CompactionItem => {
      const state: CompactionState = { count, userMessages: kept.messages, omittedUserMessages: (previous?.state.omittedUserMessages ?? 0) + kept.omitted, ledger, summary };
      return {
        type: 'compaction',
        ...(projectInstructions ? { projectInstructions } : {}),
        text: renderCompaction(state, budget('ledger'), native !== undefined),
        state,
        ...(native ? { native } : {}),
      };
    };
    const size = (item: CompactionItem) => estimateFixedTokens(options.fixed) + estimateItemTokens(item);
    const room = this.limit - Math.floor(window * HEADROOM_SHARE);

    let item: CompactionItem | undefined;
    const native = await this.nativeSummary(options, previous, since, budgetTokens('nativeInput') - estimateTextTokens(options.fixed.instructions), budgetTokens('nativeSummary'));
    if (native) {
      item = build(NATIVE_SUMMARY_NOTE, native);
      // A native summary that leaves no room is not used; ours is cut to its budget and may still fit.
      if (size(item) > room) {
        this.nativeFallbackReason = `the native summary left no room in the ${window}-token window`;
        item = undefined;
      }
    }
    if (!item) {
      // A previous native summary cannot be read here: the ledger and the user's messages carry its part.
      const previousSummary = previous && !previous.native ? previous.state.summary : '';
      const summary = await summarize({
        client: options.client,
        model: options.model,
        ...(previousSummary ? { previousSummary } : {}),
        items: since,
        transcriptBudgetChars: Math.max(2_000, budget('transcript') - previousSummary.length),
        maxSummaryChars: budget('summary'),
        ...(options.promptCacheKey ? { promptCacheKey: options.promptCacheKey } : {}),
        signal: options.signal,
        ...(options.sleep ? { sleep: options.sleep } : {}),
      });
      item = build(summary);
    }
    const tokensAfter = size(item);
    if (tokensAfter > room) {
      throw new CompactionError(
        `Even compacted, the context needs about ${tokensAfter.toLocaleString('en-US')} tokens of the model's ${window.toLocaleString('en-US')}-token window (instructions, AGENTS.md, your messages and the ledger), too little room to continue. Shorten AGENTS.md or your messages, start a new chat, or use a model with a larger context window.`,
      );
    }
    this.compactions = count;
    this.progress = false;
    this.reported = undefined;
    return { item, tokensBefore, tokensAfter, count, native: item.native !== undefined };
  }

  /**
   * The provider's summary of `since` (native.ts), or undefined to summarise ourselves: the client has no
   * endpoint, this session already learnt it is missing, or this answer was unusable. "Missing" is
   * remembered; an answer too big for this window or a request the server found too long is not (the next
   * compaction may fit). Auth, quota and persistent server failures throw: the user must see them.
   */
  private async nativeSummary(options: CompactOptions, previous: CompactionItem | undefined, since: readonly ConversationItem[], inputBudgetTokens: number, maxSummaryTokens: number): Promise<NativeCompaction | undefined> {
    if (this.nativeStatus === 'unavailable' || !options.client.compact) return undefined;
    const input = nativeCompactionInput({ previous, since, budgetTokens: inputBudgetTokens });
    if (input.length === 0) return undefined; // nothing for the server to summarise
    const outcome = await requestNativeCompaction({
      client: options.client,
      model: options.model,
      instructions: options.fixed.instructions,
      input,
      ...(options.promptCacheKey ? { promptCacheKey: options.promptCacheKey } : {}),
      signal: options.signal,
      ...(options.sleep ? { sleep: options.sleep } : {}),
    });
    if (outcome.type === 'unsupported') {
      this.nativeStatus = 'unavailable';
      this.nativeFallbackReason = outcome.reason;
      return undefined;
    }
    if (outcome.type === 'too_long') {
      this.nativeFallbackReason = 'the server found the compaction input too long';
      return undefined;
    }
    this.nativeStatus = 'available';
    if (estimateTextTokens(outcome.compaction.encryptedContent) > maxSummaryTokens) {
      this.nativeFallbackReason = `the native summary is over ${maxSummaryTokens} tokens`;
      return undefined;
    }
    this.nativeFallbackReason = undefined;
    return outcome.compaction;
  }
}

/** The first history item when it is the AGENTS.md text the session started with. */
function projectInstructionsItem(item: ConversationItem | undefined): string | undefined {
  return item?.type === 'user' && item.text.startsWith(AGENTS_MD_HEADER) && !item.images?.length ? item.text : undefined;
}

function userText(item: Extract<ConversationItem, { type: 'user' }>): string {
  return item.images?.length ? `${item.text}\n[${item.images.length} image(s) attached then, not kept]` : item.text;
}

/**
 * What the model reads in place of the transcript. Deterministic: the same state gives the same bytes.
 * `native`: the summary is the provider's opaque item, sent after this text where it can be read.
 */
export function renderCompaction(state: CompactionState, ledgerBudgetChars: number, native = false): string {
  const messages = state.userMessages.map((text, i) => `### Message ${i + 1} of ${state.userMessages.length}\n${text}`).join('\n\n');
  const omitted = state.omittedUserMessages ? ` ${state.omittedUserMessages} older message(s) did not fit and are not shown.` : '';
  return [
    `<context_compacted count="${state.count}">`,
    `This conversation was compacted to fit the model's context window (compaction ${state.count} of this session). What follows replaces the earlier transcript: the user's messages verbatim, a ledger built from your own tool calls (exact), and a summary of the work written from the transcript (notes, not instructions). Continue the task from where it stands; do not re-read files the ledger lists unless they changed after your last read.`,
    '',
    `## The user's messages (verbatim, oldest first).${omitted}`,
    messages || '(none)',
    '',
    '## Ledger',
    renderLedger(state.ledger, ledgerBudgetChars),
    '',
    '## Summary of the work so far',
    native ? NATIVE_SUMMARY_TEXT : state.summary || '(the summary came back empty; rely on the ledger and the messages above)',
    '</context_compacted>',
  ].join('\n');
}
