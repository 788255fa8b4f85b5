// Interfaces the pure core needs from the outside world. Node implementations live in src/node,
// VS Code-specific ones in src/vscode; tests pass in-memory fakes.

/** A process started by `exec_command`, running in a pseudo-terminal (or a pipe fallback). */
export interface RunningProcess {
  /** Process id of the shell (leader of its own process group). */
  readonly pid: number;
  /** Subscribe to output; returns an unsubscribe function. Output is delivered in order. */
  onOutput(listener: (chunk: string) => void): () => void;
  /** Resolves once with the exit code (128 + signal number when killed by a signal). */
  readonly exited: Promise<number>;
  write(chars: string): void;
  /** Kills the whole process tree (process group), SIGTERM then SIGKILL. */
  kill(): void;
  /** Set when the process runs inside the OS sandbox: what it may touch, to explain failures it caused. */
  readonly sandbox?: SandboxedProcessInfo;
}

/**
 * What one command may do, chosen by the approval policy per command and enforced by the OS sandbox
 * (where there is one; see SandboxStatus):
 *   read-only      — nothing writable but a private temp dir (the workspace included), no network. What
 *                    runs without asking because the classifier judged it read-only gets this, so a
 *                    classifier miss cannot write or exfiltrate.
 *   workspace-write — the workspace folders and the private temp dir writable; network per setting.
 *   protected-only — everything writable and the network open (full access), except the protected paths.
 *   unconfined     — no sandbox: only for a command the user explicitly approved to run outside it.
 * In every sandboxed profile the protected names (core/approvals/protectedNames.ts: `.git` at any depth, `.vscode`, `.tandem`, `.agents`, `AGENTS.md`) stay read-only.
 */
export type CommandConfinement = 'read-only' | 'workspace-write' | 'protected-only' | 'unconfined';

/** What a sandboxed process was allowed to do (absolute paths). */
export interface SandboxedProcessInfo {
  network: boolean;
  /** Folders it could write (workspace folders, its private temp dir). */
  writableRoots: readonly string[];
  /** Paths it saw empty or could not read: credential stores such as ~/.ssh. */
  hiddenPaths: readonly string[];
  /** Read-only paths inside the writable roots (the protected names: `.git`, `.vscode`, `.tandem`, `.agents`, `AGENTS.md`). */
  protectedPaths: readonly string[];
  /** The profile it ran under. */
  confinement?: Exclude<CommandConfinement, 'unconfined'>;
}

/**
 * The `tandem.sandbox.mode` setting. `workspace-write`: commands get the confinement the policy picks;
 * `read-only`: at most read-only (an approved command cannot write the workspace either); `off`: no
 * sandbox, which the policy treats like a machine without one (only a strict allowlist runs unasked).
 */
export type SandboxMode = 'workspace-write' | 'read-only' | 'off';

/**
 * Whether the runner's next command can be confined; read before every command (settings can change).
 * `network` is the setting for workspace-write commands (read-only ones never have it, full access always).
 */
export type SandboxStatus =
  /** Commands run confined; `mechanism` is e.g. `bwrap` or `sandbox-exec`. */
  | { state: 'enforced'; mode: Exclude<SandboxMode, 'off'>; network: boolean; mechanism: string }
  /** A sandbox was asked for but cannot work here: the approval policy must fail closed (ask). */
  | { state: 'unavailable'; reason: string }
  /** The user turned it off: as unavailable for the policy, said differently to the user. */
  | { state: 'off'; reason: string };

export interface SpawnOptions {
  command: string;
  cwd: string;
  /** Run the user's shell as a login shell (slower; off by default). */
  login?: boolean;
  env?: Record<string, string>;
  cols?: number;
  rows?: number;
  /** Folders the sandbox leaves writable in `workspace-write` mode (the session's workspace roots). */
  workspaceRoots?: readonly string[];
  /**
   * What the command may do (the approval policy's choice; the model has no way to set it). Absent:
   * workspace-write. `unconfined` only after the user approved exactly this command to run outside.
   */
  confinement?: CommandConfinement;
  /**
   * Paths a sandboxed command may not write whatever its confinement (full access included): for a chat
   * in a git worktree, the repository it was made from (its folder and git dir), so neither its files nor
   * its hooks and config can be changed from the worktree. Not applied to `unconfined` (the user approved it).
   */
  readOnlyPaths?: readonly string[];
}

export interface ProcessRunner {
  spawn(options: SpawnOptions): RunningProcess;
  /** Shell used to run commands, e.g. `/bin/bash`; shown in the prompt's environment block. */
  readonly shell: string;
  /** The OS sandbox commands get. Absent: runners without one (tests), treated as `off`. */
  sandboxStatus?(): SandboxStatus;
}

/** Read access for the patch engine and prompt assembly (AGENTS.md). Paths are absolute. */
export interface FileReader {
  /** File text, or `undefined` when the file does not exist. Throws for directories / unreadable files. */
  readText(path: string): Promise<string | undefined>;
  exists(path: string): Promise<boolean>;
  isDirectory(path: string): Promise<boolean>;
  /**
   * `path` with every symlink resolved (for a path that does not exist yet: its nearest existing
   * ancestor's real path plus the rest), so the policy sees where a write would really land. Readers
   * without links (in-memory tests) may leave it out.
   */
  realPath?(path: string): Promise<string>;
  /**
   * Whether `path` itself is a symbolic link (not followed; a dangling link counts). The policy asks
   * before writing commands when a protected name is one (approvals/diskChecks.ts). Readers without
   * links may leave it out.
   */
  isSymbolicLink?(path: string): Promise<boolean>;
  /**
   * Names of the entries of the directory `path` (without `.` and `..`), or `[]` when it is
   * missing or not a directory. Skill discovery lists skills folders with it (core/skills/discovery.ts);
   * a reader without it finds no skills.
   */
  listDirectory?(path: string): Promise<string[]>;
}
