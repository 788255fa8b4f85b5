// ProcessRunner that confines commands with the OS sandbox (bwrap on Linux, sandbox-exec on macOS) around
// a pty or pipe runner. Settings and the approval policy are read per command, so a change applies at
// once. Where no sandbox can work, `sandboxStatus()` says `unavailable` (announced once through
// `onUnavailable`) and the approval policy asks before every command that is not known to be read-only:
// this runner then runs what was approved as is, which is the point of asking. It never decides on its
// own to run a command unsandboxed that the policy believed would be confined.
import { mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import * as path from 'node:path';
import { effectiveSandboxMode, type ApprovalPolicy } from '../../core/approvals/policy';
import type { ProcessRunner, RunningProcess, SandboxedProcessInfo, SandboxStatus, SpawnOptions } from '../../core/ports';
import { shellArgs, type ArgvRunner } from '../ptyRunner';
import { BWRAP_TMP, bwrapCommand } from './bwrapArgs';
import { planSandbox, type SandboxSettings } from './sandboxPlan';
import { probeSandbox, type SandboxAvailability } from './sandboxProbe';
import { seatbeltCommand } from './seatbeltProfile';

export interface SandboxOptions {
  /** `tandem.sandbox.mode` / `tandem.sandbox.network` (or the CLI flags), read before every command. */
  settings(): SandboxSettings;
  approvalPolicy(): ApprovalPolicy;
  /** Called at most once, when a sandbox was asked for and cannot work here; say so to the user. */
  onUnavailable?(reason: string): void;
  /** Home whose credential stores are hidden (default: the user's). */
  homeDir?: string;
  /** Host directory used as the commands' temp dir (default: a fresh one under the OS temp dir). */
  tempDir?: string;
  bwrapPath?: string;
  platform?: NodeJS.Platform;
  /** RLIMIT_NPROC inside the sandbox (Linux); see DEFAULT_MAX_PROCESSES. */
  maxProcesses?: number;
  /** Replaces the probe (tests). */
  probe?: () => SandboxAvailability;
}

/**
 * Variables naming sockets and helpers of unsandboxed processes (ssh-agent, D-Bus, VS Code's IPC and
 * git askpass). The sandbox hides what they point to; left set, tools would fail in confusing ways.
 */
const DROPPED_ENV = [
  'SSH_AUTH_SOCK', 'GPG_AGENT_INFO', 'DBUS_SESSION_BUS_ADDRESS', 'VSCODE_IPC_HOOK_CLI', 'VSCODE_GIT_IPC_HANDLE',
  'GIT_ASKPASS', 'SSH_ASKPASS', 'VSCODE_GIT_ASKPASS_NODE', 'VSCODE_GIT_ASKPASS_MAIN', 'VSCODE_GIT_ASKPASS_EXTRA_ARGS',
];

/** Same process, plus what the sandbox allowed it (exec_command uses it to explain failures). */
class SandboxedProcess implements RunningProcess {
  constructor(
    private readonly inner: RunningProcess,
    readonly sandbox: SandboxedProcessInfo,
  ) {}
  get pid(): number {
    return this.inner.pid;
  }
  get exited(): Promise<number> {
    return this.inner.exited;
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

export class SandboxedRunner implements ProcessRunner {
  private availability: SandboxAvailability | undefined;
  private privateTmp: string | undefined;

  constructor(
    private readonly inner: ArgvRunner,
    private readonly options: SandboxOptions,
  ) {}

  get shell(): string {
    return this.inner.shell;
  }

  sandboxStatus(): SandboxStatus {
    const settings = this.options.settings();
    const mode = effectiveSandboxMode(settings.mode, this.options.approvalPolicy());
    if (mode === 'off') {
      return { state: 'off', reason: settings.mode === 'off' ? 'the sandbox is turned off' : 'full access runs commands without the sandbox' };
    }
    const availability = this.probeOnce();
    if (!availability.ok) return { state: 'unavailable', reason: availability.reason };
    return { state: 'enforced', mode, network: settings.network, mechanism: availability.mechanism };
  }

  spawn(options: SpawnOptions): RunningProcess {
    const status = this.sandboxStatus();
    // `unavailable`: the policy already asked for this command (fail closed happens there, not here).
    if (status.state !== 'enforced' || options.withoutSandbox || !this.availability?.ok) return this.inner.spawn(options);
    const platform = this.options.platform ?? process.platform;
    const privateTmp = this.tempDir();
    const plan = planSandbox({
      mode: status.mode,
      network: status.network,
      cwd: options.cwd,
      workspaceRoots: options.workspaceRoots ?? [],
      homeDir: this.options.homeDir ?? homedir(),
      privateTmp,
      ...(platform === 'linux' && process.env.XDG_RUNTIME_DIR ? { runtimeDir: process.env.XDG_RUNTIME_DIR } : {}),
      ...(this.options.maxProcesses !== undefined ? { maxProcesses: this.options.maxProcesses } : {}),
    });
    const args = shellArgs(options.command, options.login);
    const argv = platform === 'darwin' ? seatbeltCommand(plan, this.shell, args) : bwrapCommand(this.availability.executable, plan, this.shell, args);
    const tmpInside = platform === 'darwin' ? plan.privateTmp : BWRAP_TMP;
    const proc = this.inner.spawnArgv({
      ...argv,
      cwd: options.cwd,
      env: { ...options.env, TMPDIR: tmpInside, TANDEM_SANDBOX: status.mechanism },
      dropEnv: DROPPED_ENV,
      ...(options.cols !== undefined ? { cols: options.cols } : {}),
      ...(options.rows !== undefined ? { rows: options.rows } : {}),
    });
    return new SandboxedProcess(proc, {
      network: plan.network,
      // Paths as the command sees them (its error messages name these).
      writableRoots: [...plan.writableRoots, tmpInside],
      protectedPaths: plan.protectedPaths,
      hiddenPaths: [...plan.hiddenDirs, ...plan.hiddenFiles],
    });
  }

  private probeOnce(): SandboxAvailability {
    if (!this.availability) {
      this.availability = (this.options.probe ?? (() => probeSandbox({ ...(this.options.platform ? { platform: this.options.platform } : {}), ...(this.options.bwrapPath ? { bwrapPath: this.options.bwrapPath } : {}) })))();
      if (!this.availability.ok) this.options.onUnavailable?.(this.availability.reason);
    }
    return this.availability;
  }

  /** One private temp dir per runner, shared by its commands (files survive between commands), removed at exit. */
  private tempDir(): string {
    if (this.options.tempDir) return this.options.tempDir;
    if (!this.privateTmp) {
      const dir = mkdtempSync(path.join(tmpdir(), 'tandem-sandbox-'));
      process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
      this.privateTmp = dir;
    }
    return this.privateTmp;
  }
}
