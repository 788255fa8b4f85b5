// Builds the WorkspaceEdits of the review: accepting hunks (replace exactly their range, after checking
// it still holds the text they were made against), whole-file changes (create, delete, move) and undo.
// One WorkspaceEdit per user action: VS Code applies it atomically and makes it one undo step.
import * as vscode from 'vscode';
import type { FileReview } from '../../core/review/changeSetReview';
import type { ReviewHunk } from '../../core/review/hunks';

export interface HunkTarget {
  file: FileReview;
  hunk: ReviewHunk;
}

export interface BuiltEdit {
  edit: vscode.WorkspaceEdit;
  /** Hunks the edit applies. */
  targets: HunkTarget[];
  /** Hunks whose range no longer holds their old text: they are not in the edit. */
  stale: HunkTarget[];
}

const rangeOf = (document: vscode.TextDocument, start: number, end: number) => new vscode.Range(document.positionAt(start), document.positionAt(end));

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

async function openDocument(path: string): Promise<vscode.TextDocument | undefined> {
  try {
    return await vscode.workspace.openTextDocument(vscode.Uri.file(path));
  } catch {
    return undefined;
  }
}

/** The edit that accepts `targets` (all pending), skipping the ones that went stale. */
export async function buildAcceptEdit(targets: readonly HunkTarget[]): Promise<BuiltEdit> {
  const edit = new vscode.WorkspaceEdit();
  const applied: HunkTarget[] = [];
  const stale: HunkTarget[] = [];
  for (const target of targets) {
    const { file, hunk } = target;
    const uri = vscode.Uri.file(file.path);
    if (file.kind === 'add') {
      // An add is a file that did not exist when it was proposed (adding over a file is an update): one
      // there now was made meanwhile (another chat's accepted add, the user) and is never overwritten.
      if (await exists(uri)) {
        stale.push(target);
        continue;
      }
      edit.createFile(uri, { overwrite: false, contents: Buffer.from(file.newText, 'utf8') });
      applied.push(target);
      continue;
    }
    const document = await openDocument(file.path);
    if (!document || (file.wholeFile && document.getText() !== file.oldText)) {
      stale.push(target);
      continue;
    }
    if (file.kind === 'delete') {
      edit.deleteFile(uri, { ignoreIfNotExists: false });
    } else if (file.wholeFile) {
      // A move (with or without edits): the content first, then the rename carries the edited buffer.
      edit.replace(uri, rangeOf(document, 0, document.getText().length), file.newText);
      if (file.movePath) edit.renameFile(uri, vscode.Uri.file(file.movePath), { overwrite: true });
    } else {
      if (document.getText(rangeOf(document, hunk.start, hunk.end)) !== hunk.oldText) {
        stale.push(target);
        continue;
      }
      edit.replace(uri, rangeOf(document, hunk.start, hunk.end), hunk.newText);
    }
    applied.push(target);
  }
  return { edit, targets: applied, stale };
}

/** The edit that puts back what accepted hunks replaced (updates only; whole-file changes are undone in the editor). */
export async function buildUndoEdit(targets: readonly HunkTarget[]): Promise<BuiltEdit> {
  const edit = new vscode.WorkspaceEdit();
  const applied: HunkTarget[] = [];
  const stale: HunkTarget[] = [];
  for (const target of targets) {
    const { file, hunk } = target;
    const document = file.wholeFile ? undefined : await openDocument(file.path);
    if (!document || document.getText(rangeOf(document, hunk.start, hunk.end)) !== hunk.newText) {
      stale.push(target);
      continue;
    }
    edit.replace(document.uri, rangeOf(document, hunk.start, hunk.end), hunk.oldText);
    applied.push(target);
  }
  return { edit, targets: applied, stale };
}

/** Created or moved-to files of whole-file targets: written to disk by the edit's save below. */
export function* wholeFileUris(targets: readonly HunkTarget[]): Iterable<string> {
  for (const { file } of targets) {
    if (!file.wholeFile || file.kind === 'delete') continue;
    yield vscode.Uri.file(file.movePath ?? file.path).toString();
  }
}

/**
 * Saves the documents the edit touched, so the agent's next command (build, tests) sees the accepted
 * change on disk, but only those that had no unsaved user changes before: a user's unsaved work is never
 * written on their behalf. `alwaysSave` are files the edit itself created or moved.
 */
export async function saveIfClean(uris: readonly string[], cleanBefore: ReadonlySet<string>, alwaysSave: readonly string[]): Promise<void> {
  const wanted = new Set([...uris.filter((u) => cleanBefore.has(u)), ...alwaysSave]);
  for (const document of vscode.workspace.textDocuments) {
    if (wanted.has(document.uri.toString()) && document.isDirty) await document.save();
  }
}
