// Marks pending hunks in every visible editor of their file: the lines a hunk replaces get a "removed"
// background, the proposed text is shown as ghost text after the hunk (its first line, with a count when
// there are more) and in full in a hover. Nothing is inserted into the document.
import * as vscode from 'vscode';
import { splitLines, type ReviewHunk } from '../../core/review/hunks';
import { DisposableStore } from '../disposables';
import type { ReviewManager } from './reviewManager';

const MAX_GHOST_CHARS = 120;

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
    for (const { review } of this.reviews.all) {
      for (const file of review.files) {
        if (file.path !== document.uri.fsPath || file.wholeFile) continue;
        for (const hunk of file.hunks) {
          if (hunk.state !== 'pending') continue;
          const hover = hoverFor(hunk, review.id);
          const start = document.positionAt(hunk.start);
          if (hunk.end > hunk.start) {
            const lastLine = document.positionAt(Math.max(hunk.start, hunk.end - 1)).line;
            removed.push({ range: new vscode.Range(start.line, 0, lastLine, 0), hoverMessage: hover });
          }
          // Ghost text on the hunk's last replaced line, or on the line an insertion goes before.
          const anchorLine = hunk.end > hunk.start ? document.positionAt(hunk.end - 1).line : Math.min(start.line, document.lineCount - 1);
          const end = document.lineAt(anchorLine).range.end;
          proposed.push({ range: new vscode.Range(end, end), hoverMessage: hover, renderOptions: { after: { contentText: ghostText(hunk) } } });
        }
      }
    }
    editor.setDecorations(this.removed, removed);
    editor.setDecorations(this.proposed, proposed);
  }

  dispose(): void {
    this.disposables.dispose();
  }
}

function ghostText(hunk: ReviewHunk): string {
  const lines = splitLines(hunk.newText);
  if (lines.length === 0) return '⟵ Tandem: delete these lines';
  const first = (lines[0] ?? '').trim();
  const shown = first.length > MAX_GHOST_CHARS ? `${first.slice(0, MAX_GHOST_CHARS)}…` : first;
  const more = lines.length > 1 ? `  (+${lines.length - 1} more line${lines.length > 2 ? 's' : ''}, hover to see)` : '';
  return `⟵ Tandem: ${shown}${more}`;
}

function hoverFor(hunk: ReviewHunk, changeSetId: string): vscode.MarkdownString {
  const args = encodeURIComponent(JSON.stringify([changeSetId, hunk.id]));
  const diff = [...splitLines(hunk.oldText).map((l) => `-${l}`), ...splitLines(hunk.newText).map((l) => `+${l}`)].join('\n');
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown('**Tandem proposes**\n\n');
  md.appendCodeblock(diff, 'diff');
  md.appendMarkdown(`\n[$(check) Accept](command:tandem.acceptHunk?${args}) · [$(close) Reject](command:tandem.rejectHunk?${args})`);
  md.isTrusted = { enabledCommands: ['tandem.acceptHunk', 'tandem.rejectHunk'] };
  return md;
}
