// The chat's history in pages. An all-day session holds 10,000 entries (~5.5 MB): sent whole on `ready`, the
// webview spent its first 200-300 ms receiving and indexing it before anything painted. The host sends the
// newest page with the snapshot and older pages when the view asks (`loadOlder`, as the user scrolls up);
// the view puts each one in front of what it has (prependEntries, below). Pages are cut by position in
// the host's entries, which only grow until the next snapshot, so a page asked for by the id of the first
// entry the view holds always fits exactly in front of it.
import type { ChatEntry, ChatState } from './chatState';
import type { HostToWebview, WebviewToHost } from './protocol';

/** At most this many entries per page... */
export const PAGE_MAX_ENTRIES = 200;
/** ...and about this many characters of text (a page ends after the entry that reaches it). */
export const PAGE_MAX_CHARS = 150_000;
/**
 * The last turn comes whole with the first page, up to this many entries: the view's reducer walks the turn
 * in progress back to its start, and ↑ in the composer recalls the last message the user sent.
 */
export const LAST_TURN_MAX_ENTRIES = 2_000;

export interface HistoryPage {
  entries: ChatEntry[];
  /** Entries before this page that the view does not have (0: the page starts the history). */
  olderCount: number;
}

/** Characters an entry puts on the wire, roughly (its texts; a fixed allowance for ids and fields). */
function entryChars(entry: ChatEntry): number {
  switch (entry.kind) {
    case 'user':
    case 'assistant':
    case 'notice':
      return 100 + entry.text.length;
    case 'tool':
      return 100 + entry.title.length + entry.output.length;
    case 'compaction':
      return 100 + entry.summary.length;
    default:
      return 500;
  }
}

/** The start of the page that ends right before `end`: back from `end` until a bound is reached (at least one entry). */
function pageStart(entries: readonly ChatEntry[], end: number): number {
  let start = end;
  let chars = 0;
  while (start > 0 && end - start < PAGE_MAX_ENTRIES && chars < PAGE_MAX_CHARS) {
    chars += entryChars(entries[start - 1]!);
    start--;
  }
  return start;
}

/** The newest page, for the snapshot: the last entries, and the whole last turn (bounded). */
export function newestPage(state: ChatState): HistoryPage {
  const { entries } = state;
  const lastTurn = entries[entries.length - 1]?.turnId;
  let turnStart = entries.length;
  while (turnStart > 0 && entries.length - turnStart < LAST_TURN_MAX_ENTRIES && entries[turnStart - 1]!.turnId === lastTurn) turnStart--;
  const start = Math.min(turnStart, pageStart(entries, entries.length));
  return { entries: entries.slice(start), olderCount: start };
}

/**
 * The page that ends right before entry `beforeId`, or undefined when the state has no such entry (a request
 * about another session's history, or made up).
 */
export function pageBefore(state: ChatState, beforeId: string): HistoryPage | undefined {
  const end = state.index.get(beforeId);
  if (end === undefined || state.entries[end]?.id !== beforeId) return undefined;
  const start = pageStart(state.entries, end);
  return { entries: state.entries.slice(start, end), olderCount: start };
}

/**
 * The host's answer to the view's `loadOlder` in session `sessionId`: the page before the entry named, or
 * nothing for a request about another session (a switch in flight) or an id this chat does not hold.
 */
export function answerLoadOlder(state: ChatState, sessionId: string, request: Extract<WebviewToHost, { type: 'loadOlder' }>): HostToWebview | undefined {
  if (request.sessionId !== sessionId) return undefined;
  const page = pageBefore(state, request.beforeId);
  return page && { type: 'olderEntries', sessionId, beforeId: request.beforeId, entries: page.entries, olderCount: page.olderCount };
}

/**
 * Puts a page of older entries in front of the loaded ones. An id already loaded keeps
 * its loaded entry: it can only be there because an event added or changed it after the page was cut, so it
 * is the newer of the two. Returns the number of entries added.
 */
export function prependEntries(state: ChatState, older: readonly ChatEntry[]): number {
  const seen = new Set<string>();
  const fresh: ChatEntry[] = [];
  for (const entry of older) {
    if (state.index.has(entry.id) || seen.has(entry.id)) continue;
    seen.add(entry.id);
    fresh.push(entry);
  }
  if (fresh.length === 0) return 0;
  state.entries = fresh.concat(state.entries);
  const index = new Map<string, number>();
  for (let i = 0; i < state.entries.length; i++) index.set(state.entries[i]!.id, i);
  state.index = index;
  return fresh.length;
}
