// A chat in a git worktree under bubblewrap (red-team finding P10): in every confinement that may write,
// full access included, its commands cannot change the repository the worktree was made from — not its
// files, not `.git/hooks` or `.git/config` (which the user's next `git` there would run outside any
// sandbox), not Tandem's records next to the worktree — while the worktree itself stays writable. The
// control runs the same commands without the worktree runner, to show the test is armed.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { CommandConfinement, ProcessRunner } from '../../../../src/core/ports';
import { createProcessRunner } from '../../../../src/node/createRunner';
import { WorktreeManager } from '../../../../src/node/worktrees/worktreeManager';
import { keepingRepositoryReadOnly, repositoryReadOnlyPaths } from '../../../../src/node/worktrees/worktreeRunner';
import { makeRepo } from '../worktrees/gitFixture';
import { describeWithBwrap, runToEnd, tempDir } from './sandboxTestUtils';

const ATTACK = [
  'echo "#!/bin/sh\ntouch /var/tmp/pwned" > "$MAIN/.git/hooks/post-checkout"',
  'printf "[core]\\n\\tfsmonitor = touch /var/tmp/pwned\\n" >> "$MAIN/.git/config"',
  'echo planted > "$MAIN/src.txt"',
  'echo planted > "$META/baseline-planted"',
  'echo "in the worktree" > wt-file.txt',
  'echo done',
].join('; ');

for (const confinement of ['workspace-write', 'protected-only'] as CommandConfinement[]) {
  describeWithBwrap(`a worktree chat's commands and the repository it came from (${confinement})`, () => {
    const home = tempDir('tandem-wt-sbx-home-', true);
    const sandboxed = createProcessRunner({ shell: '/bin/bash', sandbox: { settings: () => ({ mode: 'workspace-write', network: false }), homeDir: home } });
    const manager = new WorktreeManager();
    const made: { remove(): Promise<void> }[] = [];
    afterAll(async () => {
      for (const m of made) await m.remove();
    });

    async function attack(runner: (wt: Awaited<ReturnType<WorktreeManager['create']>>) => ProcessRunner) {
      const { repo } = makeRepo({ 'src.txt': 'original\n' }, tempDir('tandem-wt-sbx-', true));
      const wt = await manager.create(repo, 'chat');
      made.push({ remove: () => manager.remove(wt) });
      const hook = join(repo, '.git', 'hooks', 'post-checkout');
      const config = readFileSync(join(repo, '.git', 'config'), 'utf8');
      const result = await runToEnd(runner(wt), {
        command: ATTACK,
        cwd: wt.workspacePath,
        workspaceRoots: [wt.workspacePath],
        env: { HOME: home, MAIN: repo, META: wt.metaDir },
        confinement,
      });
      return {
        out: result.out,
        hookPlanted: existsSync(hook),
        configChanged: readFileSync(join(repo, '.git', 'config'), 'utf8') !== config,
        fileChanged: readFileSync(join(repo, 'src.txt'), 'utf8') !== 'original\n',
        recordPlanted: existsSync(join(wt.metaDir, 'baseline-planted')),
        worktreeWritten: existsSync(join(wt.workspacePath, 'wt-file.txt')),
      };
    }

    it('cannot plant a hook, change the git config, the files or the records; writes its worktree', async () => {
      const seen = await attack((wt) => keepingRepositoryReadOnly(sandboxed, wt));
      expect(seen.out).toContain('done');
      expect(seen).toMatchObject({ hookPlanted: false, configChanged: false, fileChanged: false, recordPlanted: false, worktreeWritten: true });
    });

    if (confinement === 'protected-only') {
      it('(control) without the worktree runner, full access could: the test is armed', async () => {
        const seen = await attack(() => sandboxed);
        expect(seen).toMatchObject({ hookPlanted: true, configChanged: true, fileChanged: true, worktreeWritten: true });
      });
    }
  });
}

it('leaves out a path that contains the worktree (a repository at the home folder would lock it)', () => {
  const worktree = { path: '/home/u/.tandem-worktrees/home/chat-1', metaDir: '/home/u/.tandem-worktrees/home/.chat-1.tandem', workspaceRoot: '/home/u', repo: { toplevel: '/home/u', gitDir: '/home/u/.git', commonDir: '/home/u/.git', head: 'x' } };
  expect(repositoryReadOnlyPaths(worktree)).toEqual(['/home/u/.git', '/home/u/.tandem-worktrees/home/.chat-1.tandem']);
});
