// The strict allowlist (no OS sandbox): a few exact read-only argv shapes, nothing else.
import { describe, expect, it } from 'vitest';
import { isStrictlyAllowlisted, strictAllowlistReason, strictFileOperands } from '../../../../src/core/approvals/strictAllowlist';
import { parseShell } from '../../../../src/core/approvals/shellParse';

const strict = (command: string, gitEnvironmentApplied = true) => isStrictlyAllowlisted(parseShell(command), { gitEnvironmentApplied });

describe('isStrictlyAllowlisted: allowed shapes', () => {
  it.each([
    'pwd',
    'ls',
    'ls -la src',
    'ls -lah',
    'cat package.json',
    'cat -n src/a.ts',
    'head -n 20 src/a.ts',
    'head -20 README.md',
    'tail -n 5 log.txt',
    'wc -l src/a.ts src/b.ts',
    'grep -rn TODO src',
    'grep -e foo -r .',
    "grep -rn --include='*.ts' foo src",
    'rg -n foo src',
    'rg --files',
    "rg -g '*.ts' foo",
    'echo hello',
    'cat package.json | grep version',
    'ls src && ls test',
    'ls > /dev/null 2>&1',
    'git log --oneline -5',
    'git log -n 3',
    'git rev-parse --show-toplevel',
    'git rev-parse --abbrev-ref HEAD',
    'git branch --show-current',
    'git --no-pager log --oneline',
  ])('%j', (command) => {
    expect(strictAllowlistReason(parseShell(command), { gitEnvironmentApplied: true })).toBeUndefined();
  });
});

describe('isStrictlyAllowlisted: everything else', () => {
  it.each([
    // expansions of any kind
    'ls $HOME',
    'cat *.ts',
    'cat ~/.ssh/id_rsa',
    'ls {a,b}',
    "echo $'\\x41'",
    'echo $(id)',
    // outside the working directory
    'cat /etc/passwd',
    'cat ../secret',
    'cat src/../../secret',
    'cat proc/self/environ',
    'head -n 1 /proc/self/environ',
    'grep -r key /home',
    // options not listed, abbreviations, glued forms
    'ls --hyperlink',
    'ls --al',
    'grep --include-dir=x foo',
    'grep -f patterns.txt src',
    'rg --pre cat foo',
    'rg --pr cat foo',
    'head -n $N file',
    'head -n 1e3 file',
    'tail -f log.txt',
    'cat -- -n',
    'sort names.txt',
    'find . -name x',
    'sed -n 1p file',
    // redirections, subshells, constructs
    'cat a > b',
    'ls 2> err.txt',
    'cat < /dev/tcp/127.0.0.1/80',
    '(ls)',
    'ls | sh',
    'X=1 ls',
    "bash -c 'ls'",
    'cat <<EOF\nx\nEOF',
    'cd src && ls',
    // git that reads work-tree files runs the repository's filter drivers (clean=…), whatever the env says
    'git status',
    'git status --short',
    'git status -sb',
    'git --no-pager status',
    'git diff --no-ext-diff --no-textconv',
    'git diff --no-ext-diff --no-textconv --stat --cached',
    'git log --oneline && git status',
    // git beyond the listed shapes
    'git diff',
    'git diff --no-ext-diff',
    'git show HEAD',
    'git log -p',
    'git log --format=%G?',
    'git -C sub status',
    'git -c core.pager=sh log',
    'git status --porcelain=v2',
    'git branch new',
    'git log --oneline -n 1; rm -rf x',
    // characters
    'ls\r',
    'ls\u00a0-la',
    'cat caf\u00e9.txt',
    '',
  ])('%j', (command) => {
    expect(strict(command)).toBe(false);
  });

  it('allows no git at all unless the runner locks down git’s environment', () => {
    expect(strict('git log --oneline', true)).toBe(true);
    expect(strict('git log --oneline', false)).toBe(false);
    expect(strictAllowlistReason(parseShell('git log --oneline'))).toMatch(/environment/);
  });
});

describe('strictFileOperands: the paths an allowlisted command reads (resolved on disk by the caller)', () => {
  const operands = (command: string) => strictFileOperands(parseShell(command), { gitEnvironmentApplied: true });
  it.each<[string, string[]]>([
    ['cat a.txt b.txt', ['a.txt', 'b.txt']],
    ['head -c 40 p/1234/environ', ['p/1234/environ']],
    ['tail -c 12 p/1234/environ', ['p/1234/environ']],
    ['grep -rn key p', ['p']],
    ['grep -e key -r p q', ['p', 'q']],
    ['rg -n key p', ['p']],
    ['rg --files p', ['p']],
    ['ls -la p', ['p']],
    ['wc -l a && cat b | grep x c', ['a', 'b', 'c']],
    ['echo p/1/environ', []],
    ['pwd', []],
    ['ls', []],
    ['git rev-parse --abbrev-ref HEAD', []],
  ])('%j -> %j', (command, expected) => {
    expect(operands(command)).toEqual(expected);
  });

  it('lists nothing for a command that is not allowlisted', () => {
    expect(operands('cat /proc/self/environ')).toBeUndefined();
    expect(operands('git status')).toBeUndefined();
  });

  it.each(['grep -R key p', 'grep --dereference-recursive key p', 'rg -L key p', 'rg --follow key p', 'ls -L p', 'ls --dereference p', 'cat -L p'])(
    'never lists a reader that follows links while recursing: %j',
    (command) => {
      expect(operands(command)).toBeUndefined();
    },
  );
});
