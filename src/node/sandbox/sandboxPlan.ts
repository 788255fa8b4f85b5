// What one sandboxed command may touch, worked out from the file system right before it starts: real
// paths of the writable folders, which protected folders and credential stores exist (only existing
// paths can be mounted over or named in a profile). The Linux (bwrap) and macOS (sandbox-exec) builders
// turn a plan into arguments without touching the disk, so their output is unit-tested as text.
import { existsSync, lstatSync, realpathSync } from 'node:fs';
import * as path from 'node:path';
import type { SandboxMode } from '../../core/ports';

export interface SandboxSettings {
  mode: SandboxMode;
  /** Let commands reach the network (off by default: exfiltration and downloads need a human). */
  network: boolean;
}

export interface SandboxPlan {
  mode: Exclude<SandboxMode, 'off'>;
  network: boolean;
  cwd: string;
  /** Real paths of the folders left writable: the workspace roots in workspace-write mode, none otherwise. */
  writableRoots: string[];
  /**
   * The workspace roots in read-only mode. Mounted read-only again so that one under /tmp (which the
   * sandbox replaces with its private temp dir) still shows the real files.
   */
  readOnlyRoots: string[];
  /** Existing protected folders inside the writable roots, kept read-only. */
  protectedPaths: string[];
  /** Existing credential stores and agent sockets: directories shown empty and read-only. */
  hiddenDirs: string[];
  /** The same for single files and sockets: /dev/null takes their place. */
  hiddenFiles: string[];
  /** Host directory that is the commands' temp dir (Linux mounts it at /tmp). */
  privateTmp: string;
  /** RLIMIT_NPROC inside the sandbox (the fork-bomb guard; Linux only). */
  maxProcesses: number;
}

/**
 * Inside a writable root, these stay read-only. `.git` because hooks and config run code later, outside
 * any sandbox, when the user commits (Codex protects `.git` the same way); `.vscode` because tasks and
 * launch configurations do too; `.tandem` is the agent's own state. Matches the patch policy's list.
 */
export const PROTECTED_DIRS = ['.git', '.vscode', '.tandem'];

/** Credential stores under $HOME: a command in the sandbox sees them empty. Extend here. */
export const HIDDEN_HOME_PATHS = [
  '.ssh', '.gnupg', '.aws', '.azure', '.config/gcloud', '.kube', '.docker', '.config/gh', '.password-store',
  '.local/share/keyrings', '.tandem', '.mozilla', '.config/google-chrome', '.config/chromium',
  '.netrc', '.git-credentials', '.npmrc', '.pypirc', 'Library/Keychains',
];

/** Sockets of unsandboxed daemons that would run anything for us (docker: root on the host). */
const HIDDEN_SYSTEM_PATHS = ['/run/docker.sock', '/var/run/docker.sock', '/run/podman/podman.sock'];

/**
 * A command uses RLIMIT_NPROC slots for every thread it runs (the kernel counts tasks, and since Linux 5.14
 * per user namespace, so the user's other processes do not count). 4096 leaves room for parallel builds
 * and browsers under test, and keeps a fork bomb from taking the machine down.
 */
export const DEFAULT_MAX_PROCESSES = 4096;

export interface PlanInput {
  mode: Exclude<SandboxMode, 'off'>;
  network: boolean;
  cwd: string;
  workspaceRoots: readonly string[];
  homeDir: string;
  privateTmp: string;
  /** XDG_RUNTIME_DIR (D-Bus, keyring, ssh-agent and VS Code IPC sockets live there), hidden when set. */
  runtimeDir?: string;
  maxProcesses?: number;
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
  const writableRoots = input.mode === 'workspace-write' ? roots : [];
  const protectedPaths = unique(writableRoots.flatMap((root) => PROTECTED_DIRS.map((dir) => path.join(root, dir)).filter((p) => existsSync(p))));
  const candidates = [
    ...HIDDEN_HOME_PATHS.map((p) => path.join(input.homeDir, p)),
    ...(input.runtimeDir ? [input.runtimeDir] : []),
    ...HIDDEN_SYSTEM_PATHS,
  ];
  const hiddenDirs: string[] = [];
  const hiddenFiles: string[] = [];
  for (const real of unique(candidates.map(realOrUndefined))) {
    // A folder the user opened as a workspace stays visible even under a hidden one. Not the working
    // directory: the model picks that, and must not unhide ~/.ssh by running a command in it.
    if (writableRoots.some((root) => isInside(real, root))) continue;
    (lstatSync(real).isDirectory() ? hiddenDirs : hiddenFiles).push(real);
  }
  return {
    mode: input.mode,
    network: input.network,
    cwd: input.cwd,
    writableRoots,
    readOnlyRoots: input.mode === 'workspace-write' ? [] : roots,
    protectedPaths,
    hiddenDirs,
    hiddenFiles,
    privateTmp: realOrUndefined(input.privateTmp) ?? input.privateTmp,
    maxProcesses: input.maxProcesses ?? DEFAULT_MAX_PROCESSES,
  };
}

function unique(paths: (string | undefined)[]): string[] {
  return [...new Set(paths.filter((p): p is string => p !== undefined))];
}
