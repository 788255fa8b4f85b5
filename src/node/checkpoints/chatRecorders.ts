// The turn recorders of the open chats of one window, and the snapshots they record against. Recorders that
// record the same folders share one snapshot (workspaceSnapshot.ts): every chat in the workspace shares the
// workspace folders' snapshot, so a command costs one scan however many chats run. A chat whose agent works
// elsewhere (a chat in a worktree of its own) records against a snapshot of its own folders.
//
// A closed chat's recorder is dropped (`drop`), and with it a snapshot no open chat records against any
// more (a removed worktree's): the checkpoints stay in the store, filed under the chat's session, so
// restoring after the chat is reopened from the history still works; the reopened chat gets a new recorder
// with its first turn. Kept apart from the extension's CheckpointService so this bookkeeping is tested
// without VS Code.
import type { ChangeSet } from '../../core/patch/types';
import type { ProcessRunner } from '../../core/ports';
import { checkpointRunner } from './checkpointRunner';
import type { Checkpoint, CheckpointStore } from './checkpointStore';
import { TurnRecorder, type CurrentContent } from './turnRecorder';
import { WorkspaceSnapshot } from './workspaceSnapshot';

export class ChatRecorders {
  /** Snapshots of other folders (chats in worktrees), by their folders. */
  private readonly otherSnapshots = new Map<string, WorkspaceSnapshot>();
  /** Each open chat's recorder, by chat (session) id. */
  private readonly recorders = new Map<string, TurnRecorder>();
  /** The folders a chat's agent works in, where they are not the workspace's (see runnerFor). */
  private readonly chatRoots = new Map<string, readonly string[]>();
  /** Chats closed while a turn of theirs was still open: dropped once that turn's checkpoint is saved. */
  private readonly closing = new Set<string>();

  constructor(
    private readonly store: CheckpointStore,
    /** The workspace folders' snapshot, shared by every chat that records the workspace. */
    readonly snapshot: WorkspaceSnapshot,
    private readonly log: (message: string) => void = () => undefined,
  ) {}

  /**
   * The runner chat `chatId`'s agent gets: its commands are scanned around and are its turn's. `roots`:
   * the only folders the agent works in, when they are not the workspace's (a chat in a worktree).
   */
  runnerFor(chatId: string, runner: ProcessRunner, roots?: readonly string[]): ProcessRunner {
    if (roots?.length) this.chatRoots.set(chatId, [...roots]);
    else this.chatRoots.delete(chatId);
    return checkpointRunner(runner, () => this.recorders.get(chatId));
  }

  /** The folders chat `chatId`'s agent works in when they are not the workspace's (known once its agent was made). */
  rootsOf(chatId: string): readonly string[] | undefined {
    return this.chatRoots.get(chatId);
  }

  /** Opens the checkpoint of chat `chatId`'s turn `turnId` (before the turn's first model request). */
  async beginTurn(chatId: string, turnId: string): Promise<TurnRecorder> {
    this.closing.delete(chatId); // a chat of that id is open again
    const recorder = this.recorderFor(chatId);
    await recorder.beginTurn(chatId);
    recorder.nameTurn(turnId);
    return recorder;
  }

  /** Chat `chatId` proposes `changeSet` (before anything is written). */
  notePatch(chatId: string, changeSet: ChangeSet): void {
    this.recorders.get(chatId)?.notePatch(changeSet);
  }

  /** Saves the checkpoint of chat `chatId`'s open turn; a chat closed meanwhile is dropped after it. */
  async endTurn(chatId: string, current?: CurrentContent): Promise<Checkpoint | undefined> {
    try {
      return await this.recorders.get(chatId)?.endTurn(current);
    } finally {
      if (this.closing.delete(chatId)) this.forget(chatId);
    }
  }

  /**
   * Chat `chatId` was closed: its recorder goes (after its open turn's checkpoint is saved, when a turn
   * still runs), and a snapshot nobody records against any more goes with it. Its stored checkpoints stay.
   */
  drop(chatId: string): void {
    if (this.recorders.get(chatId)?.activeTurn) this.closing.add(chatId);
    else this.forget(chatId);
  }

  /** How many chats have a recorder, and how many snapshots besides the workspace's are kept (diagnostics, tests). */
  get counts(): { recorders: number; otherSnapshots: number } {
    return { recorders: this.recorders.size, otherSnapshots: this.otherSnapshots.size };
  }

  /** The chat's recorder, on the snapshot of the folders it works in (moved there between turns). */
  private recorderFor(chatId: string): TurnRecorder {
    const snapshot = this.snapshotOf(chatId);
    let recorder = this.recorders.get(chatId);
    if (!recorder || (recorder.snapshot !== snapshot && !recorder.activeTurn)) {
      this.recorders.set(chatId, (recorder = new TurnRecorder(this.store, snapshot)));
      this.pruneSnapshots();
    }
    return recorder;
  }

  private snapshotOf(chatId: string): WorkspaceSnapshot {
    const roots = this.chatRoots.get(chatId);
    if (!roots) return this.snapshot;
    const key = JSON.stringify(roots);
    let snapshot = this.otherSnapshots.get(key);
    if (!snapshot) this.otherSnapshots.set(key, (snapshot = new WorkspaceSnapshot(this.store, () => roots, this.log)));
    return snapshot;
  }

  private forget(chatId: string): void {
    this.recorders.delete(chatId);
    this.chatRoots.delete(chatId);
    this.pruneSnapshots();
  }

  /** Snapshots of folders no open chat works in or records against (a closed worktree chat's) are let go. */
  private pruneSnapshots(): void {
    const used = new Set<WorkspaceSnapshot>([...this.recorders.values()].map((r) => r.snapshot));
    const wanted = new Set([...this.chatRoots.values()].map((roots) => JSON.stringify(roots)));
    for (const [key, snapshot] of this.otherSnapshots) if (!used.has(snapshot) && !wanted.has(key)) this.otherSnapshots.delete(key);
  }
}
