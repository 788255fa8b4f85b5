// CodeLens above each pending hunk ("Accept", "Reject", "Diff") and at the top of a file under review
// ("Accept all (n)", "Reject all"); "Undo" above hunks that were applied without asking.
// The lenses follow every decision at once: the review fires its change event as soon as a hunk's state
// changes (before the file is saved), and a hunk whose edit is landing right now counts as decided.
import * as vscode from 'vscode';
import { splitLines } from '../../core/review/hunks';
import { isUndoable } from '../../core/review/transform';
import { proposerTitle, severalChatsPending } from './proposerLabel';
import type { ReviewManager } from './reviewManager';

export class ReviewCodeLensProvider implements vscode.CodeLensProvider {
  readonly onDidChangeCodeLenses: vscode.Event<void>;

  constructor(private readonly reviews: ReviewManager) {
    this.onDidChangeCodeLenses = reviews.onDidChange;
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const lenses: vscode.CodeLens[] = [];
    let pendingInFile = 0;
    const nameChats = severalChatsPending(this.reviews, document.uri.fsPath);
    for (const active of this.reviews.all) {
      const { review } = active;
      const chat = nameChats ? proposerTitle(active) : undefined;
      review.files.forEach((file, fileIndex) => {
        if (file.path !== document.uri.fsPath || file.wholeFile) return;
        for (const hunk of file.hunks) {
          const args = [review.id, hunk.id];
          if (hunk.state === 'pending' && !this.reviews.isBeingApplied(review.id, hunk.id)) {
            pendingInFile++;
            const at = new vscode.Range(document.positionAt(hunk.start), document.positionAt(hunk.start));
            const counts = `+${splitLines(hunk.newText).length} −${splitLines(hunk.oldText).length}`;
            // Proposals of two chats may sit on the same line: say whose Accept this is.
            if (chat) lenses.push(new vscode.CodeLens(at, { title: vscode.l10n.t('$(comment-discussion) «{0}»', chat), command: '', tooltip: vscode.l10n.t('Proposed by the chat «{0}»', chat) }));
            lenses.push(
              new vscode.CodeLens(at, { title: vscode.l10n.t('$(check) Accept'), command: 'tandem.acceptHunk', arguments: args, tooltip: vscode.l10n.t('Accept this Tandem edit ({0})', counts) }),
              new vscode.CodeLens(at, { title: vscode.l10n.t('$(close) Reject'), command: 'tandem.rejectHunk', arguments: args, tooltip: vscode.l10n.t('Reject this edit: the file stays as it is') }),
              new vscode.CodeLens(at, { title: vscode.l10n.t('Diff'), command: 'tandem.openProposalDiff', arguments: [review.id, fileIndex], tooltip: vscode.l10n.t('Compare the file with the proposal') }),
            );
          } else if (isUndoable(hunk)) {
            const at = new vscode.Range(document.positionAt(hunk.start), document.positionAt(hunk.start));
            lenses.push(new vscode.CodeLens(at, { title: vscode.l10n.t('$(discard) Undo Tandem edit'), command: 'tandem.undoHunk', arguments: args }));
          }
        }
      });
    }
    if (pendingInFile > 0) {
      const top = new vscode.Range(0, 0, 0, 0);
      lenses.unshift(
        new vscode.CodeLens(top, { title: vscode.l10n.t('$(check-all) Accept all Tandem edits ({0})', pendingInFile), command: 'tandem.acceptAll' }),
        new vscode.CodeLens(top, { title: vscode.l10n.t('$(close-all) Reject all'), command: 'tandem.rejectAll' }),
      );
    }
    return lenses;
  }
}
