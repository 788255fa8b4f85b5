// The extension's side of checkpoints: one turn recorder per chat (its checkpoints are filed under that
// chat's session), all recording against one shared snapshot of the workspace, the runner each chat's
// agent gets (scanned around its commands, so a command's changes are its chat's), and "Restore
// checkpoint" on a user message: a preview (files with their state, each opening a diff), then code,
// conversation or both.
//
// Code is restored file by file, only for files a recorded turn changed: open documents through one
// WorkspaceEdit (undoable; saved again when they had no unsaved changes), other files on disk (replaced
// by a rename, permission bits included). A file changed since the agent last left it is a conflict: the
// user is asked for each one, and "keep" is the default. So is a file another chat changed at the same
// time (an overlap, see workspaceSnapshot.ts): restoring it could undo that chat's work. The
// conversation is restored by opening a copy of the session cut before the message (conversationFork.ts).
import * as vscode from 'vscode';
import * as path from 'node:path';
import { lstatSync, readFileSync, realpathSync } from 'node:fs';
import type { ChangeSet } from '../../core/patch/types';
import type { ProcessRunner } from '../../core/ports';
import type { AgentEvent } from '../../shared/events';
import { checkpointRunner } from '../../node/checkpoints/checkpointRunner';
import { CheckpointStore, type CheckpointLimits } from '../../node/checkpoints/checkpointStore';
import { forkSessionBefore } from '../../node/checkpoints/conversationFork';
import { applyRestore, planRestore, type RestoreItem, type RestorePlan } from '../../node/checkpoints/restorePlan';
import { TurnRecorder } from '../../node/checkpoints/turnRecorder';
import { WorkspaceSnapshot } from '../../node/checkpoints/workspaceSnapshot';
import { CHECKPOINT_SCHEME, CheckpointDocuments, checkpointUri } from './checkpointDocuments';
import { contentHash } from '../../node/checkpoints/blobStore';
import { readConfig } from '../config';

/** What the restore needs from the chat (ChatController has these). */
export interface CheckpointChat {
  readonly currentSessionId: string;
  readonly isBusy: boolean;
  openSession(id: string): Promise<void>;
  /** Another chat's title, for a file it changed at the same time (undefined: closed or unknown). */
  titleOf?(sessionId: string): string | undefined;
}

type Choice = 'both' | 'code' | 'conversation';

export class CheckpointService implements vscode.Disposable {
  readonly store: CheckpointStore;
  /** The workspace folders' snapshot, shared by every chat's recorder. */
  readonly snapshot: WorkspaceSnapshot;
  /** Each chat's recorder, by chat (session) id. */
  private readonly recorders = new Map<string, TurnRecorder>();
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
   * The window's runner: left as it is. Commands are recorded per chat, through the runner each chat's
   * agent gets (runnerFor); a spawn that is no chat's (the header's facts) is nobody's turn.
   */
  wrapRunner(runner: ProcessRunner): ProcessRunner {
    return runner;
  }

  /** The runner chat `chatId`'s agent gets: its commands are scanned around and are its turn's. */
  runnerFor(chatId: string, runner: ProcessRunner): ProcessRunner {
    return checkpointRunner(runner, () => this.recorders.get(chatId));
  }

  private recorderFor(chatId: string): TurnRecorder {
    let recorder = this.recorders.get(chatId);
    if (!recorder) this.recorders.set(chatId, (recorder = new TurnRecorder(this.store, this.snapshot)));
    return recorder;
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
      await this.recorderFor(chatId).beginTurn(chatId);
      const s = this.snapshot.stats;
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
    const others = (item: RestoreItem) => otherChats(item, chat);
    const choice = await this.preview(plan, others);
    if (!choice) return false;
    const summary: string[] = [];
    if (choice !== 'conversation' && plan) {
      const result = await this.restoreCode(plan, others);
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

  /** The preview: what each file would become, with a diff per file; resolves with the user's choice. */
  private preview(plan: RestorePlan | undefined, others: (item: RestoreItem) => string): Promise<Choice | undefined> {
    type Item = vscode.QuickPickItem & { choice?: Choice; file?: RestoreItem };
    const changes = plan?.items.filter((i) => i.status !== 'same') ?? [];
    const actions: Item[] = [];
    if (changes.length > 0) {
      actions.push({ label: vscode.l10n.t('Restore code and conversation'), choice: 'both', detail: describe(changes) });
      actions.push({ label: vscode.l10n.t('Restore code only'), choice: 'code', detail: vscode.l10n.t('The chat stays as it is.') });
    }
    actions.push({
      label: vscode.l10n.t('Restore conversation only'),
      choice: 'conversation',
      detail: changes.length > 0 ? vscode.l10n.t('Files stay as they are.') : plan ? vscode.l10n.t('No file changed since this message.') : vscode.l10n.t('No checkpoint of files was recorded for this message.'),
    });
    const files: Item[] = changes.map((file) => ({ label: relative(file.path), description: statusText(file, others), file, iconPath: new vscode.ThemeIcon(file.status === 'conflict' || file.status === 'overlap' ? 'warning' : 'diff') }));
    const picker = vscode.window.createQuickPick<Item>();
    picker.title = vscode.l10n.t('Restore checkpoint');
    picker.placeholder = vscode.l10n.t('Choose what to restore; pick a file to compare it with the checkpoint');
    picker.ignoreFocusOut = true;
    picker.matchOnDescription = true;
    picker.items = [...actions, ...(files.length ? [{ label: vscode.l10n.t('Files'), kind: vscode.QuickPickItemKind.Separator } as Item, ...files] : [])];
    for (const note of plan?.notes ?? []) this.log.warn(`Checkpoint note: ${note}`);
    return new Promise((resolve) => {
      let settled = false;
      const finish = (value: Choice | undefined) => {
        if (settled) return;
        settled = true;
        resolve(value);
        picker.dispose();
      };
      picker.onDidAccept(() => {
        const picked = picker.selectedItems[0];
        if (picked?.choice) finish(picked.choice);
        else if (picked?.file) void openDiff(picked.file);
      });
      picker.onDidHide(() => finish(undefined));
      picker.show();
    });
  }

  /** Restores the files; undefined when the user cancelled at a conflict (then nothing was written). */
  private async restoreCode(plan: RestorePlan, others: (item: RestoreItem) => string): Promise<string | undefined> {
    const overwrite = new Set<string>();
    const keep = vscode.l10n.t('Keep Mine');
    const replace = vscode.l10n.t('Replace');
    const leave = vscode.l10n.t('Leave It');
    const restoreAnyway = vscode.l10n.t('Restore Anyway');
    for (const item of plan.items.filter((i) => i.status === 'conflict' || i.status === 'overlap')) {
      // Keep / Leave is the first (default) button: Enter never discards the user's or another chat's work.
      const answer =
        item.status === 'conflict'
          ? await vscode.window.showWarningMessage(
              vscode.l10n.t('{0} changed since Tandem last edited it. Replace it with the checkpoint?', relative(item.path)),
              { modal: true, detail: 'absent' in item.target ? vscode.l10n.t('Tandem created this file; restoring removes it, with your changes.') : vscode.l10n.t('Your changes to this file would be lost (open the file in the preview to compare).') },
              keep,
              replace,
            )
          : await vscode.window.showWarningMessage(
              vscode.l10n.t('{0} was also changed by {1} at the same time. Restore it anyway?', relative(item.path), others(item)),
              { modal: true, detail: vscode.l10n.t('Which chat made which change cannot be told apart: restoring it may undo the other chat\'s work too (open the file in the preview to compare).') },
              leave,
              restoreAnyway,
            );
      if (answer === undefined) return undefined;
      if (answer === replace || answer === restoreAnyway) overwrite.add(item.path);
    }
    const chosen = plan.items.filter((i) => i.status === 'restore' || ((i.status === 'conflict' || i.status === 'overlap') && overwrite.has(i.path)));
    const edit = new vscode.WorkspaceEdit();
    const throughEditor: { doc: vscode.TextDocument; wasDirty: boolean; removed: boolean }[] = [];
    const onDisk: RestoreItem[] = [];
    for (const item of chosen) {
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === item.path);
      if (doc && 'absent' in item.target && !isSymbolicLink(item.path) && insideRoots(item.path)) {
        edit.deleteFile(doc.uri, { ignoreIfNotExists: true });
        throughEditor.push({ doc, wasDirty: doc.isDirty, removed: true });
      } else if (doc && !('absent' in item.target) && !isSymbolicLink(item.path) && insideRoots(item.path) && editableAsText(doc, item.target.content)) {
        edit.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), item.target.content.toString('utf8'));
        throughEditor.push({ doc, wasDirty: doc.isDirty, removed: false });
        if (modeOnDisk(item.path) !== item.target.mode) onDisk.push({ ...item, status: 'restore' });
      } else {
        onDisk.push({ ...item, status: 'restore' });
      }
    }
    let written = 0;
    if (throughEditor.length > 0) {
      if (!(await vscode.workspace.applyEdit(edit))) throw new Error('VS Code refused the edit.');
      for (const entry of throughEditor) if (!entry.removed && !entry.wasDirty) await entry.doc.save();
      written += throughEditor.length;
    }
    const byPath = new Set(throughEditor.map((e) => e.doc.uri.fsPath));
    const disk = applyRestore({ ...plan, items: onDisk }, workspaceRoots());
    written += disk.done.filter((p) => !byPath.has(p)).length;
    for (const failure of disk.failed) this.log.warn(`Not restored: ${failure.path}: ${failure.reason}`);
    const kept = plan.items.filter((i) => i.status === 'conflict' && !overwrite.has(i.path)).length;
    const left = plan.items.filter((i) => i.status === 'overlap' && !overwrite.has(i.path)).length;
    const unavailable = plan.items.filter((i) => i.status === 'unavailable');
    for (const item of unavailable) this.log.warn(`Not restored: ${item.path}: ${item.reason ?? ''}`);
    return [
      vscode.l10n.t('Restored {0} file(s).', written),
      kept ? vscode.l10n.t('Kept {0} file(s) you changed.', kept) : '',
      left ? vscode.l10n.t('Left {0} file(s) another chat also changed.', left) : '',
      unavailable.length + disk.failed.length ? vscode.l10n.t('{0} file(s) could not be restored (see Tandem: Show Log).', unavailable.length + disk.failed.length) : '',
    ].filter(Boolean).join(' ');
  }

  dispose(): void {
    this.registration.dispose();
  }
}

/** A file as the user sees it: an open document with unsaved changes wins over the disk. */
async function currentContent(file: string): Promise<Uint8Array | undefined> {
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === file);
  if (doc?.isDirty) return Buffer.from(doc.getText(), 'utf8');
  try {
    if (!lstatSync(file).isFile()) return undefined;
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/**
 * Whether the editor can hold `content` exactly: UTF-8 text without a BOM (the document keeps its
 * own), with the document's line endings (the editor would convert others). Otherwise the file is written
 * on disk and VS Code reloads the unchanged document; an edited one gets the text anyway.
 */
function editableAsText(doc: vscode.TextDocument, content: Buffer): boolean {
  const text = content.toString('utf8');
  const exact = Buffer.from(text, 'utf8').equals(content) && !text.includes('\0') && !text.startsWith('\ufeff');
  const crlf = text.includes('\r\n');
  const lf = /(^|[^\r])\n/.test(text);
  const eolMatches = doc.eol === vscode.EndOfLine.CRLF ? !lf : !crlf;
  return (exact && eolMatches) || (doc.isDirty && exact);
}

function workspaceRoots(): string[] {
  return (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
}

/** Inside a workspace folder through real folders only (the editor's save would follow a symlinked folder). */
function insideRoots(file: string): boolean {
  for (const root of workspaceRoots()) {
    if (!file.startsWith(root + path.sep)) continue;
    try {
      return realpathSync(path.dirname(file)) === path.join(realpathSync(root), path.relative(root, path.dirname(file)));
    } catch {
      return false;
    }
  }
  return false;
}

function isSymbolicLink(file: string): boolean {
  try {
    return lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}

function modeOnDisk(file: string): number | undefined {
  try {
    return lstatSync(file).mode & 0o7777;
  } catch {
    return undefined;
  }
}

async function openDiff(item: RestoreItem): Promise<void> {
  const hash = 'absent' in item.target ? undefined : contentHash(item.target.content);
  const right = item.current === undefined ? checkpointUri(item.path, undefined) : vscode.Uri.file(item.path);
  await vscode.commands.executeCommand('vscode.diff', checkpointUri(item.path, hash), right, vscode.l10n.t('{0} (checkpoint ↔ now)', path.basename(item.path)), { preview: true, preserveFocus: true });
}

function statusText(item: RestoreItem, others: (item: RestoreItem) => string): string {
  switch (item.status) {
    case 'conflict':
      return vscode.l10n.t('changed since Tandem edited it: you will be asked');
    case 'overlap':
      return vscode.l10n.t('also changed by {0} at the same time: you will be asked', others(item));
    case 'unavailable':
      return vscode.l10n.t('cannot be restored: {0}', item.reason ?? '');
    default:
      if ('absent' in item.target) return vscode.l10n.t('created by Tandem: will be removed');
      return item.current === undefined ? vscode.l10n.t('removed by Tandem: will be recreated') : vscode.l10n.t('will be restored');
  }
}

function describe(items: RestoreItem[]): string {
  const conflicts = items.filter((i) => i.status === 'conflict').length;
  const overlaps = items.filter((i) => i.status === 'overlap').length;
  const names = items.slice(0, 4).map((i) => relative(i.path)).join(', ') + (items.length > 4 ? ', …' : '');
  const asked = [conflicts ? vscode.l10n.t('{0} changed by you since', conflicts) : '', overlaps ? vscode.l10n.t('{0} also changed by another chat', overlaps) : ''].filter(Boolean).join('; ');
  return asked ? vscode.l10n.t('{0} file(s): {1} ({2})', items.length, names, asked) : vscode.l10n.t('{0} file(s): {1}', items.length, names);
}

/** The other chats that changed `item` at the same time, by title where they are open. */
function otherChats(item: RestoreItem, chat: CheckpointChat): string {
  const titles = (item.sharedWith ?? []).map((id) => chat.titleOf?.(id));
  const named = [...new Set(titles.filter((t): t is string => !!t))].map((t) => `"${t}"`);
  const unnamed = titles.length - titles.filter((t) => !!t).length;
  if (named.length === 0) return unnamed > 1 ? vscode.l10n.t('other chats') : vscode.l10n.t('another chat');
  return unnamed ? vscode.l10n.t('{0} and another chat', named.join(', ')) : named.join(', ');
}

function relative(file: string): string {
  return vscode.workspace.asRelativePath(file, false);
}

function newSessionId(): string {
  const now = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
  return `${now}-${Math.random().toString(36).slice(2, 8)}`;
}
