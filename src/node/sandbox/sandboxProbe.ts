// Can this machine sandbox commands? Decided by trying, not guessing: bwrap can be installed and still
// fail (unprivileged user namespaces disabled by sysctl, AppArmor's restrict_unprivileged_userns, a
// container without the needed privileges), so the probe runs a trivial `bwrap … true` with the same
// namespace and mount options real commands get. The caller caches the answer: it does not change while
// Tandem runs.
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { bwrapArgs } from './bwrapArgs';
import type { SandboxPlan } from './sandboxPlan';
import { SANDBOX_EXEC } from './seatbeltProfile';

export type SandboxAvailability =
  | { ok: true; mechanism: 'bwrap' | 'sandbox-exec'; executable: string }
  | { ok: false; reason: string };

export interface ProbeOptions {
  platform?: NodeJS.Platform;
  /** bwrap to use; default: the first `bwrap` on PATH. */
  bwrapPath?: string;
}

const PROBE_TIMEOUT_MS = 10_000;

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function findOnPath(name: string, pathEnv = process.env.PATH ?? ''): string | undefined {
  for (const dir of pathEnv.split(path.delimiter)) {
    if (dir && path.isAbsolute(dir) && isExecutable(path.join(dir, name))) return path.join(dir, name);
  }
  return undefined;
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0]?.trim() || 'no error message';
}

function run(file: string, args: string[]): { ok: boolean; detail: string } {
  const result = spawnSync(file, args, { encoding: 'utf8', timeout: PROBE_TIMEOUT_MS, stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.error) return { ok: false, detail: result.error.message };
  if (result.status === 0) return { ok: true, detail: '' };
  return { ok: false, detail: firstLine(result.stderr || result.stdout || `exit ${result.status ?? result.signal}`) };
}

export function probeSandbox(options: ProbeOptions = {}): SandboxAvailability {
  const platform = options.platform ?? process.platform;
  if (platform === 'darwin') {
    if (!isExecutable(SANDBOX_EXEC)) return { ok: false, reason: `${SANDBOX_EXEC} is missing` };
    const probe = run(SANDBOX_EXEC, ['-p', '(version 1)(allow default)', '--', '/usr/bin/true']);
    return probe.ok ? { ok: true, mechanism: 'sandbox-exec', executable: SANDBOX_EXEC } : { ok: false, reason: `sandbox-exec does not work here: ${probe.detail}` };
  }
  if (platform !== 'linux') return { ok: false, reason: `there is no OS sandbox for commands on ${platform === 'win32' ? 'Windows' : platform} yet` };
  const bwrap = options.bwrapPath ?? findOnPath('bwrap');
  if (!bwrap) return { ok: false, reason: 'bubblewrap (bwrap) is not installed; install it (e.g. `apt install bubblewrap`) to sandbox commands' };
  const plan: SandboxPlan = { confinement: 'read-only', network: false, cwd: '/', writableRoots: [], readOnlyRoots: [], ownMounts: [], protectedPaths: [], hiddenDirs: [], hiddenFiles: [], keptLinks: [], privateTmp: tmpdir(), maxProcesses: 0 };
  const probe = run(bwrap, [...bwrapArgs(plan), '--', 'true']);
  if (probe.ok) return { ok: true, mechanism: 'bwrap', executable: bwrap };
  return { ok: false, reason: `bwrap cannot create a sandbox here (${probe.detail}); unprivileged user namespaces may be disabled` };
}
