// The runner of an agent that works in a git worktree (a chat in a worktree): every sandboxed command it
// runs keeps the repository the worktree was made from read-only — its folder, its git dir (hooks,
// config, refs, and the worktree's own git dir inside it) and Tandem's records next to the worktree —
// whatever the confinement, full access included. Without this, full access ("everything but the
// protected names of the workspace") would leave the main repository's `.git/hooks` and `.git/config`
// writable from the worktree (the worktree's own root is the only workspace the sandbox knows), and the
// user's next `git` there would run what the agent planted, outside any sandbox. The worktree itself stays
// writable: a path that contains it is left out (a repository at the home folder would otherwise lock it).
import * as path from 'node:path';
import type { ProcessRunner, RunningProcess, SpawnOptions } from '../../core/ports';
import type { Worktree } from './types';

export function repositoryReadOnlyPaths(worktree: Pick<Worktree, 'path' | 'metaDir' | 'workspaceRoot' | 'repo'>): string[] {
  const candidates = [worktree.repo.toplevel, worktree.workspaceRoot, worktree.repo.commonDir, worktree.metaDir];
  return [...new Set(candidates)].filter((p) => !contains(p, worktree.path));
}

export function keepingRepositoryReadOnly(runner: ProcessRunner, worktree: Pick<Worktree, 'path' | 'metaDir' | 'workspaceRoot' | 'repo'>): ProcessRunner {
  const readOnly = repositoryReadOnlyPaths(worktree);
  return {
    get shell() {
      return runner.shell;
    },
    ...(runner.sandboxStatus ? { sandboxStatus: () => runner.sandboxStatus!() } : {}),
    spawn(options: SpawnOptions): RunningProcess {
      return runner.spawn({ ...options, readOnlyPaths: [...(options.readOnlyPaths ?? []), ...readOnly] });
    },
  };
}

function contains(parent: string, child: string): boolean {
  const relative = path.relative(parent, child);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}
