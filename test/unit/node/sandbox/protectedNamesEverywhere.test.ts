// Every part of the sandbox protects every name on the one list (core/approvals/protectedNames.ts):
// the before-command scan (existing ones become read-only mounts, missing ones placeholders), the bwrap
// arguments built from it, the Seatbelt profile's write rules, and the link repair after a command.
// A name added to the list shows up in each of them without another edit.
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROTECTED_DIR_NAMES, PROTECTED_FILE_NAMES, PROTECTED_NAMES } from '../../../../src/core/approvals/protectedNames';
import { bwrapArgs } from '../../../../src/node/sandbox/bwrapArgs';
import { recordProtectedLinks } from '../../../../src/node/sandbox/protectedLinks';
import { scanProtected } from '../../../../src/node/sandbox/protectedScan';
import { planSandbox } from '../../../../src/node/sandbox/sandboxPlan';
import { PROTECTED_REGEXES, seatbeltProfile } from '../../../../src/node/sandbox/seatbeltProfile';
import { tempDir } from './sandboxTestUtils';

const isDir = (name: string) => (PROTECTED_DIR_NAMES as readonly string[]).includes(name);

describe('one list of protected names, used by every sandbox part', () => {
  it('the scan lists each existing name (to mount read-only) and each missing one (for a placeholder)', () => {
    const full = tempDir('tandem-names-full-');
    for (const name of PROTECTED_NAMES) {
      if (isDir(name)) mkdirSync(join(full, name));
      else writeFileSync(join(full, name), 'x');
    }
    expect(scanProtected([full]).entries.map((e) => e.path).sort()).toEqual(PROTECTED_NAMES.map((n) => join(full, n)).sort());

    const empty = tempDir('tandem-names-empty-');
    const missing = scanProtected([empty]).missing;
    // `.git` is left out only inside another repository (the temp dir is not in one)
    expect(existsSync('/tmp/.git')).toBe(false);
    expect(missing).toEqual(PROTECTED_NAMES.map((n) => ({ path: join(empty, n), kind: isDir(n) ? 'dir' : 'file' })));
  });

  it('the bwrap arguments mount each existing name read-only on top of the writable workspace', () => {
    const ws = tempDir('tandem-names-ws-');
    for (const name of PROTECTED_NAMES) {
      if (isDir(name)) mkdirSync(join(ws, name));
      else writeFileSync(join(ws, name), 'x');
    }
    for (const confinement of ['workspace-write', 'protected-only'] as const) {
      const plan = planSandbox({ confinement, network: false, cwd: ws, workspaceRoots: [ws], homeDir: tempDir('tandem-names-home-'), privateTmp: tempDir('tandem-names-tmp-') });
      const args = bwrapArgs(plan);
      for (const name of PROTECTED_NAMES) {
        const p = join(ws, name);
        const at = args.findIndex((a, i) => a === '--ro-bind' && args[i + 1] === p && args[i + 2] === p);
        expect(at, `${confinement}: ${name}`).toBeGreaterThan(args.lastIndexOf('--bind'));
      }
    }
  });

  it('the Seatbelt profile denies writes to each name at any depth and in any case, in both writing profiles', () => {
    expect(PROTECTED_REGEXES).toHaveLength(PROTECTED_NAMES.length);
    const plan = { confinement: 'workspace-write' as const, network: false, cwd: '/w', writableRoots: ['/w'], readOnlyRoots: [], ownMounts: [], protectedPaths: [], hiddenDirs: [], hiddenFiles: [], keptLinks: [], privateTmp: '/tmp/t', maxProcesses: 4096 };
    for (const profile of [seatbeltProfile(plan).profile, seatbeltProfile({ ...plan, confinement: 'protected-only', writableRoots: ['/'] }).profile]) {
      const regexes = [...profile.matchAll(/\(regex #"([^"]+)"\)/g)].map((m) => new RegExp(m[1]!));
      const denied = (p: string) => regexes.some((r) => r.test(p));
      for (const name of PROTECTED_NAMES) {
        const inside = isDir(name) ? `${name}/skills/x/SKILL.md` : name;
        for (const p of [`/w/${name}`, `/w/${inside}`, `/w/a/b/${inside}`, `/w/${inside.toUpperCase()}`]) expect(denied(p), p).toBe(true);
        expect(denied(`/w/${name}x`), `${name}x`).toBe(false);
        expect(denied(`/w/${name.replace('.', '')}/x`), `${name} without its dot`).toBe(false);
      }
    }
    for (const name of PROTECTED_FILE_NAMES) expect(PROTECTED_REGEXES.some((r) => new RegExp(r).test(`/w/${name}.bak`))).toBe(false);
  });

  it('the link repair records each protected name that is a symlink', () => {
    const ws = tempDir('tandem-names-links-');
    for (const name of PROTECTED_NAMES) symlinkSync(`target-of${name}`, join(ws, name));
    expect(recordProtectedLinks([ws]).map((l) => l.path).sort()).toEqual(PROTECTED_NAMES.map((n) => join(ws, n)).sort());
  });
});
