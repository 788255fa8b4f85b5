// One document, several change sets under review at once (two chats proposing edits to the same file).
// Every change to the document moves the hunks of every change set on it; a hunk whose lines the change
// touched goes stale, and it records who made the change: the user (typing, undo, the disk) or another
// change set's accepted edit, naming that chat. The edit's own hunks are the edit, never stale by it.
import type { ChangeSetReview } from './changeSetReview';
import type { ReviewHunk } from './hunks';
import type { ProposalAction, StaleCause } from './staleCause';
import { transformHunks, type TextChange } from './transform';

/** A change set under review and the chat it came from (when known). */
export interface ReviewOnDocument {
  review: ChangeSetReview;
  chatId?: string;
}

/** What made a document change. */
export type ChangeSource =
  | { kind: 'user' }
  | {
      kind: 'review';
      /** The change set whose hunks the edit applies (or undoes). */
      reviewId: string;
      hunkIds: ReadonlySet<string>;
      chatId?: string;
      /** Read when a hunk goes stale, so the title is the one the user sees then. */
      chatTitle?: string;
      action: ProposalAction;
    };

export interface StaleHunk {
  review: ChangeSetReview;
  hunk: ReviewHunk;
}

/**
 * Moves the hunks of every change set on the document at `path` through `changes` (one document event),
 * marking the ones it touched stale with their cause. Returns those, for reporting.
 */
export function transformReviews(reviews: readonly ReviewOnDocument[], path: string, changes: readonly TextChange[], source: ChangeSource): StaleHunk[] {
  const stale: StaleHunk[] = [];
  for (const { review, chatId } of reviews) {
    for (const file of review.files) {
      if (file.path !== path) continue;
      const cause = causeFor(source, review.id, chatId);
      if (file.wholeFile) {
        // A create, delete or move applies only to the text it was made against. The user's typing is
        // checked when they accept (they may type it back); another proposal's accepted edit settles it now.
        if (source.kind === 'review' && source.reviewId !== review.id) {
          for (const hunk of file.hunks.filter((h) => h.state === 'pending')) {
            hunk.state = 'stale';
            hunk.staleCause = cause.kind === 'other-proposal' ? { ...cause, wholeFile: true } : cause;
            stale.push({ review, hunk });
          }
        }
        continue;
      }
      // Hunk ids are unique within a change set only: the edit's own hunks are excluded by change set and id.
      const own = source.kind === 'review' && source.reviewId === review.id ? source.hunkIds : undefined;
      const moved = own ? file.hunks.filter((h) => !own.has(h.id)) : file.hunks;
      for (const hunk of transformHunks(moved, changes)) {
        hunk.staleCause = cause;
        stale.push({ review, hunk });
      }
    }
  }
  return stale;
}

function causeFor(source: ChangeSource, reviewId: string, chatId: string | undefined): StaleCause {
  // Another hunk of the same change set cannot overlap this one: whatever touched it was not the review.
  if (source.kind === 'user' || source.reviewId === reviewId) return { kind: 'user-edit' };
  const sameChat = source.chatId !== undefined && source.chatId === chatId;
  return { kind: 'other-proposal', sameChat, action: source.action, ...(source.chatTitle !== undefined ? { chatTitle: source.chatTitle } : {}) };
}
