// The conservative bash parser behind the approval policy: what runs, what is hidden, what is written.
import { describe, expect, it } from 'vitest';
import { parseShell, type ParseResult } from '../../../../src/core/approvals/shellParse';

function parsed(script: string): Extract<ParseResult, { ok: true }> {
  const result = parseShell(script);
  if (!result.ok) throw new Error(`expected ${JSON.stringify(script)} to parse: ${result.error}`);
  return result;
}
const argvs = (script: string) => parsed(script).commands.map((c) => c.argv);
const kinds = (script: string) => parsed(script).constructs.map((c) => c.kind);
const opaque = (script: string) => parsed(script).constructs.some((c) => c.opaque);

describe('parseShell: splitting into simple commands', () => {
  it.each<[string, string[][]]>([
    ['ls -la', [['ls', '-la']]],
    ['ls && rm -rf x', [['ls'], ['rm', '-rf', 'x']]],
    ['a || b; c | d |& e & f', [['a'], ['b'], ['c'], ['d'], ['e'], ['f']]],
    ['ls\npwd\n', [['ls'], ['pwd']]],
    ['(cd src && ls)', [['cd', 'src'], ['ls']]],
    ['{ ls; pwd; }', [['ls'], ['pwd']]],
    ["echo 'a && rm -rf /'", [['echo', 'a && rm -rf /']]],
    ['echo "a; b | c"', [['echo', 'a; b | c']]],
    ['echo a\\;b', [['echo', 'a;b']]],
    ['echo "x\\"y"', [['echo', 'x"y']]],
    ["echo 'it''s'", [['echo', 'its']]],
    ['ls \\\n  -la', [['ls', '-la']]],
    ['ls # rm -rf /', [['ls']]],
    ['echo a#b', [['echo', 'a#b']]],
    ['if true; then ls; fi', [['true'], ['ls']]],
    ["bash -c 'ls; pwd'", [['ls'], ['pwd']]],
    ["bash -lc 'git status'", [['git', 'status']]],
    ['sh -c "echo hi"', [['echo', 'hi']]],
    ['env A=1 git status', [['git', 'status']]],
    ['nohup make build', [['make', 'build']]],
    ['timeout 10 npm test', [['npm', 'test']]],
    ["eval 'ls -l'", [['ls', '-l']]],
    ['exec ls', [['ls']]],
    ['/bin/echo hi', [['/bin/echo', 'hi']]],
  ])('%j', (script, expected) => {
    expect(argvs(script)).toEqual(expected);
  });

  it('runs nested commands: substitutions, backticks (also inside double quotes), process substitution', () => {
    expect(argvs('echo $(rm -rf /)')).toEqual([['rm', '-rf', '/'], ['echo', '$(…)']]);
    expect(argvs('echo `id`')).toEqual([['id'], ['echo', '`…`']]);
    expect(argvs('echo "user: `id -u`"')).toEqual([['id', '-u'], ['echo', 'user: `…`']]);
    expect(argvs('echo "$(whoami)"')).toEqual([['whoami'], ['echo', '$(…)']]);
    expect(argvs('diff <(ls a) >(cat)')).toEqual([['ls', 'a'], ['cat'], ['diff', '<(…)', '>(…)']]);
    expect(kinds('diff <(ls a) b')).toEqual(['process-substitution']);
  });

  it('unwraps xargs and find -exec with the arguments still to come', () => {
    const xargs = parsed("find . -name '*.ts' | xargs rm");
    expect(xargs.commands.map((c) => [c.argv, c.context, c.extraArgs ?? false])).toEqual([
      [['find', '.', '-name', '*.ts'], 'top', false],
      [['rm'], 'xargs', true],
    ]);
    expect(argvs('xargs -n 1 -I{} echo {}')).toEqual([['echo', '{}']]);
    expect(argvs('find . -exec rm {} \\; -print')).toEqual([['find', '.', '-exec', 'rm', '{}', ';', '-print'], ['rm', '{}']]);
  });

  it('records assignments and strips them from argv', () => {
    const [command] = parsed('X=1 FOO="a b" npm test').commands;
    expect(command?.argv).toEqual(['npm', 'test']);
    expect(command?.assignments).toEqual(['X=1', 'FOO=a b']);
    expect(kinds('X=1 ls')).toContain('assignment');
    expect(argvs('"X"=1')).toEqual([['X=1']]);
  });
});

describe('parseShell: constructs', () => {
  it.each<[string, string, boolean]>([
    ['echo $(id)', 'command-substitution', false],
    ['echo `id`', 'command-substitution', false],
    ['echo ${X:-$(id)}', 'command-substitution', true],
    ['$CMD arg', 'dynamic-command', true],
    ['"$X" arg', 'dynamic-command', true],
    ['bash -c "$X"', 'shell-c', true],
    ["bash -c 'ls'", 'shell-c', false],
    ['eval "$X"', 'eval', true],
    ['eval ls', 'eval', false],
    ['exec ls', 'exec', false],
    ['cat <<EOF\nhi\nEOF', 'heredoc', false],
    ['cat <<EOF\n$(id)\nEOF', 'command-substitution', true],
    ['f() { rm -rf /; }; f', 'function', true],
    ['function f { ls; }', 'function', true],
    ['for f in *; do cat $f; done', 'control-flow', false],
    ['ls | xargs cat', 'xargs', false],
    ['env A=1 ls', 'env', false],
  ])('%j reports %s (opaque: %s)', (script, kind, isOpaque) => {
    const result = parsed(script);
    const construct = result.constructs.find((c) => c.kind === kind && c.opaque === isOpaque);
    expect(construct, JSON.stringify(result.constructs)).toBeDefined();
  });

  it('keeps a quoted heredoc body literal and does not parse it as commands', () => {
    expect(argvs("cat <<'EOF' > notes.txt\nrm -rf / $(id)\nEOF\nls")).toEqual([['cat'], ['ls']]);
    expect(opaque("cat <<'EOF'\n$(id)\nEOF")).toBe(false);
    expect(argvs('cat <<-EOF\n\trm x\n\tEOF\npwd')).toEqual([['cat'], ['pwd']]);
  });
});

describe('parseShell: redirections', () => {
  const writes = (script: string) => parsed(script).writes.map((w) => w.target.text);
  it.each<[string, string[]]>([
    ['echo ok > ../x', ['../x']],
    ['echo ok >> log.txt', ['log.txt']],
    ['ls &> out', ['out']],
    ['ls 2> err.txt', ['err.txt']],
    ['ls >| forced', ['forced']],
    ['ls >& both', ['both']],
    ['ls > /dev/null 2>&1', []],
    ['ls 2>/dev/null >&2', []],
    ['wc -l < input.txt', []],
    ['cat <<< "text"', []],
    ['echo "a > b"', []],
    ["echo 'x' '>' y", []],
    ['(ls; pwd) > out.txt', ['out.txt']],
    ['> empty.txt', ['empty.txt']],
  ])('%j writes %j', (script, expected) => {
    expect(writes(script)).toEqual(expected);
  });

  it('records the file descriptor and operator', () => {
    const [redirection] = parsed('ls 2>> err.log').commands[0]?.redirections ?? [];
    expect(redirection).toMatchObject({ op: '>>', fd: 2, write: true, target: { text: 'err.log', literal: true } });
    expect(parsed('echo > "$OUT"').writes[0]?.target.literal).toBe(false);
  });
});

describe('parseShell: unparseable input is reported, never guessed', () => {
  it.each([
    'echo "unterminated',
    "echo 'unterminated",
    'echo `unterminated',
    'echo $(ls',
    '(ls',
    'ls )',
    'ls &&',
    '&& ls',
    'ls | ',
    'ls ;; pwd',
    'echo >',
    'ls \\',
    'echo ${X',
    "bash -c 'echo \"x'",
  ])('%j', (script) => {
    const result = parseShell(script);
    expect(result.ok).toBe(false);
  });

  it('bounds recursion through nested shells', () => {
    let script = 'ls';
    for (let i = 0; i < 10; i++) script = `sh -c ${JSON.stringify(script).replace(/\$/g, '')}`;
    expect(parseShell(script).ok).toBe(false);
  });
});

describe('parseShell: fails closed, never throws', () => {
  it.each([
    ['parentheses', '('.repeat(100_000) + 'ls' + ')'.repeat(100_000)],
    ['command substitutions', 'echo ' + '$('.repeat(100_000) + 'ls' + ')'.repeat(100_000)],
    ['process substitutions', 'cat ' + '<('.repeat(100_000) + 'ls' + ')'.repeat(100_000)],
    ['quoted substitutions', 'echo ' + '"$('.repeat(50_000) + 'ls' + ')"'.repeat(50_000)],
    ['braces', '{ '.repeat(100_000) + 'ls; ' + '}; '.repeat(100_000)],
    ['parameter braces', 'echo ' + '${'.repeat(100_000) + 'x' + '}'.repeat(100_000)],
    ['unbalanced parentheses', '('.repeat(100_000)],
  ])('100k nested %s give a reason, not an exception', (_name, script) => {
    const result = parseShell(script);
    if (result.ok) expect(result.constructs.length + result.commands.length).toBeGreaterThan(0);
    else expect(result.error).toMatch(/\w/);
  });

  it('refuses 100k nested parentheses with a reason that says so', () => {
    expect(parseShell('('.repeat(100_000) + 'ls' + ')'.repeat(100_000))).toEqual({ ok: false, error: 'more than 64 nested subshells or substitutions' });
  });

  it.each([
    ['carriage return', 'ls\r'],
    ['NUL', 'ls\0-la'],
    ['escape', 'ls \x1b[2J'],
    ['DEL', 'ls\x7f'],
    ['no-break space', 'ls\u00a0-la'],
    ['zero-width space', 'l\u200bs'],
    ['right-to-left override', 'ls \u202e-la'],
    ['line separator', 'ls\u2028rm x'],
    ['byte order mark', '\ufeffls'],
    ['non-ASCII before a backtick', 'echo é`id`'],
    ['non-ASCII before a backslash', 'echo 你\\`id\\`'],
    ['locale string', 'echo $"x"'],
    ['old arithmetic', 'echo $[1+1]'],
  ])('refuses %s', (_name, script) => {
    const result = parseShell(script);
    expect(result.ok).toBe(false);
  });

  it('marks ${…} with operators or subscripts as complex, plain ones not', () => {
    const words = (script: string) => parsed(script).commands[0]?.words.slice(1).map((w) => w.complex === true);
    expect(words('echo $HOME ${HOME} $1 ${a[x]} ${X:=y} ${#X}')).toEqual([false, false, false, true, true, true]);
  });
});
