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
}

export interface SpawnOptions {
  command: string;
  cwd: string;
  /** Run the user's shell as a login shell (slower; off by default). */
  login?: boolean;
  env?: Record<string, string>;
  cols?: number;
  rows?: number;
}

export interface ProcessRunner {
  spawn(options: SpawnOptions): RunningProcess;
  /** Shell used to run commands, e.g. `/bin/bash`; shown in the prompt's environment block. */
  readonly shell: string;
}

/** Read access for the patch engine and prompt assembly (AGENTS.md). Paths are absolute. */
export interface FileReader {
  /** File text, or `undefined` when the file does not exist. Throws for directories / unreadable files. */
  readText(path: string): Promise<string | undefined>;
  exists(path: string): Promise<boolean>;
  isDirectory(path: string): Promise<boolean>;
}
