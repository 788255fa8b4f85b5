// Commands of the review UI: per hunk (CodeLens, hover links), for everything under review (editor title,
// palette), and "next hunk" (status bar). Hunk commands take (changeSetId, hunkId) from their callers.
import * as vscode from 'vscode';
import { DisposableStore } from '../disposables';
import { openProposalDiff } from '../review/proposalDocuments';
import type { ReviewDecision, ReviewManager } from '../review/reviewManager';

export function registerReviewCommands(reviews: ReviewManager): vscode.Disposable {
  const store = new DisposableStore();
  const onHunk = (decision: ReviewDecision) => (changeSetId: unknown, hunkId: unknown) => {
    if (typeof changeSetId !== 'string' || typeof hunkId !== 'string') return;
    return reviews.decide(changeSetId, hunkId, decision);
  };
  const onAll = (decision: ReviewDecision) => async () => {
    const ids = reviews.all.filter((a) => a.review.files.some((f) => f.hunks.some((h) => h.state === 'pending'))).map((a) => a.review.id);
    if (ids.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Tandem: no edits are waiting for review.'));
      return;
    }
    for (const id of ids) await reviews.decide(id, undefined, decision);
  };
  store.add(vscode.commands.registerCommand('tandem.acceptHunk', onHunk('accept')));
  store.add(vscode.commands.registerCommand('tandem.rejectHunk', onHunk('reject')));
  store.add(vscode.commands.registerCommand('tandem.undoHunk', onHunk('undo')));
  store.add(vscode.commands.registerCommand('tandem.acceptAll', onAll('accept')));
  store.add(vscode.commands.registerCommand('tandem.rejectAll', onAll('reject')));
  store.add(
    vscode.commands.registerCommand('tandem.openProposalDiff', (changeSetId: unknown, fileIndex: unknown) => {
      if (typeof changeSetId === 'string' && typeof fileIndex === 'number') return openProposalDiff(reviews, changeSetId, fileIndex);
    }),
  );
  store.add(vscode.commands.registerCommand('tandem.nextHunk', () => revealNextHunk(reviews)));
  return store;
}

/** Opens the next pending hunk after the cursor (wrapping around, across files). */
async function revealNextHunk(reviews: ReviewManager): Promise<void> {
  const pending = reviews.pendingHunks().filter((p) => !p.file.wholeFile);
  if (pending.length === 0) return;
  const editor = vscode.window.activeTextEditor;
  const here = editor ? { path: editor.document.uri.fsPath, offset: editor.document.offsetAt(editor.selection.active) } : undefined;
  const next = pending.find((p) => here && p.file.path === here.path && p.hunk.start > here.offset) ?? pending.find((p) => !here || p.file.path !== here.path) ?? pending[0]!;
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(next.file.path));
  const at = document.positionAt(next.hunk.start);
  await vscode.window.showTextDocument(document, { selection: new vscode.Range(at, at), preview: true });
}
