// The worktree chat's buttons reach the host only as allow-listed commands (parseWebviewMessage): the four
// new ones pass, anything merely like them (case, suffix, an argument smuggled in) is dropped.
import { describe, expect, it } from 'vitest';
import { parseWebviewMessage } from '../../../src/shared/protocol';

const COMMANDS = ['tandem.newChatInWorktree', 'tandem.reviewWorktreeChanges', 'tandem.openWorktreeFolder', 'tandem.discardWorktree'];

describe('worktree commands from the view', () => {
  it('are accepted as runCommand with nothing but the command', () => {
    for (const command of COMMANDS) {
      expect(parseWebviewMessage({ type: 'runCommand', command, args: ['/etc'], path: '/etc' })).toEqual({ type: 'runCommand', command });
    }
  });

  it('look-alikes are refused', () => {
    for (const command of ['tandem.newchatinworktree', 'tandem.discardWorktree ', 'tandem.openWorktreeFolder?/etc', 'vscode.openFolder', 'revealFileInOS', 'git.deleteWorktree']) {
      expect(parseWebviewMessage({ type: 'runCommand', command })).toBeUndefined();
    }
  });
});
