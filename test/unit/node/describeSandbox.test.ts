// The sandbox line of the model's environment block says what will fail, so the model does not try
// workarounds: per approval mode, and naming every protected path (from the one list the guards use).
import { describe, expect, it } from 'vitest';
import { PROTECTED_NAMES } from '../../../src/core/approvals/protectedNames';
import type { SandboxStatus } from '../../../src/core/ports';
import { describeSandbox } from '../../../src/node/agentFactory';

const enforced = { state: 'enforced', mechanism: 'bubblewrap', mode: 'workspace-write', network: false } as SandboxStatus;

describe('describeSandbox', () => {
  it('names every protected path where commands may write, in auto and full access', () => {
    for (const policy of ['auto', 'full-access'] as const) {
      const line = describeSandbox(enforced, policy)!;
      for (const name of PROTECTED_NAMES) expect(line, `${policy}: ${name}`).toContain(name);
    }
  });

  it('says read-only commands get no network and nothing writable, and read-only mode approves nothing', () => {
    expect(describeSandbox(enforced, 'auto')).toMatch(/commands run without approval are read-only \(only \$TMPDIR writable, no network\)/);
    expect(describeSandbox(enforced, 'read-only')).not.toMatch(/re-run a command the sandbox blocked/);
  });

  it('without a sandbox says why and that only a short allowlist runs unasked; without a status says nothing', () => {
    expect(describeSandbox({ state: 'unavailable', reason: 'no bwrap' } as SandboxStatus, 'auto')).toBe('none (no bwrap); only a short allowlist of read-only commands runs without the user\'s approval');
    expect(describeSandbox(undefined, 'auto')).toBeUndefined();
  });
});
