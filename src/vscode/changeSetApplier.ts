// Applies a whole change set through one WorkspaceEdit: atomic (VS Code applies all or nothing) and
// undoable in the editor. Edits go to the document buffers, then the touched files are saved so the
// agent's next command (tests, build) sees them on disk.
import * as vscode from 'vscode';
import type { ChangeSet, PatchOutcome } from '../core/patch/types';

const BOM = '\uFEFF';
const stripBom = (text: string) => (text.startsWith(BOM) ? text.slice(1) : text);

export async function applyChangeSet(changeSet: ChangeSet): Promise<PatchOutcome> {
  const edit = new vscode.WorkspaceEdit();
  const touched: vscode.Uri[] = [];
  for (const change of changeSet.changes) {
    const uri = vscode.Uri.file(change.path);
    if (change.kind === 'add') {
      edit.createFile(uri, { overwrite: true, contents: Buffer.from(change.newText ?? '', 'utf8') });
      continue;
    }
    if (change.kind === 'delete') {
      edit.deleteFile(uri, { ignoreIfNotExists: false });
      continue;
    }
    const document = await vscode.workspace.openTextDocument(uri);
    // VS Code strips the BOM from the buffer and re-adds it on save (encoding utf8bom), so compare without it.
    if (stripBom(document.getText()) !== stripBom(change.oldText ?? '')) {
      return {
        outcome: 'failed',
        message: `${vscode.workspace.asRelativePath(uri)} changed since the patch was made; nothing was written. Read the file again and make a new patch.`,
      };
    }
    const fullRange = new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length));
    edit.replace(uri, fullRange, stripBom(change.newText ?? ''));
    if (change.movePath) {
      edit.renameFile(uri, vscode.Uri.file(change.movePath), { overwrite: true });
      touched.push(vscode.Uri.file(change.movePath));
    } else {
      touched.push(uri);
    }
  }
  const ok = await vscode.workspace.applyEdit(edit);
  if (!ok) {
    return { outcome: 'failed', message: 'VS Code refused the edit (a file changed or could not be written); nothing was written.' };
  }
  for (const uri of touched) {
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (document?.isDirty) await document.save();
  }
  const names = changeSet.changes.map((c) => vscode.workspace.asRelativePath(vscode.Uri.file(c.movePath ?? c.path)));
  return { outcome: 'applied', message: `Applied: ${names.join(', ')}.` };
}
