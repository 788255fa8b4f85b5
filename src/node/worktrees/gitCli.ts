// The one way the worktree manager runs git. A workspace's git configuration is untrusted input (it can be
// written by anyone who wrote the repository, or by the agent itself), and git would happily run programs
// it names: hooks, core.fsmonitor, filter drivers from .gitattributes, credential helpers, pagers. These
// commands run in the extension host, outside any sandbox, so every one gets:
//   - the same command-line-scope overrides as read-only git (GIT_SAFETY_CONFIG: no hooks, no fsmonitor, …);
//   - auto gc and maintenance off (they can start further programs);
//   - every filter driver the effective configuration defines emptied (`filterOverrides`): git cannot name
//     a driver in advance, .gitattributes can name any, so we ask git which ones exist in the very context
//     the command runs in (includeIf can make them differ per worktree) and turn each one off;
//   - an environment without inherited GIT_* variables (an extension host may carry GIT_DIR, GIT_ASKPASS …);
//   - explicit GIT_DIR / GIT_WORK_TREE when the repository is known, so a hostile `core.worktree` cannot
//     point a checkout somewhere else;
//   - no diff, merge or textconv commands at all (none are used), and a time limit.
import { execFile } from 'node:child_process';
import { GIT_SAFETY_CONFIG } from '../../core/approvals/gitReadOnly';

export class GitError extends Error {
  override name = 'GitError';
  constructor(
    message: string,
    readonly exitCode: number | undefined,
    /** The git executable itself was not found. */
    readonly gitMissing = false,
  ) {
    super(message);
  }
}

export interface GitOptions {
  cwd: string;
  /** The repository's git dir (as `git rev-parse --absolute-git-dir` named it): set as GIT_DIR. */
  gitDir?: string;
  /** The work tree: set as GIT_WORK_TREE (needs gitDir). */
  workTree?: string;
  /** An index other than the repository's (GIT_INDEX_FILE). */
  indexFile?: string;
  /** More command-line-scope configuration (after the safety overrides; the filter overrides come last). */
  config?: ReadonlyArray<readonly [string, string]>;
  /** Bytes for stdin. */
  input?: string | Buffer;
  /** Default 60 s: a FIFO named by include.path must not hang the extension host. */
  timeoutMs?: number;
  /** Default 64 MiB of output. */
  maxBuffer?: number;
  /** Git executable (default `git` on PATH). */
  git?: string;
}

/** What runs programs on its own and is not in GIT_SAFETY_CONFIG (that one is written for read-only commands). */
const WRITE_SAFETY_CONFIG: ReadonlyArray<readonly [string, string]> = [
  ['gc.auto', '0'],
  ['maintenance.auto', 'false'],
  ['core.untrackedCache', 'false'],
  ['core.splitIndex', 'false'],
  ['submodule.recurse', 'false'],
  ['advice.detachedHead', 'false'],
  // A workspace's `core.attributesFile` is read as a path; only the repository's own files remain.
  ['core.attributesFile', '/dev/null'],
];

function environment(options: GitOptions, config: ReadonlyArray<readonly [string, string]>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('GIT_')) env[key] = value;
  const all = [...GIT_SAFETY_CONFIG, ...WRITE_SAFETY_CONFIG, ...config];
  env.GIT_CONFIG_COUNT = String(all.length);
  all.forEach(([key, value], i) => {
    env[`GIT_CONFIG_KEY_${i}`] = key;
    env[`GIT_CONFIG_VALUE_${i}`] = value;
  });
  Object.assign(env, {
    GIT_PAGER: 'cat',
    PAGER: 'cat',
    GIT_TERMINAL_PROMPT: '0',
    GIT_OPTIONAL_LOCKS: '0',
    // Paths given to git are names, never patterns or magic (`:(top)…`).
    GIT_LITERAL_PATHSPECS: '1',
    // Replace refs could make HEAD mean another tree than the one the user sees in `git log`.
    GIT_NO_REPLACE_OBJECTS: '1',
    LC_ALL: 'C',
  });
  if (options.gitDir) env.GIT_DIR = options.gitDir;
  if (options.workTree) env.GIT_WORK_TREE = options.workTree;
  if (options.indexFile) env.GIT_INDEX_FILE = options.indexFile;
  return env;
}

/** Runs git with the hardened environment and resolves with stdout as bytes; rejects with GitError. */
export function gitRaw(args: readonly string[], options: GitOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      options.git ?? 'git',
      ['--no-pager', ...args],
      {
        cwd: options.cwd,
        env: environment(options, options.config ?? []),
        encoding: 'buffer',
        timeout: options.timeoutMs ?? 60_000,
        killSignal: 'SIGKILL',
        maxBuffer: options.maxBuffer ?? 64 * 1024 * 1024,
        windowsHide: true,
      },
      (error, stdout, stderr) => {
        if (error) {
          const code = typeof (error as { code?: unknown }).code === 'number' ? ((error as { code: number }).code) : undefined;
          const why = stderr.toString('utf8').trim() || error.message;
          reject(new GitError(`git ${args[0] ?? ''} failed: ${why.slice(0, 2000)}`, code, (error as { code?: unknown }).code === 'ENOENT'));
          return;
        }
        resolve(stdout);
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
    else child.stdin?.end();
  });
}

export async function git(args: readonly string[], options: GitOptions): Promise<string> {
  return (await gitRaw(args, options)).toString('utf8');
}

/**
 * Overrides that turn off every filter driver the effective configuration defines for this repository and
 * work tree (`git config --get-regexp` reads files, includes and includeIf, and runs nothing). An emptied
 * `clean`/`smudge`/`process` is skipped by git (convert.c applies a driver only when its command is
 * non-empty), and `required=false` keeps a skipped driver from failing the command.
 */
export async function filterOverrides(options: GitOptions): Promise<Array<[string, string]>> {
  let listing: string;
  try {
    listing = await git(['config', '-z', '--get-regexp', '^filter\\.'], { ...options, config: [] });
  } catch (error) {
    // Exit 1: no such key. Anything else (unreadable config) is a reason not to go on.
    if (error instanceof GitError && error.exitCode === 1) return [];
    throw error;
  }
  const drivers = new Set<string>();
  for (const entry of listing.split('\0')) {
    if (entry === '') continue;
    const key = entry.split('\n', 1)[0]!;
    // filter.<subsection>.<variable>: the subsection may itself hold dots.
    const last = key.lastIndexOf('.');
    if (!key.startsWith('filter.') || last <= 'filter.'.length) continue;
    drivers.add(key.slice('filter.'.length, last));
  }
  return [...drivers].flatMap((name): Array<[string, string]> => [
    [`filter.${name}.clean`, ''],
    [`filter.${name}.smudge`, ''],
    [`filter.${name}.process`, ''],
    [`filter.${name}.required`, 'false'],
  ]);
}

/** Runs git after turning off the filter drivers of exactly this context (see filterOverrides). */
export async function gitWithoutFilters(args: readonly string[], options: GitOptions): Promise<Buffer> {
  const overrides = await filterOverrides(options);
  return gitRaw(args, { ...options, config: [...(options.config ?? []), ...overrides] });
}

/** Splits NUL-terminated output (`-z`) into its records. */
export function nulRecords(output: Buffer): Buffer[] {
  const records: Buffer[] = [];
  let start = 0;
  for (let end = output.indexOf(0, start); end !== -1; end = output.indexOf(0, start)) {
    records.push(output.subarray(start, end));
    start = end + 1;
  }
  if (start < output.length) records.push(output.subarray(start));
  return records;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** A path git printed, or `undefined` when its bytes are not UTF-8 (node could not name the file faithfully). */
export function decodePath(bytes: Buffer): string | undefined {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}
