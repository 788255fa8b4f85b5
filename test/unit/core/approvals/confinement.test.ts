// Every verdict -> confinement mapping of the command policy: what runs unasked because the classifier
// judged it read-only gets the read-only profile in every mode; approved writers get workspace-write;
// full access gets protected-only (unconfined once the user approved a protected write); without a
// sandbox only the strict allowlist runs unasked.
import { describe, expect, it } from 'vitest';
import { confinementWithin, decideCommand, describeConfinement, type ApprovalPolicy, type CommandVerdict } from '../../../../src/core/approvals/policy';
import { SessionApprovals } from '../../../../src/core/approvals/sessionApprovals';
import type { CommandConfinement, SandboxStatus } from '../../../../src/core/ports';

const enforced: SandboxStatus = { state: 'enforced', mode: 'workspace-write', network: true, mechanism: 'bwrap' };
const unavailable: SandboxStatus = { state: 'unavailable', reason: 'bubblewrap (bwrap) is not installed' };
const off: SandboxStatus = { state: 'off', reason: 'the sandbox is turned off' };
const base = { cwd: '/ws', workspaceRoots: ['/ws'], homeDir: '/home/me' };
const decide = (policy: ApprovalPolicy, command: string, sandbox: SandboxStatus | undefined, extra = {}): string => {
  const v: CommandVerdict = decideCommand(policy, command, { ...base, ...(sandbox ? { sandbox } : {}), ...extra });
  return v.confinement ? `${v.verdict}:${v.confinement}` : v.verdict;
};
const POLICIES: ApprovalPolicy[] = ['read-only', 'ask', 'auto', 'full-access'];

describe('with a working sandbox', () => {
  // command, then per mode: read-only, ask, auto, full-access
  it.each<[string, string, string, string, string]>([
    // judged read-only: runs unasked in the read-only profile in every mode (full access: protected-only)
    ['ls -la', 'allow:read-only', 'allow:read-only', 'allow:read-only', 'allow:protected-only'],
    ['git status', 'allow:read-only', 'allow:read-only', 'allow:read-only', 'allow:protected-only'],
    ['cat README.md | grep x', 'allow:read-only', 'allow:read-only', 'allow:read-only', 'allow:protected-only'],
    // a writer inside the workspace: asked in ask (then workspace-write), unasked in auto
    ['npm test', 'deny', 'ask:workspace-write', 'allow:workspace-write', 'allow:protected-only'],
    ['touch src/new.ts', 'deny', 'ask:workspace-write', 'allow:workspace-write', 'allow:protected-only'],
    // risky: asked in auto too
    ['rm -rf /', 'deny', 'ask:workspace-write', 'ask:workspace-write', 'allow:protected-only'],
    // a protected write: asked everywhere it may run; approved in full access it runs unconfined
    ['echo x > .git/config', 'deny', 'ask:workspace-write', 'ask:workspace-write', 'ask:unconfined'],
    ['cp notes AGENTS.md', 'deny', 'ask:workspace-write', 'ask:workspace-write', 'ask:unconfined'],
  ])('%j: %s | %s | %s | %s', (command, ...expected) => {
    expect(POLICIES.map((p) => decide(p, command, enforced))).toEqual(expected);
  });

  it('a session approval runs workspace-write, not unconfined', () => {
    const sessionApprovals = new SessionApprovals();
    sessionApprovals.rememberCommand('npm test');
    expect(decide('ask', 'npm test', enforced, { sessionApprovals })).toBe('allow:workspace-write');
  });

  it('the read-only setting does not change the choice (the runner caps it)', () => {
    expect(decide('auto', 'npm test', { ...enforced, mode: 'read-only' })).toBe('allow:workspace-write');
  });
});

describe('without a sandbox (missing, unavailable or turned off)', () => {
  for (const [name, status] of [['unavailable', unavailable], ['off', off], ['no status', undefined]] as const) {
    it.each<[string, string, string, string, string]>([
      ['ls -la', 'allow:read-only', 'allow:read-only', 'allow:read-only', 'allow:protected-only'],
      ['npm test', 'deny', 'ask:workspace-write', 'ask:workspace-write', 'allow:protected-only'],
      ['rm -rf /', 'deny', 'ask:workspace-write', 'ask:workspace-write', 'allow:protected-only'],
      ['echo x > .git/config', 'deny', 'ask:workspace-write', 'ask:workspace-write', 'ask:unconfined'],
    ])(`${name}: %j: %s | %s | %s | %s`, (command, ...expected) => {
      expect(POLICIES.map((p) => decide(p, command, status))).toEqual(expected);
    });
  }

  it('says why read-only mode refuses', () => {
    expect(decideCommand('read-only', 'npm test', { ...base, sandbox: off }).reason).toBe(
      'Read-only mode without an OS sandbox (the sandbox is turned off) only runs a strict allowlist of read-only commands, and this is not on it.',
    );
  });
});

describe('confinementWithin', () => {
  const order: CommandConfinement[] = ['read-only', 'workspace-write', 'protected-only', 'unconfined'];
  it('orders the profiles by what they allow', () => {
    for (const [i, running] of order.entries()) {
      for (const [j, granted] of order.entries()) expect(confinementWithin(running, granted)).toBe(i <= j);
    }
  });
});

describe('describeConfinement', () => {
  it.each<[CommandConfinement, SandboxStatus | undefined, RegExp]>([
    ['read-only', enforced, /^Read-only sandbox: nothing is writable except a private temp dir \(the workspace neither\), no network\.$/],
    ['workspace-write', enforced, /only the workspace folders and a private temp dir are writable \(\.git \(at any depth\), \.vscode, \.tandem, \.agents, AGENTS\.md and \.mcp\.json stay read-only\), network on\.$/],
    ['workspace-write', { ...enforced, network: false }, /network off\.$/],
    ['workspace-write', { ...enforced, mode: 'read-only' }, /^Read-only sandbox/],
    ['protected-only', enforced, /^Full access in the sandbox: everything is writable and the network is open, but \.git/],
    ['unconfined', enforced, /^No sandbox: the user approved running this command outside it/],
    ['read-only', unavailable, /^No sandbox \(bubblewrap \(bwrap\) is not installed\): .*only patches are guarded for protected paths\.$/],
  ])('%s with %j', (confinement, status, expected) => {
    expect(describeConfinement(confinement, status)).toMatch(expected);
  });
});
