// "Review changes in workspace": what a worktree chat's agent changed in its worktree comes to the main
// workspace as ONE change set through the same ReviewManager per-hunk review as any patch (the chat card
// and inline in the editor). Files the user changed meanwhile show stale (worktreeChanges.ts builds the
// set against the worktree's baseline); what cannot come back is named. Protected names (protectedNames.ts:
// .git, .vscode, AGENTS.md, .mcp.json …, plus any `.git*` file) run code or steer agents: they are left
// out unless the user says to include them. When the review is decided, the worktree's baseline moves to
// what the workspace took (broughtBack.ts), so the next bring-back offers only what is new.
import { realpathSync } from 'node:fs';
import { isAbsolute, relative, sep } from 'node:path';
import * as vscode from 'vscode';
import { summarizeChangeSet } from '../../core/patch/summary';
import type { ChangeSet, FileChange } from '../../core/patch/types';
import { createChangeSetReview, pendingCount, withHunkSummaries } from '../../core/review/changeSetReview';
import { broughtBackEntries, protectedName, shownPath } from '../../node/worktrees/broughtBack';
import type { SkippedFile } from '../../node/worktrees/types';
import type { AgentEvent } from '../../shared/events';
import type { ReviewManager } from '../review/reviewManager';
import type { ChatWorktrees } from './chatWorktrees';

/** The chat the changes are brought back for: its card shows the review. */
export interface BringBackTarget {
  readonly id: string;
  readonly title: string;
  record(event: AgentEvent): void;
}

// Names are the agent's: shown escaped where they hold control or direction characters (shownPath).
const list = (files: readonly SkippedFile[]) => files.map((f) => `${shownPath(f.path)} (${f.reason})`).join('; ');

export class WorktreeBringBack implements vscode.Disposable {
  /** Per chat, its bring-back under review. */
  private readonly running = new Map<string, { changeSetId: string; stop: AbortController }>();

  constructor(
    private readonly worktrees: ChatWorktrees,
    private readonly reviews: ReviewManager,
  ) {}

  /** Brings the chat's worktree changes to the workspace for review; resolves when they are decided. */
  async bringBack(chat: BringBackTarget): Promise<void> {
    const earlier = this.running.get(chat.id);
    const earlierReview = earlier && this.reviews.get(earlier.changeSetId);
    if (earlierReview && pendingCount(earlierReview.review) > 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Tandem: the worktree’s changes brought back before are still under review. Decide those first.'));
      return;
    }
    const worktree = await this.worktrees.worktreeFor(chat.id);
    if (!worktree) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Tandem: this chat does not run in a worktree.'));
      return;
    }
    const found = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Tandem: reading the worktree’s changes…') }, () => this.worktrees.manager.changes(worktree));
    const top = worktree.repo.toplevel;
    const rel = (path: string) => relative(top, path);
    // Only the workspace folder's files come back (the repository around it is not the user's workspace).
    const folder = realpathSync(worktree.workspaceRoot);
    const inFolder = (path: string) => {
      const inside = relative(folder, path);
      return inside !== '..' && !inside.startsWith(`..${sep}`) && !isAbsolute(inside);
    };
    const left: SkippedFile[] = [...found.skipped];
    let changes: FileChange[] = [];
    for (const change of found.changeSet.changes) {
      if ([change.path, change.movePath].every((p) => p === undefined || inFolder(p))) changes.push(change);
      else left.push({ path: rel(change.movePath ?? change.path), reason: 'outside the workspace folder' });
    }
    const guarded = changes.filter((c) => [c.path, c.movePath].some((p) => p !== undefined && protectedName(rel(p)) !== undefined));
    if (guarded.length > 0) {
      const include = vscode.l10n.t('Include Them');
      const names = guarded.map((c) => shownPath(rel(c.movePath ?? c.path))).join(', ');
      // Leaving them out comes first (the dialog's default button), so Enter never includes them.
      const choice = await vscode.window.showWarningMessage(
        vscode.l10n.t('The worktree also changes protected files: {0}', names),
        { modal: true, detail: vscode.l10n.t('These run code or steer agents (settings, tasks, git files, AGENTS.md, MCP servers). Include them in the review, or leave them out?') },
        vscode.l10n.t('Leave Them Out'),
        include,
      );
      if (choice !== include) {
        changes = changes.filter((c) => !guarded.includes(c));
        left.push(...guarded.map((c) => ({ path: rel(c.movePath ?? c.path), reason: 'protected: left out' })));
      }
    }
    const notes = [
      ...(found.conflicts.length ? [vscode.l10n.t('Changed in the workspace meanwhile (stale, not applied): {0}.', list(found.conflicts))] : []),
      ...(left.length ? [vscode.l10n.t('Not brought back: {0}.', list(left))] : []),
    ];
    if (changes.length === 0) {
      void vscode.window.showInformationMessage([vscode.l10n.t('Tandem: the worktree has no changes to bring back.'), ...notes].join(' '));
      return;
    }
    if (notes.length) void vscode.window.showWarningMessage(notes.join(' '));
    const stamp = Date.now();
    const changeSet: ChangeSet = { id: `${found.changeSet.id}-${stamp.toString(36)}`, changes };
    const turnId = `${chat.id}-worktree-${stamp}`;
    const files = withHunkSummaries(summarizeChangeSet(changeSet, folder), createChangeSetReview(changeSet, turnId, (path) => path));
    chat.record({ type: 'patch.proposed', turnId, callId: `bring-back-${stamp}`, changeSetId: changeSet.id, files });
    const stop = new AbortController();
    this.running.set(chat.id, { changeSetId: changeSet.id, stop });
    const outcome = await this.reviews.propose(changeSet, { needsReview: true, turnId, signal: stop.signal, origin: { chatId: chat.id, title: () => chat.title } });
    // What was accepted becomes the worktree's baseline (even when the review was cut short: what was taken, was taken).
    const review = this.reviews.get(changeSet.id)?.review;
    const accepted = new Set(review?.files.flatMap((file) => file.hunks.filter((h) => h.state === 'accepted').map((h) => h.id)) ?? []);
    const entries = broughtBackEntries(changeSet, accepted, top);
    if (entries.length > 0 && !stop.signal.aborted) this.worktrees.manager.rebaseline(worktree, entries);
    chat.record({ type: 'patch.resolved', turnId, changeSetId: changeSet.id, outcome: outcome.outcome, message: [outcome.message, ...notes].join(' ') });
  }

  /** The chat's worktree goes away: its bring-back under review ends (what is still pending is not written). */
  cancel(chatId: string): void {
    this.running.get(chatId)?.stop.abort();
    this.running.delete(chatId);
  }

  dispose(): void {
    for (const { stop } of this.running.values()) stop.abort();
    this.running.clear();
  }
}
