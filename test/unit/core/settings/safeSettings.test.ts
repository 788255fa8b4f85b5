// A workspace's settings can only make Tandem stricter: every combination of user and workspace /
// folder values for the approval policy, sandbox mode and network, junk values a repository could
// write (wrong case, wrong type, objects), and the base URL, the step cap and the compaction threshold,
// which no workspace may set at all.
import { describe, expect, it } from 'vitest';
import type { ApprovalPolicy } from '../../../../src/core/approvals/policy';
import type { SandboxMode } from '../../../../src/core/ports';
import { resolveApprovalPolicy, resolveSandboxMode, resolveSandboxNetwork, resolveUserOnlyNumber, resolveUserOnlyString } from '../../../../src/core/settings/safeSettings';

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

describe('user-only numbers (tandem.maxStepsPerTurn, tandem.compaction.threshold)', () => {
  const steps = { min: 1, max: 10_000, integer: true };
  const share = { min: 0.5, max: 0.95, integer: false };

  it('ignores a workspace or folder value in either direction and names it', () => {
    // Looser (a runaway turn) and tighter alike: the number is the user's, not the repository's.
    for (const candidate of [10_000, 1, 399, 401, 0, -5, 1e9, '10000', null, { value: 10_000 }, Number.NaN]) {
      const { value, ignored } = resolveUserOnlyNumber('tandem.maxStepsPerTurn', { defaultValue: 400, workspaceValue: candidate, workspaceFolderValue: candidate }, 400, steps);
      expect(value, JSON.stringify(candidate)).toBe(400);
      expect(ignored).toEqual([`tandem.maxStepsPerTurn: ${JSON.stringify(candidate)} from the workspace settings`, `tandem.maxStepsPerTurn: ${JSON.stringify(candidate)} from the workspace folder settings`]);
    }
    expect(resolveUserOnlyNumber('tandem.compaction.threshold', { defaultValue: 0.8, globalValue: 0.7, workspaceValue: 0.5 }, 0.8, share)).toEqual({
      value: 0.7,
      ignored: ['tandem.compaction.threshold: 0.5 from the workspace settings'],
    });
  });

  it("takes the user's value, clamped into range; junk there means the default", () => {
    expect(resolveUserOnlyNumber('s', { defaultValue: 400, globalValue: 1200 }, 400, steps).value).toBe(1200);
    expect(resolveUserOnlyNumber('s', { defaultValue: 400, globalValue: 2.9 }, 400, steps).value).toBe(2);
    expect(resolveUserOnlyNumber('s', { defaultValue: 400, globalValue: 0 }, 400, steps).value).toBe(1);
    expect(resolveUserOnlyNumber('s', { defaultValue: 400, globalValue: 1e12 }, 400, steps).value).toBe(10_000);
    expect(resolveUserOnlyNumber('s', { defaultValue: 400, globalValue: Number.POSITIVE_INFINITY }, 400, steps).value).toBe(400);
    expect(resolveUserOnlyNumber('s', { defaultValue: 400, globalValue: '5000' }, 400, steps).value).toBe(400);
    expect(resolveUserOnlyNumber('t', { defaultValue: 0.8, globalValue: 0.99 }, 0.8, share).value).toBe(0.95);
    expect(resolveUserOnlyNumber('t', { defaultValue: 0.8, globalValue: 0.1 }, 0.8, share).value).toBe(0.5);
    expect(resolveUserOnlyNumber('t', { defaultValue: 0.8, globalValue: Number.NaN }, 0.8, share).value).toBe(0.8);
    expect(resolveUserOnlyNumber('t', {}, 0.8, share)).toEqual({ value: 0.8, ignored: [] });
  });

  it('a workspace repeating the value in use is not reported', () => {
    expect(resolveUserOnlyNumber('s', { defaultValue: 400, workspaceValue: 400 }, 400, steps).ignored).toEqual([]);
  });
});
