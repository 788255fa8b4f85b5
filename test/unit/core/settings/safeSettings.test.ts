// A workspace's settings can only make Tandem stricter: every combination of user and workspace /
// folder values for the approval policy, sandbox mode and network, junk values a repository could
// write (wrong case, wrong type, objects), and the base URL, which no workspace may set at all.
import { describe, expect, it } from 'vitest';
import type { ApprovalPolicy } from '../../../../src/core/approvals/policy';
import type { SandboxMode } from '../../../../src/core/ports';
import { resolveApprovalPolicy, resolveSandboxMode, resolveSandboxNetwork, resolveUserOnlyString } from '../../../../src/core/settings/safeSettings';

const POLICIES: ApprovalPolicy[] = ['read-only', 'ask', 'auto', 'full-access'];
const MODES: SandboxMode[] = ['read-only', 'workspace-write', 'off'];

describe('tandem.approvalPolicy', () => {
  it('takes a workspace or folder value only when it is at least as strict as the user value', () => {
    for (const user of [undefined, ...POLICIES]) {
      const base = user ?? 'ask';
      for (const workspace of [undefined, ...POLICIES]) {
        for (const folder of [undefined, ...POLICIES]) {
          const { value, ignored } = resolveApprovalPolicy({ defaultValue: 'ask', globalValue: user, workspaceValue: workspace, workspaceFolderValue: folder }, true);
          const candidates = [base, ...[workspace, folder].filter((v): v is ApprovalPolicy => v !== undefined)];
          const strictest = POLICIES[Math.min(...candidates.map((c) => POLICIES.indexOf(c)))];
          expect(value, `${user}/${workspace}/${folder}`).toBe(strictest);
          expect(POLICIES.indexOf(value)).toBeLessThanOrEqual(POLICIES.indexOf(base));
          if (workspace && POLICIES.indexOf(workspace) > POLICIES.indexOf(base)) expect(ignored.join()).toContain('workspace settings');
        }
      }
    }
  });

  it('a repository asking for full-access gets the user value, and the notice names it', () => {
    expect(resolveApprovalPolicy({ defaultValue: 'ask', workspaceValue: 'full-access' }, true)).toEqual({
      value: 'ask',
      ignored: ['tandem.approvalPolicy: "full-access" from the workspace settings'],
    });
    expect(resolveApprovalPolicy({ defaultValue: 'ask', globalValue: 'auto', workspaceFolderValue: 'full-access' }, true).value).toBe('auto');
  });

  it('junk values never loosen: wrong case, padding, wrong types', () => {
    for (const junk of ['FULL-ACCESS', ' full-access', 'full-access ', 'fullaccess', 'auto\u0000', ['full-access'], { value: 'full-access' }, 3, true, null, '']) {
      const { value } = resolveApprovalPolicy({ defaultValue: 'ask', globalValue: 'read-only', workspaceValue: junk }, true);
      expect(value, JSON.stringify(junk)).toBe('read-only');
      expect(resolveApprovalPolicy({ defaultValue: 'ask', globalValue: junk }, true).value).toBe('ask');
    }
  });

  it('an untrusted workspace is always read-only', () => {
    expect(resolveApprovalPolicy({ defaultValue: 'ask', globalValue: 'full-access' }, false).value).toBe('read-only');
  });
});

describe('tandem.sandbox.mode and tandem.sandbox.network', () => {
  it('a workspace can make the sandbox stricter, never weaker or off', () => {
    for (const user of [undefined, ...MODES]) {
      for (const workspace of [undefined, ...MODES]) {
        const base = user ?? 'workspace-write';
        const { value } = resolveSandboxMode({ defaultValue: 'workspace-write', globalValue: user, workspaceValue: workspace });
        const expected = workspace !== undefined && MODES.indexOf(workspace) < MODES.indexOf(base) ? workspace : base;
        expect(value, `${user}/${workspace}`).toBe(expected);
      }
    }
    expect(resolveSandboxMode({ defaultValue: 'workspace-write', globalValue: 'nonsense', workspaceValue: 'off' }).value).toBe('workspace-write');
  });

  it('a workspace can turn the network off, never on; only a real `true` from the user turns it on', () => {
    expect(resolveSandboxNetwork({ defaultValue: false, workspaceValue: true })).toEqual({ value: false, ignored: ['tandem.sandbox.network: true from the workspace settings'] });
    expect(resolveSandboxNetwork({ defaultValue: false, workspaceFolderValue: 'true' }).value).toBe(false);
    expect(resolveSandboxNetwork({ defaultValue: false, globalValue: 'true' }).value).toBe(false);
    expect(resolveSandboxNetwork({ defaultValue: false, globalValue: true }).value).toBe(true);
    expect(resolveSandboxNetwork({ defaultValue: false, globalValue: true, workspaceValue: false }).value).toBe(false);
    expect(resolveSandboxNetwork({ defaultValue: false, globalValue: true, workspaceFolderValue: false }).value).toBe(false);
  });
});

describe('tandem.baseUrl', () => {
  it('only the user chooses where the key is sent', () => {
    const fallback = 'https://api.openai.com/v1';
    expect(resolveUserOnlyString('tandem.baseUrl', { defaultValue: fallback, workspaceValue: 'https://evil.example/v1' }, fallback)).toEqual({
      value: fallback,
      ignored: ['tandem.baseUrl: "https://evil.example/v1" from the workspace settings'],
    });
    expect(resolveUserOnlyString('tandem.baseUrl', { defaultValue: fallback, globalValue: ' http://localhost:11434/v1 ', workspaceFolderValue: 'http://evil/v1' }, fallback).value).toBe('http://localhost:11434/v1');
    expect(resolveUserOnlyString('tandem.baseUrl', { defaultValue: fallback, globalValue: '   ' }, fallback).value).toBe(fallback);
    expect(resolveUserOnlyString('tandem.baseUrl', { globalValue: 42 }, 'https://x/v1').value).toBe('https://x/v1');
    expect(resolveUserOnlyString('tandem.baseUrl', { defaultValue: fallback, globalValue: 42 }, 'https://other/v1').value).toBe(fallback);
  });
});
