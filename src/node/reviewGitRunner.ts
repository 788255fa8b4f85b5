// The process runner code review reads git through: the project's runner (sandboxed read-only where an OS
// sandbox works, git safety overrides either way) on plain pipes and /bin/sh. Pipes, not a terminal: a
// diff is data, and a terminal would rewrite line endings and tell git it may colour and page; /bin/sh,
// not the user's shell: the commands are built with POSIX quoting (core/codeReview/gitDiff.ts).
import type { ProcessRunner } from '../core/ports';
import { createProcessRunner } from './createRunner';

export function createReviewGitRunner(): ProcessRunner {
  return createProcessRunner({
    shell: process.platform === 'win32' ? undefined : '/bin/sh',
    loadPty: () => {
      throw new Error('review output is read through pipes');
    },
    onFallback: () => {},
    // Review commands only read: whatever the user's sandbox setting, they get the read-only profile.
    sandbox: { settings: () => ({ mode: 'read-only', network: false }) },
  });
}
