// JSONL session logs on disk: `<dir>/<sessionId>.jsonl`. Writes are batched (one append per flush) and
// coalesced; `flush()` is awaited on turn end and dispose, so at most the last ~100 ms can be lost.
// Logs hold everything the agent saw (file contents, command output), so they are private: files 0600
// in a 0700 directory, and logs written by older versions get those permissions when opened or listed.
// Known secrets are redacted from every record before it is written.
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { MAX_TOOL_OUTPUT_CHARS } from '../shared/chatState';
import type { AgentEvent } from '../shared/events';
import type { SessionRecorder } from '../core/agent/types';
import { knownSecrets } from '../core/secrets/knownSecrets';
import type { ConversationItem } from '../core/model/types';
import { coalesceRecords, parseSessionLog, serializeRecord, sessionTitle, type ParsedSession, type SessionMeta, type SessionRecord } from '../core/session/sessionLog';

const FLUSH_DELAY_MS = 100;
const PRIVATE_DIR_MODE = 0o700;
const PRIVATE_FILE_MODE = 0o600;

/** Creates `dir` (and missing parents) private, and makes an existing one private. */
async function ensurePrivateDirectory(dir: string): Promise<void> {
  await fsp.mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  await fsp.chmod(dir, PRIVATE_DIR_MODE);
}

/** Makes an existing log private; a missing one is fine (it is created 0600). */
async function makePrivate(file: string): Promise<void> {
  await fsp.chmod(file, PRIVATE_FILE_MODE).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
}

/**
 * Output of one tool call kept in the log: the chat shows at most MAX_TOOL_OUTPUT_CHARS of it, and the model
 * got its own head+tail copy in the tool result, so a command printing 100 MB must not write 100 MB of
 * JSONL. Past the cap only a tail is kept, written with a note when the call ends.
 */
const LOGGED_OUTPUT_CHARS = MAX_TOOL_OUTPUT_CHARS;
const LOGGED_TAIL_CHARS = 20_000;

interface CappedOutput {
  logged: number;
  dropped: number;
  tail: string;
}

export class SessionWriter implements SessionRecorder {
  private buffer: SessionRecord[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private readonly outputs = new Map<string, CappedOutput>();
  private secured = false;

  constructor(readonly file: string) {}

  event(event: AgentEvent): void {
    if (event.type === 'tool.output') {
      const output = this.outputs.get(event.callId) ?? { logged: 0, dropped: 0, tail: '' };
      this.outputs.set(event.callId, output);
      if (output.dropped === 0 && output.logged + event.chunk.length <= LOGGED_OUTPUT_CHARS) {
        output.logged += event.chunk.length;
      } else {
        output.tail = (output.tail + event.chunk).slice(-LOGGED_TAIL_CHARS);
        output.dropped += event.chunk.length;
        return;
      }
    } else if (event.type === 'tool.ended') {
      const output = this.outputs.get(event.callId);
      this.outputs.delete(event.callId);
      if (output?.dropped) {
        const omitted = output.dropped - output.tail.length;
        const chunk = `${omitted > 0 ? `\r\n[… ${omitted.toLocaleString('en-US')} characters of output not kept in the session log …]\r\n` : ''}${output.tail}`;
        this.enqueue({ type: 'event', event: { type: 'tool.output', turnId: event.turnId, callId: event.callId, chunk } });
      }
    }
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
    // Redacted after coalescing, so a secret streamed across two deltas is caught in the merged text.
    const records = coalesceRecords(this.buffer).map((record) => knownSecrets.redactDeep(record));
    this.buffer = [];
    if (records.length === 0) return this.writing;
    const text = records.map(serializeRecord).join('');
    this.writing = this.writing.then(async () => {
      if (!this.secured) {
        await ensurePrivateDirectory(path.dirname(this.file));
        await makePrivate(this.file);
        this.secured = true;
      }
      await fsp.appendFile(this.file, text, { encoding: 'utf8', mode: PRIVATE_FILE_MODE });
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
      await makePrivate(this.fileOf(id));
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
      await fsp.chmod(this.dir, PRIVATE_DIR_MODE);
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
