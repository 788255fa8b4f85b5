// Checkpoint records per chat session, next to the content-addressed blobs (blobStore.ts):
//   <dir>/sessions/<sessionId>.json   every checkpoint of that session (one per user turn)
//   <dir>/baselines/<sessionId>.json  hashes the running session's workspace snapshot refers to
//   <dir>/blobs/…                     file contents
// Bounded: a session keeps at most `maxSessionBytes` of recorded contents (its oldest checkpoints go
// first), at most `maxSessions` sessions are kept (least recently used go first), and everything together
// stays under `maxTotalBytes`. A blob nobody refers to any more is deleted by `cleanUp()`. A checkpoint
// that lost its oldest files to a bound says so (`trimmed`), and a restore then offers what is left.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { BlobStore } from './blobStore';

/** A file's recorded state: its content (by hash) and permission bits, or absent. */
export type FileState = { hash: string; size: number; mode: number } | { absent: true };

export interface CheckpointFile {
  /** Absolute path. */
  path: string;
  /**
   * The file before the turn. `skipped`: it changed but its content was not kept (larger than the
   * per-file limit, or beyond the scan's budget): the restore says so instead of writing it.
   */
  before: FileState | { skipped: string };
  /** What the turn left there (for conflict detection); absent when the turn is still running. */
  after?: { hash: string } | { absent: true };
  /**
   * Other chat sessions whose turns changed this file while this one ran (workspaceSnapshot.ts): whose
   * change it was cannot be told apart, so a restore asks before writing it.
   */
  sharedWith?: string[];
}

export interface Checkpoint {
  /** The turn this checkpoint precedes (the user message's turn id). */
  turnId: string;
  createdAt: number;
  files: CheckpointFile[];
  /** Something about this checkpoint is incomplete (e.g. the scan stopped at its file budget). */
  notes?: string[];
}

export interface SessionCheckpoints {
  v: 1;
  sessionId: string;
  updatedAt: number;
  checkpoints: Checkpoint[];
}

export interface CheckpointLimits {
  /** Files larger than this are not kept (the checkpoint lists them as skipped). */
  maxFileBytes: number;
  /** Recorded contents per session; the oldest checkpoints are dropped beyond it. */
  maxSessionBytes: number;
  /** Sessions with checkpoints; the least recently used are dropped beyond it. */
  maxSessions: number;
  /** All blobs together (baselines included); least recently used sessions are dropped beyond it. */
  maxTotalBytes: number;
  /** Content of unchanged files snapshotted so a command's changes can be undone (per session). */
  maxBaselineBytes: number;
  /** Files the command snapshot walks (workspaceScan.ts). */
  maxScanFiles: number;
  /** Content one scan around a command may read; files beyond it are listed as skipped. */
  maxScanReadBytes: number;
  /** An unreferenced blob this young is not swept (another window may have just stored it). */
  blobGraceMs: number;
}

export const DEFAULT_CHECKPOINT_LIMITS: CheckpointLimits = {
  maxFileBytes: 4 * 1024 * 1024,
  maxSessionBytes: 256 * 1024 * 1024,
  maxSessions: 30,
  maxTotalBytes: 1024 * 1024 * 1024,
  maxBaselineBytes: 512 * 1024 * 1024,
  maxScanFiles: 50_000,
  maxScanReadBytes: 64 * 1024 * 1024,
  blobGraceMs: 60 * 60 * 1000,
};

const PRIVATE_DIR_MODE = 0o700;
const PRIVATE_FILE_MODE = 0o600;

export class CheckpointStore {
  readonly blobs: BlobStore;
  readonly limits: CheckpointLimits;

  constructor(
    readonly dir: string,
    limits: Partial<CheckpointLimits> = {},
  ) {
    this.blobs = new BlobStore(dir);
    this.limits = { ...DEFAULT_CHECKPOINT_LIMITS, ...limits };
  }

  private fileOf(kind: 'sessions' | 'baselines', sessionId: string): string {
    if (!/^[\w.-]+$/.test(sessionId)) throw new Error(`Invalid session id: ${sessionId}`);
    return path.join(this.dir, kind, `${sessionId}.json`);
  }

  load(sessionId: string): SessionCheckpoints {
    const empty: SessionCheckpoints = { v: 1, sessionId, updatedAt: Date.now(), checkpoints: [] };
    try {
      const parsed = JSON.parse(readFileSync(this.fileOf('sessions', sessionId), 'utf8')) as SessionCheckpoints;
      return parsed && parsed.v === 1 && Array.isArray(parsed.checkpoints) ? parsed : empty;
    } catch {
      return empty;
    }
  }

  checkpoint(sessionId: string, turnId: string): Checkpoint | undefined {
    return this.load(sessionId).checkpoints.find((c) => c.turnId === turnId);
  }

  /** Adds or replaces the checkpoint of `checkpoint.turnId`, then applies the per-session bound. */
  save(sessionId: string, checkpoint: Checkpoint): void {
    const record = this.load(sessionId);
    const index = record.checkpoints.findIndex((c) => c.turnId === checkpoint.turnId);
    if (index >= 0) record.checkpoints[index] = checkpoint;
    else record.checkpoints.push(checkpoint);
    this.trimSession(record);
    record.updatedAt = Date.now();
    this.write('sessions', sessionId, record);
  }

  /** Keeps only the checkpoints for which `keep` says yes (conversation restore drops the later ones). */
  retain(sessionId: string, keep: (checkpoint: Checkpoint) => boolean): void {
    const record = this.load(sessionId);
    record.checkpoints = record.checkpoints.filter(keep);
    record.updatedAt = Date.now();
    this.write('sessions', sessionId, record);
  }

  /** Copies checkpoints to another session (a conversation restore continues under a new session id). */
  copy(fromSessionId: string, toSessionId: string, keep: (checkpoint: Checkpoint) => boolean): void {
    const from = this.load(fromSessionId);
    this.write('sessions', toSessionId, { v: 1, sessionId: toSessionId, updatedAt: Date.now(), checkpoints: from.checkpoints.filter(keep) });
  }

  /**
   * Records the hashes a running window's snapshot refers to (under an id of that window), so a clean-up
   * in any window keeps their blobs. Refreshed after every turn; a week without refresh and it expires.
   */
  saveBaseline(ownerId: string, hashes: Iterable<string>): void {
    this.write('baselines', ownerId, [...new Set(hashes)]);
  }

  deleteSession(sessionId: string): void {
    rmSync(this.fileOf('sessions', sessionId), { force: true });
    rmSync(this.fileOf('baselines', sessionId), { force: true });
  }

  /**
   * Applies the store-wide bounds (sessions by LRU, total bytes) and deletes unreferenced blobs. Returns
   * what it did, for the log. Baselines not refreshed for a week belong to windows long gone.
   */
  cleanUp(now = Date.now()): { sessionsDropped: string[]; blobsRemoved: number; bytesFreed: number; bytesKept: number } {
    const sessions = this.listSessions().sort((a, b) => b.updatedAt - a.updatedAt);
    const dropped: string[] = [];
    while (sessions.length > this.limits.maxSessions) dropped.push(sessions.pop()!.sessionId);
    const baselineAge = 7 * 24 * 3600 * 1000;
    const baselines = this.listBaselines().filter((b) => {
      if (now - b.mtimeMs <= baselineAge) return true;
      rmSync(this.fileOf('baselines', b.sessionId), { force: true });
      return false;
    });
    for (const id of dropped) this.deleteSession(id);
    // Total bound: drop least recently used sessions until the referenced bytes fit.
    const sizeOf = new Map<string, number>();
    const referenced = (records: SessionCheckpoints[]) => {
      const hashes = new Set<string>();
      for (const record of records) for (const c of record.checkpoints) for (const f of c.files) if ('hash' in f.before) hashes.add(f.before.hash);
      for (const b of baselines) if (!dropped.includes(b.sessionId)) for (const h of b.hashes) hashes.add(h);
      return hashes;
    };
    const total = (hashes: Set<string>) => {
      let bytes = 0;
      for (const h of hashes) {
        if (!sizeOf.has(h)) sizeOf.set(h, this.blobs.size(h));
        bytes += sizeOf.get(h)!;
      }
      return bytes;
    };
    let keep = referenced(sessions);
    while (sessions.length > 1 && total(keep) > this.limits.maxTotalBytes) {
      const victim = sessions.pop()!;
      this.deleteSession(victim.sessionId);
      dropped.push(victim.sessionId);
      keep = referenced(sessions);
    }
    const swept = this.blobs.sweep(keep, this.limits.blobGraceMs);
    return { sessionsDropped: dropped, blobsRemoved: swept.removed, bytesFreed: swept.bytes, bytesKept: swept.keptBytes };
  }

  /** Bytes of recorded contents the session's checkpoints refer to (each blob counted once). */
  sessionBytes(record: SessionCheckpoints): number {
    const seen = new Map<string, number>();
    for (const c of record.checkpoints) for (const f of c.files) if ('hash' in f.before) seen.set(f.before.hash, f.before.size);
    let bytes = 0;
    for (const size of seen.values()) bytes += size;
    return bytes;
  }

  private trimSession(record: SessionCheckpoints): void {
    // The newest checkpoint is always kept whole: it is the one a user reaches for first.
    while (record.checkpoints.length > 1 && this.sessionBytes(record) > this.limits.maxSessionBytes) {
      record.checkpoints.shift();
    }
  }

  private listSessions(): SessionCheckpoints[] {
    const out: SessionCheckpoints[] = [];
    for (const name of safeReaddir(path.join(this.dir, 'sessions'))) {
      if (!name.endsWith('.json')) continue;
      const record = this.load(name.slice(0, -'.json'.length));
      if (record.checkpoints.length > 0 || record.sessionId) out.push(record);
    }
    return out;
  }

  private listBaselines(): { sessionId: string; hashes: string[]; mtimeMs: number }[] {
    const out: { sessionId: string; hashes: string[]; mtimeMs: number }[] = [];
    for (const name of safeReaddir(path.join(this.dir, 'baselines'))) {
      if (!name.endsWith('.json')) continue;
      const sessionId = name.slice(0, -'.json'.length);
      try {
        const file = this.fileOf('baselines', sessionId);
        const hashes = JSON.parse(readFileSync(file, 'utf8')) as unknown;
        out.push({ sessionId, hashes: Array.isArray(hashes) ? hashes.filter((h): h is string => typeof h === 'string') : [], mtimeMs: statSync(file).mtimeMs });
      } catch {
        // unreadable: its blobs are not protected
      }
    }
    return out;
  }

  private write(kind: 'sessions' | 'baselines', sessionId: string, value: unknown): void {
    const file = this.fileOf(kind, sessionId);
    mkdirSync(path.dirname(file), { recursive: true, mode: PRIVATE_DIR_MODE });
    const temp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
    writeFileSync(temp, JSON.stringify(value), { mode: PRIVATE_FILE_MODE });
    renameSync(temp, file);
  }
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
