// Marks pending hunks in every visible editor of their file: the lines a hunk replaces get a "removed"
// background, the proposed text is shown as ghost text after the hunk (its first line, with a count when
// there are more) and in full in a hover. An insertion is drawn between lines, never as a change of the
// line next to it (ghostLayout.ts). Nothing is inserted into the document.
import * as vscode from 'vscode';
import { splitLines, type ReviewHunk } from '../../core/review/hunks';
import { DisposableStore } from '../disposables';
import { ghostLayout } from './ghostLayout';
import { proposerTitle, severalChatsPending } from './proposerLabel';
import type { ReviewManager } from './reviewManager';

export class ReviewDecorations implements vscode.Disposable {
  private readonly disposables = new DisposableStore();
  private readonly removed = this.disposables.add(
    vscode.window.createTextEditorDecorationType({
      isWholeLine: true,
      backgroundColor: new vscode.ThemeColor('diffEditor.removedLineBackground'),
      overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.deletedForeground'),
      overviewRulerLane: vscode.OverviewRulerLane.Left,
      rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
    }),
  );
  private readonly proposed = this.disposables.add(
    vscode.window.createTextEditorDecorationType({
      overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.addedForeground'),
      overviewRulerLane: vscode.OverviewRulerLane.Left,
      after: { color: new vscode.ThemeColor('gitDecoration.addedResourceForeground'), fontStyle: 'italic', margin: '0 0 0 2em' },
    }),
  );

  // Insertions: a line in the "added" colour between the two lines where the new text goes.
  private readonly insertBelow = this.disposables.add(
    vscode.window.createTextEditorDecorationType({
      isWholeLine: true,
      borderColor: new vscode.ThemeColor('editorGutter.addedBackground'),
      borderStyle: 'none none dashed none',
      borderWidth: '0 0 2px 0',
      overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.addedForeground'),
      overviewRulerLane: vscode.OverviewRulerLane.Left,
    }),
  );
  private readonly insertAbove = this.disposables.add(
    vscode.window.createTextEditorDecorationType({
      isWholeLine: true,
      borderColor: new vscode.ThemeColor('editorGutter.addedBackground'),
      borderStyle: 'dashed none none none',
      borderWidth: '2px 0 0 0',
      overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.addedForeground'),
      overviewRulerLane: vscode.OverviewRulerLane.Left,
    }),
  );

  constructor(private readonly reviews: ReviewManager) {
    this.disposables.add(reviews.onDidChange(() => this.refreshAll()));
    this.disposables.add(vscode.window.onDidChangeVisibleTextEditors(() => this.refreshAll()));
  }

  private refreshAll(): void {
    for (const editor of vscode.window.visibleTextEditors) this.refresh(editor);
  }

  private refresh(editor: vscode.TextEditor): void {
    const document = editor.document;
    const removed: vscode.DecorationOptions[] = [];
    const proposed: vscode.DecorationOptions[] = [];
    const below: vscode.DecorationOptions[] = [];
    const above: vscode.DecorationOptions[] = [];
    const nameChats = severalChatsPending(this.reviews, document.uri.fsPath);
    for (const active of this.reviews.all) {
      const { review } = active;
      const chat = proposerTitle(active);
      for (const file of review.files) {
        if (file.path !== document.uri.fsPath || file.wholeFile) continue;
        for (const hunk of file.hunks) {
          if (hunk.state !== 'pending' || this.reviews.isBeingApplied(review.id, hunk.id)) continue;
          const hover = hoverFor(hunk, review.id, chat);
          const layout = ghostLayout(hunk, (offset) => document.positionAt(offset), nameChats ? chat : undefined);
          const line = Math.min(layout.line, document.lineCount - 1);
          if (layout.replaced) removed.push({ range: new vscode.Range(layout.replaced.from, 0, layout.replaced.to, 0), hoverMessage: hover });
          if (layout.kind === 'insert-below') below.push({ range: new vscode.Range(line, 0, line, 0), hoverMessage: hover });
          if (layout.kind === 'insert-above') above.push({ range: new vscode.Range(line, 0, line, 0), hoverMessage: hover });
          const end = document.lineAt(line).range.end;
          proposed.push({ range: new vscode.Range(end, end), hoverMessage: hover, renderOptions: { after: { contentText: layout.text } } });
        }
      }
    }
    editor.setDecorations(this.removed, removed);
    editor.setDecorations(this.proposed, proposed);
    editor.setDecorations(this.insertBelow, below);
    editor.setDecorations(this.insertAbove, above);
  }

  dispose(): void {
    this.disposables.dispose();
  }
}

function hoverFor(hunk: ReviewHunk, changeSetId: string, chat: string | undefined): vscode.MarkdownString {
  const args = encodeURIComponent(JSON.stringify([changeSetId, hunk.id]));
  const diff = [...splitLines(hunk.oldText).map((l) => `-${l}`), ...splitLines(hunk.newText).map((l) => `+${l}`)].join('\n');
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown('**Tandem proposes**');
  if (chat) md.appendText(` (chat «${chat}»)`); // escaped: a title is untrusted text in a trusted hover
  md.appendMarkdown('\n\n');
  md.appendCodeblock(diff, 'diff');
  md.appendMarkdown(`\n[$(check) Accept](command:tandem.acceptHunk?${args}) · [$(close) Reject](command:tandem.rejectHunk?${args})`);
  md.isTrusted = { enabledCommands: ['tandem.acceptHunk', 'tandem.rejectHunk'] };
  return md;
}
