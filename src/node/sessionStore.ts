// JSONL session logs on disk: `<dir>/<sessionId>.jsonl`. Writes are batched (one append per flush) and
// coalesced; `flush()` is awaited on turn end and dispose, so at most the last ~100 ms can be lost.
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import type { AgentEvent } from '../shared/events';
import type { SessionRecorder } from '../core/agent/types';
import type { ConversationItem } from '../core/model/types';
import { coalesceRecords, parseSessionLog, serializeRecord, sessionTitle, type ParsedSession, type SessionMeta, type SessionRecord } from '../core/session/sessionLog';

const FLUSH_DELAY_MS = 100;

export class SessionWriter implements SessionRecorder {
  private buffer: SessionRecord[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(readonly file: string) {}

  event(event: AgentEvent): void {
    this.enqueue({ type: 'event', event });
  }

  item(item: ConversationItem): void {
    this.enqueue({ type: 'item', item });
  }

  meta(meta: SessionMeta): void {
    this.enqueue({ type: 'meta', v: 1, meta });
  }

  private enqueue(record: SessionRecord): void {
    this.buffer.push(record);
    this.timer ??= setTimeout(() => void this.flush(), FLUSH_DELAY_MS);
  }

  /** Writes everything buffered; appends are serialised so lines never interleave. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const records = coalesceRecords(this.buffer);
    this.buffer = [];
    if (records.length === 0) return this.writing;
    const text = records.map(serializeRecord).join('');
    this.writing = this.writing.then(async () => {
      await fsp.mkdir(path.dirname(this.file), { recursive: true });
      await fsp.appendFile(this.file, text, 'utf8');
    });
    return this.writing;
  }
}

export interface StoredSessionSummary {
  id: string;
  title: string;
  updatedAt: number;
  workspace?: string;
}

export class SessionStore {
  constructor(readonly dir: string) {}

  private fileOf(id: string): string {
    if (!/^[\w.-]+$/.test(id)) throw new Error(`Invalid session id: ${id}`);
    return path.join(this.dir, `${id}.jsonl`);
  }

  create(meta: SessionMeta): SessionWriter {
    const writer = new SessionWriter(this.fileOf(meta.id));
    writer.meta(meta);
    return writer;
  }

  /** Appends to an existing session (after a reload). */
  open(id: string): SessionWriter {
    return new SessionWriter(this.fileOf(id));
  }

  async load(id: string): Promise<ParsedSession | undefined> {
    try {
      return parseSessionLog(await fsp.readFile(this.fileOf(id), 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async list(): Promise<StoredSessionSummary[]> {
    let names: string[];
    try {
      names = await fsp.readdir(this.dir);
    } catch {
      return [];
    }
    const summaries: StoredSessionSummary[] = [];
    for (const name of names.filter((n) => n.endsWith('.jsonl'))) {
      const id = name.slice(0, -'.jsonl'.length);
      const parsed = await this.load(id);
      if (!parsed) continue;
      const stat = fs.statSync(this.fileOf(id));
      summaries.push({ id, title: sessionTitle(parsed.events), updatedAt: stat.mtimeMs, ...(parsed.meta?.workspace ? { workspace: parsed.meta.workspace } : {}) });
    }
    return summaries.sort((a, b) => b.updatedAt - a.updatedAt);
  }

  async delete(id: string): Promise<void> {
    await fsp.rm(this.fileOf(id), { force: true });
  }
}
