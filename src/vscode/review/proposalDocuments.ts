// Read-only virtual documents for "Open diff": `tandem-proposal:/<changeSetId>/<fileIndex>/<name>` is the
// file as it would be with its pending hunks accepted (the current buffer plus the proposal), so the diff
// editor compares the real file with the proposal. `?side=old` gives the original text (for new files).
import * as vscode from 'vscode';
import { applyHunks } from '../../core/review/hunks';
import type { ReviewManager } from './reviewManager';

export const PROPOSAL_SCHEME = 'tandem-proposal';

export class ProposalDocuments implements vscode.TextDocumentContentProvider {
  readonly onDidChange: vscode.Event<vscode.Uri>;
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  private readonly open = new Set<string>();
  private readonly subscription: vscode.Disposable;

  constructor(private readonly reviews: ReviewManager) {
    this.onDidChange = this.changed.event;
    this.subscription = reviews.onDidChange(() => {
      for (const uri of this.open) this.changed.fire(vscode.Uri.parse(uri));
    });
  }

  static uri(changeSetId: string, fileIndex: number, name: string, side: 'old' | 'new' = 'new'): vscode.Uri {
    return vscode.Uri.from({ scheme: PROPOSAL_SCHEME, path: `/${changeSetId}/${fileIndex}/${name}`, query: `side=${side}` });
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    this.open.add(uri.toString());
    const [, changeSetId, index] = uri.path.split('/');
    const file = this.reviews.get(changeSetId ?? '')?.review.files[Number(index)];
    if (!file) return '(This proposal is no longer under review.)';
    if (uri.query === 'side=old') return file.oldText;
    if (file.wholeFile) return file.kind === 'delete' ? '' : file.newText;
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file.path));
    return applyHunks(document.getText(), file.hunks.filter((h) => h.state === 'pending'));
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

/** Opens VS Code's diff editor: the file (or its original text) on the left, the proposal on the right. */
export async function openProposalDiff(reviews: ReviewManager, changeSetId: string, fileIndex: number): Promise<void> {
  const file = reviews.get(changeSetId)?.review.files[fileIndex];
  if (!file) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Tandem: this proposal is no longer under review.'));
    return;
  }
  const name = file.displayPath.split('/').pop() ?? 'file';
  const left = file.kind === 'update' && !file.movePath ? vscode.Uri.file(file.path) : ProposalDocuments.uri(changeSetId, fileIndex, name, 'old');
  const right = ProposalDocuments.uri(changeSetId, fileIndex, name);
  await vscode.commands.executeCommand('vscode.diff', left, right, `${file.displayPath} ↔ Tandem's proposal`, { preview: true });
}
