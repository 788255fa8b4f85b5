// Code review from the chat: `/review [scope]` typed in the composer (recognised here, on the host, when the
// message arrives), "the last agent turn" as a scope (what Tandem's own change sets did, pending hunks
// included, reviewed before the user accepts them), and the optional review after every agent turn that
// changed files (`tandem.review.afterTurn`). Each review is a `review.started` / `review.completed` pair
// in the chat's event stream, so its findings card is logged and survives a reload like every other entry;
// its findings also become comment threads on the lines the editor shows.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parseReviewCommand } from '../../core/codeReview/chatCommand';
import { reviewSummary, unfinishedSummary } from '../../core/codeReview/chatSummary';
import type { MappedFinding } from '../../core/codeReview/findings';
import { describeScope } from '../../core/codeReview/scope';
import { mapTurnRange, turnDiff, type TurnFile } from '../../core/codeReview/turnDiff';
import type { LineRange, ReviewScope } from '../../core/codeReview/types';
import type { HunkState } from '../../core/review/hunks';
import type { ChatEntry } from '../../shared/chatState';
import type { AgentEvent, CodeReviewSummary } from '../../shared/events';
import type { ReviewManager } from '../review/reviewManager';
import type { CodeReview } from './reviewChanges';
import { reviewFolder } from './reviewChanges';

/** What the chat controller lends the chat review. */
export interface ChatHost {
  /** Logs the event with the session and shows it (as `recordReviewEvent`). */
  recordReviewEvent(event: AgentEvent): void;
  readonly isBusy: boolean;
  attachChatReview(review: ChatReview): void;
}

/** The files of the turn and the editor positions of their live hunks, for one last-turn review. */
interface TurnSnapshot {
  turnId: string;
  folder: string;
  files: TurnFile[];
  /** Absolute path per repository-relative path. */
  absolute: Map<string, string>;
}

let nextReviewId = 0;

export class ChatReview {
  /** Agent turns already reviewed automatically (a turn is reviewed once). */
  private readonly autoReviewed = new Set<string>();

  constructor(
    private readonly codeReview: CodeReview,
    private readonly reviews: ReviewManager,
    private readonly chat: ChatHost,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** True when `text` is a `/review` command (then it is handled here and is not sent to the model). */
  handleSend(text: string): boolean {
    const command = parseReviewCommand(text);
    if (!command) return false;
    if (command.kind === 'usage') {
      void vscode.window.showWarningMessage(vscode.l10n.t('Tandem: {0}', command.error));
      return true;
    }
    if (this.chat.isBusy) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Tandem is still working on the previous message. Review when it has finished.'));
      return true;
    }
    if (command.kind === 'scope') void this.reviewScope(command.scope);
    else void this.reviewLastTurn(undefined, 'command');
    return true;
  }

  /** Every chat event: a finished agent turn that changed files is reviewed when the setting asks for it. */
  onEvent(event: AgentEvent): void {
    if (event.type !== 'turn.completed' || event.stopped) return;
    if (!vscode.workspace.getConfiguration('tandem.review').get<boolean>('afterTurn', false)) return;
    if (this.autoReviewed.has(event.turnId) || !this.reviews.all.some((r) => r.review.turnId === event.turnId)) return;
    this.autoReviewed.add(event.turnId);
    void this.reviewLastTurn(event.turnId, 'after-turn');
  }

  private async reviewScope(scope: ReviewScope): Promise<void> {
    const folder = reviewFolder();
    const reviewId = `${Date.now().toString(36)}-${++nextReviewId}`;
    const turnId = `review-${reviewId}`;
    const label = describeScope(scope);
    this.start(turnId, reviewId, label, 'command');
    if (!folder) return this.finish(turnId, reviewId, unfinishedSummary('failed', '', label, 'Open a folder with a git repository to review its changes.'));
    await this.execute(turnId, reviewId, folder, label, scope, (kept) => kept.finding.code_location.line_range);
  }

  /** Reviews the change sets of `turnId` (default: the newest turn that proposed any) as they stand now. */
  private async reviewLastTurn(turnId: string | undefined, trigger: 'command' | 'after-turn'): Promise<void> {
    const reviewId = `${Date.now().toString(36)}-${++nextReviewId}`;
    const snapshot = this.turnSnapshot(turnId);
    const label = 'changes of the last agent turn';
    const cardTurn = snapshot?.turnId ?? `review-${reviewId}`;
    this.start(cardTurn, reviewId, label, trigger);
    if (!snapshot) {
      return this.finish(cardTurn, reviewId, unfinishedSummary('failed', '', label, 'No change of an agent turn is open in this window (changes are held in memory until a reload).'));
    }
    const scope: ReviewScope = { kind: 'diff', label, diff: turnDiff(snapshot.files) };
    await this.execute(cardTurn, reviewId, snapshot.folder, label, scope, (kept) => this.editorLines(snapshot, kept));
  }

  private async execute(turnId: string, reviewId: string, folder: string, label: string, scope: ReviewScope, lines: (kept: MappedFinding) => LineRange): Promise<void> {
    try {
      const run = await this.codeReview.run(scope, folder);
      if (!run) return this.finish(turnId, reviewId, unfinishedSummary('cancelled', folder, label));
      const summary = reviewSummary(run.result, lines);
      // The threads sit where the card says: for a last-turn review, on the pending hunks' lines.
      this.codeReview.showThreads(
        run.result.kept.map((kept, i) => {
          const finding = summary.findings[i];
          const range = finding ? { start: finding.startLine, end: finding.endLine } : kept.finding.code_location.line_range;
          return { ...kept, finding: { ...kept.finding, code_location: { ...kept.finding.code_location, line_range: range } } };
        }),
      );
      this.finish(turnId, reviewId, summary);
    } catch (error) {
      this.log.error('Review from the chat failed:', error);
      this.finish(turnId, reviewId, unfinishedSummary('failed', folder, label, error instanceof Error ? error.message : String(error)));
    }
  }

  private start(turnId: string, reviewId: string, scope: string, trigger: 'command' | 'after-turn'): void {
    this.chat.recordReviewEvent({ type: 'review.started', turnId, reviewId, scope, trigger, at: Date.now() });
  }

  private finish(turnId: string, reviewId: string, review: CodeReviewSummary): void {
    this.chat.recordReviewEvent({ type: 'review.completed', turnId, reviewId, review, at: Date.now() });
  }

  /** The turn's files as their reviews hold them now; only files inside the first one's workspace folder. */
  private turnSnapshot(turnId: string | undefined): TurnSnapshot | undefined {
    const all = this.reviews.all;
    const wanted = turnId ?? all.at(-1)?.review.turnId;
    if (wanted === undefined) return undefined;
    const files: TurnFile[] = [];
    const absolute = new Map<string, string>();
    let folder: string | undefined;
    for (const { review } of all) {
      if (review.turnId !== wanted) continue;
      for (const file of review.files) {
        const owner = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(file.path));
        if (!owner || owner.uri.scheme !== 'file') continue;
        folder ??= owner.uri.fsPath;
        if (owner.uri.fsPath !== folder) continue;
        const relative = path.relative(folder, file.path).split(path.sep).join('/');
        const prefix = file.hunks[0]?.id.split('.')[0];
        if (!prefix || relative.startsWith('..') || absolute.has(relative)) continue;
        const states = new Map<string, HunkState>(file.hunks.map((h) => [h.id, h.state]));
        files.push({ path: relative, kind: file.kind, oldText: file.oldText, newText: file.newText, hunkPrefix: prefix, states });
        absolute.set(relative, file.path);
      }
    }
    return folder && files.length > 0 ? { turnId: wanted, folder, files, absolute } : undefined;
  }

  /** Where the editor shows a last-turn finding: pending hunks' new lines are not in the buffer yet. */
  private editorLines(snapshot: TurnSnapshot, kept: MappedFinding): LineRange {
    const range = kept.finding.code_location.line_range;
    const file = snapshot.files.find((f) => f.path === kept.path);
    const absolute = snapshot.absolute.get(kept.path);
    const document = absolute ? vscode.workspace.textDocuments.find((d) => d.uri.fsPath === absolute) : undefined;
    if (!file || !absolute) return range;
    const live = this.reviews.all.flatMap((r) => r.review.files.filter((f) => f.path === absolute)).flatMap((f) => f.hunks);
    return mapTurnRange(file, range, (hunkId) => {
      const hunk = live.find((h) => h.id === hunkId);
      if (!hunk) return undefined;
      // Without an open document, offsets cannot become lines: the proposal's line is the best guess.
      const lineAt = (offset: number) => (document ? document.positionAt(offset).line + 1 : hunk.line);
      const firstLine = lineAt(hunk.start);
      return { state: hunk.state, firstLine, lastLine: Math.max(firstLine, lineAt(Math.max(hunk.start, hunk.end - 1))) };
    });
  }

  /** Goes to finding `index` of a review card (the entry comes from the host's own chat state). */
  async reveal(entry: ChatEntry | undefined, index: number): Promise<void> {
    if (entry?.kind !== 'review' || !entry.review) return;
    const finding = entry.review.findings[index];
    const root = entry.review.root;
    if (!finding || !root) return;
    // The log is a file on disk: the path must stay inside the review's root, itself a workspace folder.
    const target = path.resolve(root, finding.path);
    const inRoot = target.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
    const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(target));
    if (!inRoot || !folder || folder.uri.scheme !== 'file') {
      void vscode.window.showWarningMessage(vscode.l10n.t('Tandem: {0} is not in an open workspace folder.', finding.path));
      return;
    }
    try {
      const document = await vscode.workspace.openTextDocument(vscode.Uri.file(target));
      const last = Math.max(0, document.lineCount - 1);
      const start = Math.min(Math.max(0, finding.startLine - 1), last);
      const end = Math.min(Math.max(start, finding.endLine - 1), last);
      await vscode.window.showTextDocument(document, { selection: new vscode.Range(start, 0, end, document.lineAt(end).text.length), preserveFocus: false });
    } catch (error) {
      this.log.warn(`Could not open ${target} for a review finding:`, error);
      void vscode.window.showWarningMessage(vscode.l10n.t('Tandem: {0} could not be opened.', finding.path));
    }
  }
}

/** `review.completed` for the reviews a reload interrupted, so no card shows as still running. */
export function unfinishedReviewEvents(entries: readonly ChatEntry[]): AgentEvent[] {
  return entries.flatMap((entry) =>
    entry.kind === 'review' && !entry.review
      ? [{ type: 'review.completed' as const, turnId: entry.turnId, reviewId: entry.id.slice('review-'.length), review: unfinishedSummary('cancelled', '', entry.scope, 'The window reloaded before the review finished.'), at: Date.now() }]
      : [],
  );
}
