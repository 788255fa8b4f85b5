// ProcessRunner that confines commands with the OS sandbox (bwrap on Linux, sandbox-exec on macOS) around
// a pty or pipe runner. Each command comes with the confinement the approval policy chose for it
// (SpawnOptions.confinement); settings are read per command, so a change applies at once. Where no
// sandbox can work, `sandboxStatus()` says `unavailable` (announced once through `onUnavailable`), and
// with the setting off it says `off`; the approval policy then asks before every command not on its
// strict allowlist, and this runner runs what was approved as is, which is the point of asking.
//
// Around a command that may write, it also keeps the protected names read-only where they do not exist
// yet (placeholders.ts) and, once the command has ended, moves aside any repository it created
// (repoSweep.ts finds them, repoQuarantine.ts moves them) and puts back protected symlinks it replaced
// (protectedLinks.ts), saying so in the command's output. When the sweep cannot settle the workspace
// (out of time, or a changed repository it cannot prove new) the command fails with a note.
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import * as path from 'node:path';
import { enforcedConfinement, type ApprovalPolicy } from '../../core/approvals/policy';
import type { ProcessRunner, RunningProcess, SandboxedProcessInfo, SandboxStatus, SpawnOptions } from '../../core/ports';
import { shellArgs, type ArgvRunner } from '../ptyRunner';
import { BWRAP_TMP, bwrapCommand } from './bwrapArgs';
import { GIT_PROGRAM_ENV, gitSafetyEnv } from '../../core/approvals/gitReadOnly';
import { PlaceholderRegistry } from './placeholders';
import { scanProtected, type ProtectedScan } from './protectedScan';
import { linkRepairNote, recordProtectedLinks, restoreProtectedLinks } from './protectedLinks';
import { quarantineRepos } from './repoQuarantine';
import { sweepNewRepos, sweepProblemNote } from './repoSweep';
import { planSandbox, type SandboxSettings } from './sandboxPlan';
import { probeSandbox, type SandboxAvailability } from './sandboxProbe';
import { seatbeltCommand } from './seatbeltProfile';

export interface SandboxOptions {
  /** `tandem.sandbox.mode` / `tandem.sandbox.network` (or the CLI flags), read before every command. */
  settings(): SandboxSettings;
  /** Unused: the policy's choice now comes with each command (SpawnOptions.confinement). Kept for callers. */
  approvalPolicy?(): ApprovalPolicy;
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
  /** Time the after-command repository sweep may take before the command fails closed (default SWEEP_BUDGET_MS). */
  sweepBudgetMs?: number;
  /** Folders the before-command scan visits (default MAX_SCAN_DIRS); tests make a small one to reach its end. */
  scanMaxDirs?: number;
}

/**
 * Variables naming sockets and helpers of unsandboxed processes (ssh-agent, D-Bus, VS Code's IPC and
 * git askpass). The sandbox hides what they point to; left set, tools would fail in confusing ways.
 */
const DROPPED_ENV = [
  'SSH_AUTH_SOCK', 'GPG_AGENT_INFO', 'DBUS_SESSION_BUS_ADDRESS', 'VSCODE_IPC_HOOK_CLI', 'VSCODE_GIT_IPC_HANDLE',
  'GIT_ASKPASS', 'SSH_ASKPASS', 'VSCODE_GIT_ASKPASS_NODE', 'VSCODE_GIT_ASKPASS_MAIN', 'VSCODE_GIT_ASKPASS_EXTRA_ARGS',
];

/**
 * Same process, plus what the sandbox allowed it (exec_command uses it to explain failures). `afterExit`
 * runs once the command has ended, before anyone sees the exit: it may add a note to the output (in
 * order, after everything the command printed) and turn success into failure. It is asynchronous (the
 * repository sweep walks the workspace without blocking the extension host); `exited` resolves only
 * after it, and if it fails the command fails with a note, never passes unchecked.
 */
class SandboxedProcess implements RunningProcess {
  private readonly listeners = new Set<(chunk: string) => void>();
  readonly exited: Promise<number>;

  constructor(
    private readonly inner: RunningProcess,
    readonly sandbox: SandboxedProcessInfo,
    afterExit: (code: number) => Promise<{ code: number; note?: string }>,
  ) {
    inner.onOutput((chunk) => {
      for (const listener of this.listeners) listener(chunk);
    });
    this.exited = inner.exited.then(async (code) => {
      const after = await afterExit(code).catch((error: unknown) => ({
        code: code === 0 ? 1 : code,
        note: `\r\n[Tandem sandbox] Failed closed: the workspace could not be checked after the command (${error instanceof Error ? error.message : String(error)}). Look for new .git folders before running git.\r\n`,
      }));
      if (after.note) for (const listener of this.listeners) listener(after.note);
      return after.code;
    });
  }
  get pid(): number {
    return this.inner.pid;
  }
  onOutput(listener: (chunk: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
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
  private readonly placeholders = new PlaceholderRegistry();
  private exitHook = false;

  constructor(
    private readonly inner: ArgvRunner,
    private readonly options: SandboxOptions,
  ) {}

  get shell(): string {
    return this.inner.shell;
  }

  sandboxStatus(): SandboxStatus {
    const settings = this.options.settings();
    if (settings.mode === 'off') return { state: 'off', reason: 'the sandbox is turned off' };
    const availability = this.probeOnce();
    if (!availability.ok) return { state: 'unavailable', reason: availability.reason };
    return { state: 'enforced', mode: settings.mode, network: settings.network, mechanism: availability.mechanism };
  }

  spawn(options: SpawnOptions): RunningProcess {
    const status = this.sandboxStatus();
    const confinement = enforcedConfinement(options.confinement ?? 'workspace-write', status);
    // Unconfined: approved to run outside, or no sandbox here (the policy already asked for this command,
    // or it is on the strict allowlist, whose git shapes count on the git overrides below).
    if (confinement === 'unconfined' || status.state !== 'enforced' || !this.availability?.ok) {
      if (options.confinement !== 'read-only') return this.inner.spawn(options);
      return this.inner.spawnArgv({ ...withoutSpawnOnly(options), file: this.shell, args: shellArgs(options.command, options.login), env: { ...options.env, ...gitSafetyEnv() }, dropEnv: GIT_PROGRAM_ENV });
    }
    const platform = this.options.platform ?? process.platform;
    const privateTmp = this.tempDir();
    const roots = realRoots(options.workspaceRoots ?? []);
    const writes = confinement !== 'read-only';
    // Linux only: Seatbelt's regular expressions cover missing and nested protected names by themselves.
    const guardLinux = writes && platform !== 'darwin';
    const before: ProtectedScan | undefined = writes ? scanProtected(roots, this.options.scanMaxDirs) : undefined;
    const links = guardLinux ? recordProtectedLinks(roots) : [];
    const startedAt = Date.now();
    const sharedPlaceholders = this.placeholders.heldPlaceholders().filter((p) => roots.some((root) => p.path.startsWith(`${root}/`)));
    const held = guardLinux ? this.placeholders.acquire([...before!.missing, ...sharedPlaceholders]) : [];
    if (held.length > 0) this.releaseOnExit();
    let plan;
    let proc: RunningProcess;
    const tmpInside = platform === 'darwin' || confinement === 'protected-only' ? privateTmp : BWRAP_TMP;
    try {
      plan = planSandbox({
        confinement,
        network: status.network,
        cwd: options.cwd,
        workspaceRoots: roots,
        homeDir: this.options.homeDir ?? homedir(),
        privateTmp,
        ...(before ? { scan: before } : {}),
        placeholders: held,
        ...(options.readOnlyPaths?.length ? { readOnlyPaths: options.readOnlyPaths } : {}),
        ...(platform === 'linux' && process.env.XDG_RUNTIME_DIR ? { runtimeDir: process.env.XDG_RUNTIME_DIR } : {}),
        ...(this.options.maxProcesses !== undefined ? { maxProcesses: this.options.maxProcesses } : {}),
      });
      const args = shellArgs(options.command, options.login);
      const argv = platform === 'darwin' ? seatbeltCommand(plan, this.shell, args) : bwrapCommand(this.availability.executable, plan, this.shell, args);
      proc = this.inner.spawnArgv({
        ...argv,
        cwd: options.cwd,
        env: {
          ...options.env,
          // Full access keeps the user's own temp dir, like everything else.
          ...(confinement === 'protected-only' ? {} : { TMPDIR: tmpInside }),
          ...(confinement === 'read-only' ? gitSafetyEnv() : {}),
          TANDEM_SANDBOX: status.mechanism,
        },
        dropEnv: confinement === 'protected-only' ? [] : confinement === 'read-only' ? [...DROPPED_ENV, ...GIT_PROGRAM_ENV] : DROPPED_ENV,
        ...(options.cols !== undefined ? { cols: options.cols } : {}),
        ...(options.rows !== undefined ? { rows: options.rows } : {}),
      });
    } catch (error) {
      this.placeholders.release(held);
      throw error;
    }
    const info: SandboxedProcessInfo = {
      confinement,
      network: plan.network,
      // Paths as the command sees them (its error messages name these).
      writableRoots: confinement === 'protected-only' ? plan.writableRoots : [...plan.writableRoots, tmpInside],
      protectedPaths: plan.protectedPaths,
      hiddenPaths: [...plan.hiddenDirs, ...plan.hiddenFiles],
    };
    return new SandboxedProcess(proc, info, async (code) => {
      this.placeholders.release(held);
      if (!guardLinux || !before) return { code };
      const notes: string[] = [];
      const linkNote = linkRepairNote(await restoreProtectedLinks(links, roots));
      if (linkNote) notes.push(linkNote);
      const sweep = await sweepNewRepos({
        roots,
        before,
        startedAt,
        // Asked live: commands started while the sweep runs may add placeholders.
        placeholders: { has: (p) => held.includes(p) || this.placeholders.paths.includes(p) },
        ...(this.options.sweepBudgetMs !== undefined ? { budgetMs: this.options.sweepBudgetMs } : {}),
      });
      const moved = await quarantineRepos(sweep.created.filter((entry) => !this.placeholders.paths.includes(entry.path)));
      if (moved.length > 0) {
        const list = moved.map((m) => `${m.from} -> ${m.to}`).join(', ');
        notes.push(`\r\n[Tandem sandbox] Read-only file system for repositories: .git is protected, so the repository the command created was moved aside, nothing deleted (${list}).\r\n`);
      }
      const problem = sweepProblemNote(sweep);
      if (problem) notes.push(problem);
      if (notes.length === 0) return { code };
      // The command did something the sandbox forbids, or could not be checked: it did not fully succeed.
      return { code: code === 0 ? 1 : code, note: notes.join('') };
    });
  }

  private probeOnce(): SandboxAvailability {
    if (!this.availability) {
      this.availability = (this.options.probe ?? (() => probeSandbox({ ...(this.options.platform ? { platform: this.options.platform } : {}), ...(this.options.bwrapPath ? { bwrapPath: this.options.bwrapPath } : {}) })))();
      if (!this.availability.ok) this.options.onUnavailable?.(this.availability.reason);
    }
    return this.availability;
  }

  /** If Tandem exits while commands run, their placeholders go too (still only when untouched). */
  private releaseOnExit(): void {
    if (this.exitHook) return;
    this.exitHook = true;
    atProcessExit(() => this.placeholders.releaseAll());
  }

  /** One private temp dir per runner, shared by its commands (files survive between commands), removed at exit. */
  private tempDir(): string {
    if (this.options.tempDir) return this.options.tempDir;
    if (!this.privateTmp) {
      const dir = mkdtempSync(path.join(tmpdir(), 'tandem-sandbox-'));
      atProcessExit(() => rmSync(dir, { recursive: true, force: true }));
      this.privateTmp = dir;
    }
    return this.privateTmp;
  }
}

/** The fields of SpawnOptions an argv spawn takes as they are. */
function withoutSpawnOnly(options: SpawnOptions): { cwd: string; cols?: number; rows?: number } {
  return { cwd: options.cwd, ...(options.cols !== undefined ? { cols: options.cols } : {}), ...(options.rows !== undefined ? { rows: options.rows } : {}) };
}

function realRoots(roots: readonly string[]): string[] {
  const real: string[] = [];
  for (const root of roots) {
    try {
      real.push(realpathSync(root));
    } catch {
      // a workspace folder that is gone has nothing to protect or write
    }
  }
  return [...new Set(real)];
}

// One 'exit' listener for every runner's clean-up (a chat makes a runner; one listener each would pile up
// on the process and trip Node's listener-leak warning in a long VS Code session).
const exitCleanups: (() => void)[] = [];
function atProcessExit(cleanup: () => void): void {
  if (exitCleanups.length === 0) {
    process.once('exit', () => {
      for (const run of exitCleanups.splice(0)) {
        try {
          run();
        } catch {
          // one failed clean-up must not keep the others from running
        }
      }
    });
  }
  exitCleanups.push(cleanup);
}
