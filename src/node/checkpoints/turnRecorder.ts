// Records, for each user turn, what every file the turn changed looked like before it: through patches
// (notePatch, called when a change set is proposed) and through commands (commandStarting /
// commandEnded around every spawn, see checkpointRunner.ts). A command can change anything (`sed -i`,
// `rm`, `mv`, a build writing binaries), so the recorder keeps a snapshot of the workspace: stamps for
// every file (workspaceScan.ts) and, in the content-addressed store, the content of every file within
// the limits. Around each command only the files whose stamps moved are read and hashed; the snapshot's
// content of those files is the "before" the checkpoint keeps. The first snapshot of a window reads the
// whole (bounded) workspace once, asynchronously, before the first turn starts.
//
// Attribution: changes seen after a command ended, or while one of the turn's commands still runs, are
// the turn's. Changes seen before a command while none runs (the user typing and saving between commands)
// only refresh the snapshot: a restore never reverts a file only the user changed.
import { randomBytes } from 'node:crypto';
import { lstatSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { ChangeSet } from '../../core/patch/types';
import { contentHash } from './blobStore';
import type { Checkpoint, CheckpointFile, CheckpointStore, FileState } from './checkpointStore';
import { IgnoreRules } from './ignoreRules';
import { sameStamp, scanWorkspace, type FileStamp } from './workspaceScan';

const CLEANUP_INTERVAL_MS = 10 * 60 * 1000;

interface SnapshotEntry {
  stamp: FileStamp;
  /** Content in the store, or why it is not. */
  content: { hash: string; size: number } | { skipped: string };
}

interface OpenTurn {
  sessionId: string;
  turnId?: string;
  createdAt: number;
  files: Map<string, CheckpointFile>;
  notes: Set<string>;
  /** Commands of this turn still running (background processes included). */
  running: number;
}

/** Reads a file's current content as the user sees it (an open, unsaved document wins); undefined = absent. */
export type CurrentContent = (path: string) => Promise<Uint8Array | undefined>;

export interface RecorderStats {
  files: number;
  baselineBytes: number;
  lastScanMs: number;
  lastScanFiles: number;
  truncated: boolean;
}

export class TurnRecorder {
  private snapshot = new Map<string, SnapshotEntry>();
  private snapshotBytes = 0;
  private truncated = false;
  private priming: Promise<void> | undefined;
  /** Bytes the current scan may still read (a command writing gigabytes must not stall the host). */
  private scanBudget = Infinity;
  private turn: OpenTurn | undefined;
  private ignoreRules = new Map<string, IgnoreRules>();
  /** Names this window's snapshot in the store (its baseline file), so other windows' clean-ups keep it. */
  private readonly ownerId = `window-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
  private lastCleanUp = 0;
  readonly stats: RecorderStats = { files: 0, baselineBytes: 0, lastScanMs: 0, lastScanFiles: 0, truncated: false };

  constructor(
    readonly store: CheckpointStore,
    private readonly roots: () => readonly string[],
    private readonly log: (message: string) => void = () => undefined,
  ) {}

  get activeTurn(): boolean {
    return this.turn !== undefined;
  }

  /**
   * Opens the checkpoint of the next turn (before the agent starts it). The first call reads the whole
   * workspace into the snapshot; later ones only what changed since (the user's edits between turns).
   */
  async beginTurn(sessionId: string): Promise<void> {
    const firstTime = this.priming === undefined;
    await this.warmUp();
    if (!firstTime) {
      this.ignoreRules.clear(); // .gitignore may have changed
      this.refresh(false);
    }
    this.turn = { sessionId, createdAt: Date.now(), files: new Map(), notes: new Set(), running: 0 };
  }

  /** The turn's id, once the agent announced it (turn.started). */
  nameTurn(turnId: string): void {
    if (this.turn && this.turn.turnId === undefined) this.turn.turnId = turnId;
  }

  /** A change set is about to be proposed: its files' current contents are their "before". */
  notePatch(changeSet: ChangeSet): void {
    const turn = this.turn;
    if (!turn) return;
    for (const change of changeSet.changes) {
      if (!turn.files.has(change.path)) turn.files.set(change.path, { path: change.path, before: change.kind === 'add' ? { absent: true } : this.currentState(change.path, change.oldText) });
      if (change.movePath !== undefined && change.movePath !== change.path && !turn.files.has(change.movePath)) {
        turn.files.set(change.movePath, { path: change.movePath, before: this.currentState(change.movePath, undefined) });
      }
    }
  }

  /**
   * Right before a command is spawned (synchronous: spawn is). Returns the turn it belongs to, for
   * `commandEnded` (a background command may outlive its turn).
   */
  commandStarting(): object | undefined {
    const turn = this.turn;
    if (!turn) return undefined;
    this.refresh(turn.running > 0);
    turn.running++;
    return turn;
  }

  /**
   * Right after a command exited. Its changes are its turn's while that turn is open; a background
   * command of an earlier turn only refreshes the snapshot (so the next command is not blamed for them).
   */
  commandEnded(token: object | undefined): void {
    if (!token) return;
    const turn = token as OpenTurn;
    turn.running = Math.max(0, turn.running - 1);
    this.refresh(this.turn === turn);
  }

  /**
   * Closes the turn's checkpoint: records what the turn left in each file it changed (for conflict
   * detection), drops files it left as they were (a rejected patch), saves, and cleans the store up.
   */
  async endTurn(current?: CurrentContent): Promise<Checkpoint | undefined> {
    const turn = this.turn;
    if (!turn) return undefined;
    this.refresh(turn.running > 0);
    this.turn = undefined;
    if (turn.turnId === undefined) return undefined;
    const files: CheckpointFile[] = [];
    for (const file of turn.files.values()) {
      const bytes = current ? await current(file.path) : readIfFile(file.path);
      const after = bytes === undefined ? ({ absent: true } as const) : { hash: contentHash(bytes) };
      const unchanged = 'absent' in after ? 'absent' in file.before : 'hash' in file.before && file.before.hash === after.hash && file.before.mode === modeOf(file.path, file.before.mode);
      if (!unchanged) files.push({ ...file, after });
    }
    files.sort((a, b) => a.path.localeCompare(b.path));
    const checkpoint: Checkpoint = { turnId: turn.turnId, createdAt: turn.createdAt, files, ...(turn.notes.size ? { notes: [...turn.notes] } : {}) };
    this.store.save(turn.sessionId, checkpoint);
    this.store.saveBaseline(this.ownerId, this.snapshotHashes());
    // The store-wide clean-up stats every blob: at the first turn, then at most every CLEANUP_INTERVAL_MS
    // (a session's own cap is applied on every save).
    if (Date.now() - this.lastCleanUp < CLEANUP_INTERVAL_MS) return checkpoint;
    this.lastCleanUp = Date.now();
    try {
      const cleaned = this.store.cleanUp();
      if (cleaned.sessionsDropped.length || cleaned.blobsRemoved) this.log(`Checkpoints: dropped ${cleaned.sessionsDropped.length} old session(s), removed ${cleaned.blobsRemoved} blob(s) (${cleaned.bytesFreed} bytes); ${cleaned.bytesKept} bytes kept.`);
    } catch (error) {
      this.log(`Checkpoint clean-up failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    return checkpoint;
  }

  private snapshotHashes(): string[] {
    const hashes: string[] = [];
    for (const entry of this.snapshot.values()) if ('hash' in entry.content) hashes.push(entry.content.hash);
    return hashes;
  }

  /**
   * Takes the first snapshot (once; later calls wait for it). The host may start it early (the chat view
   * opened) so the first message does not wait for it.
   */
  warmUp(): Promise<void> {
    this.priming ??= this.prime().catch((error: unknown) => {
      this.priming = undefined;
      throw error;
    });
    return this.priming;
  }

  /** The first snapshot: every file's content, read without blocking the host for long. */
  private async prime(): Promise<void> {
    const started = performance.now();
    const scan = this.scan();
    this.scanBudget = Infinity;
    let count = 0;
    for (const [file, stamp] of scan.files) {
      this.snapshot.set(file, { stamp, content: await this.captureAsync(file, stamp) });
      if (++count % 25 === 0) await new Promise((resolve) => setImmediate(resolve)); // short slices: the host stays responsive
    }
    this.store.saveBaseline(this.ownerId, this.snapshotHashes());
    this.updateStats(performance.now() - started, scan.files.size);
  }

  /** Compares a fresh scan with the snapshot; changed files become the turn's when `attribute`. */
  private refresh(attribute: boolean): void {
    const started = performance.now();
    const scan = this.scan();
    const turn = attribute ? this.turn : undefined;
    const wasTruncated = this.truncated;
    this.scanBudget = this.store.limits.maxScanReadBytes;
    this.truncated = scan.truncated;
    for (const [file, stamp] of scan.files) {
      const old = this.snapshot.get(file);
      if (old && sameStamp(old.stamp, stamp)) continue;
      if (turn && !turn.files.has(file)) {
        // A file the snapshot did not have is new, unless the previous scan stopped at its budget.
        const before: CheckpointFile['before'] = old ? stateOf(old) : wasTruncated ? { skipped: 'the workspace has more files than the snapshot covers' } : { absent: true };
        turn.files.set(file, { path: file, before });
      }
      if (old && 'hash' in old.content) this.snapshotBytes -= old.content.size;
      this.snapshot.set(file, { stamp, content: this.captureSync(file, stamp) });
    }
    for (const [file, old] of this.snapshot) {
      if (scan.files.has(file)) continue;
      if (existsAsFile(file)) continue; // beyond the scan's budget or newly ignored, not removed
      if (turn && !turn.files.has(file)) turn.files.set(file, { path: file, before: stateOf(old) });
      if ('hash' in old.content) this.snapshotBytes -= old.content.size;
      this.snapshot.delete(file);
    }
    if (scan.truncated && this.turn) this.turn.notes.add(`The workspace has more than ${this.store.limits.maxScanFiles} files; changes commands made beyond them are not in this checkpoint.`);
    this.updateStats(performance.now() - started, scan.files.size);
  }

  private scan() {
    return scanWorkspace(this.roots(), {
      maxFiles: this.store.limits.maxScanFiles,
      ignoreFor: (root) => {
        let rules = this.ignoreRules.get(root);
        if (!rules) this.ignoreRules.set(root, (rules = IgnoreRules.forRoot(root)));
        return rules;
      },
    });
  }

  private updateStats(ms: number, files: number): void {
    Object.assign(this.stats, { files: this.snapshot.size, baselineBytes: this.snapshotBytes, lastScanMs: ms, lastScanFiles: files, truncated: this.truncated });
  }

  private limitFor(stamp: FileStamp): string | undefined {
    const limits = this.store.limits;
    if (stamp.size > limits.maxFileBytes) return `larger than ${formatBytes(limits.maxFileBytes)}`;
    if (this.snapshotBytes + stamp.size > limits.maxBaselineBytes) return `beyond the checkpoint budget of ${formatBytes(limits.maxBaselineBytes)} per workspace`;
    if (stamp.size > this.scanBudget) return `more than ${formatBytes(limits.maxScanReadBytes)} changed at once`;
    this.scanBudget -= stamp.size;
    return undefined;
  }

  private captureSync(file: string, stamp: FileStamp): SnapshotEntry['content'] {
    const limit = this.limitFor(stamp);
    if (limit) return { skipped: limit };
    try {
      return this.keep(readFileSync(file));
    } catch (error) {
      return { skipped: `unreadable (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
    }
  }

  private async captureAsync(file: string, stamp: FileStamp): Promise<SnapshotEntry['content']> {
    const limit = this.limitFor(stamp);
    if (limit) return { skipped: limit };
    try {
      return this.keep(await readFile(file));
    } catch (error) {
      return { skipped: `unreadable (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
    }
  }

  private keep(bytes: Buffer): { hash: string; size: number } {
    const hash = this.store.blobs.put(bytes);
    this.snapshotBytes += bytes.length;
    return { hash, size: bytes.length };
  }

  /**
   * A patched file's state now. The change set's text is what the patch was computed from; the disk's
   * bytes are kept when they are that text (byte-exact, BOM and all), the text otherwise (an unsaved
   * document in the editor).
   */
  private currentState(file: string, expectedText: string | undefined): FileState | { skipped: string } {
    let stats;
    try {
      stats = lstatSync(file);
    } catch {
      return expectedText === undefined ? { absent: true } : this.keepState(Buffer.from(expectedText, 'utf8'), 0o644);
    }
    const mode = stats.mode & 0o7777;
    if (!stats.isFile()) return { skipped: 'not a regular file' };
    if (stats.size > this.store.limits.maxFileBytes) return { skipped: `larger than ${formatBytes(this.store.limits.maxFileBytes)}` };
    const disk = readIfFile(file);
    if (disk && (expectedText === undefined || disk.toString('utf8') === expectedText)) return this.keepState(disk, mode);
    return this.keepState(Buffer.from(expectedText ?? '', 'utf8'), mode);
  }

  private keepState(bytes: Buffer, mode: number): FileState {
    return { hash: this.store.blobs.put(bytes), size: bytes.length, mode };
  }
}

function stateOf(entry: SnapshotEntry): CheckpointFile['before'] {
  return 'hash' in entry.content ? { hash: entry.content.hash, size: entry.content.size, mode: entry.stamp.mode } : { skipped: entry.content.skipped };
}

function readIfFile(file: string): Buffer | undefined {
  try {
    if (!lstatSync(file).isFile()) return undefined;
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Permission bits on disk (`fallback` when the file cannot be read). */
export function modeOf(file: string, fallback: number): number {
  try {
    return lstatSync(file).mode & 0o7777;
  } catch {
    return fallback;
  }
}

function existsAsFile(file: string): boolean {
  try {
    return lstatSync(file).isFile();
  } catch {
    return false;
  }
}

export function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / (1024 * 1024))} MB` : `${Math.round(bytes / 1024)} KB`;
}
