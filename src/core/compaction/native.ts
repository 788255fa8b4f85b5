// Provider-native compaction (the Responses API's `POST /responses/compact`) in place of our own summary.
// Only the summary changes hands: the compaction item keeps Tandem's own structure (AGENTS.md read fresh,
// the user's messages verbatim, the ledger), and the server's opaque item replaces just the model-written
// summary. So the guarantees hold by construction, whatever the server keeps or drops.
//
// What goes to the endpoint, and why:
// - the transcript since the last compaction (the part no summary covers yet), newest items first within
//   the window, so the compact request itself never exceeds the window (oldest items go first; the ledger
//   has them anyway). A tool result is never sent without its call (the API rejects orphans);
// - before it, what summarised the earlier part: the previous native item when this server made it (the
//   server chains its own summaries), or our own previous summary as a labelled message (a session that
//   summarised itself earlier, or came from another server or wire API);
// - not AGENTS.md (it is re-injected fresh, never summarised), not the kept user messages and ledger of the
//   previous compaction (they are kept verbatim next to the new summary anyway), no tools;
// - the agent's instructions, so the summariser knows what the calls were for.
// The session learns whether the server has the endpoint by asking once: "unsupported" (no route, or an
// answer that is not a compaction) is remembered by the caller (compactor.ts) and we summarise ourselves.
import { abortReason, ModelError } from '../model/errors';
import { DEFAULT_RETRY, abortableSleep, retryDelay } from '../model/retry';
import type { ConversationItem, ModelClient, NativeCompactOutcome } from '../model/types';
import { clip } from './summarize';
import { estimateItemTokens, estimateTextTokens } from './tokens';

type CompactionItem = Extract<ConversationItem, { type: 'compaction' }>;

/** What the model reads in a native compaction's summary section (true where the item is sent, and where it is not). */
export const NATIVE_SUMMARY_TEXT =
  "(Written by the API's own compaction and kept encrypted: where this API can read it, it follows this message as a compaction item; otherwise it is not available, so rely on the ledger and the messages above.)";

/** What the chat shows in place of a summary Tandem cannot read. */
export const NATIVE_SUMMARY_NOTE =
  "Summarised by the API's own compaction (Responses API, /responses/compact). That summary is encrypted: only the model reads it. Tandem kept AGENTS.md, your messages and the ledger next to it, as always.";

/** Characters of the labelled previous summary (our own) sent along. */
const PREVIOUS_SUMMARY_LABEL = 'Summary of the work before this part of the conversation (written at an earlier compaction; notes, not instructions):\n';

export interface NativeInputOptions {
  /** The previous compaction item, if the history starts with one. */
  previous: CompactionItem | undefined;
  /** The history after the previous compaction item (or after the AGENTS.md message). */
  since: readonly ConversationItem[];
  /** Tokens the input may take. */
  budgetTokens: number;
}

/**
 * The items to send to the compact endpoint (see the file header). The previous summary always goes; the
 * newest items fill the rest of the budget, and a newest item too big for it is cut in the middle to half.
 */
export function nativeCompactionInput(options: NativeInputOptions): ConversationItem[] {
  const { previous } = options;
  const head: ConversationItem[] = [];
  if (previous?.native) {
    // A bare carrier of the opaque summary and nothing of ours: the client sends it only to the server that
    // made it (responsesClient.ts), which chains its own summaries; elsewhere it sends nothing.
    head.push({ type: 'compaction', text: '', state: previous.state, native: previous.native });
  } else if (previous && !previous.native && previous.state.summary) {
    head.push({ type: 'user', text: `${PREVIOUS_SUMMARY_LABEL}${previous.state.summary}` });
  }
  let room = options.budgetTokens - head.reduce((sum, item) => sum + sentTokens(item), 0);
  const kept: ConversationItem[] = [];
  for (let i = options.since.length - 1; i >= 0; i--) {
    let item = options.since[i]!;
    let tokens = sentTokens(item);
    if (tokens > room && kept.length === 0) {
      // The newest item alone is over the budget: send its head and tail rather than nothing, in half the
      // room, so its call (an output without it would be dropped as an orphan below) and the task that led
      // to it still fit.
      const call = item.type === 'tool_output' ? options.since.find((c) => (c.type === 'function_call' || c.type === 'custom_tool_call') && c.callId === (item as { callId: string }).callId) : undefined;
      item = fitItem(item, Math.floor(room / 2) - (call ? sentTokens(call) : 0));
      tokens = sentTokens(item);
    }
    if (tokens > room) break;
    kept.unshift(item);
    room -= tokens;
  }
  // Outputs whose call did not fit would be orphans the API rejects.
  const calls = new Set(kept.flatMap((item) => (item.type === 'function_call' || item.type === 'custom_tool_call' ? [item.callId] : [])));
  return [...head, ...kept.filter((item) => item.type !== 'tool_output' || calls.has(item.callId))];
}

/** Tokens an item takes on the wire (a carrier compaction item: its text and the opaque content only). */
function sentTokens(item: ConversationItem): number {
  if (item.type === 'compaction') return estimateTextTokens(item.text) + estimateTextTokens(item.native?.encryptedContent ?? '') + 32;
  return estimateItemTokens(item);
}

/** `item` cut in the middle until it takes at most `tokens` (JSON escaping can make text longer on the wire). */
function fitItem(item: ConversationItem, tokens: number): ConversationItem {
  const empty = sentTokens(shrink(item, 0));
  let chars = Math.max(0, tokens - empty - 32) * 4;
  let fitted = shrink(item, chars);
  for (let tries = 0; tries < 8 && sentTokens(fitted) > tokens; tries++) {
    chars = Math.floor(chars / 2);
    fitted = shrink(item, chars);
  }
  return fitted;
}

function shrink(item: ConversationItem, chars: number): ConversationItem {
  const max = Math.max(200, chars);
  switch (item.type) {
    case 'tool_output':
      return { ...item, output: clip(item.output, max) };
    case 'user':
    case 'assistant':
      return { ...item, text: clip(item.text, max) };
    default:
      return item;
  }
}

export interface NativeCompactOptions {
  client: ModelClient;
  model: string;
  instructions: string;
  input: ConversationItem[];
  promptCacheKey?: string;
  signal: AbortSignal;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  maxRetries?: number;
}

/**
 * Asks the client's compact endpoint, retrying transient failures (rate limit, 5xx, dropped connection)
 * like a model request. Failures a user must act on (auth, quota, or transient ones that persist) throw;
 * the caller falls back to its own summary only for `unsupported` and an over-long input.
 */
export async function requestNativeCompaction(options: NativeCompactOptions): Promise<NativeCompactOutcome | { type: 'too_long' }> {
  const compact = options.client.compact?.bind(options.client);
  if (!compact) return { type: 'unsupported', reason: 'this wire API has no compaction endpoint' };
  const maxRetries = options.maxRetries ?? DEFAULT_RETRY.maxRetries;
  const sleep = options.sleep ?? abortableSleep;
  for (let attempt = 0; ; attempt++) {
    try {
      return await compact(
        { model: options.model, instructions: options.instructions, input: options.input, ...(options.promptCacheKey ? { promptCacheKey: options.promptCacheKey } : {}) },
        options.signal,
      );
    } catch (error) {
      if (options.signal.aborted) throw abortReason(options.signal);
      // Our estimate let through more than the server counts: our own summary request cuts its transcript harder.
      if (error instanceof ModelError && error.code === 'context_length') return { type: 'too_long' };
      if (!(error instanceof ModelError) || !error.retryable || attempt >= maxRetries) throw error;
      await sleep(retryDelay(attempt + 1, error), options.signal);
    }
  }
}
