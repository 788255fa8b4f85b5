// What one sandboxed command may touch, worked out from the file system right before it starts, for its
// confinement (ports.ts CommandConfinement): real paths of the writable folders, which protected entries
// exist (only existing paths can be mounted over or named in a profile) and which credential stores and
// histories to hide. The Linux (bwrap) and macOS (sandbox-exec) builders turn a plan into arguments
// without touching the disk, so their output is unit-tested as text.
import { existsSync, lstatSync, readlinkSync, realpathSync } from 'node:fs';
import * as path from 'node:path';
import type { CommandConfinement, SandboxMode } from '../../core/ports';
import { scanProtected, type ProtectedScan } from './protectedScan';

export { PROTECTED_DIRS, PROTECTED_FILES } from './protectedScan';

export type SandboxedConfinement = Exclude<CommandConfinement, 'unconfined'>;

export interface SandboxSettings {
  mode: SandboxMode;
  /** Let workspace-write commands reach the network (off by default: exfiltration and downloads need a human). */
  network: boolean;
}

export interface SandboxPlan {
  confinement: SandboxedConfinement;
  network: boolean;
  cwd: string;
  /**
   * Real paths of the folders left writable: the workspace roots in workspace-write, none in read-only,
   * `/` in protected-only (everything).
   */
  writableRoots: string[];
  /**
   * Full access: the workspace roots, bound again on themselves so that each is its own mount. A folder
   * renamed into a root from elsewhere then arrives as a copy (rename across mounts is EXDEV), with fresh
   * times the repository sweep can trust (repoSweep.ts). Workspace-write binds its roots anyway.
   */
  ownMounts: string[];
  /**
   * The workspace roots in read-only mode. Mounted read-only again so that one under /tmp (which the
   * sandbox replaces with its private temp dir) still shows the real files.
   */
  readOnlyRoots: string[];
  /**
   * Existing protected entries kept read-only: `.git` at any depth, the other protected names at the top
   * (the placeholders for missing ones included), the targets of those that are symlinks, and in
   * protected-only the user's global git config.
   */
  protectedPaths: string[];
  /** Existing credential stores, editor data and agent sockets: directories shown empty and read-only. */
  hiddenDirs: string[];
  /** The same for single files and sockets (histories, .netrc): /dev/null takes their place. */
  hiddenFiles: string[];
  /**
   * Symlinks recreated inside a hidden directory (Linux: in the empty /run of a profile without network,
   * NixOS's /run/current-system and friends, which PATH needs). Only links pointing outside the hidden
   * directory, so none leads back to a socket there.
   */
  keptLinks: { path: string; target: string }[];
  /** Host directory that is the commands' temp dir (Linux mounts it at /tmp; not used in protected-only). */
  privateTmp: string;
  /** RLIMIT_NPROC inside the sandbox (the fork-bomb guard; Linux only). */
  maxProcesses: number;
}

/**
 * Under $HOME, a command in the sandbox sees these empty: credential stores; the editors' own data (VS
 * Code and its forks keep settings, tokens in their state databases and extension secrets there, and
 * settings can make the editor run programs); shell and REPL histories (they hold pasted secrets).
 * Extend here.
 */
export const HIDDEN_HOME_PATHS = [
  '.ssh', '.gnupg', '.aws', '.azure', '.config/gcloud', '.kube', '.docker', '.config/gh', '.password-store',
  '.local/share/keyrings', '.tandem', '.mozilla', '.config/google-chrome', '.config/chromium',
  '.netrc', '.git-credentials', '.npmrc', '.pypirc', 'Library/Keychains',
  // editors
  '.config/Code', '.config/Code - OSS', '.config/Code - Insiders', '.config/VSCodium', '.config/Cursor', '.config/Windsurf',
  '.local/share/code-server', '.config/code-server', '.vscode-server/data', '.vscode-server-insiders/data', '.cursor-server/data', '.windsurf-server/data',
  'Library/Application Support/Code', 'Library/Application Support/Code - Insiders', 'Library/Application Support/VSCodium',
  'Library/Application Support/Cursor', 'Library/Application Support/Windsurf',
  // histories
  '.bash_history', '.zsh_history', '.zhistory', '.histfile', '.sh_history', '.python_history', '.node_repl_history',
  '.lesshst', '.psql_history', '.mysql_history', '.sqlite_history', '.rediscli_history', '.irb_history', '.pry_history',
  '.Rhistory', '.scala_history', '.local/share/fish/fish_history', '.config/fish/fish_history', '.ipython/profile_default/history.sqlite',
  '.local/share/nvim/shada', '.viminfo', '.wget-hsts',
];

/** The user's global git config: in protected-only it stays read-only like `.git`, since it can name hooks too. */
const GIT_GLOBAL_CONFIG = ['.gitconfig', '.config/git'];

/**
 * Sockets of unsandboxed daemons that would run anything for us (docker: root on the host), or carry
 * what a command must not send (the D-Bus system bus, systemd, snapd). Hidden in every profile but full
 * access, also where the network is on and /run stays visible (resolv.conf often points into it).
 */
const HIDDEN_SYSTEM_PATHS = [
  '/run/docker.sock', '/var/run/docker.sock', '/run/docker', '/run/podman', '/run/containerd', '/run/crio', '/run/k3s',
  '/run/dbus', '/var/run/dbus', '/run/snapd.socket', '/run/snapd-snap.socket', '/run/systemd/private', '/run/systemd/io.system.ManagedOOM',
  '/run/libvirt', '/run/user',
];

/**
 * Linux, profiles without network: all of /run (and /var/run where it is its own directory) is shown
 * empty, so no host daemon's Unix socket can be reached (a network namespace does not cut Unix sockets
 * on the file system). These links in it are put back: they point at /dev/shm or NixOS's system profile.
 */
const RUN_DIRS = ['/run', '/var/run'];
const KEPT_RUN_LINKS = ['/run/shm', '/run/current-system', '/run/booted-system', '/run/opengl-driver', '/run/opengl-driver-32'];

/**
 * A command uses RLIMIT_NPROC slots for every thread it runs (the kernel counts tasks, and since Linux 5.14
 * per user namespace, so the user's other processes do not count). 4096 leaves room for parallel builds
 * and browsers under test, and keeps a fork bomb from taking the machine down.
 */
export const DEFAULT_MAX_PROCESSES = 4096;

export interface PlanInput {
  confinement: SandboxedConfinement;
  /** The setting; only workspace-write uses it (read-only never has the network, protected-only always). */
  network: boolean;
  cwd: string;
  workspaceRoots: readonly string[];
  homeDir: string;
  privateTmp: string;
  /** XDG_RUNTIME_DIR (D-Bus, keyring, ssh-agent and VS Code IPC sockets live there), hidden when set. */
  runtimeDir?: string;
  /** The user's id: /run/user/<uid> is hidden whether XDG_RUNTIME_DIR names it or not (default: ours). */
  uid?: number;
  /** Default: this process's. /run is emptied on Linux only (macOS keeps DNS's socket under /var/run). */
  platform?: NodeJS.Platform;
  maxProcesses?: number;
  /** The protected entries found in the real workspace roots (default: scanned now). */
  scan?: ProtectedScan;
  /** Placeholders made for missing protected names (placeholders.ts), mounted read-only too. */
  placeholders?: readonly string[];
  /** Kept read-only besides the protected entries (SpawnOptions.readOnlyPaths); missing ones are left out. */
  readOnlyPaths?: readonly string[];
}

function realOrUndefined(p: string): string | undefined {
  try {
    return realpathSync(p);
  } catch {
    return undefined;
  }
}

function isInside(parent: string, child: string): boolean {
  const relative = path.relative(parent, child);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

export function planSandbox(input: PlanInput): SandboxPlan {
  const roots = unique(input.workspaceRoots.map(realOrUndefined));
  const { confinement } = input;
  const writes = confinement !== 'read-only';
  // Read-only needs no protected list: nothing in the workspace is writable.
  const scan = writes ? (input.scan ?? scanProtected(roots)) : undefined;
  const protectedPaths = writes
    ? unique([
        ...scan!.entries.flatMap((e) => (e.kind === 'link' ? [realOrUndefined(e.path)] : [e.path])),
        ...(input.placeholders ?? []),
        ...(input.readOnlyPaths ?? []).map(realOrUndefined),
        ...(confinement === 'protected-only' ? GIT_GLOBAL_CONFIG.map((p) => path.join(input.homeDir, p)).filter((p) => existsSync(p)).map(realOrUndefined) : []),
      ])
    : [];
  const network = confinement === 'protected-only' ? true : confinement === 'read-only' ? false : input.network;
  const linux = (input.platform ?? process.platform) === 'linux';
  const uid = input.uid ?? process.getuid?.();
  // Full access hides nothing: it is the user's own access (their ssh keys for `git push`), minus the protected paths.
  const candidates =
    confinement === 'protected-only'
      ? []
      : [
          ...(linux && !network ? RUN_DIRS : []),
          ...HIDDEN_HOME_PATHS.map((p) => path.join(input.homeDir, p)),
          ...(input.runtimeDir ? [input.runtimeDir] : []),
          ...(uid !== undefined ? [`/run/user/${uid}`] : []),
          ...HIDDEN_SYSTEM_PATHS,
        ];
  const hidden: string[] = [];
  for (const real of unique(candidates.map(realOrUndefined))) {
    // A folder the user opened as a workspace stays visible even under a hidden one. Not the working
    // directory: the model picks that, and must not unhide ~/.ssh by running a command in it.
    if (roots.some((root) => isInside(real, root))) continue;
    hidden.push(real);
  }
  // What lies inside another hidden directory is gone with it (and could not be mounted on: the empty
  // directory is read-only).
  const outermost = hidden.filter((p) => !hidden.some((other) => other !== p && isInside(other, p)));
  const hiddenDirs = outermost.filter((p) => lstatSync(p).isDirectory());
  const hiddenFiles = outermost.filter((p) => !lstatSync(p).isDirectory());
  const keptLinks = hiddenDirs.includes('/run') ? KEPT_RUN_LINKS.flatMap((p) => keptLink(p, '/run')) : [];
  return {
    confinement,
    network,
    cwd: input.cwd,
    writableRoots: confinement === 'workspace-write' ? roots : confinement === 'protected-only' ? ['/'] : [],
    readOnlyRoots: confinement === 'read-only' ? roots : [],
    ownMounts: confinement === 'protected-only' ? roots : [],
    protectedPaths,
    hiddenDirs,
    hiddenFiles,
    keptLinks,
    privateTmp: realOrUndefined(input.privateTmp) ?? input.privateTmp,
    maxProcesses: input.maxProcesses ?? DEFAULT_MAX_PROCESSES,
  };
}

/** `p` as a link to recreate, when it is a symlink whose target lies outside `dir`. */
function keptLink(p: string, dir: string): { path: string; target: string }[] {
  try {
    if (!lstatSync(p).isSymbolicLink()) return [];
    const target = readlinkSync(p);
    const resolved = path.resolve(path.dirname(p), target);
    const real = realOrUndefined(resolved) ?? resolved;
    return isInside(dir, resolved) || isInside(dir, real) ? [] : [{ path: p, target }];
  } catch {
    return [];
  }
}

function unique(paths: (string | undefined)[]): string[] {
  return [...new Set(paths.filter((p): p is string => p !== undefined))];
}
