// The one list of protected names (core/approvals/protectedNames.ts) reaches every check in the core:
// patches are always reviewed, commands writing them are asked even in full access, the classifier
// finds them at any depth and in any letter case, and the pre-command link check looks at each.
// `.agents` (where skills load from) is on it, and `.mcp.json` (MCP servers that start outside the sandbox).
import { describe, expect, it } from 'vitest';
import { PROTECTED_TOP_LEVEL, protectedSymlinks } from '../../../../src/core/approvals/diskChecks';
import { protectedPart } from '../../../../src/core/approvals/paths';
import { decideCommand, decidePatch, describeConfinement, type ApprovalPolicy } from '../../../../src/core/approvals/policy';
import { PROTECTED_DIR_NAMES, PROTECTED_FILE_NAMES, PROTECTED_NAMES } from '../../../../src/core/approvals/protectedNames';
import { SessionApprovals } from '../../../../src/core/approvals/sessionApprovals';
import type { FileReader } from '../../../../src/core/ports';

const roots = ['/ws'];
const sandbox = { state: 'enforced', mode: 'workspace-write', network: false, mechanism: 'bwrap' } as const;
const context = { cwd: '/ws', workspaceRoots: roots, homeDir: '/home/me', sandbox };
const POLICIES: ApprovalPolicy[] = ['read-only', 'ask', 'auto', 'full-access'];

/** A path inside each protected name, at the top and deeper, in the name's own spelling and upper case. */
function targets(name: string): string[] {
  const inside = (PROTECTED_DIR_NAMES as readonly string[]).includes(name) ? `${name}/skills/x/SKILL.md` : name;
  return [inside, `pkg/sub/${inside}`, inside.toUpperCase()];
}

describe('the protected names', () => {
  it('include .agents (skills load from .agents/skills) next to .git, .vscode, .tandem, AGENTS.md and .mcp.json (MCP servers that run unsandboxed)', () => {
    expect([...PROTECTED_DIR_NAMES].sort()).toEqual(['.agents', '.git', '.tandem', '.vscode']);
    expect(PROTECTED_FILE_NAMES).toEqual(['AGENTS.md', '.mcp.json']);
    expect(PROTECTED_NAMES).toEqual([...PROTECTED_DIR_NAMES, ...PROTECTED_FILE_NAMES]);
  });

  it('always review a patch to .agents/skills/x/SKILL.md, in every mode and with patches approved for the session', () => {
    const paths = ['/ws/.agents/skills/x/SKILL.md'];
    expect(POLICIES.map((p) => decidePatch(p, paths, { workspaceRoots: roots }).verdict)).toEqual(['deny', 'ask', 'ask', 'ask']);
    expect(decidePatch('full-access', paths, { workspaceRoots: roots }).reason).toMatch(/protected.*\.agents/);
    const sessionApprovals = new SessionApprovals();
    sessionApprovals.rememberPatches();
    expect(decidePatch('auto', ['/ws/src/a.ts', ...paths], { workspaceRoots: roots, sessionApprovals }).verdict).toBe('ask');
    expect(decidePatch('auto', ['/ws/src/a.ts'], { workspaceRoots: roots, sessionApprovals }).verdict).toBe('allow');
  });

  it.each(PROTECTED_NAMES.map((name) => [name]))('%s: every patch inside it is reviewed, at any depth and in any case', (name) => {
    for (const relative of targets(name)) {
      expect(protectedPart(relative), relative).toBeDefined();
      expect(POLICIES.map((p) => decidePatch(p, [`/ws/${relative}`], { workspaceRoots: roots }).verdict), relative).toEqual(['deny', 'ask', 'ask', 'ask']);
    }
  });

  it.each(PROTECTED_NAMES.map((name) => [name]))('%s: a command writing it is asked in full access (and not run unasked in auto)', (name) => {
    for (const relative of targets(name)) {
      for (const command of [`echo x > ${relative}`, `rm -rf ${relative}`, `cp /tmp/evil ${relative}`]) {
        const full = decideCommand('full-access', command, context);
        expect(full.verdict, command).toBe('ask');
        expect(full.reason, command).toMatch(/Protected paths are always asked/);
        expect(decideCommand('auto', command, context).verdict, command).toBe('ask');
      }
    }
  });

  it('leave look-alikes alone', () => {
    for (const relative of ['.agentsrc', 'agents/skills/x.md', '.agents.bak', 'src/.gitkeep', 'AGENTS.md.bak', '.tandemrc']) expect(protectedPart(relative), relative).toBeUndefined();
    expect(decidePatch('auto', ['/ws/agents/skills/x/SKILL.md'], { workspaceRoots: roots }).verdict).toBe('allow');
  });

  it('are named where the user and the model read what stays read-only', () => {
    const text = describeConfinement('workspace-write', sandbox);
    for (const name of PROTECTED_NAMES) expect(text).toContain(name);
    const full = decideCommand('full-access', 'make', context).reason;
    for (const name of PROTECTED_NAMES) expect(full).toContain(name);
  });

  it('are each checked for being a symlink before a writing command runs', async () => {
    expect(PROTECTED_TOP_LEVEL).toEqual(PROTECTED_NAMES);
    const asked: string[] = [];
    const files = {
      isSymbolicLink: async (p: string) => (asked.push(p), p.endsWith('/.agents')),
    } as unknown as FileReader;
    expect(await protectedSymlinks(roots, files)).toEqual(['/ws/.agents']);
    expect(asked.sort()).toEqual(PROTECTED_NAMES.map((name) => `/ws/${name}`).sort());
  });
});
