// "Restore checkpoint"'s screens: the preview (an action per choice, then every file with what the restore
// would do, each opening a diff of the checkpoint's content with the file now) and the file writes with
// their questions. A conflict (the file changed since the agent left it) and an overlap (another chat
// changed it at the same time) are each asked about in a modal dialog whose default keeps the file as
// it is. Files open in an editor are restored through one WorkspaceEdit (undoable; saved again when
// they had no unsaved changes), other files on disk (replaced by a rename, permission bits included),
// only inside the given roots and through real folders.
import * as vscode from 'vscode';
import * as path from 'node:path';
import { lstatSync, readFileSync, realpathSync } from 'node:fs';
import { contentHash } from '../../node/checkpoints/blobStore';
import type { OfferedChoices, RestoreChoice } from '../../node/checkpoints/restoreChoices';
import { applyRestore, type RestoreItem, type RestorePlan } from '../../node/checkpoints/restorePlan';
import { checkpointUri } from './checkpointDocuments';

export type { RestoreChoice };

/** The preview: what each file would become, with a diff per file; resolves with the user's choice among `offered`. */
export function previewRestore(plan: RestorePlan | undefined, offered: OfferedChoices, others: (item: RestoreItem) => string, log: vscode.LogOutputChannel): Promise<RestoreChoice | undefined> {
  type Item = vscode.QuickPickItem & { choice?: RestoreChoice; file?: RestoreItem };
  const changes = plan?.items.filter((i) => i.status !== 'same') ?? [];
  const actions: Item[] = [];
  if (offered.choices.includes('both')) actions.push({ label: vscode.l10n.t('Restore code and conversation'), choice: 'both', detail: describe(changes) });
  if (offered.choices.includes('code')) {
    actions.push({ label: vscode.l10n.t('Restore code only'), choice: 'code', detail: offered.conversationRefused ? `${describe(changes)} ${vscode.l10n.t('The chat stays as it is.')}` : vscode.l10n.t('The chat stays as it is.') });
  }
  if (offered.choices.includes('conversation')) {
    actions.push({
      label: vscode.l10n.t('Restore conversation only'),
      choice: 'conversation',
      detail: changes.length > 0 ? vscode.l10n.t('Files stay as they are.') : plan ? vscode.l10n.t('No file changed since this message.') : vscode.l10n.t('No checkpoint of files was recorded for this message.'),
    });
  }
  // Why the conversation is not offered, where the choices are (picking it does nothing).
  if (offered.conversationRefused) actions.push({ label: vscode.l10n.t('Conversation not restored'), iconPath: new vscode.ThemeIcon('info'), detail: conversationRefusedText() });
  const files: Item[] = changes.map((file) => ({ label: relative(file.path), description: statusText(file, others), file, iconPath: new vscode.ThemeIcon(file.status === 'conflict' || file.status === 'overlap' ? 'warning' : 'diff') }));
  const picker = vscode.window.createQuickPick<Item>();
  picker.title = vscode.l10n.t('Restore checkpoint');
  picker.placeholder = vscode.l10n.t('Choose what to restore; pick a file to compare it with the checkpoint');
  picker.ignoreFocusOut = true;
  picker.matchOnDescription = true;
  picker.items = [...actions, ...(files.length ? [{ label: vscode.l10n.t('Files'), kind: vscode.QuickPickItemKind.Separator } as Item, ...files] : [])];
  for (const note of plan?.notes ?? []) log.warn(`Checkpoint note: ${note}`);
  return new Promise((resolve) => {
    let settled = false;
    const finish = (value: RestoreChoice | undefined) => {
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

/** Why a chat in a worktree is offered the code only (restoreChoices.ts). */
export function conversationRefusedText(): string {
  return vscode.l10n.t(
    'This chat works in its own worktree: restoring its conversation would start a chat outside that worktree, whose earlier messages name files it does not have. Restore the code here, or start a New Chat in Worktree.',
  );
}

/** Restores the files; undefined when the user cancelled at a conflict (then nothing was written). */
export async function restoreFiles(plan: RestorePlan, roots: readonly string[], others: (item: RestoreItem) => string, log: vscode.LogOutputChannel): Promise<string | undefined> {
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
    if (doc && 'absent' in item.target && !isSymbolicLink(item.path) && insideRoots(item.path, roots)) {
      edit.deleteFile(doc.uri, { ignoreIfNotExists: true });
      throughEditor.push({ doc, wasDirty: doc.isDirty, removed: true });
    } else if (doc && !('absent' in item.target) && !isSymbolicLink(item.path) && insideRoots(item.path, roots) && editableAsText(doc, item.target.content)) {
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
  const disk = applyRestore({ ...plan, items: onDisk }, roots);
  written += disk.done.filter((p) => !byPath.has(p)).length;
  for (const failure of disk.failed) log.warn(`Not restored: ${failure.path}: ${failure.reason}`);
  const kept = plan.items.filter((i) => i.status === 'conflict' && !overwrite.has(i.path)).length;
  const left = plan.items.filter((i) => i.status === 'overlap' && !overwrite.has(i.path)).length;
  const unavailable = plan.items.filter((i) => i.status === 'unavailable');
  for (const item of unavailable) log.warn(`Not restored: ${item.path}: ${item.reason ?? ''}`);
  return [
    vscode.l10n.t('Restored {0} file(s).', written),
    kept ? vscode.l10n.t('Kept {0} file(s) you changed.', kept) : '',
    left ? vscode.l10n.t('Left {0} file(s) another chat also changed.', left) : '',
    unavailable.length + disk.failed.length ? vscode.l10n.t('{0} file(s) could not be restored (see Tandem: Show Log).', unavailable.length + disk.failed.length) : '',
  ].filter(Boolean).join(' ');
}

/** A file as the user sees it: an open document with unsaved changes wins over the disk. */
export async function currentContent(file: string): Promise<Uint8Array | undefined> {
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === file);
  if (doc?.isDirty) return Buffer.from(doc.getText(), 'utf8');
  try {
    if (!lstatSync(file).isFile()) return undefined;
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/** The other chats that changed `item` at the same time, by title where they are open. */
export function otherChats(item: RestoreItem, titleOf: ((sessionId: string) => string | undefined) | undefined): string {
  const titles = (item.sharedWith ?? []).map((id) => titleOf?.(id));
  const named = [...new Set(titles.filter((t): t is string => !!t))].map((t) => `"${t}"`);
  const unnamed = titles.length - titles.filter((t) => !!t).length;
  if (named.length === 0) return unnamed > 1 ? vscode.l10n.t('other chats') : vscode.l10n.t('another chat');
  return unnamed ? vscode.l10n.t('{0} and another chat', named.join(', ')) : named.join(', ');
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

/** Inside a workspace folder through real folders only (the editor's save would follow a symlinked folder). */
function insideRoots(file: string, roots: readonly string[]): boolean {
  for (const root of roots) {
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

function relative(file: string): string {
  return vscode.workspace.asRelativePath(file, false);
}
