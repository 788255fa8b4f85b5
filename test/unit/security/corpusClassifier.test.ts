// The adversarial corpus through the classifier: no entry may be auto-approved, with or without an OS
// sandbox, in read-only or ask mode, nor be on the strict allowlist. The benign corpus must stay
// known safe where a sandbox confines it (else Tandem would ask for everything).
import { describe, expect, it } from 'vitest';
import { decideCommand } from '../../../src/core/approvals/policy';
import { parseShell } from '../../../src/core/approvals/shellParse';
import { isKnownSafeCommand } from '../../../src/core/approvals/knownSafe';
import { isStrictlyAllowlisted } from '../../../src/core/approvals/strictAllowlist';
import type { SandboxStatus } from '../../../src/core/ports';
import { ADVERSARIAL, BENIGN, ENFORCED_ONLY, READS_WORK_TREE, type HoleClass } from './adversarialCorpus';

const WS = '/ws/project';
const fill = (command: string) => command.replaceAll('@OUT@', '/var/tmp/tandem-canary-outside').replaceAll('@PORT@', '41234');
const enforced: SandboxStatus = { state: 'enforced', mode: 'read-only', network: false, mechanism: 'bwrap' };
const unavailable: SandboxStatus = { state: 'unavailable', reason: 'bwrap is missing' };
const context = (sandbox?: SandboxStatus) => ({ cwd: WS, workspaceRoots: [WS], homeDir: '/home/me', ...(sandbox ? { sandbox } : {}) });

describe('adversarial corpus: never auto-approved', () => {
  it('is large and covers every class', () => {
    const perClass = new Map<HoleClass, number>();
    for (const entry of ADVERSARIAL) perClass.set(entry.cls, (perClass.get(entry.cls) ?? 0) + 1);
    expect(ADVERSARIAL.length).toBeGreaterThanOrEqual(400);
    for (const cls of ['characters', 'evaluating-builtins', 'option-spelling', 'output-and-helpers', 'git-config', 'misc'] as const) {
      expect(perClass.get(cls) ?? 0, cls).toBeGreaterThanOrEqual(40);
    }
    expect(new Set(ADVERSARIAL.map((entry) => entry.command)).size).toBe(ADVERSARIAL.length);
  });

  it.each(ADVERSARIAL.map((entry) => [entry.cls, entry.tries, entry.command] as const))('[%s, tries to %s] %j', (_cls, _tries, raw) => {
    const command = fill(raw);
    expect(isKnownSafeCommand(command).safe).toBe(false);
    for (const sandbox of [enforced, unavailable, undefined]) {
      for (const policy of ['read-only', 'ask'] as const) {
        expect(decideCommand(policy, command, context(sandbox)).verdict, `${policy} with sandbox ${sandbox?.state ?? 'absent'}`).not.toBe('allow');
      }
    }
    expect(isStrictlyAllowlisted(parseShell(command))).toBe(false);
    expect(isStrictlyAllowlisted(parseShell(command), { gitEnvironmentApplied: true })).toBe(false);
  });

  it('enforced-only git commands are never strictly allowlisted without the locked-down git environment', () => {
    for (const entry of ENFORCED_ONLY) expect(isStrictlyAllowlisted(parseShell(entry.command)), entry.command).toBe(false);
  });

  it('git that reads work-tree files is never strictly allowlisted, even with the git overrides (filter drivers run)', () => {
    const reading = ENFORCED_ONLY.filter((entry) => READS_WORK_TREE.test(entry.command));
    expect(reading.length).toBeGreaterThanOrEqual(15);
    for (const entry of reading) {
      expect(isStrictlyAllowlisted(parseShell(entry.command), { gitEnvironmentApplied: true }), entry.command).toBe(false);
      for (const policy of ['read-only', 'ask', 'auto'] as const) expect(decideCommand(policy, entry.command, context(unavailable)).verdict, `${policy}: ${entry.command}`).not.toBe('allow');
    }
  });
});

describe('benign corpus: stays known safe under the sandbox', () => {
  it.each(BENIGN)('%j', (command) => {
    expect(isKnownSafeCommand(command)).toEqual({ safe: true });
    expect(decideCommand('read-only', command, context(enforced)).verdict).toBe('allow');
  });

  it('keeps the everyday shapes on the strict allowlist too', () => {
    const strict = BENIGN.filter((command) => isStrictlyAllowlisted(parseShell(command), { gitEnvironmentApplied: true }));
    // Measured, not aspirational: the strict list is small by design (see strictAllowlist.ts).
    console.info(`[corpus] benign: ${BENIGN.length}, known safe: ${BENIGN.length}, strictly allowlisted (git env applied): ${strict.length}`);
    expect(strict).toEqual(expect.arrayContaining(['ls -la', 'git log --oneline -5', 'cat package.json', 'rg foo src']));
    // git status / git diff read work-tree files through the repository's filter drivers: never strict.
    expect(strict.filter((command) => /^git (status|diff)/.test(command))).toEqual([]);
  });
});
