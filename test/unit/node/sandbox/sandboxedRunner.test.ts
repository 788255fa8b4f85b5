// SandboxedRunner without running a sandbox: what status it reports for each setting and approval
// policy, that "no sandbox here" is said once, and what it hands the inner runner.
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ApprovalPolicy } from '../../../../src/core/approvals/policy';
import type { RunningProcess, SandboxMode, SpawnOptions } from '../../../../src/core/ports';
import type { ArgvRunner, ArgvSpawnOptions } from '../../../../src/node/ptyRunner';
import { SandboxedRunner } from '../../../../src/node/sandbox/sandboxedRunner';
import type { SandboxAvailability } from '../../../../src/node/sandbox/sandboxProbe';
import { probeSandbox } from '../../../../src/node/sandbox/sandboxProbe';
import { tempDir } from './sandboxTestUtils';

const fakeProcess: RunningProcess = { pid: 1, exited: Promise.resolve(0), onOutput: () => () => {}, write: () => {}, kill: () => {} };

function recordingInner(): ArgvRunner & { shellRuns: SpawnOptions[]; argvRuns: ArgvSpawnOptions[] } {
  const shellRuns: SpawnOptions[] = [];
  const argvRuns: ArgvSpawnOptions[] = [];
  return {
    shell: '/bin/bash',
    shellRuns,
    argvRuns,
    spawn: (options) => (shellRuns.push(options), fakeProcess),
    spawnArgv: (options) => (argvRuns.push(options), fakeProcess),
  };
}

function setup(options: { mode?: SandboxMode; policy?: ApprovalPolicy; availability?: SandboxAvailability; platform?: NodeJS.Platform } = {}) {
  const state = { mode: options.mode ?? 'workspace-write', policy: options.policy ?? 'auto', probes: 0, notices: [] as string[] };
  const inner = recordingInner();
  const runner = new SandboxedRunner(inner, {
    settings: () => ({ mode: state.mode, network: false }),
    approvalPolicy: () => state.policy,
    onUnavailable: (reason) => state.notices.push(reason),
    probe: () => (state.probes++, options.availability ?? { ok: true, mechanism: 'bwrap', executable: '/usr/bin/bwrap' }),
    platform: options.platform ?? 'linux',
    tempDir: tempDir('tandem-sbr-tmp-'),
    homeDir: tempDir('tandem-sbr-home-'),
  });
  return { runner, inner, state };
}

describe('SandboxedRunner status', () => {
  it('is enforced with the configured mode, read-only under the read-only policy, off under full access', () => {
    const { runner, state } = setup();
    expect(runner.sandboxStatus()).toEqual({ state: 'enforced', mode: 'workspace-write', network: false, mechanism: 'bwrap' });
    state.policy = 'read-only';
    expect(runner.sandboxStatus()).toMatchObject({ state: 'enforced', mode: 'read-only' });
    state.policy = 'full-access';
    expect(runner.sandboxStatus()).toEqual({ state: 'off', reason: 'full access runs commands without the sandbox' });
    state.policy = 'ask';
    state.mode = 'off';
    expect(runner.sandboxStatus()).toEqual({ state: 'off', reason: 'the sandbox is turned off' });
  });

  it('probes once, and says once that there is no sandbox', () => {
    const { runner, state } = setup({ availability: { ok: false, reason: 'bubblewrap (bwrap) is not installed' } });
    for (let i = 0; i < 3; i++) expect(runner.sandboxStatus()).toEqual({ state: 'unavailable', reason: 'bubblewrap (bwrap) is not installed' });
    expect(state.probes).toBe(1);
    expect(state.notices).toEqual(['bubblewrap (bwrap) is not installed']);
  });

  it('does not probe while the sandbox is off', () => {
    const { runner, state } = setup({ mode: 'off' });
    runner.sandboxStatus();
    expect(state.probes).toBe(0);
  });
});

describe('SandboxedRunner spawn', () => {
  const ws = tempDir('tandem-sbr-ws-');

  it('wraps the command in bwrap with a private TMPDIR and without agent sockets in the environment', () => {
    const { runner, inner } = setup();
    const proc = runner.spawn({ command: 'npm test', cwd: ws, workspaceRoots: [ws] });
    expect(inner.shellRuns).toEqual([]);
    const [run] = inner.argvRuns;
    expect(run?.file).toBe('/usr/bin/bwrap');
    expect(run?.args).toEqual(expect.arrayContaining(['--bind', ws, '--unshare-net']));
    expect(run?.args.slice(-3)).toEqual(['/bin/bash', '-c', 'npm test']);
    expect(run?.env).toMatchObject({ TMPDIR: '/tmp', TANDEM_SANDBOX: 'bwrap' });
    expect(run?.dropEnv).toEqual(expect.arrayContaining(['SSH_AUTH_SOCK', 'VSCODE_IPC_HOOK_CLI']));
    expect(proc.sandbox).toMatchObject({ network: false, writableRoots: [ws, '/tmp'] });
  });

  it('uses sandbox-exec on macOS', () => {
    const { runner, inner } = setup({ platform: 'darwin', availability: { ok: true, mechanism: 'sandbox-exec', executable: '/usr/bin/sandbox-exec' } });
    runner.spawn({ command: 'make', cwd: ws, workspaceRoots: [ws] });
    expect(inner.argvRuns[0]?.file).toBe('/usr/bin/sandbox-exec');
    expect(inner.argvRuns[0]?.args).toContain(`WRITABLE_0=${ws}`);
  });

  it('runs unsandboxed only after an approved escalation, when off, or where the policy already asked', () => {
    const enforced = setup();
    const escalated = enforced.runner.spawn({ command: 'git commit', cwd: ws, withoutSandbox: true });
    expect(enforced.inner.shellRuns.map((r) => r.command)).toEqual(['git commit']);
    expect(escalated.sandbox).toBeUndefined();

    const unavailable = setup({ availability: { ok: false, reason: 'no bwrap' } });
    unavailable.runner.spawn({ command: 'npm test', cwd: ws });
    expect(unavailable.inner.shellRuns).toHaveLength(1);
    expect(unavailable.inner.argvRuns).toHaveLength(0);
  });
});

describe('probeSandbox', () => {
  it('explains why there is no sandbox', () => {
    expect(probeSandbox({ platform: 'win32' })).toEqual({ ok: false, reason: 'there is no OS sandbox for commands on Windows yet' });
    const missing = probeSandbox({ platform: 'linux', bwrapPath: '/nonexistent/bwrap' });
    expect(missing.ok).toBe(false);
    expect(!missing.ok && missing.reason).toMatch(/bwrap cannot create a sandbox here \(.*ENOENT/);
  });

  it('fails the probe when bwrap exits nonzero (as with user namespaces disabled)', () => {
    const failing = tempDir('tandem-sbr-fake-') + '/bwrap';
    writeFileSync(failing, '#!/bin/sh\necho "bwrap: setting up uid map: Permission denied" >&2\nexit 1\n', { mode: 0o755 });
    expect(probeSandbox({ platform: 'linux', bwrapPath: failing })).toEqual({
      ok: false,
      reason: 'bwrap cannot create a sandbox here (bwrap: setting up uid map: Permission denied); unprivileged user namespaces may be disabled',
    });
  });
});
