// What the sidebar's chat list says about each open chat: its title and live status, derived from the chat
// state alone (the same reducer the view runs), so a chat restored from its log gets the same status as one
// that ran here. Kept apart from the host's Chat class so the rules are plain and tested without VS Code.
import { userWait, type ChatState } from './chatState';
import { markdownToPlainText } from './plainText';
import type { ChatStatus } from './protocol';

/** Longest title shown in the list (the full first message is in the chat itself). */
const TITLE_MAX = 60;

/**
 * `working` while a turn runs, `needs-approval` while that turn waits for the user (an approval or a review),
 * else how the last turn ended: `failed`, `stopped`, `done`; `new` before the first message.
 */
export function chatStatus(state: ChatState): ChatStatus {
  if (state.activeTurnId !== undefined) return userWait(state) ? 'needs-approval' : 'working';
  for (let i = state.entries.length - 1; i >= 0; i--) {
    const entry = state.entries[i]!;
    if (entry.kind === 'error') return entry.retried ? 'done' : 'failed';
    if (entry.kind === 'stopped') return 'stopped';
    if (entry.kind === 'user' || entry.kind === 'assistant' || entry.kind === 'tool' || entry.kind === 'patch' || entry.kind === 'review' || entry.kind === 'compaction') return 'done';
  }
  return 'new';
}

/** The chat's first message in plain text, on one line and cut to fit; `fallback` for a chat without one. */
export function chatListTitle(state: ChatState, fallback: string): string {
  const first = state.entries.find((e) => e.kind === 'user');
  if (first?.kind !== 'user') return fallback;
  const line = markdownToPlainText(first.text).replace(/\s+/g, ' ').trim();
  if (line === '') return fallback;
  return line.length > TITLE_MAX ? `${line.slice(0, TITLE_MAX - 1)}…` : line;
}
