// Which git commands count as read-only, with every option allow-listed (exact spellings only: git's
// parse-options accepts abbreviations, so `--outp=f` would be `--output=f`). A repository's own
// configuration can make even `git status` run programs (core.fsmonitor, hooks, pagers, diff drivers,
// textconv and filter drivers, gpg.program), and a workspace can hold embedded or bare repositories
// reached with `-C` or `cd`. So "known safe" git rests on two things besides this table:
//   1. the command runs confined read-only with no network (a driver that still runs cannot write or leak);
//   2. the runner applies gitSafetyEnv() (below) and removes GIT_PROGRAM_ENV, which turns off what a config could start on its own.
// Global options that choose another repository, config or program (`-c`, `--git-dir`, `--work-tree`,
// `--exec-path`, `--config-env`, `-C` out of the working directory) are never known safe.
import { parseArgs, type ArgSpec, type ParsedArgs } from './argSpec';

/**
 * Environment every auto-approved git command needs (set by the runner in the read-only profile, and
 * wherever the strict allowlist lets git run without a sandbox). GIT_CONFIG_COUNT/KEY/VALUE are
 * command-line scope: they beat repository config, and `safe.bareRepository` is honoured from them.
 */
export const GIT_SAFETY_CONFIG: ReadonlyArray<readonly [string, string]> = [
  ['core.fsmonitor', 'false'],
  ['core.hooksPath', '/dev/null'],
  ['core.pager', 'cat'],
  ['core.sshCommand', 'false'],
  ['core.editor', 'false'],
  ['core.askPass', ''],
  ['sequence.editor', 'false'],
  ['credential.helper', ''],
  ['log.showSignature', 'false'],
  ['gpg.program', 'false'],
  ['gpg.ssh.program', 'false'],
  ['gpg.x509.program', 'false'],
  // a bare repository in the workspace (reached with `cd`) is not used unless named with --git-dir
  ['safe.bareRepository', 'explicit'],
  ['protocol.allow', 'never'],
  // Not `diff.external`: git 2.39 runs an empty value as a program and every `git diff` fails with
  // "cannot run :". External diff and textconv/filter drivers (named by .gitattributes, so they cannot be
  // listed in advance) are bounded by the read-only, no-network sandbox instead; without a sandbox, the
  // strict allowlist requires `git diff --no-ext-diff --no-textconv`.
];

/** Variables that name programs for git to run; removed from the environment of these commands. */
export const GIT_PROGRAM_ENV: readonly string[] = ['GIT_EXTERNAL_DIFF', 'GIT_EDITOR', 'GIT_SEQUENCE_EDITOR', 'GIT_SSH', 'GIT_SSH_COMMAND', 'GIT_PROXY_COMMAND', 'GIT_CONFIG_PARAMETERS', 'GIT_ASKPASS'];

/** GIT_SAFETY_CONFIG as environment variables, plus the ones git reads directly. */
export function gitSafetyEnv(): Record<string, string> {
  const env: Record<string, string> = {
    GIT_CONFIG_COUNT: String(GIT_SAFETY_CONFIG.length),
    // GIT_PAGER beats a repository's `pager.<command>` setting, which core.pager does not.
    GIT_PAGER: 'cat',
    PAGER: 'cat',
    GIT_TERMINAL_PROMPT: '0',
    // `git status` would otherwise try to refresh the index (a write the read-only profile refuses anyway)
    GIT_OPTIONAL_LOCKS: '0',
  };
  GIT_SAFETY_CONFIG.forEach(([key, value], i) => {
    env[`GIT_CONFIG_KEY_${i}`] = key;
    env[`GIT_CONFIG_VALUE_${i}`] = value;
  });
  return env;
}

const HELP = ['help'];
const DIFF_LONG = ['numstat', 'shortstat', 'name-only', 'name-status', 'patch', 'no-patch', 'no-color', 'ignore-all-space', 'ignore-space-change', 'ignore-blank-lines', 'ignore-cr-at-eol', 'ignore-space-at-eol', 'no-ext-diff', 'no-textconv', 'minimal', 'patience', 'histogram', 'check', 'summary', 'raw', 'full-index', 'binary', 'text', 'no-prefix', 'no-renames', 'function-context', 'exit-code', 'quiet', 'no-relative', 'compact-summary', 'patch-with-stat', 'patch-with-raw', 'indent-heuristic', 'no-indent-heuristic', 'irreversible-delete', 'find-copies-harder'];
const DIFF_VALUED = ['unified', 'diff-filter', 'diff-algorithm', 'word-diff-regex', 'src-prefix', 'dst-prefix', 'inter-hunk-context', 'stat-width', 'stat-name-width', 'stat-count', 'stat-graph-width', 'anchored', 'line-prefix', 'ws-error-highlight', 'color-moved-ws'];
const DIFF_OPTIONAL = ['stat', 'dirstat', 'color', 'word-diff', 'color-words', 'relative', 'find-renames', 'find-copies', 'break-rewrites', 'abbrev', 'ignore-submodules', 'submodule', 'color-moved'];
const LOG_LONG = ['oneline', 'graph', 'no-decorate', 'all', 'shortstat', 'abbrev-commit', 'no-abbrev-commit', 'relative-date', 'regexp-ignore-case', 'extended-regexp', 'fixed-strings', 'perl-regexp', 'all-match', 'invert-grep', 'follow', 'reverse', 'first-parent', 'merges', 'no-merges', 'topo-order', 'date-order', 'author-date-order', 'full-history', 'simplify-by-decoration', 'left-right', 'cherry-pick', 'cherry', 'cherry-mark', 'boundary', 'parents', 'children', 'source', 'use-mailmap', 'no-mailmap', 'mailmap', 'no-notes', 'pickaxe-regex', 'pickaxe-all', 'full-diff', 'walk-reflogs', 'no-show-signature', 'log-size', 'ancestry-path', 'dense', 'sparse', 'remove-empty', 'not', 'stdin' , 'no-walk', 'do-walk', 'single-worktree', 'bisect', 'show-pulls', 'cc', 'combined-all-paths', 'remerge-diff'];
const LOG_VALUED = ['max-count', 'skip', 'since', 'after', 'until', 'before', 'author', 'committer', 'grep', 'min-parents', 'max-parents', 'date', 'format', 'exclude', 'grep-reflog', 'encoding', 'since-as-filter'];
const LOG_OPTIONAL = ['decorate', 'branches', 'tags', 'remotes', 'glob', 'pretty', 'no-walk', 'diff-merges', 'decorate-refs', 'decorate-refs-exclude', 'clear-decorations'];
const REF_FORMAT_LONG = ['sort', 'format', 'contains', 'no-contains', 'merged', 'no-merged', 'points-at'];

const logSpec: ArgSpec = {
  flags: 'pusiEFzRwbWamrtc',
  valued: 'nSGU',
  gluedOptional: 'MCB',
  numeric: true,
  long: [...DIFF_LONG, ...LOG_LONG, ...HELP],
  longValued: [...DIFF_VALUED, ...LOG_VALUED],
  longOptional: [...DIFF_OPTIONAL, ...LOG_OPTIONAL],
};

const SUBCOMMANDS: Record<string, { spec: ArgSpec; check?: (parsed: Extract<ParsedArgs, { ok: true }>) => string | undefined }> = {
  status: {
    spec: {
      flags: 'sbvz',
      gluedOptional: 'u',
      long: ['short', 'branch', 'long', 'verbose', 'show-stash', 'ahead-behind', 'no-ahead-behind', 'renames', 'no-renames', 'null', 'no-column', ...HELP],
      longOptional: ['porcelain', 'untracked-files', 'ignored', 'ignore-submodules', 'column', 'find-renames'],
    },
  },
  log: { spec: logSpec },
  show: { spec: logSpec },
  diff: {
    spec: {
      flags: 'pusRzaWwb',
      valued: 'U',
      gluedOptional: 'MCBl',
      long: [...DIFF_LONG, 'cached', 'staged', 'merge-base', 'no-index', ...HELP],
      longValued: DIFF_VALUED,
      longOptional: DIFF_OPTIONAL,
    },
  },
  'rev-parse': {
    spec: {
      flags: 'q',
      long: ['show-toplevel', 'abbrev-ref', 'is-inside-work-tree', 'is-inside-git-dir', 'show-prefix', 'show-cdup', 'verify', 'quiet', 'symbolic', 'symbolic-full-name', 'absolute-git-dir', 'git-dir', 'git-common-dir', 'is-bare-repository', 'is-shallow-repository', 'show-object-format', 'all', 'branches', 'tags', 'remotes', 'local-env-vars', 'show-superproject-working-tree', 'shared-index-path', 'sq', 'not', 'revs-only', 'no-revs', 'flags', 'no-flags', 'default'],
      longValued: ['path-format', 'git-path'],
      longOptional: ['short', 'abbrev-ref'],
    },
  },
  'ls-files': {
    spec: {
      flags: 'cdmoiskuzstv',
      valued: 'x',
      long: ['cached', 'deleted', 'modified', 'others', 'ignored', 'stage', 'unmerged', 'killed', 'directory', 'no-empty-directory', 'exclude-standard', 'full-name', 'recurse-submodules', 'error-unmatch', 'eol', 'deduplicate', 'sparse', ...HELP],
      longValued: ['exclude', 'exclude-per-directory', 'with-tree', 'format'],
      longOptional: ['abbrev'],
    },
  },
  'ls-tree': { spec: { flags: 'rtdzl', long: ['name-only', 'name-status', 'object-only', 'full-name', 'full-tree', 'long', ...HELP], longValued: ['format'], longOptional: ['abbrev'] } },
  blame: {
    spec: {
      flags: 'belnfstwp',
      valued: 'L',
      gluedOptional: 'MC',
      long: ['porcelain', 'line-porcelain', 'incremental', 'show-email', 'root', 'show-stats', 'show-number', 'show-name', 'color-lines', 'color-by-age', 'no-textconv', 'minimal', 'progress', 'no-progress', ...HELP],
      longValued: ['date', 'since', 'ignore-rev', 'first-parent'],
      longOptional: ['abbrev'],
    },
  },
  grep: {
    spec: {
      flags: 'ivwnlLchHcoEFGPIzqpWar',
      valued: 'efABCm',
      long: ['ignore-case', 'word-regexp', 'invert-match', 'line-number', 'files-with-matches', 'name-only', 'files-without-match', 'count', 'heading', 'break', 'full-name', 'extended-regexp', 'basic-regexp', 'fixed-strings', 'perl-regexp', 'cached', 'untracked', 'no-index', 'recurse-submodules', 'show-function', 'function-context', 'all-match', 'and', 'or', 'not', 'no-color', 'column', 'only-matching', 'quiet', 'null', 'no-exclude-standard', 'exclude-standard', 'no-textconv', 'text', ...HELP],
      longValued: ['context', 'after-context', 'before-context', 'max-depth', 'max-count', 'threads'],
      longOptional: ['color'],
    },
  },
  branch: {
    spec: {
      flags: 'arvli',
      long: ['list', 'all', 'remotes', 'verbose', 'show-current', 'no-color', 'no-column', 'ignore-case', ...HELP],
      longValued: REF_FORMAT_LONG,
      longOptional: ['color', 'column', 'abbrev'],
    },
    // Names create or rename branches unless the command is a listing (`--list 'feat/*'`).
    check: (parsed) =>
      parsed.operands.length === 0 || parsed.options.some((o) => o.name === '--list' || o.name === '-l') ? undefined : 'git branch with a name creates or changes a branch',
  },
  tag: {
    spec: { flags: 'li', gluedOptional: 'n', long: ['list', 'ignore-case', 'no-color', 'no-column', ...HELP], longValued: REF_FORMAT_LONG, longOptional: ['color', 'column'] },
    check: (parsed) =>
      parsed.operands.length === 0 || parsed.options.some((o) => o.name === '--list' || o.name === '-l') ? undefined : 'git tag with a name creates a tag',
  },
  remote: { spec: { flags: 'v', long: ['verbose'], maxOperands: 0 } },
  describe: { spec: { long: ['tags', 'always', 'long', 'exact-match', 'all', 'contains', 'first-parent', ...HELP], longValued: ['match', 'exclude', 'candidates'], longOptional: ['abbrev', 'dirty', 'broken'] } },
};

/** `git stash list`: the only stash form that does not change anything. */
const STASH_LIST = ['list'];

/**
 * Why `git <args>` is not a read-only command (undefined when it is). `args` are literal words after
 * `git`. `-C dir` is allowed only into a plain relative subdirectory of where git runs.
 */
export function checkGit(args: readonly string[]): string | undefined {
  let i = 0;
  while (args[i]?.startsWith('-')) {
    const arg = args[i] as string;
    if (['--no-pager', '-P', '--no-optional-locks', '--literal-pathspecs', '--no-replace-objects'].includes(arg)) i++;
    else if (arg === '-C') {
      const dir = args[i + 1];
      if (dir === undefined || !isDownwardPath(dir)) return 'git -C into a directory outside the working directory can use another repository and its configuration';
      i += 2;
    } else return `git ${arg} can change which repository, configuration or program git uses`;
  }
  const sub = args[i];
  if (sub === undefined) return 'git without a subcommand';
  const rest = args.slice(i + 1);
  if (sub === 'stash') return rest.length === 1 && rest[0] === STASH_LIST[0] ? undefined : 'git stash changes the working tree';
  const rule = SUBCOMMANDS[sub];
  if (!rule) return `git ${sub} is not a read-only git command`;
  const parsed = parseArgs(rest, rule.spec);
  if (!parsed.ok) return `git ${sub}: ${parsed.reason}`;
  for (const option of parsed.options) {
    // Signature placeholders (`%G?`, `%(signature)`) run gpg.program.
    if (option.value !== undefined && /%G|%\(signature/.test(option.value)) return `git ${sub} ${option.name} with a signature placeholder runs gpg`;
  }
  return rule.check?.(parsed);
}

/** A relative path that stays below where it starts: no `/` prefix, no `~`, no `..` part, not empty. */
export function isDownwardPath(path: string): boolean {
  if (path === '' || path.startsWith('/') || path.startsWith('~') || path.startsWith('-')) return false;
  return !path.split('/').some((part) => part === '..');
}
