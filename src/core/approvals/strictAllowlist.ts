// What may run without asking where NO OS sandbox exists (Windows, no bwrap, user namespaces off,
// `sandbox.mode: off`). There, nothing bounds a classifier miss, so instead of the general classifier
// (knownSafe.ts) only a handful of exact argv shapes count, each validated strictly:
//   - every word is literal printable ASCII: no `$`, backticks, globs, `~`, quotes that hide anything;
//   - no assignments, no substitutions, subshells, here-documents, `bash -c`, functions or keywords;
//   - no redirection except discarding output (`>/dev/null`, `2>/dev/null`, `2>&1`, `&>/dev/null`);
//   - pipes and `&&` / `;` only between commands that are each on the list;
//   - only the options listed per shape (exact spellings, no abbreviations), no `--`;
//   - file operands are relative, without `..`, and not under /proc, /sys or /dev.
// git shapes count only when the runner applies gitSafetyEnv() (gitReadOnly.ts), because a repository's
// config can otherwise make git run programs; without that promise git always asks. Even with it, only
// shapes that never read the work tree's files are listed: `git status` and `git diff` run the clean
// filter (`filter.<name>.clean`) of any driver `.gitattributes` names for a file whose stat info is dirty,
// and no environment variable can switch off a driver whose name the repository picks. `log`,
// `rev-parse` and `branch --show-current` read only refs and objects (no filter, textconv or diff driver
// without -p/--stat, and the overrides cover pager, fsmonitor, hooks and gpg).
// Symlinks: this file only sees words. `strictFileOperands` lists the paths each command reads, so the
// caller (AgentSession.authorize) can resolve them on disk and ask when one leads out of the workspace
// or into /proc, /sys or /dev (a workspace link `p -> /proc` would otherwise read another process's
// environment). Recursive readers are listed only with options that do not follow links found while
// recursing (`grep -r`, not `-R`; `ls -R`, not `-L`; `rg` without `-L`/`--follow`).
import { parseArgs, type ArgSpec, type ParsedArgs } from './argSpec';
import { isDownwardPath } from './gitReadOnly';
import type { ParseResult, Redirection, SimpleCommand } from './shellTypes';

export interface StrictOptions {
  /** The runner sets gitSafetyEnv() for allowlisted commands; without it no git command is allowlisted. */
  gitEnvironmentApplied?: boolean;
}

interface Shape {
  spec: ArgSpec;
  /** Operands that are not file paths (a search pattern), counted from the first. */
  patternOperands?: (parsed: Extract<ParsedArgs, { ok: true }>) => number;
  check?: (parsed: Extract<ParsedArgs, { ok: true }>) => string | undefined;
}

const COUNT = /^\d{1,6}$/;
const countValues = (parsed: Extract<ParsedArgs, { ok: true }>) => (parsed.options.every((o) => o.value === undefined || COUNT.test(o.value)) ? undefined : 'a count that is not a plain number');
const grepPattern = (parsed: Extract<ParsedArgs, { ok: true }>) => (parsed.options.some((o) => o.name === '-e' || o.name === '--regexp') ? 0 : 1);

const SHAPES: Record<string, Shape> = {
  pwd: { spec: { maxOperands: 0 } },
  echo: { spec: {} },
  ls: { spec: { flags: 'aAlhRtSr1dF', long: ['all', 'almost-all', 'human-readable', 'recursive', 'reverse'] } },
  cat: { spec: { flags: 'n' } },
  head: { spec: { valued: 'nc', numeric: true }, check: countValues },
  tail: { spec: { valued: 'nc', numeric: true }, check: countValues },
  wc: { spec: { flags: 'lwcm' } },
  grep: {
    spec: { flags: 'rnilcvwFEHhsoq', valued: 'eABC', longValued: ['include', 'exclude', 'exclude-dir'] },
    patternOperands: grepPattern,
    check: (parsed) => (parsed.options.every((o) => !['-A', '-B', '-C'].includes(o.name) || COUNT.test(o.value ?? '')) ? undefined : 'a context that is not a plain number'),
  },
  rg: {
    spec: { flags: 'nilcwFSvo', valued: 'egt', long: ['files', 'hidden', 'no-heading', 'line-number', 'ignore-case', 'fixed-strings', 'files-with-matches'], longValued: ['glob', 'type'] },
    patternOperands: (parsed) => (parsed.options.some((o) => o.name === '--files') ? 0 : grepPattern(parsed)),
  },
};

// Never `status` or `diff` (see the header): they run repository-chosen filter drivers on work-tree files.
const GIT_SHAPES: Record<string, Shape> = {
  log: { spec: { valued: 'n', numeric: true, long: ['oneline', 'graph', 'no-decorate'] }, check: countValues },
  'rev-parse': { spec: { long: ['show-toplevel', 'abbrev-ref', 'short', 'is-inside-work-tree'], maxOperands: 1 }, patternOperands: () => 1 },
  branch: { spec: { long: ['show-current'], maxOperands: 0 } },
};

/** Redirections that only discard output. */
function discards(r: Redirection): boolean {
  if (r.op === '>&' && r.target.text === '1' && r.fd === 2) return true;
  return (r.op === '>' || r.op === '&>') && r.target.literal && r.target.text === '/dev/null';
}

/** Printable ASCII only, and none of the characters that would expand had they been unquoted. */
const PLAIN_WORD = /^[\x20-\x7e]*$/;

function strictFile(path: string): boolean {
  return isDownwardPath(path) && !/^(proc|sys|dev)(\/|$)/.test(path);
}

/** Why `command` is not one of the strict shapes, or the file operands it reads when it is one. */
function strictSimpleCommand(command: SimpleCommand, options: StrictOptions): { reason: string } | { files: string[] } {
  const result = strictShape(command, options);
  return typeof result === 'string' ? { reason: result } : result;
}

function strictShape(command: SimpleCommand, options: StrictOptions): string | { files: string[] } {
  if (command.context !== 'top') return 'it runs inside a subshell or substitution';
  if (command.assignments.length > 0 || command.extraArgs) return 'it sets variables or gets arguments at run time';
  if (!command.redirections.every(discards)) return 'it redirects input or output';
  if (command.argv.length === 0) return 'a bare redirection';
  if (!command.words.every((w) => w.literal && !w.glob && PLAIN_WORD.test(w.text) && !w.text.startsWith('~'))) return 'a word that is not plain literal text';
  let [program = '', ...args] = command.argv;
  let shapes = SHAPES;
  if (program === 'git') {
    if (!options.gitEnvironmentApplied) return 'git runs repository-configured programs unless its environment is locked down';
    if (args[0] === '--no-pager') args = args.slice(1);
    program = args[0] ?? '';
    args = args.slice(1);
    shapes = GIT_SHAPES;
  }
  const shape = Object.hasOwn(shapes, program) ? shapes[program] : undefined;
  if (!shape) return `\`${command.argv.join(' ')}\` is not on the strict allowlist`;
  if (args.includes('--')) return '`--` is not on the strict allowlist';
  const parsed = parseArgs(args, shape.spec);
  if (!parsed.ok) return parsed.reason;
  const files = program === 'echo' ? [] : parsed.operands.slice(shape.patternOperands?.(parsed) ?? 0);
  const bad = files.find((f) => !strictFile(f));
  if (bad !== undefined) return `\`${bad}\` is not a relative path inside the working directory`;
  return shape.check?.(parsed) ?? { files };
}

export function strictAllowlistReason(parsed: ParseResult, options: StrictOptions = {}): string | undefined {
  if (!parsed.ok) return `the command could not be analysed (${parsed.error})`;
  if (parsed.constructs.length > 0) return `it uses ${parsed.constructs[0]?.detail ?? 'a shell construct'}`;
  if (parsed.commands.length === 0) return 'the command is empty';
  for (const command of parsed.commands) {
    const result = strictSimpleCommand(command, options);
    if ('reason' in result) return result.reason;
  }
  return undefined;
}

/**
 * The file operands (as written, relative to the working directory) that an allowlisted command reads,
 * or `undefined` when it is not allowlisted. The working directory itself is not listed: `ls`, `grep -r`
 * and `rg` without operands read it, so a caller checking where reads land checks it as well.
 */
export function strictFileOperands(parsed: ParseResult, options: StrictOptions = {}): string[] | undefined {
  if (strictAllowlistReason(parsed, options) !== undefined || !parsed.ok) return undefined;
  const files: string[] = [];
  for (const command of parsed.commands) {
    const result = strictSimpleCommand(command, options);
    if ('reason' in result) return undefined;
    files.push(...result.files);
  }
  return [...new Set(files)];
}

/** True only for the exact read-only shapes above: what may run unasked where no sandbox exists. */
export function isStrictlyAllowlisted(parsed: ParseResult, options: StrictOptions = {}): boolean {
  return strictAllowlistReason(parsed, options) === undefined;
}
