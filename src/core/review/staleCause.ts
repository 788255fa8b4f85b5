// Why a hunk went stale, kept with the hunk so the chat card and the agent hear the same cause. Several
// chats review proposals on one document at once: when one chat's accepted edit changes lines another
// chat's pending hunk would replace, that hunk must not apply, and both the user and the second chat's
// agent should learn that it was another chat, not the user, so the agent re-reads and redoes its part.
// Pure: the VS Code layer decides which cause applies.

export type StaleCause =
  | { kind: 'user-edit' }
  | { kind: 'changed-before-apply' }
  | { kind: 'file-changed' }
  | { kind: 'file-gone' }
  | { kind: 'file-moved' }
  /** An accepted (or undone) hunk of another change set changed these lines (`wholeFile`: this file, for a create, delete or move). */
  | { kind: 'other-proposal'; sameChat: boolean; chatTitle?: string; action: ProposalAction; wholeFile?: boolean };

/** What the other change set did to the document: a user's accept, an auto-apply, or an undo of either. */
export type ProposalAction = 'accepted' | 'applied' | 'undone';

const MAX_TITLE = 60;

/**
 * A chat title fit to quote inside a sentence the agent reads: one line, no quote marks that could close
 * the quotation, bounded. Titles come from users' messages or a model, so they are untrusted text.
 */
export function quotableTitle(title: string | undefined): string | undefined {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
  const flat = (title ?? '').replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').replace(/[«»]/g, '"').replace(/\s+/g, ' ').trim();
  if (flat === '') return undefined;
  return flat.length > MAX_TITLE ? `${flat.slice(0, MAX_TITLE - 1)}…` : flat;
}

const ACTION_NOTE: Record<ProposalAction, string> = { accepted: 'accepted edit', applied: 'edit applied without review', undone: 'undid its accepted edit' };

/** The sentence the chat card (and the session log) shows next to a stale hunk. */
export function staleReason(cause: StaleCause): string {
  switch (cause.kind) {
    case 'user-edit':
      return 'You edited these lines while it was under review.';
    case 'changed-before-apply':
      return 'The lines changed before it could be applied.';
    case 'file-changed':
      return 'The file changed since the patch was made.';
    case 'file-gone':
      return 'The file is gone.';
    case 'file-moved':
      return 'The file was deleted or moved.';
    case 'other-proposal': {
      const title = quotableTitle(cause.chatTitle);
      const who = cause.sameChat ? 'Another proposal of this chat' : title ? `Another chat («${title}»)` : 'Another chat';
      return `${who} changed ${cause.wholeFile ? 'this file' : 'these lines'} (${ACTION_NOTE[cause.action]}).`;
    }
  }
}

/**
 * Why hunks with this cause were not applied, for the agent: a clause after "did not apply the hunk(s) at
 * line …", in plain words, with what to do about it.
 */
export function staleClauseForAgent(cause: StaleCause | undefined): string {
  if (cause?.kind !== 'other-proposal') return 'because those lines changed while it was under review (edited by the user, or on disk)';
  const title = quotableTitle(cause.chatTitle);
  const who = cause.sameChat ? 'another change you proposed earlier in this chat' : title ? `another chat («${title}»)` : 'another chat';
  const what = cause.action === 'undone' ? 'the user undid an edit of' : cause.action === 'applied' ? 'an edit was applied from' : 'the user accepted an edit from';
  return `because ${what} ${who} that changed ${cause.wholeFile ? 'the file' : 'those lines'} while yours was under review; read the file again and redo this part on top of the current text if it is still needed`;
}
