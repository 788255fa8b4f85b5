// Review findings as comment threads on their lines (VS Code's Comments API), titled "[P1] title", with
// "Fix This" and "Dismiss" in the thread's title bar. A dismissed finding is remembered in workspaceState
// by its key (file + normalized title + hunk content hash), so the next review of the same change does not
// bring it back. Finding text comes from the model: it renders as untrusted markdown (no command links,
// no HTML).
import * as vscode from 'vscode';
import { displayTitle, type MappedFinding } from '../../core/codeReview/findings';
import { PRIORITY_LABELS } from '../../core/codeReview/types';

export const COMMENT_CONTROLLER_ID = 'tandem.review';
/** `commentThread` context value of a finding thread (package.json menus match it). */
export const FINDING_THREAD_CONTEXT = 'tandemFinding';
const DISMISSED_STATE = 'tandem.review.dismissed';
/** Oldest dismissals are forgotten past this many (workspaceState is not a database). */
const MAX_DISMISSED = 2_000;

export interface FindingThread {
  thread: vscode.CommentThread;
  mapped: MappedFinding;
}

export class FindingThreads implements vscode.Disposable {
  private readonly controller = vscode.comments.createCommentController(COMMENT_CONTROLLER_ID, 'Tandem Review');
  private readonly threads = new Map<vscode.CommentThread, FindingThread>();

  constructor(private readonly state: vscode.Memento) {
    this.controller.options = { prompt: '', placeHolder: '' };
  }

  dismissedKeys(): Set<string> {
    return new Set(this.state.get<string[]>(DISMISSED_STATE, []));
  }

  /** Replaces the threads of the previous review with these findings. */
  show(findings: readonly MappedFinding[]): FindingThread[] {
    this.clear();
    return findings.map((mapped) => {
      const { start, end } = mapped.finding.code_location.line_range;
      const uri = vscode.Uri.file(mapped.finding.code_location.absolute_file_path);
      const body = new vscode.MarkdownString(undefined, false);
      body.isTrusted = false;
      body.supportHtml = false;
      body.appendMarkdown(mapped.finding.body);
      body.appendMarkdown(`\n\n*${PRIORITY_LABELS[mapped.finding.priority]} · confidence ${mapped.finding.confidence_score.toFixed(2)}*`);
      const comment: vscode.Comment = { body, mode: vscode.CommentMode.Preview, author: { name: 'Tandem' }, contextValue: FINDING_THREAD_CONTEXT };
      const thread = this.controller.createCommentThread(uri, new vscode.Range(start - 1, 0, end - 1, 0), [comment]);
      thread.label = displayTitle(mapped.finding);
      thread.contextValue = FINDING_THREAD_CONTEXT;
      thread.canReply = false;
      thread.collapsibleState = vscode.CommentThreadCollapsibleState.Expanded;
      const entry = { thread, mapped };
      this.threads.set(thread, entry);
      return entry;
    });
  }

  /** The finding of a thread a menu command was run on (the argument is whatever VS Code passed: checked). */
  find(arg: unknown): FindingThread | undefined {
    for (const entry of this.threads.values()) if (entry.thread === arg || (arg as { thread?: unknown } | undefined)?.thread === entry.thread) return entry;
    return undefined;
  }

  all(): FindingThread[] {
    return [...this.threads.values()];
  }

  async dismiss(entry: FindingThread): Promise<void> {
    const keys = this.state.get<string[]>(DISMISSED_STATE, []).filter((k) => k !== entry.mapped.key);
    keys.push(entry.mapped.key);
    await this.state.update(DISMISSED_STATE, keys.slice(-MAX_DISMISSED));
    this.threads.delete(entry.thread);
    entry.thread.dispose();
  }

  /** Marks a thread as being fixed (the fix itself shows as a pending hunk). */
  markFixing(entry: FindingThread): void {
    entry.thread.state = vscode.CommentThreadState.Resolved;
  }

  clear(): void {
    for (const entry of this.threads.values()) entry.thread.dispose();
    this.threads.clear();
  }

  dispose(): void {
    this.clear();
    this.controller.dispose();
  }
}
