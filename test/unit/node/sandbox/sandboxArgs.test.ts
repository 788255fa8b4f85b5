// The argument and profile builders, as text: bwrap's mount order and namespaces, the macOS Seatbelt
// profile (which cannot run here), and the plan they are built from.
import { existsSync, lstatSync, mkdirSync, readlinkSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bwrapArgs, bwrapCommand } from '../../../../src/node/sandbox/bwrapArgs';
import { planSandbox, type SandboxPlan } from '../../../../src/node/sandbox/sandboxPlan';
import { PROTECTED_REGEXES, seatbeltCommand, seatbeltProfile } from '../../../../src/node/sandbox/seatbeltProfile';
import { tempDir } from './sandboxTestUtils';

const plan: SandboxPlan = {
  confinement: 'workspace-write',
  network: false,
  cwd: '/ws/a/src',
  writableRoots: ['/ws/a', '/ws/b'],
  readOnlyRoots: [],
  ownMounts: [],
  protectedPaths: ['/ws/a/.git'],
  hiddenDirs: ['/home/me/.ssh'],
  hiddenFiles: ['/home/me/.netrc'],
  keptLinks: [],
  privateTmp: '/tmp/tandem-sandbox-x',
  maxProcesses: 4096,
};

const NOT_PROTECTED = PROTECTED_REGEXES.map((r) => `(require-not (regex #"${r}"))`).join(' ');

/** The value following each occurrence of `flag`. */
const after = (args: string[], flag: string) => args.flatMap((a, i) => (a === flag ? [args.slice(i + 1, i + 3).join(' ')] : []));

describe('bwrapArgs', () => {
  it('unshares user, pid, ipc and (network off) net, dies with its parent and drops capabilities', () => {
    const args = bwrapArgs(plan);
    for (const flag of ['--die-with-parent', '--unshare-user', '--unshare-pid', '--unshare-ipc', '--unshare-net']) expect(args).toContain(flag);
    expect(args[args.indexOf('--cap-drop') + 1]).toBe('ALL');
    expect(args).not.toContain('--new-session');
    expect(bwrapArgs({ ...plan, network: true })).not.toContain('--unshare-net');
  });

  it('mounts read-only first, then /dev, /proc, the private /tmp, the writable roots, and protections on top', () => {
    const args = bwrapArgs(plan);
    const mounts = args.filter((a) => a.startsWith('--') && !a.startsWith('--unshare') && !['--die-with-parent', '--cap-drop', '--chdir'].includes(a));
    expect(mounts).toEqual(['--ro-bind', '--dev', '--proc', '--bind', '--bind', '--bind', '--ro-bind', '--tmpfs', '--remount-ro', '--ro-bind']);
    expect(after(args, '--bind')).toEqual(['/tmp/tandem-sandbox-x /tmp', '/ws/a /ws/a', '/ws/b /ws/b']);
    expect(after(args, '--ro-bind')).toEqual(['/ /', '/ws/a/.git /ws/a/.git', '/dev/null /home/me/.netrc']);
    expect(after(args, '--tmpfs')).toEqual(['/home/me/.ssh --remount-ro']);
    expect(args.slice(-2)).toEqual(['--chdir', '/ws/a/src']);
  });

  it('recreates kept links inside a hidden directory before making it read-only', () => {
    const args = bwrapArgs({ ...plan, hiddenDirs: ['/run'], keptLinks: [{ path: '/run/shm', target: '/dev/shm' }] });
    const at = args.indexOf('/run');
    expect(args.slice(at - 1, at + 6)).toEqual(['--tmpfs', '/run', '--symlink', '/dev/shm', '/run/shm', '--remount-ro', '/run']);
  });

  it('in read-only mode binds the workspace read-only (it may live under /tmp) and allows no new user namespaces', () => {
    const args = bwrapArgs({ ...plan, confinement: 'read-only', writableRoots: [], readOnlyRoots: ['/tmp/ws'], protectedPaths: [] });
    expect(after(args, '--bind')).toEqual(['/tmp/tandem-sandbox-x /tmp']);
    expect(after(args, '--ro-bind')).toContain('/tmp/ws /tmp/ws');
    expect(args).toContain('--disable-userns');
    expect(bwrapArgs(plan)).not.toContain('--disable-userns');
  });

  it('in protected-only mode binds everything writable (real /dev and /tmp), with the protected entries read-only on top', () => {
    const args = bwrapArgs({ ...plan, confinement: 'protected-only', network: true, writableRoots: ['/'], protectedPaths: ['/ws/a/.git', '/ws/a/AGENTS.md'], hiddenDirs: [], hiddenFiles: [] });
    expect(after(args, '--bind')).toEqual(['/ /']);
    expect(after(args, '--dev-bind')).toEqual(['/dev /dev']);
    // each workspace root again on itself: its own mount, so nothing is renamed in from outside (EXDEV)
    expect(after(bwrapArgs({ ...plan, confinement: 'protected-only', network: true, writableRoots: ['/'], ownMounts: ['/ws/a'], protectedPaths: ['/ws/a/.git'] }), '--bind')).toEqual(['/ /', '/ws/a /ws/a']);
    expect(after(args, '--ro-bind')).toEqual(['/ws/a/.git /ws/a/.git', '/ws/a/AGENTS.md /ws/a/AGENTS.md']);
    expect(args).not.toContain('--unshare-net');
    expect(args.indexOf('--bind')).toBeLessThan(args.indexOf('--ro-bind'));
  });

  it('wraps the shell in a script that sets the process limit (inside the namespace) and routes Ctrl-C', () => {
    const { file, args } = bwrapCommand('/usr/bin/bwrap', plan, '/bin/bash', ['-c', 'npm test']);
    expect(file).toBe('/usr/bin/bwrap');
    const rest = args.slice(args.indexOf('--') + 1);
    expect(rest[0]).toBe('/bin/sh');
    expect(rest[2]).toContain('ulimit -u "$n" 2>/dev/null || ulimit -p "$n" 2>/dev/null');
    expect(rest[2]).toContain(`exec bash -c 'set -m; "$@"; exit $?'`);
    expect(rest[2]?.split('\n').at(-1)).toBe('exec "$@"');
    expect(rest.slice(3)).toEqual(['tandem-sandbox', '4096', '/bin/bash', '-c', 'npm test']);
  });
});

describe('seatbeltProfile', () => {
  it('is closed by default and names paths only through parameters', () => {
    const { profile, params } = seatbeltProfile({ ...plan, writableRoots: ['/Users/me/it\'s "quoted")'], protectedPaths: [] });
    expect(profile.startsWith('(version 1)\n(deny default)\n')).toBe(true);
    expect(profile).not.toContain('/Users/me');
    expect(params).toContainEqual(['WRITABLE_0', '/Users/me/it\'s "quoted")']);
    // balanced parentheses: the profile parses as one list per line group
    const depth = [...profile.replace(/"[^"]*"/g, '').replace(/#"[^"]*"/g, '').replace(/;[^\n]*/g, '')].reduce((d, c) => d + (c === '(' ? 1 : c === ')' ? -1 : 0), 0);
    expect(depth).toBe(0);
  });

  it('reads everything except the hidden paths, writes only the roots minus protected folders and the temp dir', () => {
    const { profile, params } = seatbeltProfile({ ...plan, hiddenDirs: ['/Users/me/.ssh'], hiddenFiles: [], writableRoots: ['/Users/me/ws'], protectedPaths: ['/Users/me/ws/.git'] });
    expect(profile).toContain('(allow file-read* (require-not (require-any (subpath (param "HIDDEN_0")))))');
    expect(profile).toContain(`(allow file-write*\n  (subpath (param "TMPDIR"))\n  (require-all (subpath (param "WRITABLE_0")) (require-not (subpath (param "WRITABLE_0_RO_0"))) ${NOT_PROTECTED}))`);
    expect(params).toEqual([
      ['HIDDEN_0', '/Users/me/.ssh'],
      ['TMPDIR', '/tmp/tandem-sandbox-x'],
      ['WRITABLE_0', '/Users/me/ws'],
      ['WRITABLE_0_RO_0', '/Users/me/ws/.git'],
    ]);
  });

  it('carves hidden paths out of a writable root that contains them (a workspace opened at $HOME)', () => {
    const { profile, params } = seatbeltProfile({ ...plan, writableRoots: ['/Users/me'], protectedPaths: [], hiddenDirs: ['/Users/me/.ssh'], hiddenFiles: [] });
    expect(profile).toContain(`(require-all (subpath (param "WRITABLE_0")) (require-not (subpath (param "WRITABLE_0_RO_0"))) ${NOT_PROTECTED})`);
    expect(params).toContainEqual(['WRITABLE_0_RO_0', '/Users/me/.ssh']);
  });

  it('allows the network only when it is on', () => {
    expect(seatbeltProfile(plan).profile).not.toMatch(/network-outbound/);
    expect(seatbeltProfile({ ...plan, network: true }).profile).toMatch(/\(allow network-outbound network-inbound system-socket\)/);
  });

  it('keeps the protected names read-only at any depth, existing or not, in every writable root', () => {
    const { profile } = seatbeltProfile({ ...plan, writableRoots: ['/w'], protectedPaths: [], hiddenDirs: [], hiddenFiles: [] });
    expect(profile).toContain(`(require-all (subpath (param "WRITABLE_0")) ${NOT_PROTECTED})`);
    const regexes = PROTECTED_REGEXES.map((r) => new RegExp(r));
    const blocked = (p: string) => regexes.some((r) => r.test(p));
    for (const p of ['/w/.git', '/w/.git/hooks/pre-commit', '/w/sub/deep/.git', '/w/sub/.git/config', '/w/.GIT/config', '/w/.vscode/tasks.json', '/w/x/.tandem', '/w/AGENTS.md', '/w/pkg/agents.md']) expect(blocked(p)).toBe(true);
    for (const p of ['/w/.gitignore', '/w/.github/workflows/ci.yml', '/w/src/git/x.ts', '/w/AGENTS.md.bak', '/w/docs/.gitkeep', '/w/.vscodeignore']) expect(blocked(p)).toBe(false);
  });

  it('protected-only allows everything but writes to the protected names and entries', () => {
    const { profile, params } = seatbeltProfile({ ...plan, confinement: 'protected-only', network: true, writableRoots: ['/'], protectedPaths: ['/Users/me/.gitconfig'], hiddenDirs: [], hiddenFiles: [] });
    expect(profile.startsWith('(version 1)\n(allow default)\n(deny file-write*\n')).toBe(true);
    for (const r of PROTECTED_REGEXES) expect(profile).toContain(`(regex #"${r}")`);
    expect(profile).toContain('(subpath (param "PROTECTED_0"))');
    expect(params).toEqual([['PROTECTED_0', '/Users/me/.gitconfig']]);
  });

  it('read-only mode has no writable root', () => {
    const { params } = seatbeltProfile({ ...plan, confinement: 'read-only', writableRoots: [], protectedPaths: [] });
    expect(params.map(([name]) => name)).toEqual(['HIDDEN_0', 'HIDDEN_1', 'TMPDIR']);
  });

  it('runs the shell through /usr/bin/sandbox-exec with -D parameters', () => {
    const { file, args } = seatbeltCommand({ ...plan, hiddenDirs: [], hiddenFiles: [], writableRoots: ['/w'], protectedPaths: [] }, '/bin/zsh', ['-c', 'make']);
    expect(file).toBe('/usr/bin/sandbox-exec');
    expect(args[0]).toBe('-p');
    expect(args.slice(2)).toEqual(['-D', 'TMPDIR=/tmp/tandem-sandbox-x', '-D', 'WRITABLE_0=/w', '--', '/bin/zsh', '-c', 'make']);
  });
});

describe('planSandbox', () => {
  const ws = tempDir('tandem-plan-ws-');
  const home = tempDir('tandem-plan-home-');
  mkdirSync(join(ws, '.git'));
  mkdirSync(join(ws, '.vscode'));
  mkdirSync(join(home, '.ssh'));
  mkdirSync(join(home, '.aws'));
  writeFileSync(join(home, '.npmrc'), '//registry/:_authToken=x');
  const base = { network: false, cwd: ws, workspaceRoots: [ws], homeDir: home, privateTmp: tempDir('tandem-plan-tmp-') };

  it('finds the protected entries (nested .git too) and credential stores that exist', () => {
    mkdirSync(join(ws, 'vendor', 'lib'), { recursive: true });
    writeFileSync(join(ws, 'vendor', 'lib', '.git'), 'gitdir: ../../.git/modules/lib\n');
    mkdirSync(join(ws, 'node_modules', 'x', '.git'), { recursive: true });
    const result = planSandbox({ ...base, confinement: 'workspace-write' });
    expect(result.writableRoots).toEqual([ws]);
    expect(result.protectedPaths).toEqual([join(ws, '.git'), join(ws, '.vscode'), join(ws, 'vendor', 'lib', '.git')]);
    expect(result.hiddenDirs).toEqual(expect.arrayContaining([join(home, '.ssh'), join(home, '.aws')]));
    expect(result.hiddenDirs).not.toContain(join(home, '.kube'));
    expect(result.hiddenFiles).toContain(join(home, '.npmrc'));
    expect(result.maxProcesses).toBe(4096);
  });

  it('hides the runtime dir (D-Bus, keyring, ssh-agent and VS Code sockets)', () => {
    const runtimeDir = tempDir('tandem-plan-run-');
    expect(planSandbox({ ...base, confinement: 'workspace-write', runtimeDir }).hiddenDirs).toContain(runtimeDir);
  });

  it('writes nothing in read-only mode, and keeps a workspace opened inside a hidden folder visible', () => {
    const readOnly = planSandbox({ ...base, confinement: 'read-only', network: true });
    expect(readOnly.network).toBe(false);
    expect(readOnly.writableRoots).toEqual([]);
    expect(readOnly.readOnlyRoots).toEqual([ws]);
    expect(readOnly.protectedPaths).toEqual([]);
    const inside = planSandbox({ ...base, confinement: 'workspace-write', workspaceRoots: [join(home, '.aws')] });
    expect(inside.hiddenDirs).not.toContain(join(home, '.aws'));
    // …but not for a working directory the model chose
    const cwdInside = planSandbox({ ...base, confinement: 'workspace-write', cwd: join(home, '.ssh') });
    expect(cwdInside.hiddenDirs).toContain(join(home, '.ssh'));
  });

  it('hides editor data and shell histories', () => {
    mkdirSync(join(home, '.config', 'Code', 'User'), { recursive: true });
    mkdirSync(join(home, '.local', 'share', 'code-server'), { recursive: true });
    writeFileSync(join(home, '.bash_history'), 'export TOKEN=secret\n');
    writeFileSync(join(home, '.python_history'), 'x\n');
    const result = planSandbox({ ...base, confinement: 'read-only' });
    expect(result.hiddenDirs).toEqual(expect.arrayContaining([join(home, '.config', 'Code'), join(home, '.local', 'share', 'code-server')]));
    expect(result.hiddenFiles).toEqual(expect.arrayContaining([join(home, '.bash_history'), join(home, '.python_history')]));
  });

  it('full access (protected-only) hides nothing, has the network, writes everything, and keeps the global git config read-only', () => {
    writeFileSync(join(home, '.gitconfig'), '[user]\n');
    const result = planSandbox({ ...base, confinement: 'protected-only', placeholders: [join(ws, 'AGENTS.md')] });
    expect(result).toMatchObject({ network: true, writableRoots: ['/'], ownMounts: [ws], hiddenDirs: [], hiddenFiles: [] });
    expect(result.protectedPaths).toEqual(expect.arrayContaining([join(ws, '.git'), join(ws, 'AGENTS.md'), join(home, '.gitconfig')]));
  });

  it('shows /run empty without network on Linux (what a network namespace leaves reachable: host Unix sockets), keeping links out of it', () => {
    const runDirs = ['/run', ...(lstatSync('/var/run').isSymbolicLink() ? [] : ['/var/run'])];
    for (const plan of [planSandbox({ ...base, confinement: 'read-only', platform: 'linux', uid: 4242 }), planSandbox({ ...base, confinement: 'workspace-write', platform: 'linux', uid: 4242 })]) {
      expect(plan.hiddenDirs).toEqual(expect.arrayContaining(runDirs));
      // nothing under /run is mounted separately: the empty /run is read-only, and it covers them
      expect([...plan.hiddenDirs, ...plan.hiddenFiles].filter((p) => p.startsWith('/run/'))).toEqual([]);
      for (const link of plan.keptLinks) expect(link.path.startsWith('/run/') && !resolve('/run', link.target).startsWith('/run/')).toBe(true);
    }
    if (lstatSync('/run/shm', { throwIfNoEntry: false })?.isSymbolicLink()) {
      expect(planSandbox({ ...base, confinement: 'read-only', platform: 'linux' }).keptLinks).toContainEqual({ path: '/run/shm', target: readlinkSync('/run/shm') });
    }
    // macOS keeps /var/run (DNS's socket; Seatbelt has no mount namespaces)
    expect(planSandbox({ ...base, confinement: 'read-only', platform: 'darwin' }).hiddenDirs).not.toContain('/run');
  });

  it('with the network on, /run stays (resolv.conf may point into it) but the user runtime dir and daemon sockets are hidden, whatever XDG_RUNTIME_DIR says', () => {
    const uidDir = tempDir('tandem-plan-uid-'); // stands for /run/user/<uid>: what the plan hides is what exists
    const withNetwork = planSandbox({ ...base, confinement: 'workspace-write', network: true, platform: 'linux' });
    expect(withNetwork.hiddenDirs).not.toContain('/run');
    const hidden = [...withNetwork.hiddenDirs, ...withNetwork.hiddenFiles];
    for (const p of ['/run/user', '/run/dbus', '/run/docker.sock', '/run/containerd', '/run/podman', '/run/snapd.socket']) {
      if (existsSync(p)) expect(hidden).toContain(realpathSync(p));
    }
    expect(planSandbox({ ...base, confinement: 'workspace-write', network: true, platform: 'linux', runtimeDir: uidDir }).hiddenDirs).toContain(uidDir);
    expect(planSandbox({ ...base, confinement: 'protected-only', platform: 'linux' }).hiddenDirs).toEqual([]);
  });

  it('protects the target of a protected name that is a symlink', () => {
    const other = tempDir('tandem-plan-other-');
    const ws2 = tempDir('tandem-plan-ws2-');
    mkdirSync(join(other, 'vscode-settings'));
    symlinkSync(join(other, 'vscode-settings'), join(ws2, '.vscode'));
    expect(planSandbox({ ...base, workspaceRoots: [ws2], confinement: 'workspace-write' }).protectedPaths).toEqual([join(other, 'vscode-settings')]);
  });
});
