// The Linux sandbox: bubblewrap arguments for a plan. Mount order matters (later mounts cover earlier
// ones): the whole file system read-only (writable in protected-only, with the real /dev and /tmp), fresh
// /dev and /proc, the private temp dir as /tmp, the writable roots, then the read-only protected entries
// and the hidden paths on top of those (in profiles without network, all of /run: no host daemon's Unix
// socket is reachable, and a new network namespace already cuts abstract sockets). A mount point cannot be removed, renamed or replaced from inside
// (EBUSY), so `mv x AGENTS.md` or `rm -rf .git` fail as well as writes into them.
//
// No --new-session: it would detach the shell from its terminal (no job control, Ctrl-C and /dev/tty
// prompts break). The TIOCSTI keystroke-injection escape it guards against needs an unsandboxed reader of
// the same terminal; every command here gets its own pseudo-terminal (or none, with pipes) that only
// Tandem's pty master and the sandboxed processes share, so there is nothing to inject into.
import type { SandboxPlan } from './sandboxPlan';

/** Where the private temp dir appears inside the sandbox (TMPDIR points here). */
export const BWRAP_TMP = '/tmp';

/**
 * Runs inside the sandbox before the user's shell. First RLIMIT_NPROC, set here because bwrap has made
 * the user namespace by now: set before, the limit would also cap the namespace's parent count (all of
 * the user's processes) and nothing would start. bash spells it `ulimit -u`, dash and busybox `-p`.
 *
 * Then, on a terminal, the command runs as a bash job in its own foreground process group (`set -m`),
 * so Ctrl-C from the terminal reaches the command, which may handle it, and not bwrap: bwrap dies of
 * SIGINT and takes the whole sandbox with it. dash's job control cannot do this (it fails restoring the
 * terminal to bwrap's process group, which the PID namespace hides); without bash, or without a
 * terminal, the command is exec'd directly and Ctrl-C stops the sandbox as a whole.
 */
const WRAPPER_SCRIPT = [
  'n=$1; shift',
  'ulimit -u "$n" 2>/dev/null || ulimit -p "$n" 2>/dev/null',
  `if [ -t 0 ] && command -v bash >/dev/null 2>&1; then exec bash -c 'set -m; "$@"; exit $?' tandem-sandbox "$@"; fi`,
  'exec "$@"',
].join('\n');

export function bwrapArgs(plan: SandboxPlan): string[] {
  const everything = plan.confinement === 'protected-only';
  const args = [
    // The sandbox dies with Tandem, and with its PID namespace every process in it (daemons included).
    '--die-with-parent',
    '--unshare-user',
    '--unshare-pid',
    '--unshare-ipc',
    '--unshare-cgroup-try',
    ...(plan.network ? [] : ['--unshare-net']),
    // Run as root, bwrap keeps every capability unless told not to, and CAP_SYS_ADMIN can remount / writable.
    '--cap-drop', 'ALL',
    // Read-only commands do not need user namespaces of their own; nothing else loses them (Chromium's sandbox uses one).
    ...(plan.confinement === 'read-only' ? ['--disable-userns'] : []),
    ...(everything ? ['--bind', '/', '/', '--dev-bind', '/dev', '/dev'] : ['--ro-bind', '/', '/', '--dev', '/dev']),
    '--proc', '/proc',
    ...(everything ? [] : ['--bind', plan.privateTmp, BWRAP_TMP]),
  ];
  for (const root of everything ? plan.ownMounts : plan.writableRoots) args.push('--bind', root, root);
  for (const root of plan.readOnlyRoots) args.push('--ro-bind', root, root);
  for (const protectedPath of plan.protectedPaths) args.push('--ro-bind', protectedPath, protectedPath);
  for (const dir of plan.hiddenDirs) {
    args.push('--tmpfs', dir);
    for (const link of plan.keptLinks.filter((l) => l.path.startsWith(`${dir}/`))) args.push('--symlink', link.target, link.path);
    args.push('--remount-ro', dir);
  }
  for (const file of plan.hiddenFiles) args.push('--ro-bind', '/dev/null', file);
  args.push('--chdir', plan.cwd);
  return args;
}

/** The full argv: bwrap, its arguments, then the wrapper script around `shell shellArgs…`. */
export function bwrapCommand(bwrap: string, plan: SandboxPlan, shell: string, shellArgs: string[]): { file: string; args: string[] } {
  return {
    file: bwrap,
    args: [...bwrapArgs(plan), '--', '/bin/sh', '-c', WRAPPER_SCRIPT, 'tandem-sandbox', String(plan.maxProcesses), shell, ...shellArgs],
  };
}
