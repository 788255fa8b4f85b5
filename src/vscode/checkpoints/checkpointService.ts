// The extension's side of checkpoints: one turn recorder per open chat (its checkpoints are filed under
// that chat's session; chatRecorders.ts keeps them and the snapshots they share), the runner each chat's
// agent gets (scanned around its commands, so a command's changes are its chat's), and "Restore checkpoint"
// on a user message: a preview, then code, conversation or both (restoreView.ts).
//
// Every turn of a chat is recorded, whatever started it: the chat's agent calls beginTurn / endTurn through
// its turn hooks (core/agent/types.ts TurnHooks), so a message that waited in the queue and then started a
// turn of its own has its checkpoint like the first. A closed chat's recorder is dropped (dropChat); its
// checkpoints stay in the store for when the chat is reopened from the history.
import * as vscode from 'vscode';
import type { ChangeSet } from '../../core/patch/types';
import type { ProcessRunner } from '../../core/ports';
import { ChatRecorders } from '../../node/checkpoints/chatRecorders';
import { CheckpointStore, type CheckpointLimits } from '../../node/checkpoints/checkpointStore';
import { forkSessionBefore } from '../../node/checkpoints/conversationFork';
import { choiceAllowed, offeredChoices, restoreRoots, type ChatPlace } from '../../node/checkpoints/restoreChoices';
import { planRestore, type RestoreItem } from '../../node/checkpoints/restorePlan';
import { WorkspaceSnapshot } from '../../node/checkpoints/workspaceSnapshot';
import { CHECKPOINT_SCHEME, CheckpointDocuments } from './checkpointDocuments';
import { conversationRefusedText, currentContent, otherChats, previewRestore, restoreFiles } from './restoreView';
import { readConfig } from '../config';

/** What the restore needs from the chat (ChatController has these). */
export interface CheckpointChat {
  readonly currentSessionId: string;
  readonly isBusy: boolean;
  openSession(id: string): Promise<void>;
  /** Where the chat works: its own worktree is never left by a restore (restoreChoices.ts). Absent: the workspace. */
  readonly place?: ChatPlace;
  /** Another chat's title, for a file it changed at the same time (undefined: closed or unknown). */
  titleOf?(sessionId: string): string | undefined;
}

export class CheckpointService implements vscode.Disposable {
  readonly store: CheckpointStore;
  /** The workspace folders' snapshot, shared by every chat's recorder that records the workspace. */
  readonly snapshot: WorkspaceSnapshot;
  /** The open chats' recorders and the snapshots of the folders they work in. */
  readonly recorders: ChatRecorders;
  private readonly registration: vscode.Disposable;

  constructor(
    storeDir: string,
    private readonly sessionsDir: string,
    private readonly log: vscode.LogOutputChannel,
    limits?: Partial<CheckpointLimits>,
  ) {
    this.store = new CheckpointStore(storeDir, limits);
    this.snapshot = new WorkspaceSnapshot(this.store, workspaceRoots, (m) => log.info(m));
    this.recorders = new ChatRecorders(this.store, this.snapshot, (m) => log.info(m));
    this.registration = vscode.workspace.registerTextDocumentContentProvider(CHECKPOINT_SCHEME, new CheckpointDocuments(this.store.blobs));
  }

  /**
   * The runner chat `chatId`'s agent gets: its commands are scanned around and are its turn's. `roots`:
   * the only folders the agent works in, when they are not the workspace's (a chat in a worktree).
   */
  runnerFor(chatId: string, runner: ProcessRunner, roots?: readonly string[]): ProcessRunner {
    return this.recorders.runnerFor(chatId, runner, roots);
  }

  /** Chat `chatId` was closed: its recorder goes (its checkpoints stay, for a restore after it is reopened). */
  dropChat(chatId: string): void {
    this.recorders.drop(chatId);
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

  /** Before turn `turnId` of chat `chatId` does anything; never fails the turn (a checkpoint is a convenience, not a gate). */
  async beginTurn(chatId: string, turnId: string): Promise<void> {
    if (!this.recording()) return;
    try {
      const started = performance.now();
      const recorder = await this.recorders.beginTurn(chatId, turnId);
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

  /** Chat `chatId` proposes `changeSet` (before anything is written). */
  notePatch(chatId: string, changeSet: ChangeSet): void {
    try {
      this.recorders.notePatch(chatId, changeSet);
    } catch (error) {
      this.log.error('Could not record the patch in the checkpoint:', error);
    }
  }

  async endTurn(chatId: string): Promise<void> {
    try {
      const checkpoint = await this.recorders.endTurn(chatId, currentContent);
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
    const place = chat.place ?? { kind: 'workspace' };
    const plan = await planRestore(this.store, sessionId, turnId, currentContent);
    const offered = offeredChoices(plan, place);
    if (offered.choices.length === 0) {
      const why = plan ? vscode.l10n.t('No file changed since this message.') : vscode.l10n.t('No checkpoint of files was recorded for this message.');
      void vscode.window.showInformationMessage(vscode.l10n.t('Tandem: nothing to restore. {0} {1}', why, offered.conversationRefused ? conversationRefusedText() : ''));
      return false;
    }
    const others = (item: RestoreItem) => otherChats(item, chat.titleOf?.bind(chat));
    const choice = await previewRestore(plan, offered, others, this.log);
    if (!choice) return false;
    if (!choiceAllowed(choice, place)) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Tandem: {0}', conversationRefusedText()));
      return false;
    }
    const summary: string[] = [];
    if (choice !== 'conversation' && plan) {
      // Only inside the folders the chat works in: its worktree (the agent's folder in it once known),
      // else the workspace's.
      const result = await restoreFiles(plan, this.recorders.rootsOf(sessionId) ?? restoreRoots(place, workspaceRoots()), others, this.log);
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
