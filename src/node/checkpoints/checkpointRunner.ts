// A ProcessRunner around the real one (pty / pipes / sandbox) that tells a turn recorder when a command
// starts and when it has exited, so the checkpoint of the turn includes every file a command changed.
// Each chat's agent gets one wrapped for that chat's recorder, so a command is its chat's (the shared
// snapshot sorts out commands of several chats running at once: workspaceSnapshot.ts). Outside a turn
// (nothing is being recorded) it only passes through. A command that runs read-only inside an enforced
// sandbox cannot change the workspace, so it is not scanned around.
import type { ProcessRunner, RunningProcess, SpawnOptions } from '../../core/ports';
import type { TurnRecorder } from './turnRecorder';

export function checkpointRunner(inner: ProcessRunner, recorder: () => TurnRecorder | undefined): ProcessRunner {
  const wrapper: ProcessRunner = {
    get shell() {
      return inner.shell;
    },
    spawn(options: SpawnOptions): RunningProcess {
      const active = recorder();
      if (!active?.activeTurn || cannotWrite(inner, options)) return inner.spawn(options);
      const token = active.commandStarting();
      let proc: RunningProcess;
      try {
        proc = inner.spawn(options);
      } catch (error) {
        active.commandEnded(token);
        throw error;
      }
      // The scan runs before anyone waiting on `exited` sees the exit, so the next command's scan starts
      // from what this one left.
      const exited = proc.exited.then((code) => {
        active.commandEnded(token);
        return code;
      });
      return new RecordedProcess(proc, exited);
    },
  };
  if (inner.sandboxStatus) wrapper.sandboxStatus = () => inner.sandboxStatus!();
  return wrapper;
}

/** The same process with its exit delayed until the after-command scan ran. */
class RecordedProcess implements RunningProcess {
  constructor(
    private readonly inner: RunningProcess,
    readonly exited: Promise<number>,
  ) {}
  get pid(): number {
    return this.inner.pid;
  }
  get sandbox() {
    return this.inner.sandbox;
  }
  onOutput(listener: (chunk: string) => void): () => void {
    return this.inner.onOutput(listener);
  }
  write(chars: string): void {
    this.inner.write(chars);
  }
  kill(): void {
    this.inner.kill();
  }
}

function cannotWrite(inner: ProcessRunner, options: SpawnOptions): boolean {
  return options.confinement === 'read-only' && inner.sandboxStatus?.().state === 'enforced';
}
