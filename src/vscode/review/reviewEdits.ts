// Builds the WorkspaceEdits of the review: accepting hunks (replace exactly their range, after checking
// it still holds the text they were made against), whole-file changes (create, delete, move) and undo.
// One WorkspaceEdit per user action: VS Code applies it atomically and makes it one undo step.
import * as vscode from 'vscode';
import type { FileReview } from '../../core/review/changeSetReview';
import type { ReviewHunk } from '../../core/review/hunks';
import { textAfterEdit } from './textAfterEdit';

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
  /** The version of each document whose text the edit's ranges were computed from. */
  versions: Map<vscode.TextDocument, number>;
}

/**
 * Whether a document the edit was built from changed since (the user typed while other files were read).
 * The workbench checks an edit against the version the extension host knows when `applyEdit` is called,
 * not the one the ranges came from: applied now, the ranges would land on the wrong text.
 */
export function changedSinceBuilt(built: BuiltEdit): boolean {
  for (const [document, version] of built.versions) if (document.version !== version) return true;
  return false;
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
  const versions = new Map<vscode.TextDocument, number>();
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
    versions.set(document, document.version);
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
  return { edit, targets: applied, stale, versions };
}

/** The edit that puts back what accepted hunks replaced (updates only; whole-file changes are undone in the editor). */
export async function buildUndoEdit(targets: readonly HunkTarget[]): Promise<BuiltEdit> {
  const edit = new vscode.WorkspaceEdit();
  const applied: HunkTarget[] = [];
  const stale: HunkTarget[] = [];
  const versions = new Map<vscode.TextDocument, number>();
  for (const target of targets) {
    const { file, hunk } = target;
    const document = file.wholeFile ? undefined : await openDocument(file.path);
    if (!document || document.getText(rangeOf(document, hunk.start, hunk.end)) !== hunk.newText) {
      stale.push(target);
      continue;
    }
    versions.set(document, document.version);
    edit.replace(document.uri, rangeOf(document, hunk.start, hunk.end), hunk.oldText);
    applied.push(target);
  }
  return { edit, targets: applied, stale, versions };
}

/**
 * The documents the review may save after applying `edit`, each with the only text it may hold then: the
 * edited documents (`uris`) that have no unsaved changes now, with the edit applied to their text. Call it
 * in the same tick as `applyEdit` (no await between): no change event can come in between, so "no unsaved
 * changes" and the text are those the edit applies to. Documents with unsaved user changes are left out:
 * a user's unsaved work is never written on their behalf.
 */
export function cleanResults(edit: vscode.WorkspaceEdit, uris: ReadonlySet<string>): Map<string, string> {
  const results = new Map<string, string>();
  for (const document of vscode.workspace.textDocuments) {
    const key = document.uri.toString();
    if (!uris.has(key) || document.isDirty) continue;
    const replacements = edit.get(document.uri).map((e) => ({ start: document.offsetAt(e.range.start), end: document.offsetAt(e.range.end), text: e.newText }));
    try {
      results.set(key, textAfterEdit(document.getText(), replacements, document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n'));
    } catch {
      // Replacements that overlap cannot say what the document will hold: it is not saved (the edit still applies).
    }
  }
  return results;
}

/** Created or moved-to files of whole-file targets, with the text the edit gives them: saved after the edit. */
export function wholeFileResults(targets: readonly HunkTarget[]): Map<string, string> {
  const results = new Map<string, string>();
  for (const { file } of targets) {
    if (!file.wholeFile || file.kind === 'delete') continue;
    results.set(vscode.Uri.file(file.movePath ?? file.path).toString(), file.newText);
  }
  return results;
}

/**
 * Saves the documents the edit touched, so the agent's next command (build, tests) sees the accepted
 * change on disk: only those in `results`, and only while they hold exactly the text the edit made. A
 * document the user typed into after the edit was applied (while the workbench applied it, or while an
 * earlier file was being saved) keeps its unsaved changes, and the accepted text stays unsaved with them.
 * Each document is checked right before its own save.
 */
export async function saveUntouched(results: ReadonlyMap<string, string>): Promise<void> {
  for (const document of vscode.workspace.textDocuments) {
    const expected = results.get(document.uri.toString());
    if (expected === undefined || !document.isDirty || !sameModuloEol(document, expected)) continue;
    await document.save();
  }
}

/** A whole-file text is written with `\n`; the editor holds it with the document's own line ending. */
function sameModuloEol(document: vscode.TextDocument, expected: string): boolean {
  const text = document.getText();
  return text === expected || (document.eol === vscode.EndOfLine.CRLF && text === expected.replace(/\r?\n/g, '\r\n'));
}
