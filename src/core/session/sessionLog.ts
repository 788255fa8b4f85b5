// The session log format: append-only JSONL, one record per line. The chat state is derived from the
// `event` records (shared reducer), the model conversation from the `item` records. A crash can leave
// a half-written last line; parsing skips any line that is not valid JSON instead of losing the rest.
// A compaction item's native summary (the provider's opaque token) is checked on the way in.
import { chatTitle } from '../../shared/chatTitle';
import type { AgentEvent } from '../../shared/events';
import { isNativeCompaction } from '../model/nativeCompactionShape';
import type { ConversationItem } from '../model/types';

export interface SessionMeta {
  id: string;
  createdAt: number;
  /** Workspace folder path the session ran in. */
  workspace?: string;
  model?: string;
}

export type SessionRecord =
  | { type: 'meta'; v: 1; meta: SessionMeta }
  | { type: 'event'; event: AgentEvent }
  | { type: 'item'; item: ConversationItem };

export interface ParsedSession {
  meta: SessionMeta | undefined;
  events: AgentEvent[];
  items: ConversationItem[];
  /** Lines that could not be parsed (a torn last write, manual edits). */
  skippedLines: number;
}

export function serializeRecord(record: SessionRecord): string {
  return JSON.stringify(record) + '\n';
}

export function parseSessionLog(text: string): ParsedSession {
  const parsed: ParsedSession = { meta: undefined, events: [], items: [], skippedLines: 0 };
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let record: SessionRecord;
    try {
      record = JSON.parse(line) as SessionRecord;
    } catch {
      parsed.skippedLines++;
      continue;
    }
    if (record?.type === 'meta') parsed.meta = record.meta;
    else if (record?.type === 'event' && record.event) parsed.events.push(record.event);
    else if (record?.type === 'item' && record.item) parsed.items.push(record.item.type === 'compaction' ? checkedCompaction(record.item) : record.item);
    else parsed.skippedLines++;
  }
  return parsed;
}

/**
 * A logged compaction item whose native part (the provider's opaque summary) is not well-formed loses that
 * part: the item's own text still stands, and nothing malformed is sent to the API on resume. The text says
 * the summary may be unavailable, so the model relies on the ledger and the kept messages.
 */
function checkedCompaction(item: Extract<ConversationItem, { type: 'compaction' }>): ConversationItem {
  if (item.native === undefined || isNativeCompaction(item.native)) return item;
  const { native: _dropped, ...rest } = item;
  return rest;
}

/** Title of a session: the first message that got an answer, on one line, plain text, shortened. */
export function sessionTitle(events: AgentEvent[]): string {
  return chatTitle(events); // the first message that got an answer (src/shared/chatTitle.ts)
}

/**
 * Merges consecutive streaming deltas (same message or same tool call) before they are written, so a
 * 1,500-delta answer costs a handful of lines instead of 1,500.
 */
export function coalesceRecords(records: SessionRecord[]): SessionRecord[] {
  const out: SessionRecord[] = [];
  for (const record of records) {
    const last = out[out.length - 1];
    if (last?.type === 'event' && record.type === 'event') {
      const a = last.event;
      const b = record.event;
      if (a.type === 'message.delta' && b.type === 'message.delta' && a.itemId === b.itemId) {
        out[out.length - 1] = { type: 'event', event: { ...a, delta: a.delta + b.delta } };
        continue;
      }
      if (a.type === 'tool.output' && b.type === 'tool.output' && a.callId === b.callId) {
        out[out.length - 1] = { type: 'event', event: { ...a, chunk: a.chunk + b.chunk } };
        continue;
      }
    }
    out.push(record);
  }
  return out;
}
