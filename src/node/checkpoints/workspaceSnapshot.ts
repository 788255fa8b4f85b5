// One snapshot of a workspace shared by every chat's turn recorder (turnRecorder.ts) that records the
// same folders: stamps for every file (workspaceScan.ts) and, in the content-addressed store, the content
// of every file within the limits. One snapshot, however many chats: the first snapshot is read once,
// a command of any chat costs one scan, and the baseline the store keeps for it is listed once.
//
// Attribution (who changed what) lives here because only the shared snapshot sees every chat's commands:
// the changes a scan finds happened since the previous scan, and between two scans the set of running
// commands did not change (every command's start and end is a scan). So the changes belong to the open
// turns that had a command running in that interval, and to nobody else: changes seen while no command
// runs (the user typing and saving between commands) only refresh the snapshot, and a restore never
// reverts a file only the user changed.
//
// Concurrency honesty: when two chats' turns touch the same file while both are open (both had a
// command running when it changed, or one chat's command changed a file the other chat patched), nobody
// can tell whose change it was. The file is recorded in both checkpoints, each marked `sharedWith` the
// other chat; a restore shows it as such and leaves it alone unless the user says otherwise. The same
// goes for a command still running from a chat's earlier, closed turn (a dev server, a watcher): what
// changes meanwhile may be its doing, so the running turns' records are marked shared with that chat.
import { randomBytes } from 'node:crypto';
import { lstatSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { CheckpointFile, CheckpointStore, FileState } from './checkpointStore';
import { IgnoreRules } from './ignoreRules';
import { sameStamp, scanWorkspace, type FileStamp } from './workspaceScan';

const CLEANUP_INTERVAL_MS = 10 * 60 * 1000;

interface SnapshotEntry {
  stamp: FileStamp;
  /** Content in the store, or why it is not. */
  content: { hash: string; size: number } | { skipped: string };
}

/** A turn being recorded (one per chat at most); owned by its recorder, known here while open. */
export interface OpenTurn {
  sessionId: string;
  turnId?: string;
  createdAt: number;
  files: Map<string, CheckpointFile>;
  notes: Set<string>;
  /** Commands of this turn still running (background processes included). */
  running: number;
}

export interface SnapshotStats {
  files: number;
  baselineBytes: number;
  lastScanMs: number;
  lastScanFiles: number;
  truncated: boolean;
  /** Scans since the snapshot was made (the first snapshot included). */
  scans: number;
}

export class WorkspaceSnapshot {
  private entries = new Map<string, SnapshotEntry>();
  private bytes = 0;
  private truncated = false;
  private priming: Promise<void> | undefined;
  /** Bytes the current scan may still read (a command writing gigabytes must not stall the host). */
  private scanBudget = Infinity;
  private ignoreRules = new Map<string, IgnoreRules>();
  private readonly openTurns = new Set<OpenTurn>();
  /** Closed turns with commands still running (background processes): nobody's turn, but maybe their doing. */
  private readonly lingering = new Set<OpenTurn>();
  /** Names this snapshot in the store (its baseline file), so other windows' clean-ups keep it. */
  private readonly ownerId = `window-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
  private lastCleanUp = 0;
  readonly stats: SnapshotStats = { files: 0, baselineBytes: 0, lastScanMs: 0, lastScanFiles: 0, truncated: false, scans: 0 };

  constructor(
    readonly store: CheckpointStore,
    private readonly roots: () => readonly string[],
    private readonly log: (message: string) => void = () => undefined,
  ) {}

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

  /** A turn starts recording: what changed since the last scan is not its (nor anyone's not running). */
  async open(turn: OpenTurn): Promise<void> {
    const firstTime = this.priming === undefined;
    await this.warmUp();
    if (!firstTime) {
      // .gitignore may have changed; re-read only while no command runs, or a file the new rules reveal
      // would look created by whoever runs (and a restore would remove it).
      if (!this.anyRunning()) this.ignoreRules.clear();
      this.refresh();
    }
    this.openTurns.add(turn);
  }

  /** The turn stops recording; what its still-running commands changed until now is its. */
  close(turn: OpenTurn): void {
    this.refresh();
    this.openTurns.delete(turn);
    if (turn.running > 0) this.lingering.add(turn);
  }

  /** Right before one of `turn`'s commands is spawned (synchronous: spawn is). */
  commandStarting(turn: OpenTurn): void {
    this.refresh();
    turn.running++;
  }

  /** Right after one of `turn`'s commands exited (its turn may have closed meanwhile: then it is nobody's). */
  commandEnded(turn: OpenTurn): void {
    this.refresh();
    turn.running = Math.max(0, turn.running - 1);
    if (turn.running === 0) this.lingering.delete(turn);
  }

  /**
   * `turn` changed (or is about to change) `file`, which was `before`. The first record of a file in a
   * turn wins. Another open turn that has the same file makes it shared, both ways.
   */
  touch(turn: OpenTurn, file: string, before: CheckpointFile['before']): void {
    if (!turn.files.has(file)) turn.files.set(file, { path: file, before });
    for (const other of this.openTurns) {
      if (other === turn || other.sessionId === turn.sessionId) continue;
      const theirs = other.files.get(file);
      if (!theirs) continue;
      markShared(turn.files.get(file)!, other.sessionId);
      markShared(theirs, turn.sessionId);
    }
  }

  /** After a turn's checkpoint was saved: the baseline's hashes, and now and then the store's clean-up. */
  afterSave(): void {
    this.store.saveBaseline(this.ownerId, this.hashes());
    // The store-wide clean-up stats every blob: at the first turn, then at most every CLEANUP_INTERVAL_MS
    // (a session's own cap is applied on every save).
    if (Date.now() - this.lastCleanUp < CLEANUP_INTERVAL_MS) return;
    this.lastCleanUp = Date.now();
    try {
      const cleaned = this.store.cleanUp();
      if (cleaned.sessionsDropped.length || cleaned.blobsRemoved) this.log(`Checkpoints: dropped ${cleaned.sessionsDropped.length} old session(s), removed ${cleaned.blobsRemoved} blob(s) (${cleaned.bytesFreed} bytes); ${cleaned.bytesKept} bytes kept.`);
    } catch (error) {
      this.log(`Checkpoint clean-up failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private anyRunning(): boolean {
    for (const turn of this.openTurns) if (turn.running > 0) return true;
    return this.lingering.size > 0;
  }

  /** `turn` gets `file`; a background command of another chat that was running too makes it shared. */
  private attribute(turn: OpenTurn, file: string, before: CheckpointFile['before']): void {
    this.touch(turn, file, before);
    for (const background of this.lingering) if (background.sessionId !== turn.sessionId) markShared(turn.files.get(file)!, background.sessionId);
  }

  private hashes(): string[] {
    const hashes: string[] = [];
    for (const entry of this.entries.values()) if ('hash' in entry.content) hashes.push(entry.content.hash);
    return hashes;
  }

  /** The first snapshot: every file's content, read without blocking the host for long. */
  private async prime(): Promise<void> {
    const started = performance.now();
    const scan = this.scan();
    this.scanBudget = Infinity;
    let count = 0;
    for (const [file, stamp] of scan.files) {
      this.entries.set(file, { stamp, content: await this.captureAsync(file, stamp) });
      if (++count % 25 === 0) await new Promise((resolve) => setImmediate(resolve)); // short slices: the host stays responsive
    }
    this.store.saveBaseline(this.ownerId, this.hashes());
    this.updateStats(performance.now() - started, scan.files.size);
  }

  /** Compares a fresh scan with the snapshot; changed files go to every open turn with a command running. */
  private refresh(): void {
    const started = performance.now();
    const scan = this.scan();
    const takers = [...this.openTurns].filter((turn) => turn.running > 0);
    const wasTruncated = this.truncated;
    this.scanBudget = this.store.limits.maxScanReadBytes;
    this.truncated = scan.truncated;
    for (const [file, stamp] of scan.files) {
      const old = this.entries.get(file);
      if (old && sameStamp(old.stamp, stamp)) continue;
      // A file the snapshot did not have is new, unless the previous scan stopped at its budget.
      const before: CheckpointFile['before'] = old ? stateOf(old) : wasTruncated ? { skipped: 'the workspace has more files than the snapshot covers' } : { absent: true };
      for (const turn of takers) this.attribute(turn, file, before);
      if (old && 'hash' in old.content) this.bytes -= old.content.size;
      this.entries.set(file, { stamp, content: this.captureSync(file, stamp) });
    }
    for (const [file, old] of this.entries) {
      if (scan.files.has(file)) continue;
      if (existsAsFile(file)) continue; // beyond the scan's budget or newly ignored, not removed
      for (const turn of takers) this.attribute(turn, file, stateOf(old));
      if ('hash' in old.content) this.bytes -= old.content.size;
      this.entries.delete(file);
    }
    if (scan.truncated) for (const turn of this.openTurns) turn.notes.add(`The workspace has more than ${this.store.limits.maxScanFiles} files; changes commands made beyond them are not in this checkpoint.`);
    this.updateStats(performance.now() - started, scan.files.size);
  }

  private scan() {
    this.stats.scans++;
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
    Object.assign(this.stats, { files: this.entries.size, baselineBytes: this.bytes, lastScanMs: ms, lastScanFiles: files, truncated: this.truncated });
  }

  private limitFor(stamp: FileStamp): string | undefined {
    const limits = this.store.limits;
    if (stamp.size > limits.maxFileBytes) return `larger than ${formatBytes(limits.maxFileBytes)}`;
    if (this.bytes + stamp.size > limits.maxBaselineBytes) return `beyond the checkpoint budget of ${formatBytes(limits.maxBaselineBytes)} per workspace`;
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
    this.bytes += bytes.length;
    return { hash, size: bytes.length };
  }
}

function markShared(file: CheckpointFile, sessionId: string): void {
  if (!file.sharedWith) file.sharedWith = [sessionId];
  else if (!file.sharedWith.includes(sessionId)) file.sharedWith.push(sessionId);
}

function stateOf(entry: SnapshotEntry): CheckpointFile['before'] {
  return 'hash' in entry.content ? ({ hash: entry.content.hash, size: entry.content.size, mode: entry.stamp.mode } satisfies FileState) : { skipped: entry.content.skipped };
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
