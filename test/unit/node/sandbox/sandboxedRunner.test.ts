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
  it('is enforced with the configured mode whatever the approval policy (the confinement comes per command), off when turned off', () => {
    const { runner, state } = setup();
    expect(runner.sandboxStatus()).toEqual({ state: 'enforced', mode: 'workspace-write', network: false, mechanism: 'bwrap' });
    state.policy = 'full-access';
    expect(runner.sandboxStatus()).toEqual({ state: 'enforced', mode: 'workspace-write', network: false, mechanism: 'bwrap' });
    state.mode = 'read-only';
    expect(runner.sandboxStatus()).toMatchObject({ state: 'enforced', mode: 'read-only' });
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

  it('gives read-only commands the git overrides, no network and no agent or git program variables', () => {
    const { runner, inner } = setup();
    const proc = runner.spawn({ command: 'git status', cwd: ws, workspaceRoots: [ws], confinement: 'read-only', env: { GIT_EXTERNAL_DIFF: 'evil' } });
    const [run] = inner.argvRuns;
    expect(run?.args).toEqual(expect.arrayContaining(['--unshare-net', '--disable-userns']));
    const bound = run!.args.flatMap((a, i) => (a === '--bind' ? [run!.args[i + 1]] : []));
    expect(bound).toHaveLength(1); // only the private temp dir, not the workspace
    expect(run?.env).toMatchObject({ GIT_CONFIG_KEY_0: 'core.fsmonitor', GIT_CONFIG_VALUE_0: 'false', GIT_TERMINAL_PROMPT: '0', GIT_PAGER: 'cat' });
    expect(run?.dropEnv).toEqual(expect.arrayContaining(['GIT_EXTERNAL_DIFF', 'GIT_SSH_COMMAND', 'SSH_AUTH_SOCK']));
    expect(proc.sandbox).toMatchObject({ confinement: 'read-only', network: false, writableRoots: ['/tmp'] });
  });

  it('caps every sandboxed confinement at read-only when the setting is read-only', () => {
    const { runner, inner, state } = setup();
    state.mode = 'read-only';
    const proc = runner.spawn({ command: 'npm test', cwd: ws, workspaceRoots: [ws], confinement: 'protected-only' });
    expect(proc.sandbox).toMatchObject({ confinement: 'read-only' });
    expect(inner.argvRuns[0]?.args).toContain('--disable-userns');
  });

  it('runs unsandboxed only after an approved escalation, when off, or where the policy already asked', () => {
    const enforced = setup();
    const escalated = enforced.runner.spawn({ command: 'git commit', cwd: ws, confinement: 'unconfined' });
    expect(enforced.inner.shellRuns.map((r) => r.command)).toEqual(['git commit']);
    expect(escalated.sandbox).toBeUndefined();

    const unavailable = setup({ availability: { ok: false, reason: 'no bwrap' } });
    unavailable.runner.spawn({ command: 'npm test', cwd: ws });
    expect(unavailable.inner.shellRuns).toHaveLength(1);
    expect(unavailable.inner.argvRuns).toHaveLength(0);

    // Off: an allowlisted read-only command runs as is, but with the git overrides (the strict allowlist counts on them).
    const off = setup({ mode: 'off' });
    off.runner.spawn({ command: 'git status', cwd: ws, confinement: 'read-only' });
    expect(off.inner.argvRuns.map((r) => [r.file, ...r.args])).toEqual([['/bin/bash', '-c', 'git status']]);
    expect(off.inner.argvRuns[0]?.env).toMatchObject({ GIT_CONFIG_KEY_0: 'core.fsmonitor', GIT_PAGER: 'cat' });
    expect(off.inner.argvRuns[0]?.dropEnv).toContain('GIT_EXTERNAL_DIFF');
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
