// The title of a chat in the history: the first message that got an answer, so a chat that began with
// a message that failed (no key, a 401, a dropped connection) or was stopped before any reply is named
// after what the conversation is actually about. Plain text: the history list shows text literally.
import type { AgentEvent } from './events';
import { markdownToPlainText } from './plainText';

const MAX_TITLE_CHARS = 60;

export function chatTitle(events: Iterable<AgentEvent>): string {
  const asked = new Map<string, string>();
  let first: string | undefined;
  let answered: string | undefined;
  for (const event of events) {
    if (event.type === 'turn.started') {
      asked.set(event.turnId, event.text);
      first ??= event.text;
      continue;
    }
    // A turn counts as answered by the first words of a reply, or by ending normally (a turn of tool calls only).
    const gotAnswer =
      (event.type === 'message.delta' && event.delta.trim() !== '') ||
      (event.type === 'message.completed' && event.text.trim() !== '') ||
      (event.type === 'turn.completed' && !event.stopped);
    if (gotAnswer && asked.has(event.turnId)) {
      answered = asked.get(event.turnId);
      break;
    }
  }
  const text = markdownToPlainText(answered ?? first ?? '').replace(/\s+/g, ' ').trim();
  if (!text) return 'New chat';
  return text.length > MAX_TITLE_CHARS ? `${text.slice(0, MAX_TITLE_CHARS - 3)}…` : text;
}
