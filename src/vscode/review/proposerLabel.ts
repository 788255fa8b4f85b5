// Which chat proposed a hunk, for the editor: when proposals of several chats are pending in one file,
// the CodeLens, ghost text and hover name the chat, so the user knows whose Accept they click.
import { quotableTitle } from '../../core/review/staleCause';
import type { ActiveReview, ReviewManager } from './reviewManager';

/** The chat's title, one line and bounded (titles are untrusted text), or undefined when unknown. */
export function proposerTitle(active: ActiveReview): string | undefined {
  return quotableTitle(active.origin?.title());
}

/** Whether pending hunks of more than one chat (or of reviews of unknown chats) are in the file. */
export function severalChatsPending(reviews: ReviewManager, path: string): boolean {
  const owners = new Set<string>();
  for (const active of reviews.all) {
    const pendingHere = active.review.files.some((f) => f.path === path && !f.wholeFile && f.hunks.some((h) => h.state === 'pending'));
    if (pendingHere) owners.add(active.origin?.chatId ?? `review:${active.review.id}`);
  }
  return owners.size > 1;
}
