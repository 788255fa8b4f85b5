// Records, for each user turn of one chat, what every file the turn changed looked like before it:
// through patches (notePatch, called when a change set is proposed) and through commands (commandStarting
// / commandEnded around every spawn of this chat's agent, see checkpointRunner.ts). A command can change
// anything (`sed -i`, `rm`, `mv`, a build writing binaries), so the recorder works on a snapshot of the
// workspace (workspaceSnapshot.ts): around each command only the files whose stamps moved are read and
// hashed; the snapshot's content of those files is the "before" the checkpoint keeps.
//
// One recorder per chat, one snapshot per workspace: several chats run turns at once, each recorder
// files its turns under its own chat session, and the shared snapshot decides which open turns a change
// belongs to (and marks a file two chats changed at the same time as shared; see workspaceSnapshot.ts).
// A recorder made with just the folders has a snapshot of its own (the CLI, tests, one chat).
import { lstatSync, readFileSync } from 'node:fs';
import type { ChangeSet } from '../../core/patch/types';
import { contentHash } from './blobStore';
import type { Checkpoint, CheckpointFile, CheckpointStore, FileState } from './checkpointStore';
import { WorkspaceSnapshot, formatBytes, type OpenTurn, type SnapshotStats } from './workspaceSnapshot';

/** Reads a file's current content as the user sees it (an open, unsaved document wins); undefined = absent. */
export type CurrentContent = (path: string) => Promise<Uint8Array | undefined>;

export type RecorderStats = SnapshotStats;

export class TurnRecorder {
  readonly snapshot: WorkspaceSnapshot;
  private turn: OpenTurn | undefined;

  /** `workspace`: the shared snapshot to record against, or the folders to snapshot alone. */
  constructor(
    readonly store: CheckpointStore,
    workspace: (() => readonly string[]) | WorkspaceSnapshot,
    log: (message: string) => void = () => undefined,
  ) {
    this.snapshot = workspace instanceof WorkspaceSnapshot ? workspace : new WorkspaceSnapshot(store, workspace, log);
  }

  get activeTurn(): boolean {
    return this.turn !== undefined;
  }

  /** The snapshot's counters (shared with every recorder of the same snapshot). */
  get stats(): RecorderStats {
    return this.snapshot.stats;
  }

  /**
   * Opens the checkpoint of this chat's next turn (before the agent starts it). The first turn of the
   * snapshot reads the whole workspace; later ones only what changed since.
   */
  async beginTurn(sessionId: string): Promise<void> {
    if (this.turn) this.snapshot.close(this.turn); // never ended (a crash): not saved
    this.turn = undefined;
    const turn: OpenTurn = { sessionId, createdAt: Date.now(), files: new Map(), notes: new Set(), running: 0 };
    await this.snapshot.open(turn); // the first snapshot may take a while: commands meanwhile are not this turn's
    this.turn = turn;
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
      // Touched even when already recorded: another chat's open turn may have changed it since.
      this.snapshot.touch(turn, change.path, turn.files.get(change.path)?.before ?? (change.kind === 'add' ? { absent: true } : this.currentState(change.path, change.oldText)));
      if (change.movePath !== undefined && change.movePath !== change.path) {
        this.snapshot.touch(turn, change.movePath, turn.files.get(change.movePath)?.before ?? this.currentState(change.movePath, undefined));
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
    this.snapshot.commandStarting(turn);
    return turn;
  }

  /**
   * Right after a command exited. Its changes are its turn's while that turn is open; a background
   * command of an earlier turn only refreshes the snapshot (so the next command is not blamed for them).
   */
  commandEnded(token: object | undefined): void {
    if (!token) return;
    this.snapshot.commandEnded(token as OpenTurn);
  }

  /**
   * Closes the turn's checkpoint: records what the turn left in each file it changed (for conflict
   * detection), drops files it left as they were (a rejected patch), saves, and cleans the store up.
   */
  async endTurn(current?: CurrentContent): Promise<Checkpoint | undefined> {
    const turn = this.turn;
    if (!turn) return undefined;
    this.snapshot.close(turn);
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
    this.snapshot.afterSave();
    return checkpoint;
  }

  /** Takes the snapshot's first scan now (see WorkspaceSnapshot.warmUp). */
  warmUp(): Promise<void> {
    return this.snapshot.warmUp();
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
