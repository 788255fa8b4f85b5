// An edit made by an agent that works in a worktree of its own (a chat in a worktree): written there at
// once, confined to the worktree's copy of the workspace folder and never into a `.git`, through the same
// race-free writer as any patch. The worktree is the agent's scratch space; the user reviews everything it
// changed together when it is brought back to the workspace (worktreeChanges.ts), per hunk as usual.
import { relative } from 'node:path';
import type { ChangeSet, PatchOutcome } from '../../core/patch/types';
import { confinedWriterFs } from '../confinedWriterFs';
import { writeChangeSetAtomically } from '../fsChangeSetWriter';
import type { Worktree } from './types';

/** The reason an edit is refused in the worktree, or undefined when every path is inside it and outside `.git`. */
export function worktreeWriteRefusal(changeSet: ChangeSet, worktree: Pick<Worktree, 'workspacePath'>): string | undefined {
  const root = worktree.workspacePath;
  for (const change of changeSet.changes) {
    for (const path of [change.path, change.movePath]) {
      if (path === undefined) continue;
      const rel = relative(root, path);
      if (rel === '' || rel.startsWith('..') || rel.startsWith('/')) return `this chat works in its own worktree and changes only files inside it (${root}); ${path} is not`;
      if (rel.split('/').some((part) => part.toLowerCase() === '.git')) return `${rel} is inside a .git folder`;
    }
  }
  return undefined;
}

export async function writeInWorktree(changeSet: ChangeSet, worktree: Pick<Worktree, 'workspacePath'>, applied: string): Promise<PatchOutcome> {
  const refusal = worktreeWriteRefusal(changeSet, worktree);
  if (refusal) return { outcome: 'failed', message: `Not applied: ${refusal}.` };
  try {
    await writeChangeSetAtomically(changeSet, confinedWriterFs([worktree.workspacePath]));
  } catch (error) {
    return { outcome: 'failed', message: `Not applied: ${error instanceof Error ? error.message : String(error)}` };
  }
  return { outcome: 'applied', message: applied };
}
