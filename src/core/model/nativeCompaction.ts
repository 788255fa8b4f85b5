// The wire side of provider-native compaction (Responses API, `POST /responses/compact`): telling "this
// server has no such endpoint" (summarise ourselves, and stop asking) from failures a user must see (auth,
// quota), and reading the server's answer as untrusted input: a capped body, a checked shape, and only the
// one opaque `compaction` item kept. The server's copies of the user's messages are ignored on purpose:
// Tandem keeps its own, verbatim (compaction/compactor.ts), so the guarantees do not depend on the server.
import { APIError } from 'openai';
import { isOpaqueToken, MAX_ENCRYPTED_CHARS } from './nativeCompactionShape';
import { isRecord } from './streamGuard';
import type { NativeCompactOutcome } from './types';

export { isNativeCompaction, isOpaqueToken, MAX_ENCRYPTED_CHARS } from './nativeCompactionShape';

/** Largest answer body read (bytes); a compaction answer is a few kilobytes to a few hundred. */
export const MAX_COMPACT_ANSWER_BYTES = 8 * 1024 * 1024;

/**
 * Who can read an encrypted compaction: the base URL without credentials, query or trailing slash. Stored
 * with the item, so a session moved to another server (or wire API) never sends it where it cannot be read.
 */
export function compactionOrigin(baseUrl: string): string {
  try {
    const url = new URL(baseUrl);
    return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
  } catch {
    return baseUrl.replace(/[?#].*$/, '').replace(/\/+$/, '');
  }
}

/**
 * Why an error from the compact endpoint means "not supported here" (undefined when it does not): no such
 * route (404, 405, 501), or a 400/422 that names an unknown endpoint or an unsupported operation (proxies and
 * local servers answer that way). Auth, quota, rate limits, 5xx and plain bad requests are not this.
 */
export function unsupportedEndpoint(error: unknown): string | undefined {
  if (!(error instanceof APIError) || error.status === undefined) return undefined;
  const status = error.status;
  if (status === 404 || status === 405 || status === 501) return `the server answered ${status}`;
  if (status !== 400 && status !== 422) return undefined;
  const inner = (error.error as { message?: unknown } | undefined)?.message;
  const said = `${typeof error.code === 'string' ? error.code : ''} ${typeof inner === 'string' ? inner : error.message}`;
  const names = /\b(unknown|unrecognized|unrecognised|unsupported|not supported|not implemented|no route|invalid url|not found)\b/i.test(said);
  const what = /\b(endpoint|url|path|route|compact|operation|method)\b/i.test(said);
  return names && what ? `the server answered ${status}: ${said.trim().slice(0, 200)}` : undefined;
}

/**
 * The answer body as JSON, read to at most `maxBytes` (a longer answer is unusable, not a crash or an
 * unbounded allocation). `json` is `undefined` for a body that is not JSON.
 */
export async function readCappedJson(response: Response, maxBytes: number): Promise<{ json: unknown } | { tooLarge: true }> {
  const reader = response.body?.getReader();
  if (!reader) return { json: undefined };
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return { tooLarge: true };
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  try {
    return { json: JSON.parse(new TextDecoder().decode(bytes)) as unknown };
  } catch {
    return { json: undefined };
  }
}


/**
 * The compaction in a `/responses/compact` answer. The documented shape is `{object: 'response.compaction',
 * output: [...user messages, {type: 'compaction', encrypted_content}]}`; anything else (no or several
 * compaction items, content that is not a bounded single-line ASCII token) is `unsupported`: a server that
 * answers this endpoint with something else does not have it.
 */
export function parseCompactedResponse(answer: unknown, origin: string): NativeCompactOutcome {
  const bad = (why: string): NativeCompactOutcome => ({ type: 'unsupported', reason: `the compact answer ${why}` });
  if (!isRecord(answer) || !Array.isArray(answer.output)) return bad('has no output list');
  const compactions = answer.output.filter((item) => isRecord(item) && item.type === 'compaction') as Record<string, unknown>[];
  if (compactions.length !== 1) return bad(`holds ${compactions.length} compaction items instead of one`);
  const content = compactions[0]!.encrypted_content;
  if (typeof content !== 'string' || content.length === 0) return bad('has no encrypted_content');
  if (content.length > MAX_ENCRYPTED_CHARS) return bad(`has an encrypted_content of ${content.length} characters (at most ${MAX_ENCRYPTED_CHARS})`);
  if (!isOpaqueToken(content)) return bad('has an encrypted_content that is not an opaque token');
  return { type: 'compacted', compaction: { encryptedContent: content, origin } };
}
