// Environment for commands in the read-only profile: configuration a repository can carry must not make
// git run programs. Settings given through GIT_CONFIG_COUNT/KEY/VALUE have command-line scope, which
// beats the repository's own config and anything it includes. This is defence in depth: the read-only,
// no-network sandbox already bounds whatever git runs; these keep a malicious clone's `git status` from
// running its programs at all.
// Not covered here (the sandbox still bounds them): `diff.external` (git runs an empty value as a
// program and fails, which would break every `git diff`), and textconv/filter drivers named by
// .gitattributes (their names are the repository's choice, so they cannot be listed in advance).
// (core/approvals/gitReadOnly.ts has a gitSafetyEnv() with `diff.external=` and GIT_EXTERNAL_DIFF=''; on
// git 2.39 both make `git diff` fail with "cannot run :", so the runner uses this list.)

/** Config that would run a program or reach out, with harmless values. */
export const GIT_SAFE_CONFIG: readonly (readonly [string, string])[] = [
  ['core.fsmonitor', 'false'],
  ['core.hooksPath', '/dev/null'],
  ['core.pager', 'cat'],
  ['core.sshCommand', 'false'],
  ['core.editor', 'false'],
  ['core.askPass', ''],
  ['sequence.editor', 'false'],
  ['credential.helper', ''],
  ['protocol.allow', 'never'],
  // a bare repository in the workspace (reached with `cd`) is not used unless named with --git-dir
  ['safe.bareRepository', 'explicit'],
  ['log.showSignature', 'false'],
  ['gpg.program', 'false'],
  ['gpg.ssh.program', 'false'],
  ['gpg.x509.program', 'false'],
];

/** Variables that name programs for git to run (from Tandem's own environment, not the repository). */
export const GIT_PROGRAM_ENV = ['GIT_EXTERNAL_DIFF', 'GIT_EDITOR', 'GIT_SEQUENCE_EDITOR', 'GIT_SSH', 'GIT_SSH_COMMAND', 'GIT_PROXY_COMMAND', 'GIT_CONFIG_PARAMETERS', 'GIT_ASKPASS'];

export function gitSafeEnv(): Record<string, string> {
  const env: Record<string, string> = {
    GIT_CONFIG_COUNT: String(GIT_SAFE_CONFIG.length),
    GIT_TERMINAL_PROMPT: '0',
    // `git status` would otherwise try to refresh the index (a write the read-only profile refuses anyway)
    GIT_OPTIONAL_LOCKS: '0',
    // GIT_PAGER beats a repository's `pager.<command>` setting, which core.pager does not.
    GIT_PAGER: 'cat',
    PAGER: 'cat',
  };
  GIT_SAFE_CONFIG.forEach(([key, value], i) => {
    env[`GIT_CONFIG_KEY_${i}`] = key;
    env[`GIT_CONFIG_VALUE_${i}`] = value;
  });
  return env;
}
