// The extension's side of checkpoints: one turn recorder per window (its snapshot is of the workspace,
// its checkpoints are filed under the chat session that ran the turn), the runner wrapper that scans
// around commands, and "Restore checkpoint" on a user message: a preview (files with their state, each
// opening a diff), then code, conversation or both.
//
// Code is restored file by file, only for files a recorded turn changed: open documents through one
// WorkspaceEdit (undoable; saved again when they had no unsaved changes), other files on disk (replaced
// by a rename, permission bits included). A file changed since the agent last left it is a conflict: the
// user is asked for each one, and "keep" is the default. The conversation is restored by opening a copy
// of the session cut before the message (conversationFork.ts).
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
import { CHECKPOINT_SCHEME, CheckpointDocuments, checkpointUri } from './checkpointDocuments';
import { contentHash } from '../../node/checkpoints/blobStore';
import { readConfig } from '../config';

/** What the restore needs from the chat (ChatController has these). */
export interface CheckpointChat {
  readonly currentSessionId: string;
  readonly isBusy: boolean;
  openSession(id: string): Promise<void>;
}

type Choice = 'both' | 'code' | 'conversation';

export class CheckpointService implements vscode.Disposable {
  readonly store: CheckpointStore;
  readonly recorder: TurnRecorder;
  private readonly registration: vscode.Disposable;

  constructor(
    storeDir: string,
    private readonly sessionsDir: string,
    private readonly log: vscode.LogOutputChannel,
    limits?: Partial<CheckpointLimits>,
  ) {
    this.store = new CheckpointStore(storeDir, limits);
    this.recorder = new TurnRecorder(this.store, () => (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath), (m) => log.info(m));
    this.registration = vscode.workspace.registerTextDocumentContentProvider(CHECKPOINT_SCHEME, new CheckpointDocuments(this.store.blobs));
  }

  /** The runner the agent gets: commands of a turn are scanned around. */
  wrapRunner(runner: ProcessRunner): ProcessRunner {
    return checkpointRunner(runner, () => this.recorder);
  }

  /** The chat view opened: take the first snapshot now, so the first message does not wait for it. */
  warmUp(): void {
    if (!this.recording()) return;
    const started = performance.now();
    this.recorder.warmUp().then(
      () => this.log.info(`Checkpoint snapshot of the workspace in ${Math.round(performance.now() - started)} ms (${this.recorder.stats.files} files, ${this.recorder.stats.baselineBytes} bytes).`),
      (error: unknown) => this.log.error('Could not snapshot the workspace for checkpoints:', error),
    );
  }

  /** Before a user turn starts; never fails the turn (a checkpoint is a convenience, not a gate). */
  async beginTurn(sessionId: string): Promise<void> {
    if (!this.recording()) return;
    try {
      const started = performance.now();
      await this.recorder.beginTurn(sessionId);
      const s = this.recorder.stats;
      this.log.info(`Checkpoint opened in ${Math.round(performance.now() - started)} ms (${s.files} files in the snapshot, ${s.baselineBytes} bytes${s.truncated ? ', file budget reached' : ''}).`);
    } catch (error) {
      this.log.error('Could not open a checkpoint for this turn:', error);
    }
  }

  /** Nothing to record where the agent cannot write (untrusted workspace, read-only policy). */
  private recording(): boolean {
    return vscode.workspace.isTrusted && readConfig().approvalPolicy !== 'read-only' && (vscode.workspace.workspaceFolders?.length ?? 0) > 0;
  }

  onEvent(event: AgentEvent): void {
    if (event.type === 'turn.started') this.recorder.nameTurn(event.turnId);
  }

  notePatch(changeSet: ChangeSet): void {
    try {
      this.recorder.notePatch(changeSet);
    } catch (error) {
      this.log.error('Could not record the patch in the checkpoint:', error);
    }
  }

  async endTurn(): Promise<void> {
    try {
      const checkpoint = await this.recorder.endTurn(currentContent);
      if (checkpoint) this.log.info(`Checkpoint of ${checkpoint.turnId}: ${checkpoint.files.length} file(s) changed.`);
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
    const choice = await this.preview(plan);
    if (!choice) return false;
    const summary: string[] = [];
    if (choice !== 'conversation' && plan) {
      const result = await this.restoreCode(plan);
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
  private preview(plan: RestorePlan | undefined): Promise<Choice | undefined> {
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
    const files: Item[] = changes.map((file) => ({ label: relative(file.path), description: statusText(file), file, iconPath: new vscode.ThemeIcon(file.status === 'conflict' ? 'warning' : 'diff') }));
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
  private async restoreCode(plan: RestorePlan): Promise<string | undefined> {
    const overwrite = new Set<string>();
    const keep = vscode.l10n.t('Keep Mine');
    const replace = vscode.l10n.t('Replace');
    for (const item of plan.items.filter((i) => i.status === 'conflict')) {
      // Keep is the first (default) button: Enter never discards the user's work.
      const answer = await vscode.window.showWarningMessage(
        vscode.l10n.t('{0} changed since Tandem last edited it. Replace it with the checkpoint?', relative(item.path)),
        { modal: true, detail: 'absent' in item.target ? vscode.l10n.t('Tandem created this file; restoring removes it, with your changes.') : vscode.l10n.t('Your changes to this file would be lost (open the file in the preview to compare).') },
        keep,
        replace,
      );
      if (answer === undefined) return undefined;
      if (answer === replace) overwrite.add(item.path);
    }
    const chosen = plan.items.filter((i) => i.status === 'restore' || (i.status === 'conflict' && overwrite.has(i.path)));
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
    const unavailable = plan.items.filter((i) => i.status === 'unavailable');
    for (const item of unavailable) this.log.warn(`Not restored: ${item.path}: ${item.reason ?? ''}`);
    return [
      vscode.l10n.t('Restored {0} file(s).', written),
      kept ? vscode.l10n.t('Kept {0} file(s) you changed.', kept) : '',
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

function statusText(item: RestoreItem): string {
  switch (item.status) {
    case 'conflict':
      return vscode.l10n.t('changed since Tandem edited it: you will be asked');
    case 'unavailable':
      return vscode.l10n.t('cannot be restored: {0}', item.reason ?? '');
    default:
      if ('absent' in item.target) return vscode.l10n.t('created by Tandem: will be removed');
      return item.current === undefined ? vscode.l10n.t('removed by Tandem: will be recreated') : vscode.l10n.t('will be restored');
  }
}

function describe(items: RestoreItem[]): string {
  const conflicts = items.filter((i) => i.status === 'conflict').length;
  const names = items.slice(0, 4).map((i) => relative(i.path)).join(', ') + (items.length > 4 ? ', …' : '');
  return conflicts ? vscode.l10n.t('{0} file(s): {1} ({2} changed by you since)', items.length, names, conflicts) : vscode.l10n.t('{0} file(s): {1}', items.length, names);
}

function relative(file: string): string {
  return vscode.workspace.asRelativePath(file, false);
}

function newSessionId(): string {
  const now = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
  return `${now}-${Math.random().toString(36).slice(2, 8)}`;
}
