// Picks the process runner: a pseudo-terminal when node-pty works here, pipes otherwise. node-pty can
// fail at load (native module built for another ABI) or only at the first spawn (spawn-helper not
// executable), so both are caught; the fallback is announced once and then sticks. With `sandbox`
// options, commands run inside the OS sandbox (sandbox/sandboxedRunner.ts) on whichever runner won.
import type { ProcessRunner, RunningProcess } from '../core/ports';
import { userShell } from './environment';
import { PipeRunner } from './pipeRunner';
import { loadNodePty, PtyRunner, shellArgs, type ArgvRunner, type ArgvSpawnOptions } from './ptyRunner';
import { SandboxedRunner, type SandboxOptions } from './sandbox/sandboxedRunner';

export interface CreateRunnerOptions {
  /** Called at most once, when commands will run without a terminal; `reason` is the load error. */
  onFallback?(reason: string): void;
  /** Shell to run commands with (default `$SHELL`, else /bin/bash). */
  shell?: string;
  /** Loads node-pty (tests inject failures here). */
  loadPty?: typeof loadNodePty;
  /** Confine commands with the OS sandbox. Without it, commands run as the user (no sandbox status). */
  sandbox?: SandboxOptions;
}

export function createProcessRunner(options: CreateRunnerOptions = {}): ProcessRunner {
  const base = createTerminalRunner(options);
  return options.sandbox ? new SandboxedRunner(base, options.sandbox) : base;
}

function createTerminalRunner(options: CreateRunnerOptions): ArgvRunner {
  const shell = options.shell ?? userShell();
  let pty: ArgvRunner | undefined;
  let pipe: ArgvRunner | undefined;
  const fallBack = (error: unknown): ArgvRunner => {
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
  const spawnArgv = (spawnOptions: ArgvSpawnOptions): RunningProcess => {
    if (pty) {
      try {
        return pty.spawnArgv(spawnOptions);
      } catch (error) {
        return fallBack(error).spawnArgv(spawnOptions);
      }
    }
    return (pipe ?? fallBack(new Error('no runner'))).spawnArgv(spawnOptions);
  };
  return {
    shell,
    spawnArgv,
    spawn: (spawnOptions) => spawnArgv({ ...spawnOptions, file: shell, args: shellArgs(spawnOptions.command, spawnOptions.login) }),
  };
}

