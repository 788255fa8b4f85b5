// Token estimates for what we send, for deciding when to compact when the provider has not reported a
// count yet (first request, providers without usage) and for the part of the history added since the
// last reported count. ~4 characters per token on the JSON we send, plus a per-item allowance for the
// wire format's wrapping (roles, content parts), which differs between the two APIs.
import type { ConversationItem, ModelRequest } from '../model/types';

const CHARS_PER_TOKEN = 4;
/** Wire wrapping per item: `{"type":"message","role":"user","content":[{"type":"input_text",…}]}` and the like. */
const ITEM_OVERHEAD_TOKENS = 16;
/** Images are billed by size, not by their base64 length; a generous flat figure per image. */
const IMAGE_TOKENS = 1_500;

export function estimateTextTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

export function estimateItemTokens(item: ConversationItem): number {
  if (item.type === 'user' && item.images?.length) {
    return estimateTextTokens(JSON.stringify({ ...item, images: [] })) + ITEM_OVERHEAD_TOKENS + IMAGE_TOKENS * item.images.length;
  }
  // A compaction item goes out as two messages (project instructions, then the kept context).
  const overhead = item.type === 'compaction' ? 2 * ITEM_OVERHEAD_TOKENS : ITEM_OVERHEAD_TOKENS;
  return estimateTextTokens(JSON.stringify(item)) + overhead;
}

export function estimateItemsTokens(items: readonly ConversationItem[]): number {
  let total = 0;
  for (const item of items) total += estimateItemTokens(item);
  return total;
}

/** The fixed part of every request: instructions and tool definitions (JSON as sent, roughly). */
export function estimateFixedTokens(request: Pick<ModelRequest, 'instructions' | 'tools'>): number {
  return estimateTextTokens(request.instructions) + estimateTextTokens(JSON.stringify(request.tools)) + 2 * ITEM_OVERHEAD_TOKENS;
}

export function estimateRequestTokens(request: Pick<ModelRequest, 'instructions' | 'tools' | 'input'>): number {
  return estimateFixedTokens(request) + estimateItemsTokens(request.input);
}
