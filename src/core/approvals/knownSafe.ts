// "Known safe" = every command that would run only reads. This is an allow-list: a program is safe only
// when it is listed here and none of its arguments turns it into something that writes, deletes or runs
// other programs. Anything unlisted, unparseable or hidden (substitutions, `eval`, heredocs) is not safe.
import { parseShell, type ParseResult, type SimpleCommand } from './shellParse';

export interface SafetyVerdict {
  safe: boolean;
  /** Why the command is not safe (absent when it is). */
  reason?: string;
}

type ArgsCheck = (args: string[]) => string | undefined;
const ok: ArgsCheck = () => undefined;

/** Programs that ignore what their arguments expand to: `$X` or `*` cannot turn them into writers. */
const EXPANSION_TOLERANT = new Set(['echo', 'printf', 'cat', 'head', 'tail', 'wc', 'ls', 'pwd', 'nl', 'basename', 'dirname', 'realpath', 'stat', 'cd', 'test', '[', 'du', 'df', 'which', 'grep', 'egrep', 'fgrep']);

const FIND_UNSAFE = new Set(['-exec', '-execdir', '-ok', '-okdir', '-delete', '-fls', '-fprint', '-fprint0', '-fprintf']);
const GIT_READ_ONLY = new Set(['status', 'log', 'diff', 'show', 'rev-parse', 'ls-files', 'blame', 'grep']);
/** Options that make an otherwise read-only git command write a file or run a configured program. */
const GIT_UNSAFE_OPTION = /^(--output(=|$)|--ext-diff$|--textconv$|-O|--open-files-in-pager)/;
const GIT_BRANCH_LIST_FLAGS = /^(-a|-r|-v|-vv|-l|--list|--all|--remotes|--verbose|--show-current|--no-color|--color(=.*)?|--column(=.*)?|--no-column|--contains|--no-contains|--merged|--no-merged|--points-at|--sort=.*|--format=.*|-i|--ignore-case)$/;
const SED_PRINT_SCRIPT = /^(\d+|\$)(,(\d+|\$))?p$/;

/** Short-option clusters (`-rz`) that contain one of `letters`. */
const hasShortFlag = (args: string[], letters: string) => args.some((a) => /^-[A-Za-z0-9]+$/.test(a) && [...letters].some((l) => a.includes(l)));

const CHECKS: Record<string, ArgsCheck> = {
  ...Object.fromEntries(
    ['ls', 'cat', 'head', 'tail', 'wc', 'pwd', 'which', 'stat', 'du', 'df', 'nl', 'cut', 'tr', 'diff', 'cmp', 'basename', 'dirname', 'realpath', 'whoami', 'uname', 'true', 'false', 'test', '[', 'echo', 'printf', 'cd', 'grep', 'egrep', 'fgrep'].map((name) => [name, ok]),
  ),
  rg: (args) => (args.some((a) => /^--(pre|hostname-bin|search-zip)(=|$)/.test(a)) || hasShortFlag(args, 'z') ? 'rg can run preprocessors (`--pre`, `--search-zip`)' : undefined),
  find: (args) => {
    const bad = args.find((a) => FIND_UNSAFE.has(a));
    return bad ? `find ${bad} runs commands or writes files` : undefined;
  },
  sort: (args) => (args.some((a) => /^--(output|compress-program)/.test(a)) || hasShortFlag(args, 'o') ? 'sort -o writes a file' : undefined),
  tree: (args) => (args.some((a) => a.startsWith('--output')) || hasShortFlag(args, 'oR') ? 'tree -o / -R writes files' : undefined),
  file: (args) => (args.some((a) => a === '--compile') || hasShortFlag(args, 'C') ? 'file -C writes a magic file' : undefined),
  uniq: (args) => (args.filter((a) => !a.startsWith('-') && !/^\d+$/.test(a)).length > 1 ? 'uniq with two file names writes the second' : undefined),
  date: (args) => (args.every((a) => a.startsWith('+') || /^(-u|-R|--utc|--universal|-I\w*|--iso-8601(=.*)?|--rfc-\S+)$/.test(a)) ? undefined : 'date can set the clock'),
  env: (args) => (args.length === 0 ? undefined : 'env runs another command'),
  sed: checkSed,
  git: checkGit,
};

function checkSed(args: string[]): string | undefined {
  const flags = args.filter((a) => a.startsWith('-'));
  const operands = args.filter((a) => !a.startsWith('-'));
  const quiet = flags.length > 0 && flags.every((f) => f === '-n' || f === '--quiet' || f === '--silent');
  if (!quiet || !SED_PRINT_SCRIPT.test(operands[0] ?? '')) return 'only `sed -n Np` / `sed -n M,Np` counts as read-only';
  return undefined;
}

function checkGit(args: string[]): string | undefined {
  let i = 0;
  while (args[i]?.startsWith('-')) {
    if (args[i] === '--no-pager') i++;
    else if (args[i] === '-C') i += 2;
    else return `git ${args[i]} can change what git runs`;
  }
  const sub = args[i];
  const rest = args.slice(i + 1);
  const unsafeOption = rest.find((a) => GIT_UNSAFE_OPTION.test(a));
  if (unsafeOption) return `git ${sub} ${unsafeOption} writes a file or runs a program`;
  if (sub !== undefined && GIT_READ_ONLY.has(sub)) return undefined;
  if (sub === 'branch') {
    const listing = rest.includes('--list') || rest.includes('-l');
    const flags = rest.filter((a) => a.startsWith('-'));
    const names = rest.filter((a) => !a.startsWith('-'));
    if (flags.every((f) => GIT_BRANCH_LIST_FLAGS.test(f)) && (names.length === 0 || listing)) return undefined;
    return 'git branch with these arguments changes branches';
  }
  if (sub === 'remote' && (rest.length === 0 || (rest.length === 1 && (rest[0] === '-v' || rest[0] === '--verbose')))) return undefined;
  if (sub === 'stash' && rest.length === 1 && rest[0] === 'list') return undefined;
  return `git ${sub ?? ''} is not a read-only git command`.replace(/ +$/, '');
}

/** Whether one simple command (already unwrapped by the parser) is read-only; the reason when it is not. */
export function simpleCommandSafety(command: SimpleCommand): SafetyVerdict {
  const write = command.redirections.find((r) => r.write);
  if (write) return { safe: false, reason: `writes to \`${write.target.text}\`` };
  if (command.argv.length === 0) return { safe: true };
  if (command.assignments.length > 0) return { safe: false, reason: 'sets environment variables for the command' };
  if (command.extraArgs) return { safe: false, reason: 'runs a command with arguments chosen at run time' };
  const [first, ...rest] = command.words;
  const program = first?.text ?? '';
  // `./ls` or `/tmp/x/cat` may be anything; only the names found on PATH count.
  if (!first?.literal || program.includes('/')) return { safe: false, reason: `\`${program}\` is not a known read-only command` };
  const check = CHECKS[program];
  if (!check) return { safe: false, reason: `\`${program}\` is not a known read-only command` };
  if (!EXPANSION_TOLERANT.has(program)) {
    const expanding = rest.find((w) => !w.literal || w.glob);
    if (expanding) return { safe: false, reason: `\`${expanding.text}\` could expand to options of ${program}` };
  }
  const reason = check(rest.map((w) => w.text));
  return reason === undefined ? { safe: true } : { safe: false, reason };
}

/** Safety of a parsed command line: every simple command must be safe and nothing may be hidden. */
export function parsedCommandSafety(parsed: ParseResult): SafetyVerdict {
  if (!parsed.ok) return { safe: false, reason: `the command could not be analysed (${parsed.error})` };
  // A literal `bash -c '…'` was expanded into its commands; every other construct hides or changes what runs.
  const construct = parsed.constructs.find((c) => c.kind !== 'shell-c' || c.opaque);
  if (construct) return { safe: false, reason: `it uses ${construct.detail}` };
  if (parsed.commands.length === 0) return { safe: false, reason: 'the command is empty' };
  for (const command of parsed.commands) {
    const verdict = simpleCommandSafety(command);
    if (!verdict.safe) return verdict;
  }
  return { safe: true };
}

/** True only if `command` is certain to only read: see the allow-list above. */
export function isKnownSafeCommand(command: string): SafetyVerdict {
  return parsedCommandSafety(parseShell(command));
}
