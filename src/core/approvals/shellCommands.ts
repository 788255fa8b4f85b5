// Looks through the commands that only run other commands (`env`, `exec`, `nohup`, `eval`, `bash -c`,
// `xargs`, `find -exec`) and through shell keywords, so the policy judges what actually runs. Constructs
// whose payload cannot be read statically are reported as opaque.
import type { CommandContext, ConstructKind, SimpleCommand, Word } from './shellTypes';

export interface UnwrapHooks {
  construct(kind: ConstructKind, detail: string, opaque: boolean): void;
  /** Parses a literal script string; throws (a syntax error) when it does not parse. */
  parseNested(script: string, context: CommandContext): SimpleCommand[];
}

export const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'fish']);
/**
 * Shells whose `-c` script this parser reads as they do. zsh (glob qualifiers like `*(e:cmd:)`, `=(…)`),
 * ksh and fish have other syntax, so their scripts stay opaque.
 */
const PARSED_SHELLS = new Set(['sh', 'bash', 'dash']);
/** Single-letter shell options that change nothing about what the script runs (`-i` reads rc files and expands aliases). */
const HARMLESS_SHELL_FLAGS = /^-[celuxv]+$/;
const HARMLESS_SET_OPTIONS = new Set(['pipefail', 'errexit', 'nounset', 'xtrace', 'verbose']);
/** Keywords that only prefix or close a command (`then ls`, `do rm x`, `! grep`, `{ ls; }`). */
const PREFIX_KEYWORDS = new Set(['{', '}', '!', 'then', 'do', 'else', 'fi', 'done', 'esac', 'if', 'elif', 'while', 'until']);
const FLOW_KEYWORDS = new Set(['if', 'elif', 'while', 'until', 'for', 'select', 'case', '[[']);
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;
/** xargs short options that take a separate value. */
const XARGS_VALUE_OPTIONS = new Set(['-a', '-d', '-E', '-I', '-L', '-n', '-P', '-s']);
const BASH_LONG_OPTIONS = new Set(['--login', '--norc', '--noprofile', '--posix', '--noediting']);

/** `/usr/bin/git` → `git`: the policy classifies programs by name, wherever they live. */
export function programName(argv0: string): string {
  return argv0.slice(argv0.lastIndexOf('/') + 1);
}

export function unwrapCommand(command: SimpleCommand, hooks: UnwrapHooks): SimpleCommand[] {
  let cmd = command;
  for (let guard = 0; guard < 32; guard++) {
    const first = cmd.words[0];
    if (!first) return cmd.redirections.length > 0 || cmd.assignments.length > 0 ? [cmd] : [];
    if (!first.literal) {
      hooks.construct('dynamic-command', `a program name computed at run time (\`${first.text}\`)`, true);
      return [cmd];
    }
    const name = programName(first.text);
    if (name === 'function') {
      // A function can redefine any command (even `ls`) for the rest of the script.
      hooks.construct('function', `function definition \`${cmd.argv[1] ?? ''}\``, true);
      return [];
    }
    if (FLOW_KEYWORDS.has(name)) hooks.construct('control-flow', `shell keyword \`${name}\``, false);
    if (PREFIX_KEYWORDS.has(name)) {
      cmd = drop(cmd, 1);
      continue;
    }
    const next = unwrapOnce(cmd, name, hooks);
    if (next === undefined) return [cmd];
    if (Array.isArray(next)) return next;
    cmd = next;
  }
  hooks.construct('wrapper', 'too many nested command wrappers', true);
  return [cmd];
}

/** One layer: a command to keep unwrapping, the final list of commands, or `undefined` for "as is". */
function unwrapOnce(cmd: SimpleCommand, name: string, hooks: UnwrapHooks): SimpleCommand | SimpleCommand[] | undefined {
  const args = cmd.argv;
  switch (name) {
    case 'env':
      return unwrapEnv(cmd, hooks);
    case 'exec':
      hooks.construct('exec', '`exec`', false);
      if (args[1]?.startsWith('-')) {
        hooks.construct('exec', '`exec` with options', true);
        return undefined;
      }
      return drop(cmd, 1);
    case 'command':
    case 'builtin':
      if (args[1] === '-v' || args[1] === '-V') return undefined;
      hooks.construct('wrapper', `the command wrapper \`${name}\``, false);
      return drop(cmd, args[1] === '-p' ? 2 : 1);
    case 'nohup':
    case 'time':
      hooks.construct('wrapper', `the command wrapper \`${name}\``, false);
      return drop(cmd, args[1] === '-p' && name === 'time' ? 2 : 1);
    case 'nice':
    case 'timeout':
      return unwrapWithOptions(cmd, name, hooks);
    case 'eval':
      return unwrapEval(cmd, hooks);
    case 'xargs':
      return unwrapXargs(cmd, hooks);
    case 'find':
      return [cmd, ...findExecCommands(cmd, hooks)];
    default:
      return PARSED_SHELLS.has(name) ? unwrapShell(cmd, name, hooks) : undefined;
  }
}

function drop(cmd: SimpleCommand, count: number): SimpleCommand {
  const words = cmd.words.slice(count);
  return { ...cmd, words, argv: words.map((w) => w.text) };
}

function emptyWith(cmd: SimpleCommand): SimpleCommand[] {
  return cmd.redirections.length > 0 ? [{ ...cmd, words: [], argv: [], assignments: [] }] : [];
}

function unwrapEnv(cmd: SimpleCommand, hooks: UnwrapHooks): SimpleCommand | SimpleCommand[] | undefined {
  const assignments = [...cmd.assignments];
  let i = 1;
  while (i < cmd.argv.length) {
    const arg = cmd.argv[i] ?? '';
    if (arg === '-i' || arg === '-' || arg === '--ignore-environment' || arg === '--') i++;
    else if (arg === '-u') i += 2;
    else if (arg.startsWith('--unset=') || /^-u./.test(arg)) i++;
    else if (ASSIGNMENT.test(arg)) {
      assignments.push(arg);
      i++;
    } else if (arg.startsWith('-')) return undefined; // e.g. `env -S '…'`: judged as `env` itself, never safe
    else break;
  }
  if (assignments.length > cmd.assignments.length) {
    hooks.construct('assignment', `variable assignment \`${assignments.slice(cmd.assignments.length).join(' ')}\``, false);
  }
  if (i >= cmd.argv.length) return [{ ...cmd, assignments, words: cmd.words.slice(0, 1), argv: ['env'] }];
  hooks.construct('env', '`env` running another command', false);
  return { ...drop(cmd, i), assignments };
}

/** `nice [-n N] cmd`, `timeout [options] DURATION cmd`. Unknown shapes stay as they are. */
function unwrapWithOptions(cmd: SimpleCommand, name: string, hooks: UnwrapHooks): SimpleCommand | undefined {
  let i = 1;
  while (cmd.argv[i]?.startsWith('-')) {
    const arg = cmd.argv[i] ?? '';
    i += ['-n', '-s', '-k', '--signal', '--kill-after', '--adjustment'].includes(arg) ? 2 : 1;
  }
  if (name === 'timeout') i++; // the duration
  if (i >= cmd.argv.length) return undefined;
  hooks.construct('wrapper', `the command wrapper \`${name}\``, false);
  return drop(cmd, i);
}

function unwrapEval(cmd: SimpleCommand, hooks: UnwrapHooks): SimpleCommand[] | undefined {
  const args = cmd.words.slice(1);
  if (!args.every((w) => w.literal)) {
    hooks.construct('eval', '`eval` of a computed string', true);
    return undefined;
  }
  hooks.construct('eval', '`eval`', false);
  return [...hooks.parseNested(args.map((w) => w.text).join(' '), 'eval'), ...emptyWith(cmd)];
}

function unwrapShell(cmd: SimpleCommand, name: string, hooks: UnwrapHooks): SimpleCommand[] | undefined {
  let i = 1;
  let hasC = false;
  while (i < cmd.words.length) {
    const word = cmd.words[i] as Word;
    const arg = word.text;
    if (!word.literal) break;
    if (arg === '-o' && HARMLESS_SET_OPTIONS.has(cmd.words[i + 1]?.text ?? '')) i += 2;
    else if (BASH_LONG_OPTIONS.has(arg)) i++;
    else if (HARMLESS_SHELL_FLAGS.test(arg)) {
      if (arg.includes('c')) hasC = true;
      i++;
      if (hasC) break;
    } else return undefined; // an option we do not model (`-i`, `-O`, `--rcfile`): judged as the shell itself
  }
  if (!hasC) return undefined; // a script file or stdin: judged as the shell program itself
  const script = cmd.words[i];
  if (!script) return undefined;
  if (!script.literal) {
    hooks.construct('shell-c', `\`${name} -c\` with a computed script`, true);
    return undefined;
  }
  hooks.construct('shell-c', `\`${name} -c\` with a literal script`, false);
  return [...hooks.parseNested(script.text, 'shell-c'), ...emptyWith(cmd)];
}

function unwrapXargs(cmd: SimpleCommand, hooks: UnwrapHooks): SimpleCommand[] {
  hooks.construct('xargs', '`xargs`, which runs a command on its input', false);
  let i = 1;
  while (i < cmd.argv.length) {
    const arg = cmd.argv[i] ?? '';
    if (arg === '--') {
      i++;
      break;
    }
    if (!arg.startsWith('-')) break;
    i += XARGS_VALUE_OPTIONS.has(arg) ? 2 : 1;
  }
  const words = i < cmd.words.length ? cmd.words.slice(i) : [{ text: 'echo', literal: true, glob: false }];
  const inner: SimpleCommand = { ...cmd, words, argv: words.map((w) => w.text), context: 'xargs', extraArgs: true };
  return unwrapCommand(inner, hooks);
}

/** The commands run by `find … -exec cmd {} ;` (also -execdir, -ok, -okdir). */
function findExecCommands(cmd: SimpleCommand, hooks: UnwrapHooks): SimpleCommand[] {
  const found: SimpleCommand[] = [];
  for (let i = 1; i < cmd.argv.length; i++) {
    if (!['-exec', '-execdir', '-ok', '-okdir'].includes(cmd.argv[i] ?? '')) continue;
    const start = i + 1;
    let end = start;
    while (end < cmd.argv.length && cmd.argv[end] !== ';' && cmd.argv[end] !== '+') end++;
    hooks.construct('find-exec', `\`find ${cmd.argv[i]}\`, which runs a command per file`, false);
    const words = cmd.words.slice(start, end);
    if (words.length > 0) {
      const inner: SimpleCommand = { argv: words.map((w) => w.text), words, assignments: [], redirections: [], context: 'find-exec', extraArgs: true };
      found.push(...unwrapCommand(inner, hooks));
    }
    i = end;
  }
  return found;
}
