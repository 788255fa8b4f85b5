// Isolated git worktrees for agents (issue 15, "Isolation"): a sub-agent can work in a checkout of its
// own, so parallel tasks do not step on each other or on the user, and what it did comes back as one
// change set for the usual review (worktreeChanges.ts).
//
// Where: `<folder containing the repository>/.tandem-worktrees/<repository name>/<label>-<id>`. Next to the
// repository, not inside it: nothing shows up as untracked in the user's repo, the user's editor does not
// index it, the agent's sandbox (whose writable roots are the workspace) cannot touch it, and the user can
// still find and open it by name. Where that folder cannot be written (a read-only parent), the fallback
// is `~/.tandem/worktrees/<name>-<hash of the path>`. Tandem's own records for each worktree (owner, time,
// the baseline copies) live in a sibling `.<label>-<id>.tandem` folder, outside the worktree the agent
// writes to.
//
// How: `git worktree add --detach --no-checkout` at the current HEAD, then the files are checked out with
// every filter driver off (gitCli.ts), then the user's uncommitted state is copied in (uncommittedCopy.ts).
// Every git command runs with the repository and work tree named explicitly and the hardened environment.
// Worktrees left by a crash (owner process gone, or older than a day) are removed by cleanupStale; a
// chat's worktree (`claim`) is never removed for its age or process, only when its chat is known to be
// gone. After a reload the chat finds its worktree again with `attach` (worktreeRecords.ts).
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join, relative, sep } from 'node:path';
import { git, GitError, gitWithoutFilters, type GitOptions } from './gitCli';
import { DEFAULT_WORKTREE_LIMITS, STALE_AFTER_MS, type RepoInfo, type Worktree, type WorktreeAvailability, type WorktreeLimits } from './types';
import { copyUncommitted } from './uncommittedCopy';
import { worktreeChanges, type WorktreeChanges } from './worktreeChanges';
import { moveBaseline, OWNER_FILE, readBaseline, readOwner, writeRecord, type OwnerRecord, type RebaselineEntry } from './worktreeRecords';

export interface WorktreeManagerOptions {
  /** The folder holding this repository's worktrees (default: next to the repository, see above). */
  containerFor?: (repo: RepoInfo) => string;
  limits?: Partial<WorktreeLimits>;
  /** Git executable (default `git` on PATH). */
  git?: string;
  /** Recorded as the owner (default this process). */
  ownerPid?: number;
  now?: () => number;
  /** Eight hex digits naming the next worktree (default random; tests make them collide). */
  newId?: () => string;
}

export class WorktreeUnavailableError extends Error {
  override name = 'WorktreeUnavailableError';
}

/** What a chat keeps (in Tandem's own storage) to find its worktree again: the folder Tandem made, for which workspace. */
export interface WorktreeHandle {
  id: string;
  path: string;
  workspaceRoot: string;
}

export interface CleanupOptions {
  /**
   * Whether the chat a worktree belongs to is still there. Without it a chat's worktree is never removed
   * (only the chat's own window knows); with it, one whose chat is gone and whose owner process is gone too.
   */
  chatExists?: (chatId: string) => boolean;
}

const META_SUFFIX = '.tandem';
const NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,40}-[0-9a-f]{8}$/;

/** A worktree folder name Tandem makes (`<label>-<8 hex digits>`). */
export function isWorktreeName(name: string): boolean {
  return NAME_PATTERN.test(name);
}

/** A label safe as a folder name: lower-case letters, digits and dashes, at most 32 characters. */
export function labelSlug(label: string): string {
  const slug = label
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 32)
    .replace(/-+$/, '');
  return slug || 'agent';
}

function isInside(parent: string, child: string): boolean {
  return child === parent || child.startsWith(parent.endsWith(sep) ? parent : parent + sep);
}

/** `path` with the links of its nearest existing ancestor resolved (the rest does not exist yet). */
function realPathOfNew(path: string): string {
  const missing: string[] = [];
  for (let current = path; ; current = dirname(current)) {
    try {
      return join(fs.realpathSync(current), ...missing.reverse());
    } catch {
      if (dirname(current) === current) return path;
      missing.push(basename(current));
    }
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, it is just not ours to signal.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class WorktreeManager {
  private readonly limits: WorktreeLimits;

  constructor(private readonly options: WorktreeManagerOptions = {}) {
    this.limits = { ...DEFAULT_WORKTREE_LIMITS, ...options.limits };
  }

  private gitOptions(cwd: string, extra: Omit<GitOptions, 'cwd'> = {}): GitOptions {
    return { cwd, ...(this.options.git ? { git: this.options.git } : {}), ...extra };
  }

  /** Whether `workspaceRoot` is in a git work tree with at least one commit; if not, why (for the user). */
  async isAvailable(workspaceRoot: string): Promise<WorktreeAvailability> {
    let root: string;
    try {
      root = fs.realpathSync(workspaceRoot);
    } catch {
      return { available: false, reason: `the workspace folder ${workspaceRoot} cannot be read` };
    }
    let lines: string[];
    try {
      const out = await git(['rev-parse', '--path-format=absolute', '--show-toplevel', '--absolute-git-dir', '--git-common-dir'], this.gitOptions(root));
      lines = out.split('\n').filter((line) => line !== '');
    } catch (error) {
      const missing = error instanceof GitError && error.gitMissing;
      return { available: false, reason: missing ? 'git is not installed' : 'the workspace is not a git repository (worktrees need git)' };
    }
    if (lines.length !== 3) return { available: false, reason: 'git did not name the repository plainly (unusual paths)' };
    const [top, gitDir, commonDir] = lines as [string, string, string];
    let toplevel: string;
    try {
      toplevel = fs.realpathSync(top);
    } catch {
      return { available: false, reason: 'the repository folder cannot be read' };
    }
    // `core.worktree` can name any folder as the work tree: only one containing the workspace is the user's.
    if (!isInside(toplevel, root)) return { available: false, reason: 'git places the work tree outside the workspace (core.worktree)' };
    let head: string;
    try {
      head = (await git(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], this.gitOptions(root, { gitDir, workTree: toplevel }))).trim();
    } catch {
      return { available: false, reason: 'the repository has no commit yet (a worktree starts from one)' };
    }
    if (!/^[0-9a-f]{40,64}$/.test(head)) return { available: false, reason: 'the repository has no commit yet (a worktree starts from one)' };
    return { available: true, repo: { toplevel, gitDir, commonDir, head } };
  }

  /** The folder this repository's worktrees go in (made if needed; a link there is refused). */
  private container(repo: RepoInfo): string {
    const wanted = this.options.containerFor?.(repo);
    const candidates = wanted
      ? [wanted]
      : [
          join(dirname(repo.toplevel), '.tandem-worktrees', basename(repo.toplevel)),
          join(homedir(), '.tandem', 'worktrees', `${basename(repo.toplevel)}-${createHash('sha256').update(repo.toplevel).digest('hex').slice(0, 8)}`),
        ];
    let lastError: unknown;
    for (const candidate of candidates) {
      try {
        // Checked before anything is made, through links on the way: never a folder inside the repository.
        if (isInside(repo.toplevel, realPathOfNew(candidate))) throw new Error(`${candidate} is inside the repository`);
        fs.mkdirSync(candidate, { recursive: true, mode: 0o755 });
        if (!fs.lstatSync(candidate).isDirectory()) throw new Error(`${candidate} is not a plain folder (a link?)`);
        const real = fs.realpathSync(candidate);
        // Never inside the repository: the worktree would be untracked files of the user's repo.
        if (isInside(repo.toplevel, real)) throw new Error(`${candidate} is inside the repository`);
        return real;
      } catch (error) {
        lastError = error;
      }
    }
    throw new Error(`no folder for worktrees could be made: ${lastError instanceof Error ? lastError.message : String(lastError)}`);
  }

  /** A new worktree at the workspace's HEAD with the user's uncommitted changes in it. */
  async create(workspaceRoot: string, label: string): Promise<Worktree> {
    const availability = await this.isAvailable(workspaceRoot);
    if (!availability.available) throw new WorktreeUnavailableError(`No worktree: ${availability.reason}.`);
    const repo = availability.repo;
    const container = this.container(repo);
    const live = fs.readdirSync(container).filter((name) => name.endsWith(META_SUFFIX)).length;
    if (live >= this.limits.maxWorktrees) throw new Error(`${live} worktrees of this repository exist already (limit ${this.limits.maxWorktrees}) in ${container}`);

    // An exclusive mkdir claims the name: an existing folder (ours, the user's or a planted one) is never reused.
    let name = '';
    let metaDir = '';
    for (let attempt = 0; ; attempt++) {
      name = `${labelSlug(label)}-${this.options.newId?.() ?? randomBytes(4).toString('hex')}`;
      metaDir = join(container, `.${name}${META_SUFFIX}`);
      let claimedMeta = false;
      try {
        fs.mkdirSync(metaDir, { mode: 0o700 });
        claimedMeta = true;
        fs.mkdirSync(join(container, name));
        break;
      } catch (error) {
        // Only a folder made just now is taken back; one that was there is someone else's.
        if (claimedMeta) fs.rmdirSync(metaDir);
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 5) throw error;
      }
    }
    const path = join(container, name);
    const owner: OwnerRecord = { version: 1, pid: this.options.ownerPid ?? process.pid, createdAt: this.now(), worktree: path, toplevel: repo.toplevel, gitDir: repo.gitDir, head: repo.head };
    fs.writeFileSync(join(metaDir, OWNER_FILE), JSON.stringify(owner), { mode: 0o600 });
    const partial: Pick<Worktree, 'path' | 'metaDir' | 'repo'> = { path, metaDir, repo };
    try {
      await git(['worktree', 'add', '--detach', '--no-checkout', path, repo.head], this.gitOptions(repo.toplevel, { gitDir: repo.gitDir, workTree: repo.toplevel }));
      const gitDir = this.worktreeGitDir(path, repo);
      writeRecord(metaDir, OWNER_FILE, { ...owner, worktreeGitDir: gitDir });
      await gitWithoutFilters(['read-tree', '--reset', '-u', 'HEAD'], this.gitOptions(path, { gitDir, workTree: path }));
      const copied = await copyUncommitted(repo, path, metaDir, this.limits, this.options.git);
      const inside = relative(repo.toplevel, fs.realpathSync(workspaceRoot));
      const workspacePath = inside ? join(path, inside) : path;
      fs.mkdirSync(workspacePath, { recursive: true });
      return { id: name, path, workspacePath, workspaceRoot, repo, gitDir, metaDir, baseline: copied.baseline, skipped: copied.skipped };
    } catch (error) {
      await this.removePaths(partial).catch(() => undefined);
      throw error;
    }
  }

  /** The worktree's git dir, from the `.git` file git just wrote; it must be the repository's `worktrees/<name>`. */
  private worktreeGitDir(path: string, repo: RepoInfo): string {
    const content = fs.readFileSync(join(path, '.git'), 'utf8');
    const match = /^gitdir: (.+)\n?$/.exec(content);
    const gitDir = match?.[1];
    if (!gitDir || !isInside(join(fs.realpathSync(repo.commonDir), 'worktrees'), fs.realpathSync(gitDir))) {
      throw new Error(`git made the worktree somewhere unexpected (${JSON.stringify(content.slice(0, 200))})`);
    }
    return fs.realpathSync(gitDir);
  }

  /** What the agent changed there since the worktree was made, as a change set on the workspace's paths. */
  changes(worktree: Worktree): Promise<WorktreeChanges> {
    return worktreeChanges(worktree, this.limits, this.options.git);
  }

  /**
   * The worktree belongs to chat `chatId` from now on, and to this process: cleanupStale keeps it while the
   * chat exists (after a reload too), whatever its age.
   */
  claim(worktree: Pick<Worktree, 'metaDir'>, chatId: string): void {
    const owner = readOwner(worktree.metaDir);
    if (!owner) throw new Error('the worktree has no owner record');
    writeRecord(worktree.metaDir, OWNER_FILE, { ...owner, pid: this.options.ownerPid ?? process.pid, chat: chatId });
  }

  /**
   * A chat's worktree again, after a reload, from the handle the chat kept and Tandem's records next to the
   * worktree: the same folder, for the same repository, at the commit it was made at, with its baseline.
   * Nothing is read from inside the worktree (the agent writes there). Throws, saying why, when it is gone
   * or does not match.
   */
  async attach(handle: WorktreeHandle, chatId: string): Promise<Worktree> {
    if (!NAME_PATTERN.test(handle.id) || basename(handle.path) !== handle.id) throw new Error('the worktree record is not one Tandem made');
    const availability = await this.isAvailable(handle.workspaceRoot);
    if (!availability.available) throw new Error(`the workspace has no worktrees now: ${availability.reason}`);
    const metaDir = join(dirname(handle.path), `.${handle.id}${META_SUFFIX}`);
    for (const folder of [handle.path, metaDir]) {
      const stat = fs.lstatSync(folder, { throwIfNoEntry: false });
      if (!stat?.isDirectory()) throw new Error(`the worktree folder ${folder} is gone`);
    }
    const owner = readOwner(metaDir);
    if (!owner || owner.worktree !== handle.path || owner.toplevel !== availability.repo.toplevel || !owner.head || !owner.worktreeGitDir) throw new Error('the worktree is not this workspace’s');
    if (owner.chat !== undefined && owner.chat !== chatId) throw new Error('the worktree belongs to another chat');
    const gitDir = fs.realpathSync(owner.worktreeGitDir);
    if (!isInside(join(fs.realpathSync(availability.repo.commonDir), 'worktrees'), gitDir) || gitDir === join(fs.realpathSync(availability.repo.commonDir), 'worktrees')) {
      throw new Error('git no longer knows the worktree');
    }
    // And it is git's record of THIS worktree (its `gitdir` file, in the repository, names the worktree's
    // `.git`), not another worktree's: changes would otherwise be read from that one's index and HEAD.
    const recorded = fs.readFileSync(join(gitDir, 'gitdir'), 'utf8').replace(/\n$/, '');
    if (recorded !== join(handle.path, '.git') && recorded !== join(fs.realpathSync(handle.path), '.git')) throw new Error('git records another folder for the worktree');
    const baseline = readBaseline(metaDir);
    const inside = relative(availability.repo.toplevel, fs.realpathSync(handle.workspaceRoot));
    const workspacePath = inside ? join(handle.path, inside) : handle.path;
    const repo = { ...availability.repo, head: owner.head };
    const worktree: Worktree = { id: handle.id, path: handle.path, workspacePath, workspaceRoot: handle.workspaceRoot, repo, gitDir, metaDir, baseline, skipped: [] };
    this.claim(worktree, chatId);
    return worktree;
  }

  /**
   * After a bring-back: each path's baseline becomes what the workspace now holds from it (what the user
   * accepted), so the next `changes` offers only what differs from that. Updates `worktree.baseline`.
   */
  rebaseline(worktree: Worktree, entries: readonly RebaselineEntry[]): void {
    worktree.baseline = moveBaseline(worktree.metaDir, worktree.baseline, entries);
  }

  /** Removes the worktree, git's record of it and Tandem's folder for it. */
  async remove(worktree: Pick<Worktree, 'path' | 'metaDir' | 'repo'>): Promise<void> {
    await this.removePaths(worktree);
  }

  private async removePaths(worktree: Pick<Worktree, 'path' | 'metaDir' | 'repo'>): Promise<void> {
    const { path, metaDir, repo } = worktree;
    const options = this.gitOptions(repo.toplevel, { gitDir: repo.gitDir, workTree: repo.toplevel });
    // Git refuses some worktrees (a nested repository inside): the folder goes anyway, then prune forgets it.
    await git(['worktree', 'remove', '--force', '--force', path], options).catch(() => undefined);
    fs.rmSync(path, { recursive: true, force: true });
    await git(['worktree', 'prune'], options).catch(() => undefined);
    fs.rmSync(metaDir, { recursive: true, force: true });
  }

  /**
   * Removes this repository's worktrees left over from a crash: their owner process is gone, or they are
   * older than a day. Returns the removed worktrees' paths. Only Tandem's own folders (a name it makes,
   * with its record next to it) are ever touched.
   */
  async cleanupStale(workspaceRoot: string, options: CleanupOptions = {}): Promise<string[]> {
    const availability = await this.isAvailable(workspaceRoot);
    if (!availability.available) return [];
    let container: string;
    try {
      container = this.container(availability.repo);
    } catch {
      return [];
    }
    const removed: string[] = [];
    for (const entry of fs.readdirSync(container)) {
      if (!entry.startsWith('.') || !entry.endsWith(META_SUFFIX)) continue;
      const name = entry.slice(1, -META_SUFFIX.length);
      if (!NAME_PATTERN.test(name)) continue;
      const metaDir = join(container, entry);
      const owner = readOwner(metaDir);
      const createdAt = owner?.createdAt || fs.statSync(metaDir).mtimeMs;
      const alive = owner !== undefined && processAlive(owner.pid);
      if (owner?.chat !== undefined) {
        // A chat's worktree lives as long as its chat, however old: only a chat known to be gone lets it go.
        if (alive || !options.chatExists || options.chatExists(owner.chat)) continue;
      } else if (alive && this.now() - createdAt < STALE_AFTER_MS) continue;
      const path = join(container, name);
      await this.removePaths({ path, metaDir, repo: availability.repo });
      removed.push(path);
    }
    return removed;
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }
}
