// The approval policy with the OS sandbox: failing closed where a sandbox was asked for but cannot work,
// which sandbox each mode gets, and the escalation card's reason.
import { describe, expect, it } from 'vitest';
import { decideCommand, decideEscalation, enforcedConfinement, escalationReason, isSandboxEscalation, type ApprovalPolicy } from '../../../../src/core/approvals/policy';
import { SessionApprovals } from '../../../../src/core/approvals/sessionApprovals';
import type { CommandConfinement, SandboxStatus } from '../../../../src/core/ports';

const unavailable: SandboxStatus = { state: 'unavailable', reason: 'bubblewrap (bwrap) is not installed' };
const enforced: SandboxStatus = { state: 'enforced', mode: 'workspace-write', network: false, mechanism: 'bwrap' };
const context = { cwd: '/ws', workspaceRoots: ['/ws'], homeDir: '/home/me' };
const verdict = (policy: ApprovalPolicy, command: string, sandbox?: SandboxStatus) => decideCommand(policy, command, { ...context, ...(sandbox ? { sandbox } : {}) }).verdict;

describe('decideCommand without a sandbox that was asked for (fail closed)', () => {
  // command, read-only, ask, auto, full-access
  it.each<[string, string, string, string, string]>([
    ['ls -la', 'allow', 'allow', 'allow', 'allow'],
    ['git log -1 && git rev-parse --show-toplevel', 'allow', 'allow', 'allow', 'allow'],
    // git status runs a repository's filter clean driver on dirty files: never unasked without a sandbox
    ['git status', 'deny', 'ask', 'ask', 'allow'],
    // known safe with a sandbox, but not on the strict allowlist (diff drivers run programs)
    ['git diff', 'deny', 'ask', 'ask', 'allow'],
    ['npm test', 'deny', 'ask', 'ask', 'allow'],
    ['touch src/new.ts', 'deny', 'ask', 'ask', 'allow'],
    ['git commit -m wip', 'deny', 'ask', 'ask', 'allow'],
    ['rm -rf /', 'deny', 'ask', 'ask', 'allow'],
  ])('%j: read-only %s, ask %s, auto %s, full-access %s', (command, readOnly, askMode, auto, full) => {
    expect(['read-only', 'ask', 'auto', 'full-access'].map((p) => verdict(p as ApprovalPolicy, command, unavailable))).toEqual([readOnly, askMode, auto, full]);
  });

  it('says plainly why it asks', () => {
    expect(decideCommand('auto', 'npm test', { ...context, sandbox: unavailable }).reason).toBe(
      'No OS sandbox (bubblewrap (bwrap) is not installed), so every command not on the strict read-only allowlist is asked.',
    );
  });

  it('keeps what the user approved for the session', () => {
    const sessionApprovals = new SessionApprovals();
    sessionApprovals.rememberCommand('npm test');
    expect(decideCommand('auto', 'npm test', { ...context, sandbox: unavailable, sessionApprovals }).verdict).toBe('allow');
    expect(decideCommand('auto', 'npm run build', { ...context, sandbox: unavailable, sessionApprovals }).verdict).toBe('ask');
  });

  it('treats a sandbox turned off, or a runner without one, like a missing sandbox', () => {
    expect(verdict('auto', 'npm test', enforced)).toBe('allow');
    expect(verdict('auto', 'npm test', { state: 'off', reason: 'the sandbox is turned off' })).toBe('ask');
    expect(verdict('auto', 'npm test')).toBe('ask');
    expect(verdict('full-access', 'npm test', { state: 'off', reason: 'the sandbox is turned off' })).toBe('allow');
    expect(verdict('auto', 'echo x > /etc/hosts', enforced)).toBe('ask');
  });
});

describe('enforcedConfinement (what the runner really applies)', () => {
  const readOnlySetting: SandboxStatus = { ...enforced, mode: 'read-only' };
  const off: SandboxStatus = { state: 'off', reason: 'the sandbox is turned off' };
  it.each<[CommandConfinement, SandboxStatus | undefined, CommandConfinement]>([
    ['read-only', enforced, 'read-only'],
    ['workspace-write', enforced, 'workspace-write'],
    ['protected-only', enforced, 'protected-only'],
    ['unconfined', enforced, 'unconfined'],
    // the read-only setting caps every sandboxed profile
    ['workspace-write', readOnlySetting, 'read-only'],
    ['protected-only', readOnlySetting, 'read-only'],
    ['unconfined', readOnlySetting, 'unconfined'],
    // no sandbox: nothing can be enforced (the policy asked instead)
    ['read-only', unavailable, 'unconfined'],
    ['workspace-write', off, 'unconfined'],
    ['read-only', undefined, 'unconfined'],
  ])('%s with %j runs %s', (requested, status, expected) => {
    expect(enforcedConfinement(requested, status)).toBe(expected);
  });
});

describe('escalation reasons', () => {
  it('are recognisable command approvals that ask the question', () => {
    const reason = escalationReason('the sandbox has no network access ("Could not resolve host: github.com")');
    expect(reason).toBe('Failed inside the sandbox: the sandbox has no network access ("Could not resolve host: github.com"); run it again without the sandbox?');
    expect(isSandboxEscalation({ kind: 'command', reason })).toBe(true);
    expect(isSandboxEscalation({ kind: 'command', reason: 'The agent wants to run a shell command.' })).toBe(false);
    expect(isSandboxEscalation({ kind: 'patch', reason })).toBe(false);
  });

  it('are never offered in read-only mode, and always asked (to run unconfined) elsewhere', () => {
    expect(decideEscalation('read-only')).toEqual({ verdict: 'deny', reason: 'Read-only mode never runs a command outside the sandbox.' });
    for (const policy of ['ask', 'auto', 'full-access'] as const) expect(decideEscalation(policy)).toMatchObject({ verdict: 'ask', confinement: 'unconfined' });
  });
});
