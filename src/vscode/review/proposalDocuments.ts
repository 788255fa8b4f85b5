// Read-only virtual documents for "Open diff": `tandem-proposal:/<changeSetId>/<fileIndex>/<name>` is the
// file as it would be with its pending hunks accepted (the current buffer plus the proposal), so the diff
// editor compares the real file with the proposal. `?side=old` is the file before Tandem's change: the
// current buffer with the accepted hunks taken out again (the original text for new, deleted and moved
// files, or when the user has since edited an accepted hunk). Once hunks are accepted, the real file
// already holds them, so the diff compares that "before" with the "after" and still shows the change.
import * as vscode from 'vscode';
import { applyHunks, type ReviewHunk } from '../../core/review/hunks';
import { isUndoable } from '../../core/review/transform';
import type { FileReview } from '../../core/review/changeSetReview';
import type { ReviewManager } from './reviewManager';

/** The file's text without Tandem's accepted hunks: what the change started from. */
export function textBeforeChange(current: string, file: Pick<FileReview, 'oldText' | 'hunks' | 'wholeFile'>): string {
  const accepted = file.hunks.filter((h) => h.state === 'accepted');
  // An accepted hunk the user has edited since cannot be located any more: the original text is then the truest "before".
  if (file.wholeFile || accepted.some((h) => !isUndoable(h))) return file.oldText;
  return applyHunks(current, accepted.map((h: ReviewHunk) => ({ start: h.start, end: h.end, newText: h.oldText })));
}

/** Whether any hunk of the file is already in the document (accepted), so the file itself is the "after". */
export function hasAcceptedHunks(file: Pick<FileReview, 'hunks'>): boolean {
  return file.hunks.some((h) => h.state === 'accepted');
}

export const PROPOSAL_SCHEME = 'tandem-proposal';

function decodeId(encoded: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return ''; // not an id this provider made
  }
}

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
    // The id comes from a model's tool-call id: encoded, so a `/` in it cannot shift the path's parts.
    return vscode.Uri.from({ scheme: PROPOSAL_SCHEME, path: `/${encodeURIComponent(changeSetId)}/${fileIndex}/${name}`, query: `side=${side}` });
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    this.open.add(uri.toString());
    const [, encodedId, index] = uri.path.split('/');
    const file = this.reviews.get(decodeId(encodedId ?? ''))?.review.files[Number(index)];
    if (!file) return '(This proposal is no longer under review.)';
    if (file.wholeFile) return uri.query === 'side=old' ? file.oldText : file.kind === 'delete' ? '' : file.newText;
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file.path));
    if (uri.query === 'side=old') return textBeforeChange(document.getText(), file);
    return applyHunks(document.getText(), file.hunks.filter((h) => h.state === 'pending'));
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

/** Opens VS Code's diff editor: the file (or its original text) on the left, the proposal on the right. */
export async function openProposalDiff(reviews: ReviewManager, changeSetId: string | undefined, fileIndex: number): Promise<void> {
  const file = changeSetId === undefined ? undefined : reviews.get(changeSetId)?.review.files[fileIndex];
  if (!file || changeSetId === undefined) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Tandem: this proposal is no longer under review.'));
    return;
  }
  const name = file.displayPath.split('/').pop() ?? 'file';
  // Nothing accepted yet: the real (editable) file against the proposal. Once hunks are accepted the file
  // holds them, so it would equal the proposal: compare the text before the change with the text after.
  const accepted = hasAcceptedHunks(file);
  const left = file.kind === 'update' && !file.movePath && !accepted ? vscode.Uri.file(file.path) : ProposalDocuments.uri(changeSetId, fileIndex, name, 'old');
  const right = ProposalDocuments.uri(changeSetId, fileIndex, name);
  const title = accepted ? vscode.l10n.t("{0}: before ↔ after Tandem's change", file.displayPath) : vscode.l10n.t("{0} ↔ Tandem's proposal", file.displayPath);
  await vscode.commands.executeCommand('vscode.diff', left, right, title, { preview: true });
}
