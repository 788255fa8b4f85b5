// The extension's side of checkpoints: one turn recorder per chat (its checkpoints are filed under that
// chat's session), the runner each chat's agent gets (scanned around its commands, so a command's changes
// are its chat's), and "Restore checkpoint" on a user message: a preview, then code, conversation or both
// (restoreView.ts).
//
// Recorders that record the same folders share one snapshot (workspaceSnapshot.ts): every chat in the
// workspace shares the workspace folders' snapshot, so a command costs one scan however many chats run,
// and a file two chats changed at the same time is known as such. A chat whose agent works elsewhere (a
// chat in a worktree of its own) records against a snapshot of its own folders: its commands are not
// blamed for what happens in the workspace meanwhile, and a restore writes only inside its folders.
import * as vscode from 'vscode';
import type { ChangeSet } from '../../core/patch/types';
import type { ProcessRunner } from '../../core/ports';
import type { AgentEvent } from '../../shared/events';
import { checkpointRunner } from '../../node/checkpoints/checkpointRunner';
import { CheckpointStore, type CheckpointLimits } from '../../node/checkpoints/checkpointStore';
import { forkSessionBefore } from '../../node/checkpoints/conversationFork';
import { planRestore, type RestoreItem } from '../../node/checkpoints/restorePlan';
import { TurnRecorder } from '../../node/checkpoints/turnRecorder';
import { WorkspaceSnapshot } from '../../node/checkpoints/workspaceSnapshot';
import { CHECKPOINT_SCHEME, CheckpointDocuments } from './checkpointDocuments';
import { currentContent, otherChats, previewRestore, restoreFiles } from './restoreView';
import { readConfig } from '../config';

/** What the restore needs from the chat (ChatController has these). */
export interface CheckpointChat {
  readonly currentSessionId: string;
  readonly isBusy: boolean;
  openSession(id: string): Promise<void>;
  /** Another chat's title, for a file it changed at the same time (undefined: closed or unknown). */
  titleOf?(sessionId: string): string | undefined;
}

export class CheckpointService implements vscode.Disposable {
  readonly store: CheckpointStore;
  /** The workspace folders' snapshot, shared by every chat's recorder that records the workspace. */
  readonly snapshot: WorkspaceSnapshot;
  /** Snapshots of other folders (chats in worktrees), by their folders. */
  private readonly otherSnapshots = new Map<string, WorkspaceSnapshot>();
  /** Each chat's recorder, by chat (session) id. */
  private readonly recorders = new Map<string, TurnRecorder>();
  /** The folders a chat's agent works in, where they are not the workspace's (see runnerFor). */
  private readonly chatRoots = new Map<string, readonly string[]>();
  private readonly registration: vscode.Disposable;

  constructor(
    storeDir: string,
    private readonly sessionsDir: string,
    private readonly log: vscode.LogOutputChannel,
    limits?: Partial<CheckpointLimits>,
  ) {
    this.store = new CheckpointStore(storeDir, limits);
    this.snapshot = new WorkspaceSnapshot(this.store, workspaceRoots, (m) => log.info(m));
    this.registration = vscode.workspace.registerTextDocumentContentProvider(CHECKPOINT_SCHEME, new CheckpointDocuments(this.store.blobs));
  }

  /**
   * The runner chat `chatId`'s agent gets: its commands are scanned around and are its turn's. `roots`:
   * the only folders the agent works in, when they are not the workspace's (a chat in a worktree).
   */
  runnerFor(chatId: string, runner: ProcessRunner, roots?: readonly string[]): ProcessRunner {
    if (roots?.length) this.chatRoots.set(chatId, [...roots]);
    else this.chatRoots.delete(chatId);
    return checkpointRunner(runner, () => this.recorders.get(chatId));
  }

  /** The chat's recorder, on the snapshot of the folders it works in (moved there between turns). */
  private recorderFor(chatId: string): TurnRecorder {
    const snapshot = this.snapshotOf(chatId);
    let recorder = this.recorders.get(chatId);
    if (!recorder || (recorder.snapshot !== snapshot && !recorder.activeTurn)) this.recorders.set(chatId, (recorder = new TurnRecorder(this.store, snapshot)));
    return recorder;
  }

  private snapshotOf(chatId: string): WorkspaceSnapshot {
    const roots = this.chatRoots.get(chatId);
    if (!roots) return this.snapshot;
    const key = JSON.stringify(roots);
    let snapshot = this.otherSnapshots.get(key);
    if (!snapshot) this.otherSnapshots.set(key, (snapshot = new WorkspaceSnapshot(this.store, () => roots, (m) => this.log.info(m))));
    return snapshot;
  }

  /** The chat view opened: take the first snapshot now, so the first message does not wait for it. */
  warmUp(): void {
    if (!this.recording()) return;
    const started = performance.now();
    this.snapshot.warmUp().then(
      () => this.log.info(`Checkpoint snapshot of the workspace in ${Math.round(performance.now() - started)} ms (${this.snapshot.stats.files} files, ${this.snapshot.stats.baselineBytes} bytes).`),
      (error: unknown) => this.log.error('Could not snapshot the workspace for checkpoints:', error),
    );
  }

  /** Before a turn of chat `chatId` starts; never fails the turn (a checkpoint is a convenience, not a gate). */
  async beginTurn(chatId: string): Promise<void> {
    if (!this.recording()) return;
    try {
      const started = performance.now();
      const recorder = this.recorderFor(chatId);
      await recorder.beginTurn(chatId);
      const s = recorder.stats;
      this.log.info(`Checkpoint opened in ${Math.round(performance.now() - started)} ms (${s.files} files in the snapshot, ${s.baselineBytes} bytes${s.truncated ? ', file budget reached' : ''}).`);
    } catch (error) {
      this.log.error('Could not open a checkpoint for this turn:', error);
    }
  }

  /** Nothing to record where the agent cannot write (untrusted workspace, read-only policy). */
  private recording(): boolean {
    return vscode.workspace.isTrusted && readConfig().approvalPolicy !== 'read-only' && (vscode.workspace.workspaceFolders?.length ?? 0) > 0;
  }

  /** An event of chat `chatId` (its turn's id names its checkpoint). */
  onEvent(chatId: string, event: AgentEvent): void {
    if (event.type === 'turn.started') this.recorders.get(chatId)?.nameTurn(event.turnId);
  }

  /** Chat `chatId` proposes `changeSet` (before anything is written). */
  notePatch(chatId: string, changeSet: ChangeSet): void {
    try {
      this.recorders.get(chatId)?.notePatch(changeSet);
    } catch (error) {
      this.log.error('Could not record the patch in the checkpoint:', error);
    }
  }

  async endTurn(chatId: string): Promise<void> {
    try {
      const checkpoint = await this.recorders.get(chatId)?.endTurn(currentContent);
      const shared = checkpoint?.files.filter((f) => f.sharedWith?.length).length ?? 0;
      if (checkpoint) this.log.info(`Checkpoint of ${checkpoint.turnId}: ${checkpoint.files.length} file(s) changed${shared ? `, ${shared} of them by another chat at the same time` : ''}.`);
    } catch (error) {
      this.log.error('Could not save the checkpoint of this turn:', error);
    }
  }

  /** "Restore checkpoint" on the user message of `turnId`; resolves true when files were restored. */
  async restore(chat: CheckpointChat, turnId: string): Promise<boolean> {
    if (chat.isBusy) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Tandem is working. Stop it first, then restore the checkpoint.'));
      return false;
    }
    const sessionId = chat.currentSessionId;
    const plan = await planRestore(this.store, sessionId, turnId, currentContent);
    const others = (item: RestoreItem) => otherChats(item, chat.titleOf?.bind(chat));
    const choice = await previewRestore(plan, others, this.log);
    if (!choice) return false;
    const summary: string[] = [];
    if (choice !== 'conversation' && plan) {
      // Only inside the folders the chat works in (a chat in a worktree: there; unknown after a reload
      // until its agent is made again: the workspace's, and its worktree's files are refused).
      const result = await restoreFiles(plan, this.chatRoots.get(sessionId) ?? workspaceRoots(), others, this.log);
      if (result === undefined) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Tandem: restore cancelled; nothing was changed.'));
        return false;
      }
      summary.push(result);
    }
    if (choice !== 'code') {
      const forkId = newSessionId();
      const forked = await forkSessionBefore(this.sessionsDir, sessionId, forkId, turnId).catch((error: unknown) => {
        this.log.error('Could not restore the conversation:', error);
        return false;
      });
      if (!forked) {
        void vscode.window.showErrorMessage(vscode.l10n.t('Tandem could not restore the conversation (see Tandem: Show Log).'));
        return choice === 'both';
      }
      const record = this.store.load(sessionId);
      const cut = record.checkpoints.findIndex((c) => c.turnId === turnId);
      this.store.copy(sessionId, forkId, (c) => cut < 0 || record.checkpoints.indexOf(c) < cut);
      await chat.openSession(forkId);
      summary.push(vscode.l10n.t('The conversation is back to before that message (the full chat stays in the history).'));
    }
    void vscode.window.showInformationMessage(vscode.l10n.t('Tandem: {0}', summary.join(' ')));
    return choice !== 'conversation';
  }

  dispose(): void {
    this.registration.dispose();
  }
}

function workspaceRoots(): string[] {
  return (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
}

function newSessionId(): string {
  const now = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
  return `${now}-${Math.random().toString(36).slice(2, 8)}`;
}
