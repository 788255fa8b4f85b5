// A status-bar item counting pending Tandem hunks across files; clicking it jumps to the next one. Also
// keeps the `tandem.filesUnderReview` context key current for the editor title's Accept all / Reject all.
import * as vscode from 'vscode';
import { DisposableStore } from '../disposables';
import type { ReviewManager } from './reviewManager';

export class ReviewStatusBar implements vscode.Disposable {
  private readonly disposables = new DisposableStore();
  private readonly item = this.disposables.add(vscode.window.createStatusBarItem('tandem.review', vscode.StatusBarAlignment.Left, 100));

  constructor(private readonly reviews: ReviewManager) {
    this.item.name = 'Tandem review';
    this.item.command = 'tandem.nextHunk';
    this.disposables.add(reviews.onDidChange(() => this.update()));
    this.update();
  }

  private update(): void {
    const pending = this.reviews.pendingTotal;
    const files = this.reviews.filesUnderReview();
    // `resourcePath` is compared against these in package.json's `when` clauses.
    void vscode.commands.executeCommand('setContext', 'tandem.filesUnderReview', files.flatMap((f) => [f, vscode.Uri.file(f).path]));
    void vscode.commands.executeCommand('setContext', 'tandem.hasPendingHunks', pending > 0);
    if (pending === 0) {
      this.item.hide();
      return;
    }
    this.item.text = pending === 1 ? vscode.l10n.t('$(diff) {0} Tandem edit to review', pending) : vscode.l10n.t('$(diff) {0} Tandem edits to review', pending);
    this.item.tooltip = vscode.l10n.t('Go to the next pending Tandem edit');
    this.item.accessibilityInformation = { label: vscode.l10n.t('{0} Tandem edits to review; go to the next one', pending) };
    this.item.show();
  }

  dispose(): void {
    this.disposables.dispose();
  }
}
