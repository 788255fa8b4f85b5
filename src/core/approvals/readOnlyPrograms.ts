// The programs "known safe" may run and, for each, every option we know to be harmless (see argSpec.ts
// for how arguments are read). Listed here only when no listed option writes a file, runs another
// program or reaches the network. An option that is not listed makes the command ask, so a new or
// unfamiliar option costs a question, never a write. git has its own table (gitReadOnly.ts).
import type { ArgSpec, ParsedArgs } from './argSpec';

export interface ProgramRule {
  spec?: ArgSpec;
  /**
   * Every option this program has only reads (ls, cat, grep…): words that expand at run time (`*.ts`,
   * `$HOME`) cannot turn it into a writer, so plain expansions are tolerated. Others need literal words.
   */
  anyArgs?: boolean;
  /** Arguments are never options (bash's `echo`, `true`). */
  noOptions?: boolean;
  /** A further check once the arguments are read; a reason when the command is not read-only. */
  check?(parsed: Extract<ParsedArgs, { ok: true }>, args: readonly string[]): string | undefined;
}

const SED_PRINT_SCRIPT = /^(\d+|\$)(,(\d+|\$))?p$/;
const TEST_UNARY = new Set(['-a', '-b', '-c', '-d', '-e', '-f', '-g', '-h', '-k', '-L', '-p', '-r', '-s', '-S', '-t', '-u', '-w', '-x', '-O', '-G', '-N', '-n', '-z']);
const TEST_BINARY = new Set(['=', '==', '!=', '<', '>', '-nt', '-ot', '-ef', '-a', '-o', '!', '(', ')']);
const TEST_ARITHMETIC = new Set(['-eq', '-ne', '-lt', '-le', '-gt', '-ge']);

const coreutilsHelp = ['help', 'version'];

export const PROGRAMS: Record<string, ProgramRule> = {
  ls: {
    anyArgs: true,
    spec: {
      flags: 'aAbBcCdDfFgGhHiklLmnNopqQrRsStuUvxXZ1',
      valued: 'ITw',
      long: ['all', 'almost-all', 'author', 'escape', 'ignore-backups', 'directory', 'dired', 'file-type', 'full-time', 'human-readable', 'si', 'dereference-command-line', 'dereference-command-line-symlink-to-dir', 'dereference', 'inode', 'kibibytes', 'literal', 'numeric-uid-gid', 'hide-control-chars', 'show-control-chars', 'quote-name', 'recursive', 'reverse', 'size', 'group-directories-first', 'no-group', 'context', 'zero', ...coreutilsHelp],
      longValued: ['block-size', 'format', 'hide', 'ignore', 'indicator-style', 'quoting-style', 'sort', 'tabsize', 'time', 'time-style', 'width'],
      longOptional: ['color', 'hyperlink', 'classify'],
    },
  },
  cat: { anyArgs: true, spec: { flags: 'AbeEnstTuv', long: ['show-all', 'number-nonblank', 'show-ends', 'number', 'squeeze-blank', 'show-tabs', 'show-nonprinting', ...coreutilsHelp] } },
  head: { anyArgs: true, spec: { flags: 'qvz', valued: 'cn', numeric: true, long: ['quiet', 'silent', 'verbose', 'zero-terminated', ...coreutilsHelp], longValued: ['bytes', 'lines'] } },
  tail: {
    anyArgs: true,
    spec: { flags: 'fFqvz', valued: 'cns', numeric: true, long: ['retry', 'quiet', 'silent', 'verbose', 'zero-terminated', ...coreutilsHelp], longValued: ['bytes', 'lines', 'max-unchanged-stats', 'pid', 'sleep-interval'], longOptional: ['follow'] },
  },
  wc: { anyArgs: true, spec: { flags: 'clmwL', long: ['bytes', 'chars', 'lines', 'words', 'max-line-length', ...coreutilsHelp], longValued: ['files0-from', 'total'] } },
  echo: { anyArgs: true, noOptions: true },
  true: { noOptions: true },
  false: { noOptions: true },
  pwd: { spec: { flags: 'LP', maxOperands: 0 } },
  basename: { anyArgs: true, spec: { flags: 'az', valued: 's', long: ['multiple', 'zero', ...coreutilsHelp], longValued: ['suffix'] } },
  dirname: { anyArgs: true, spec: { flags: 'z', long: ['zero', ...coreutilsHelp] } },
  realpath: { anyArgs: true, spec: { flags: 'eLmPqsz', long: ['canonicalize-existing', 'canonicalize-missing', 'logical', 'physical', 'quiet', 'strip', 'no-symlinks', 'zero', ...coreutilsHelp], longValued: ['relative-to', 'relative-base'] } },
  readlink: { anyArgs: true, spec: { flags: 'efmnqsvz', long: ['canonicalize', 'canonicalize-existing', 'canonicalize-missing', 'no-newline', 'quiet', 'silent', 'verbose', 'zero', ...coreutilsHelp] } },
  stat: { anyArgs: true, spec: { flags: 'LftZ', valued: 'c', long: ['dereference', 'file-system', 'terse', ...coreutilsHelp], longValued: ['format', 'printf', 'cached'] } },
  du: {
    anyArgs: true,
    spec: {
      flags: '0abcDhHklLmsSxP',
      valued: 'BdtX',
      long: ['all', 'apparent-size', 'bytes', 'total', 'dereference-args', 'human-readable', 'inodes', 'dereference', 'no-dereference', 'separate-dirs', 'si', 'summarize', 'one-file-system', 'null', 'count-links', ...coreutilsHelp],
      longValued: ['block-size', 'max-depth', 'threshold', 'time-style', 'exclude', 'exclude-from', 'files0-from'],
      longOptional: ['time'],
    },
  },
  df: { anyArgs: true, spec: { flags: 'ahHiklPTv', valued: 'Btx', long: ['all', 'human-readable', 'inodes', 'local', 'portability', 'print-type', 'si', 'total', 'no-sync', 'sync', ...coreutilsHelp], longValued: ['block-size', 'type', 'exclude-type'], longOptional: ['output'] } },
  which: { anyArgs: true, spec: { flags: 'as' } },
  grep: grepRule(),
  egrep: grepRule(),
  fgrep: grepRule(),
  nl: {
    spec: {
      flags: 'p',
      valued: 'bdfhilnsvw',
      long: ['no-renumber', ...coreutilsHelp],
      longValued: ['body-numbering', 'section-delimiter', 'footer-numbering', 'header-numbering', 'line-increment', 'join-blank-lines', 'number-format', 'number-separator', 'starting-line-number', 'number-width'],
      maxOperands: 1,
    },
  },
  cut: { spec: { flags: 'nsz', valued: 'bcdf', long: ['complement', 'only-delimited', 'zero-terminated', ...coreutilsHelp], longValued: ['bytes', 'characters', 'delimiter', 'fields', 'output-delimiter'] } },
  tr: { spec: { flags: 'cCdst', long: ['complement', 'delete', 'squeeze-repeats', 'truncate-set1', ...coreutilsHelp], maxOperands: 2 } },
  sort: {
    spec: {
      flags: 'bdfgiMhnRrVcCmsuz',
      valued: 'kSt',
      long: ['ignore-leading-blanks', 'dictionary-order', 'ignore-case', 'general-numeric-sort', 'ignore-nonprinting', 'month-sort', 'human-numeric-sort', 'numeric-sort', 'random-sort', 'reverse', 'version-sort', 'merge', 'stable', 'unique', 'zero-terminated', 'debug', ...coreutilsHelp],
      longValued: ['key', 'field-separator', 'buffer-size', 'parallel', 'sort'],
      longOptional: ['check'],
    },
  },
  uniq: { spec: { flags: 'cdDiuz', valued: 'fsw', long: ['count', 'repeated', 'ignore-case', 'unique', 'zero-terminated', ...coreutilsHelp], longValued: ['skip-fields', 'skip-chars', 'check-chars'], longOptional: ['all-repeated', 'group'], maxOperands: 1 } },
  diff: {
    spec: {
      flags: 'abBdeEfiNnpqrstTuwyZ',
      valued: 'CUFIxXSW',
      long: ['brief', 'report-identical-files', 'recursive', 'new-file', 'unidirectional-new-file', 'ignore-case', 'ignore-all-space', 'ignore-space-change', 'ignore-blank-lines', 'ignore-tab-expansion', 'ignore-trailing-space', 'strip-trailing-cr', 'text', 'side-by-side', 'suppress-common-lines', 'left-column', 'minimal', 'speed-large-files', 'no-dereference', 'show-c-function', 'expand-tabs', 'initial-tab', 'suppress-blank-empty', 'normal', ...coreutilsHelp],
      longValued: ['exclude', 'exclude-from', 'ignore-matching-lines', 'show-function-line', 'label', 'width', 'tabsize', 'from-file', 'to-file', 'starting-file'],
      longOptional: ['unified', 'context', 'color'],
    },
  },
  cmp: { spec: { flags: 'bls', valued: 'in', long: ['print-bytes', 'verbose', 'quiet', 'silent', ...coreutilsHelp], longValued: ['ignore-initial', 'bytes'], maxOperands: 4 } },
  file: {
    spec: {
      flags: 'bcEhiklLNnrsS0',
      valued: 'mfFeP',
      long: ['brief', 'mime', 'mime-type', 'mime-encoding', 'dereference', 'no-dereference', 'keep-going', 'raw', 'no-pad', 'no-buffer', 'print0', 'special-files', 'extension', 'apple', ...coreutilsHelp],
      longValued: ['magic-file', 'files-from', 'separator', 'exclude', 'parameter'],
    },
  },
  tree: { spec: { flags: 'adlfxpsugDFqNQrtvUcCAS', valued: 'LPI', long: ['noreport', 'dirsfirst', 'gitignore', 'prune', 'matchdirs', 'ignore-case', 'du', 'inodes', 'device', 'si', ...coreutilsHelp], longValued: ['charset', 'filelimit', 'timefmt', 'sort'] } },
  date: {
    spec: { flags: 'uR', valued: 'dr', gluedOptional: 'I', long: ['utc', 'universal', 'rfc-email', 'debug', ...coreutilsHelp], longValued: ['date', 'reference'], longOptional: ['iso-8601', 'rfc-3339'] },
    // An operand that is not a `+FORMAT` sets the clock (`date 01010000`).
    check: (parsed) => (parsed.operands.every((o) => o.startsWith('+')) ? undefined : 'date with an operand that is not `+FORMAT` sets the clock'),
  },
  whoami: { spec: { maxOperands: 0 } },
  uname: { spec: { flags: 'asnrvmpio', long: ['all', 'kernel-name', 'nodename', 'kernel-release', 'kernel-version', 'machine', 'processor', 'hardware-platform', 'operating-system'], maxOperands: 0 } },
  env: { spec: { maxOperands: 0 } },
  printenv: { spec: { flags: '0', long: ['null'] } },
  seq: { spec: { valued: 'fs', flags: 'w', long: ['equal-width'], longValued: ['format', 'separator'], maxOperands: 3 } },
  md5sum: checksumRule(),
  sha1sum: checksumRule(),
  sha256sum: checksumRule(),
  sha512sum: checksumRule(),
  cd: { anyArgs: true, spec: { flags: 'LPe@', maxOperands: 1 } },
  sed: {
    spec: { flags: 'n', long: ['quiet', 'silent'] },
    check: (parsed) => {
      const quiet = parsed.options.length > 0;
      return quiet && parsed.operands.length >= 1 && SED_PRINT_SCRIPT.test(parsed.operands[0] ?? '') ? undefined : 'only `sed -n Np` / `sed -n M,Np` counts as read-only';
    },
  },
  rg: {
    spec: {
      flags: 'abcFHiIlLnNopqsSuUvwx0',
      valued: 'ABCefgmMtTEjrd',
      long: ['hidden', 'no-ignore', 'no-ignore-vcs', 'no-ignore-parent', 'no-ignore-dot', 'no-ignore-global', 'no-ignore-exclude', 'no-ignore-files', 'files', 'files-with-matches', 'files-without-match', 'count', 'count-matches', 'fixed-strings', 'ignore-case', 'smart-case', 'case-sensitive', 'word-regexp', 'line-regexp', 'invert-match', 'line-number', 'no-line-number', 'column', 'no-heading', 'heading', 'with-filename', 'no-filename', 'only-matching', 'json', 'vimgrep', 'follow', 'no-messages', 'multiline', 'multiline-dotall', 'pcre2', 'null', 'null-data', 'quiet', 'stats', 'trim', 'sort-files', 'no-config', 'text', 'binary', 'unrestricted', 'one-file-system', 'passthru', 'pretty', 'byte-offset', 'crlf', 'type-list', 'no-require-git', 'glob-case-insensitive', 'include-zero', 'no-unicode', 'max-columns-preview', ...coreutilsHelp],
      longValued: ['after-context', 'before-context', 'context', 'regexp', 'file', 'glob', 'iglob', 'max-count', 'max-columns', 'max-depth', 'max-filesize', 'type', 'type-not', 'encoding', 'threads', 'replace', 'sort', 'sortr', 'colors', 'context-separator', 'path-separator', 'engine'],
      longOptional: ['color'],
    },
  },
};

function grepRule(): ProgramRule {
  return {
    anyArgs: true,
    spec: {
      flags: 'EFGPiyvwxcLloqsbHhnTZzUraRI',
      valued: 'efmABCdD',
      long: ['extended-regexp', 'fixed-strings', 'basic-regexp', 'perl-regexp', 'ignore-case', 'no-ignore-case', 'invert-match', 'word-regexp', 'line-regexp', 'count', 'files-without-match', 'files-with-matches', 'only-matching', 'quiet', 'silent', 'no-messages', 'byte-offset', 'with-filename', 'no-filename', 'line-number', 'initial-tab', 'null', 'null-data', 'text', 'recursive', 'dereference-recursive', 'line-buffered', 'binary', ...coreutilsHelp],
      longValued: ['regexp', 'file', 'max-count', 'label', 'after-context', 'before-context', 'context', 'binary-files', 'devices', 'directories', 'exclude', 'exclude-from', 'exclude-dir', 'include', 'group-separator'],
      longOptional: ['color', 'colour'],
    },
  };
}

function checksumRule(): ProgramRule {
  return { anyArgs: true, spec: { flags: 'bctwz', long: ['binary', 'check', 'tag', 'text', 'zero', 'quiet', 'status', 'warn', 'strict', 'ignore-missing', ...coreutilsHelp] } };
}

// ---- programs whose arguments are an expression rather than options ---------------------------------

const FIND_NO_ARG = new Set(['-print', '-print0', '-prune', '-quit', '-true', '-false', '-empty', '-readable', '-writable', '-executable', '-nouser', '-nogroup', '-depth', '-xdev', '-mount', '-follow', '-noleaf', '-ignore_readdir_race', '-noignore_readdir_race', '-ls', '-not', '!', '(', ')', '-a', '-o', '-and', '-or', ',', '-daystart']);
const FIND_ONE_ARG = new Set(['-name', '-iname', '-path', '-ipath', '-wholename', '-iwholename', '-regex', '-iregex', '-regextype', '-type', '-xtype', '-maxdepth', '-mindepth', '-size', '-mtime', '-mmin', '-atime', '-amin', '-ctime', '-cmin', '-newer', '-anewer', '-cnewer', '-user', '-group', '-uid', '-gid', '-perm', '-links', '-inum', '-samefile', '-lname', '-ilname', '-printf', '-fstype', '-used']);

/** `find [-H|-L|-P] paths… expression`, where every predicate is listed (no -exec, -delete, -fprint…). */
export function checkFind(args: readonly string[]): string | undefined {
  let i = 0;
  while (['-H', '-L', '-P'].includes(args[i] ?? '')) i++;
  while (i < args.length && !/^[-(!),]/.test(args[i] as string)) i++;
  for (; i < args.length; i++) {
    const arg = args[i] as string;
    if (FIND_NO_ARG.has(arg)) continue;
    if (FIND_ONE_ARG.has(arg) || /^-newer[amcBt][amcBt]$/.test(arg)) {
      if (++i >= args.length) return `find ${arg} is missing its value`;
      continue;
    }
    return `find ${arg} is not a predicate we know to be harmless (-exec, -delete and -fprint run commands or write files)`;
  }
  return undefined;
}

/**
 * `test` / `[`: `-v NAME` and `-R` evaluate an array subscript (`a[$(cmd)]` runs cmd), and the
 * arithmetic comparisons do as well in some shells, so only plain file and string tests count.
 */
export function checkTest(args: readonly string[], bracket: boolean): string | undefined {
  const body = bracket ? args.slice(0, -1) : args;
  if (bracket && args.at(-1) !== ']') return '`[` without its closing `]`';
  for (let i = 0; i < body.length; i++) {
    const arg = body[i] as string;
    if (TEST_ARITHMETIC.has(arg)) {
      if (!/^-?\d+$/.test(body[i - 1] ?? '') || !/^-?\d+$/.test(body[i + 1] ?? '')) return `test ${arg} evaluates its operands as arithmetic`;
      continue;
    }
    if (arg.startsWith('-') && arg.length > 1 && !TEST_UNARY.has(arg) && !TEST_BINARY.has(arg) && !/^-?\d+$/.test(arg)) {
      return `test ${arg} is not an operator we know to be harmless (\`-v\` evaluates array subscripts)`;
    }
  }
  return undefined;
}

/** bash's `printf`: `-v NAME` assigns (evaluating a subscript in NAME), so the first word must be the format. */
export function checkPrintf(args: readonly string[]): string | undefined {
  const first = args[0];
  if (first === undefined) return undefined;
  if (first.startsWith('-') && first !== '--') return 'printf with options (`-v` assigns a variable and evaluates its subscript)';
  return undefined;
}

