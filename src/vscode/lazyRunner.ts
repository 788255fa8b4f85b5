// Activation must stay under 50 ms, and loading node-pty (a native module) and probing the OS sandbox (a
// short spawn) are not needed to show the chat. This runner builds the real one on first use: the first
// command, the header asking for the sandbox state, or the deferred start-up probe in extension.ts.
import type { ProcessRunner, SpawnOptions, RunningProcess, SandboxStatus } from '../core/ports';

export function lazyProcessRunner(create: () => ProcessRunner): ProcessRunner & { readonly created: boolean; sandboxStatus(): SandboxStatus } {
  let runner: ProcessRunner | undefined;
  const real = (): ProcessRunner => (runner ??= create());
  return {
    get created() {
      return runner !== undefined;
    },
    get shell() {
      return real().shell;
    },
    spawn: (options: SpawnOptions): RunningProcess => real().spawn(options),
    sandboxStatus: (): SandboxStatus => real().sandboxStatus?.() ?? { state: 'off', reason: 'No sandbox for this runner.' },
  };
}
