// Which "Restore checkpoint" choices a chat is offered, and where a code restore may write. A chat that
// runs in a worktree of its own is offered the code only: restoring the conversation forks the chat into a
// new one, and that chat would either run in the main workspace (silently giving up the isolation the user
// asked for) or need a worktree of its own, made fresh from the repository's HEAD — not the files the old
// worktree held at that message — while its history names the old worktree's paths (the cwd, commands,
// patches) and describes edits that new worktree does not have: the model would act on a tree it misreads.
// The code restore stays: it writes only inside the chat's worktree.
import type { RestorePlan } from './restorePlan';

export type RestoreChoice = 'both' | 'code' | 'conversation';

/** Where the chat works: the workspace, or its own worktree (`path` empty when that worktree was removed). */
export type ChatPlace = { kind: 'workspace' } | { kind: 'worktree'; path: string };

export interface OfferedChoices {
  choices: RestoreChoice[];
  /** Why the conversation is not offered (the chat says so with the choices, or alone when nothing is offered). */
  conversationRefused?: 'worktree';
}

/** The choices for a restore of `plan` (undefined: no checkpoint of files for that message) in a chat at `place`. */
export function offeredChoices(plan: RestorePlan | undefined, place: ChatPlace): OfferedChoices {
  const code = (plan?.items.some((i) => i.status !== 'same') ?? false) && !(place.kind === 'worktree' && place.path === '');
  if (place.kind === 'worktree') return { choices: code ? ['code'] : [], conversationRefused: 'worktree' };
  return { choices: code ? ['both', 'code', 'conversation'] : ['conversation'] };
}

/** Whether `choice` may go ahead for a chat at `place` (the preview only offers those; this is the last check). */
export function choiceAllowed(choice: RestoreChoice, place: ChatPlace): boolean {
  return place.kind === 'workspace' || choice === 'code';
}

/** The folders a code restore may write in: the chat's worktree (none once it was removed), else the workspace's. */
export function restoreRoots(place: ChatPlace, workspaceRoots: readonly string[]): readonly string[] {
  if (place.kind === 'workspace') return workspaceRoots;
  return place.path ? [place.path] : [];
}
