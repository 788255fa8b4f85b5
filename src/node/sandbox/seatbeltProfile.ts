// The macOS sandbox: a Seatbelt profile for `sandbox-exec`, generated from a plan. Closed by default
// (like Codex's and Chrome's profiles): processes may fork, exec, read files (except the hidden
// credential stores) and write only inside the writable roots (everything in protected-only) and the
// private temp dir; the network only when it is on. Protected names are excluded from every write rule by
// regular expressions, so unlike on Linux they hold at any depth and for entries that do not exist yet
// (a repository the command creates, `mkdir .git`, `touch AGENTS.md`); Seatbelt checks the resolved path,
// so a symlink to them does not help either. macOS file systems are usually case-insensitive, hence the
// character classes. Paths never become profile text: they are passed as `-D NAME=value` parameters and
// referenced with `(param "NAME")`, so no quoting can break out.
// This cannot run on Linux CI; its text is unit-tested.
import { PROTECTED_DIR_NAMES, PROTECTED_FILE_NAMES } from '../../core/approvals/protectedNames';
import type { SandboxPlan } from './sandboxPlan';

/** Absolute, so a PATH entry cannot stand in for the real thing. */
export const SANDBOX_EXEC = '/usr/bin/sandbox-exec';

const BASE = `(version 1)
(deny default)
; children inherit the profile
(allow process-exec process-fork)
(allow signal (target same-sandbox))
(allow process-info* (target same-sandbox))
(allow user-preference-read)
(allow sysctl-read)
(allow mach-host*)
; user and group lookups; power assertions; POSIX semaphores (Python multiprocessing)
(allow mach-lookup (global-name "com.apple.system.opendirectoryd.libinfo") (global-name "com.apple.PowerManagement.control"))
(allow ipc-posix-sem)
; terminals: the pseudo-terminal Tandem opened, and openpty() for programs that need their own
(allow pseudo-tty)
(allow file-read* file-write* file-ioctl (literal "/dev/ptmx") (literal "/dev/tty") (regex #"^/dev/ttys[0-9]+$"))
(allow file-write-data (literal "/dev/null") (literal "/dev/zero") (literal "/dev/stdout") (literal "/dev/stderr") (regex #"^/dev/fd/[0-9]+$"))`;

const NETWORK = `(allow network-outbound network-inbound system-socket)
; DNS, TLS certificate checks and network configuration go through these services
(allow mach-lookup (global-name "com.apple.dnssd.service") (global-name "com.apple.SecurityServer") (global-name "com.apple.networkd") (global-name "com.apple.ocspd") (global-name "com.apple.trustd.agent") (global-name "com.apple.SystemConfiguration.DNSConfiguration") (global-name "com.apple.SystemConfiguration.configd"))`;

export interface SeatbeltProfile {
  profile: string;
  /** `-D` parameters, in the order they are named in the profile. */
  params: [name: string, value: string][];
}

/** `name` as Seatbelt regex text matching any letter case: `.git` -> `\.[gG][iI][tT]`. */
function anyCase(name: string): string {
  return [...name].map((c) => (c.toLowerCase() !== c.toUpperCase() ? `[${c.toLowerCase()}${c.toUpperCase()}]` : c === '.' ? String.raw`\.` : c)).join('');
}

/** The protected directory names as a path component anywhere, and files with a protected name (core/approvals/protectedNames.ts). */
export const PROTECTED_REGEXES = [
  ...PROTECTED_DIR_NAMES.map((name) => String.raw`/${anyCase(name)}(/|$)`),
  ...PROTECTED_FILE_NAMES.map((name) => `/${anyCase(name)}$`),
];

function isUnder(parent: string, child: string): boolean {
  return child === parent || child.startsWith(parent.endsWith('/') ? parent : `${parent}/`);
}

export function seatbeltProfile(plan: SandboxPlan): SeatbeltProfile {
  const params: [string, string][] = [];
  const param = (name: string, value: string) => (params.push([name, value]), `(param "${name}")`);

  if (plan.confinement === 'protected-only') {
    // Full access: everything the user can do (keychain, launchd, the network), minus writes to the
    // protected names anywhere and to the protected entries the plan found (e.g. the global git config).
    const named = plan.protectedPaths.map((p, i) => `(subpath ${param(`PROTECTED_${i}`, p)})`);
    const filters = [...PROTECTED_REGEXES.map((r) => `(regex #"${r}")`), ...named];
    return { profile: `(version 1)\n(allow default)\n(deny file-write*\n  ${filters.join('\n  ')})`, params };
  }
  const hidden = [...plan.hiddenDirs, ...plan.hiddenFiles];
  const hiddenFilters = hidden.map((p, i) => `(subpath ${param(`HIDDEN_${i}`, p)})`);
  const read = hiddenFilters.length === 0 ? '(allow file-read*)' : `(allow file-read* (require-not (require-any ${hiddenFilters.join(' ')})))`;

  const notProtected = PROTECTED_REGEXES.map((r) => `(require-not (regex #"${r}"))`).join(' ');
  const writeFilters = [`(subpath ${param('TMPDIR', plan.privateTmp)})`];
  plan.writableRoots.forEach((root, i) => {
    const rootFilter = `(subpath ${param(`WRITABLE_${i}`, root)})`;
    // Protected entries found by the plan (symlink targets, the global git config) and hidden paths
    // inside this root are carved out of its write permission, besides the protected names.
    const excluded = [...plan.protectedPaths, ...hidden].filter((p) => isUnder(root, p));
    writeFilters.push(`(require-all ${rootFilter} ${excluded.map((p, j) => `(require-not (subpath ${param(`WRITABLE_${i}_RO_${j}`, p)}))`).join(' ')}${excluded.length ? ' ' : ''}${notProtected})`);
  });
  const write = `(allow file-write*\n  ${writeFilters.join('\n  ')})`;

  const profile = [BASE, read, write, ...(plan.network ? [NETWORK] : [])].join('\n');
  return { profile, params };
}

/** The full argv: sandbox-exec, the profile and its parameters, then `shell shellArgs…`. */
export function seatbeltCommand(plan: SandboxPlan, shell: string, shellArgs: string[]): { file: string; args: string[] } {
  const { profile, params } = seatbeltProfile(plan);
  return { file: SANDBOX_EXEC, args: ['-p', profile, ...params.flatMap(([name, value]) => ['-D', `${name}=${value}`]), '--', shell, ...shellArgs] };
}
