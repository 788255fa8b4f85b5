// "Restore checkpoint" in a chat that runs in a worktree of its own: the code only (written only inside
// that worktree), never the conversation (its fork would run outside the worktree, or in a fresh one from
// HEAD whose files its history misdescribes). A workspace chat keeps every choice.
import { describe, expect, it } from 'vitest';
import { choiceAllowed, offeredChoices, restoreRoots, type ChatPlace, type RestoreChoice } from '../../../../src/node/checkpoints/restoreChoices';
import type { RestorePlan } from '../../../../src/node/checkpoints/restorePlan';

const plan = (statuses: RestorePlan['items'][number]['status'][]): RestorePlan => ({
  sessionId: 's',
  turnId: 't',
  notes: [],
  items: statuses.map((status, i) => ({ path: `/ws/f${i}`, target: { absent: true }, current: undefined, status })),
});
const workspace: ChatPlace = { kind: 'workspace' };
const worktree: ChatPlace = { kind: 'worktree', path: '/repo/.tandem-worktrees/wt-1' };
const removedWorktree: ChatPlace = { kind: 'worktree', path: '' };
const ALL: RestoreChoice[] = ['both', 'code', 'conversation'];

describe('restore choices', () => {
  it('a workspace chat is offered code, conversation and both; the conversation alone without file changes', () => {
    expect(offeredChoices(plan(['restore', 'conflict']), workspace)).toEqual({ choices: ['both', 'code', 'conversation'] });
    expect(offeredChoices(plan(['same']), workspace)).toEqual({ choices: ['conversation'] });
    expect(offeredChoices(undefined, workspace)).toEqual({ choices: ['conversation'] });
    expect(ALL.filter((c) => choiceAllowed(c, workspace))).toEqual(ALL);
  });

  it('a worktree chat is offered the code only, says why, and a conversation choice is refused however it arrives', () => {
    expect(offeredChoices(plan(['restore', 'overlap']), worktree)).toEqual({ choices: ['code'], conversationRefused: 'worktree' });
    // Nothing to restore in the files: nothing is offered (the chat says why), not the conversation instead.
    expect(offeredChoices(plan(['same']), worktree)).toEqual({ choices: [], conversationRefused: 'worktree' });
    expect(offeredChoices(undefined, worktree)).toEqual({ choices: [], conversationRefused: 'worktree' });
    expect(ALL.filter((c) => choiceAllowed(c, worktree))).toEqual(['code']);
  });

  it("a worktree chat's code restore writes only in its worktree; once that was removed, nowhere", () => {
    expect(restoreRoots(worktree, ['/repo'])).toEqual(['/repo/.tandem-worktrees/wt-1']);
    expect(restoreRoots(workspace, ['/repo', '/other'])).toEqual(['/repo', '/other']);
    expect(offeredChoices(plan(['restore']), removedWorktree)).toEqual({ choices: [], conversationRefused: 'worktree' });
    expect(restoreRoots(removedWorktree, ['/repo'])).toEqual([]);
    expect(ALL.filter((c) => choiceAllowed(c, removedWorktree))).toEqual(['code']);
  });
});
