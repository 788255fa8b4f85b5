// Which chat a review belongs to, and who made a change that left another chat's hunk stale: the pieces of
// the review that exist because several chats propose edits to the same files at once. A chat view may
// decide only its own chat's change sets; a hunk made stale by another chat's accepted edit names it.
import * as vscode from 'vscode';
import type { FileReview } from '../../core/review/changeSetReview';
import type { ReviewHunk } from '../../core/review/hunks';
import type { ChangeSource } from '../../core/review/sharedDocument';
import type { ProposalAction, StaleCause } from '../../core/review/staleCause';
import type { ActiveReview } from './reviewManager';

/** The change set whose hunks are being applied (or undone) right now. */
export interface Applying {
  reviewId: string;
  hunkIds: Set<string>;
  action: ProposalAction;
}

/** Whether `active` is a proposal of chat `chatId`: by its origin, else by its turn id (turn ids start with the chat id). */
export function belongsTo(active: ActiveReview, chatId: string): boolean {
  if (active.origin) return active.origin.chatId === chatId;
  return active.review.turnId.startsWith(`${chatId}-`);
}

/** Who is changing documents right now: a review applying (or undoing) its hunks, else the user. */
export function changeSourceOf(applying: Applying | undefined, by: ActiveReview | undefined): ChangeSource {
  if (!applying || !by) return { kind: 'user' };
  const chatTitle = by.origin?.title();
  return {
    kind: 'review',
    reviewId: applying.reviewId,
    hunkIds: applying.hunkIds,
    action: applying.action,
    ...(by.origin ? { chatId: by.origin.chatId } : {}),
    ...(chatTitle !== undefined ? { chatTitle } : {}),
  };
}

/**
 * Why a hunk found its file changed when the user accepted it. A create, delete or move of a file that
 * another change set's accepted edit changed (or created) is that chat's doing; anything else is "the lines
 * changed" (the typing that makes a per-hunk range stale is caught as it happens, with its own cause).
 */
export function causeAtAccept(all: readonly ActiveReview[], active: ActiveReview, file: FileReview): StaleCause {
  if (!file.wholeFile) return { kind: 'changed-before-apply' };
  const touchedBy = all.filter((other) => other !== active && other.review.files.some((f) => (f.path === file.path || f.movePath === file.path) && f.hunks.some((h) => h.state === 'accepted'))).pop();
  if (!touchedBy) return { kind: 'changed-before-apply' };
  const chatTitle = touchedBy.origin?.title();
  const sameChat = touchedBy.origin !== undefined && touchedBy.origin.chatId === active.origin?.chatId;
  return { kind: 'other-proposal', sameChat, action: touchedBy.autoApplied ? 'applied' : 'accepted', wholeFile: true, ...(chatTitle !== undefined ? { chatTitle } : {}) };
}

/**
 * Hunks that another proposal's edit just made stale vanish from the editor, and their chat may not be in
 * view: a passing status-bar message says so where the user is looking (the chat card keeps the detail).
 */
export function staleElsewhereMessage(hunks: readonly ReviewHunk[]): string | undefined {
  const count = hunks.filter((h) => h.staleCause?.kind === 'other-proposal').length;
  if (count === 0) return undefined;
  return count === 1
    ? vscode.l10n.t('$(warning) Tandem: 1 proposed edit no longer applies (another proposal just changed its lines); its chat is told.')
    : vscode.l10n.t('$(warning) Tandem: {0} proposed edits no longer apply (another proposal just changed their lines); their chats are told.', count);
}
