// "Known safe" = every command that would run only reads. This is an allow-list: a program is safe only
// when it is listed (readOnlyPrograms.ts, gitReadOnly.ts) and every one of its options is listed as
// harmless, read the way the program itself reads them (argSpec.ts). Anything unlisted, unparseable or
// hidden (substitutions, `eval`, heredocs, builtins that evaluate their arguments) is not safe.
// This verdict only decides whether to ask: a command judged safe still runs confined read-only with no
// network (where a sandbox exists), so a miss here cannot write or leak. Where no sandbox exists the
// policy uses the much smaller strictAllowlist.ts instead.
import { parseArgs } from './argSpec';
import { checkGit, isDownwardPath } from './gitReadOnly';
import { checkFind, checkPrintf, checkTest, PROGRAMS } from './readOnlyPrograms';
import { parseShell, type ParseResult, type SimpleCommand, type Word } from './shellParse';

export interface SafetyVerdict {
  safe: boolean;
  /** Why the command is not safe (absent when it is). */
  reason?: string;
}

/** Programs whose arguments are an expression or a subcommand line rather than GNU options. */
const SPECIAL: Record<string, (args: string[]) => string | undefined> = {
  find: checkFind,
  test: (args) => checkTest(args, false),
  '[': (args) => checkTest(args, true),
  printf: checkPrintf,
  git: checkGit,
};

/**
 * Unicode look-alikes: a dash or letter from another block (`−o`, `ｌｓ`) reads as an option or a
 * command to a person but not to the program. Refused where they would matter: in the program name,
 * at the start of a word, or as full-width forms anywhere.
 */
const LOOKALIKE_START = /^[\u2010-\u2015\u2212\uFE58\uFE63\u00AD]/;
const FULLWIDTH = /[\uFF01-\uFF5E]/;
const NON_ASCII = /[^\u0020-\u007E]/;

/** Input redirections that are not files: bash opens a network connection for `/dev/tcp/host/port`. */
const NETWORK_PATH = /^\/dev\/(tcp|udp)\//;

const notSafe = (reason: string): SafetyVerdict => ({ safe: false, reason });

/** Whether one simple command (already unwrapped by the parser) is read-only; the reason when it is not. */
export function simpleCommandSafety(command: SimpleCommand): SafetyVerdict {
  const write = command.redirections.find((r) => r.write);
  if (write) return notSafe(`writes to \`${write.target.text}\``);
  const network = command.redirections.find((r) => !r.target.literal || NETWORK_PATH.test(r.target.text));
  if (network) return notSafe(`redirects from \`${network.target.text}\`, which may be a network connection`);
  if (command.argv.length === 0) return { safe: true };
  if (command.assignments.length > 0) return notSafe('sets environment variables for the command');
  if (command.extraArgs) return notSafe('runs a command with arguments chosen at run time');
  const [first, ...rest] = command.words;
  const program = first?.text ?? '';
  // `./ls` or `/tmp/x/cat` may be anything; only the names found on PATH count.
  if (!first?.literal || program.includes('/') || NON_ASCII.test(program)) return notSafe(`\`${program}\` is not a known read-only command`);
  const lookalike = rest.find((w) => LOOKALIKE_START.test(w.text) || FULLWIDTH.test(w.text));
  if (lookalike) return notSafe(`\`${lookalike.text}\` contains a look-alike of an ASCII character`);
  const rule = Object.hasOwn(PROGRAMS, program) ? PROGRAMS[program] : undefined;
  const special = Object.hasOwn(SPECIAL, program) ? SPECIAL[program] : undefined;
  if (!rule && !special) return notSafe(`\`${program}\` is not a known read-only command`);
  const expanding = rest.find((w) => !w.literal || w.glob);
  if (expanding && !(rule?.anyArgs && tolerable(expanding))) return notSafe(`\`${expanding.text}\` could expand to options of ${program}`);
  const args = rest.map((w) => w.text);
  if (special) {
    const reason = special(args);
    return reason === undefined ? { safe: true } : notSafe(reason);
  }
  if (!rule || rule.noOptions) return { safe: true };
  const parsed = parseArgs(args, rule.spec ?? {});
  if (!parsed.ok) return notSafe(`${program}: ${parsed.reason}`);
  const reason = rule.check?.(parsed, args);
  return reason === undefined ? { safe: true } : notSafe(reason);
}

/** A word whose expansion cannot run anything: globs and plain `$NAME`, not `${a[i]}` or `${X:=…}`. */
function tolerable(word: Word): boolean {
  return word.complex !== true;
}

/** Safety of a parsed command line: every simple command must be safe and nothing may be hidden. */
export function parsedCommandSafety(parsed: ParseResult): SafetyVerdict {
  if (!parsed.ok) return notSafe(`the command could not be analysed (${parsed.error})`);
  // A literal `bash -c '…'` was expanded into its commands; every other construct hides or changes what runs.
  const construct = parsed.constructs.find((c) => c.kind !== 'shell-c' || c.opaque);
  if (construct) return notSafe(`it uses ${construct.detail}`);
  if (parsed.commands.length === 0) return notSafe('the command is empty');
  let leftStartDir = false;
  for (const command of parsed.commands) {
    const verdict = simpleCommandSafety(command);
    if (!verdict.safe) return verdict;
    const program = command.argv[0];
    // After `cd` out of the starting directory, git could find another repository and its configuration.
    if (program === 'cd' && !staysBelow(command.words.slice(1))) leftStartDir = true;
    if (program === 'git' && leftStartDir) return notSafe('git after `cd` out of the working directory can use another repository and its configuration');
  }
  return { safe: true };
}

function staysBelow(args: Word[]): boolean {
  const operands = args.filter((w) => !/^-[LPe@]+$/.test(w.text));
  const target = operands[0];
  return operands.length === 1 && target !== undefined && target.literal && !target.glob && isDownwardPath(target.text);
}

/** True only if `command` is certain to only read: see the allow-list above. */
export function isKnownSafeCommand(command: string): SafetyVerdict {
  return parsedCommandSafety(parseShell(command));
}
