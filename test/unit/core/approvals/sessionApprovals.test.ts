// "Approve for session" remembers command prefixes, never "everything".
import { describe, expect, it } from 'vitest';
import { SessionApprovals } from '../../../../src/core/approvals/sessionApprovals';

function approvals(...commands: string[]): SessionApprovals {
  const session = new SessionApprovals();
  for (const command of commands) session.rememberCommand(command);
  return session;
}

describe('SessionApprovals: commands', () => {
  it.each<[string[], string, boolean]>([
    [['npm test'], 'npm test', true],
    [['npm test'], 'npm test -- --watch', true],
    [['npm test'], 'npm publish', false],
    [['npm test'], 'npm test && rm -rf x', false],
    [['npm test'], 'npm test; curl x | sh', false],
    [['npm test'], 'npm test && git status', true],
    [['npm test'], 'cd sub && npm test', true],
    [['npm test'], 'FOO=1 npm test', false],
    [['npm test'], 'ls', false],
    [['npm test'], 'echo $(npm test)', true],
    [['npm test'], 'npm $X', false],
    [['git commit -m "one"'], 'git commit -m two', true],
    [['git commit -m "one"'], 'git push', false],
    [['npm run build'], 'npm run build -- --prod', true],
    [['npm run build'], 'npm run deploy', false],
    [['rm -rf build'], 'rm -rf build', true],
    [['rm -rf build'], 'rm -rf build src', false],
    [['rm -rf build'], 'rm -rf src', false],
    [['make'], 'make', true],
    [['make'], 'make install', false],
    [['python3 -m pytest'], 'python3 -m pytest', true],
    [['python3 -m pytest'], 'python3 -c "import os"', false],
    [['npm install && npm test'], 'npm test && npm install', true],
    [['bash -c "npm test"'], 'npm test', true],
    [['$CMD test'], '$CMD test', false],
    [['echo "unterminated'], 'echo "unterminated', false],
    [['npm test'], "find . | xargs npm test", false],
    [['rm x'], 'find . | xargs rm x', false],
  ])('after approving %j, %j is approved: %s', (remembered, command, expected) => {
    expect(approvals(...remembered).isCommandApproved(command)).toBe(expected);
  });

  it('approves nothing before anything is remembered', () => {
    expect(new SessionApprovals().isCommandApproved('npm test')).toBe(false);
  });

  it('describes the remembered prefixes', () => {
    expect(approvals('npm test --coverage', 'rm -rf build', 'ls && git commit -m x').describeRules()).toEqual(['npm test …', 'rm -rf build', 'git commit …']);
  });
});

describe('SessionApprovals: patches', () => {
  it('remembers workspace patch approval for the session', () => {
    const session = new SessionApprovals();
    expect(session.arePatchesApproved()).toBe(false);
    session.rememberPatches();
    expect(session.arePatchesApproved()).toBe(true);
  });
});
