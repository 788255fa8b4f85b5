// "Restore conversation": the chat and the agent's history as they were before a user message. The
// session log is one ordered stream of events (what the chat shows) and items (what the model saw), and
// a turn's `turn.started` event is written before its user item, so the lines before that event are
// exactly the conversation before the message. They become a new session log (the original stays in the
// history, so nothing the user had is lost), which the chat then opens: the agent is rebuilt from its
// items, as after a window reload. No change to the agent core is needed.
import { readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';

/**
 * Writes `<dir>/<toId>.jsonl` with the records of `<dir>/<fromId>.jsonl` before the turn `turnId`
 * started. Returns false when that turn is not in the log.
 */
export async function forkSessionBefore(dir: string, fromId: string, toId: string, turnId: string): Promise<boolean> {
  for (const id of [fromId, toId]) if (!/^[\w.-]+$/.test(id)) throw new Error(`Invalid session id: ${id}`);
  const lines = (await readFile(path.join(dir, `${fromId}.jsonl`), 'utf8')).split('\n');
  const kept: string[] = [];
  let found = false;
  for (const line of lines) {
    if (line.trim() === '') continue;
    let record: { type?: string; event?: { type?: string; turnId?: string }; meta?: Record<string, unknown> } | undefined;
    try {
      record = JSON.parse(line) as typeof record;
    } catch {
      kept.push(line); // a torn line is the log reader's business, as in the original
      continue;
    }
    if (record?.type === 'event' && record.event?.type === 'turn.started' && record.event.turnId === turnId) {
      found = true;
      break;
    }
    if (record?.type === 'meta' && record.meta) {
      kept.push(JSON.stringify({ ...record, meta: { ...record.meta, id: toId, createdAt: Date.now(), forkedFrom: fromId } }));
      continue;
    }
    kept.push(line);
  }
  if (!found) return false;
  await writeFile(path.join(dir, `${toId}.jsonl`), kept.map((l) => `${l}\n`).join(''), { mode: 0o600, flag: 'wx' });
  return true;
}
