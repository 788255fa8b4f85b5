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

/** What a sandboxed process was allowed to do (absolute paths). */
export interface SandboxedProcessInfo {
  network: boolean;
  /** Folders it could write (workspace folders, its private temp dir). */
  writableRoots: readonly string[];
  /** Paths it saw empty or could not read: credential stores such as ~/.ssh. */
  hiddenPaths: readonly string[];
  /** Read-only folders inside the writable roots (`.git`, `.vscode`, `.tandem`). */
  protectedPaths: readonly string[];
}

/**
 * How commands are confined by the OS. `workspace-write`: everything read-only except the workspace
 * folders and a private temp dir; `read-only`: only the private temp dir is writable; `off`: no sandbox.
 */
export type SandboxMode = 'workspace-write' | 'read-only' | 'off';

/** Where the runner's next command would run; read before every command (settings can change). */
export type SandboxStatus =
  /** Commands run confined; `mechanism` is e.g. `bwrap` or `sandbox-exec`. */
  | { state: 'enforced'; mode: Exclude<SandboxMode, 'off'>; network: boolean; mechanism: string }
  /** A sandbox was asked for but cannot work here: the approval policy must fail closed (ask). */
  | { state: 'unavailable'; reason: string }
  /** Nobody asked for one (the setting is off, or full access). */
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
   * Run outside the OS sandbox. Only exec_command sets it, and only after the user approved re-running a
   * command that failed because of the sandbox; the model has no way to ask for it directly.
   */
  withoutSandbox?: boolean;
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
}
