// Picks the process runner: a pseudo-terminal when node-pty works here, pipes otherwise. node-pty can
// fail at load (native module built for another ABI) or only at the first spawn (spawn-helper not
// executable), so both are caught; the fallback is announced once and then sticks.
import type { ProcessRunner, RunningProcess, SpawnOptions } from '../core/ports';
import { userShell } from './environment';
import { PipeRunner } from './pipeRunner';
import { loadNodePty, PtyRunner } from './ptyRunner';

export interface CreateRunnerOptions {
  /** Called at most once, when commands will run without a terminal; `reason` is the load error. */
  onFallback?(reason: string): void;
  /** Shell to run commands with (default `$SHELL`, else /bin/bash). */
  shell?: string;
  /** Loads node-pty (tests inject failures here). */
  loadPty?: typeof loadNodePty;
}

export function createProcessRunner(options: CreateRunnerOptions = {}): ProcessRunner {
  const shell = options.shell ?? userShell();
  let pty: ProcessRunner | undefined;
  let pipe: ProcessRunner | undefined;
  const fallBack = (error: unknown): ProcessRunner => {
    pty = undefined;
    if (!pipe) {
      pipe = new PipeRunner(shell);
      options.onFallback?.(error instanceof Error ? error.message : String(error));
    }
    return pipe;
  };
  try {
    pty = new PtyRunner((options.loadPty ?? loadNodePty)(), shell);
  } catch (error) {
    fallBack(error);
  }
  return {
    shell,
    spawn(spawnOptions: SpawnOptions): RunningProcess {
      if (pty) {
        try {
          return pty.spawn(spawnOptions);
        } catch (error) {
          return fallBack(error).spawn(spawnOptions);
        }
      }
      return (pipe ?? fallBack(new Error('no runner'))).spawn(spawnOptions);
    },
  };
}
