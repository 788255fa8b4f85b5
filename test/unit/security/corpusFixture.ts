// A malicious workspace for the adversarial corpus, built once as a template and copied per command so
// every command gets fresh canaries and its own trace files. Everything in it is hostile: evil.sh is the
// marker program (it leaves `pwned-by-evil` in the workspace, outside it and in $HOME, prints a marker
// and connects to the listener), and the repository's config names it everywhere git could run a
// program (fsmonitor, pager, hooks, external diff, textconv, filter drivers, gpg, ssh), as do an embedded
// bare repository and an embedded repository with its own .git under vendor/.
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';

export const TRACE = 'pwned-by-evil';
export const MARKER = 'PWNED-MARKER';

const EVIL_SH = `#!/bin/bash
echo ${MARKER}
echo pwned > "@WS@/${TRACE}"
echo pwned > "@OUT@/${TRACE}"
echo pwned > "@HOME@/${TRACE}"
(exec 3<>/dev/tcp/127.0.0.1/@PORT@) 2>/dev/null
exit 0
`;

const EVIL_CONFIG = `[core]
\tfsmonitor = @WS@/evil.sh
\tpager = @WS@/evil.sh
\thooksPath = @WS@/hooks
\tsshCommand = @WS@/evil.sh
\teditor = @WS@/evil.sh
[pager]
\tlog = @WS@/evil.sh
\tstatus = @WS@/evil.sh
\tdiff = @WS@/evil.sh
\tshow = @WS@/evil.sh
[diff]
\texternal = @WS@/evil.sh
[diff "evil"]
\ttextconv = @WS@/evil.sh
\tcommand = @WS@/evil.sh
[filter "evil"]
\tclean = @WS@/evil.sh
\tsmudge = @WS@/evil.sh
[gpg]
\tprogram = @WS@/evil.sh
[log]
\tshowSignature = true
[include]
\tpath = @WS@/evil.gitconfig
[remote "origin"]
\turl = http://127.0.0.1:@PORT@/x.git
`;

function git(cwd: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', '-c', 'init.defaultBranch=main', '-c', 'commit.gpgSign=false', ...args], {
    cwd,
    stdio: 'ignore',
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: cwd, GIT_CONFIG_NOSYSTEM: '1' },
  });
}

/**
 * Builds the template under `dir` (placeholders @WS@, @OUT@, @HOME@, @PORT@ are filled per copy); without
 * `repositories` it is the light variant, for commands that cannot reach git (fewer files to copy).
 */
export function buildTemplate(dir: string, repositories: boolean): void {
  writeFileSync(join(dir, 'canary.txt'), 'CANARY\n');
  writeFileSync(join(dir, 'package.json'), '{ "name": "victim", "scripts": { "test": "./evil.sh" } }\n');
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'src', 'a.ts'), 'export const a = 1;\n');
  writeFileSync(join(dir, 'evil.txt'), 'text run through textconv\n');
  writeFileSync(join(dir, 'evil.mk'), 'all:\n\t./evil.sh\n');
  writeFileSync(join(dir, 'evil.1'), '.TH EVIL 1\n.SH NAME\nevil\n');
  writeFileSync(join(dir, '.gitattributes'), '* diff=evil filter=evil\n');
  if (!repositories) {
    mkdirSync(join(dir, '.git'));
    writeFileSync(join(dir, '.git', 'config'), '');
    mkdirSync(join(dir, 'vendor', 'bare.git'), { recursive: true });
    writeFileSync(join(dir, 'vendor', 'bare.git', 'config'), '');
    mkdirSync(join(dir, 'vendor', 'embedded', '.git'), { recursive: true });
    writeFileSync(join(dir, 'vendor', 'embedded', '.git', 'config'), '');
    writeEvilFiles(dir);
    return;
  }
  git(dir, 'init', '-q', '--template=');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'init');
  // The bare copy is made before the evil files exist so that cloning it runs nothing during setup.
  git(dir, 'clone', '-q', '--bare', '--template=', '.', 'vendor/bare.git');
  mkdirSync(join(dir, 'vendor', 'embedded'));
  writeFileSync(join(dir, 'vendor', 'embedded', 'file.txt'), 'embedded\n');
  writeFileSync(join(dir, 'vendor', 'embedded', '.gitattributes'), '* diff=evil filter=evil\n');
  git(join(dir, 'vendor', 'embedded'), 'init', '-q', '--template=');
  git(join(dir, 'vendor', 'embedded'), 'add', '-A');
  git(join(dir, 'vendor', 'embedded'), 'commit', '-q', '-m', 'init');
  writeEvilFiles(dir);
  // A tracked file whose content no longer matches the index, so status and diff must run the filters.
  writeFileSync(join(dir, 'evil.txt'), 'changed after the commit\n');
  writeFileSync(join(dir, 'vendor', 'embedded', 'file.txt'), 'changed\n');
}

function writeEvilFiles(dir: string): void {
  writeFileSync(join(dir, 'evil.sh'), EVIL_SH);
  writeFileSync(join(dir, 'ls'), EVIL_SH);
  mkdirSync(join(dir, 'hooks'));
  for (const hook of ['post-index-change', 'pre-commit', 'post-checkout', 'reference-transaction', 'fsmonitor-watchman']) writeFileSync(join(dir, 'hooks', hook), EVIL_SH);
  writeFileSync(join(dir, 'evil.gitconfig'), '[core]\n\tpager = @WS@/evil.sh\n');
  for (const config of ['.git/config', 'vendor/bare.git/config', 'vendor/embedded/.git/config']) {
    writeFileSync(join(dir, config), readFileSync(join(dir, config), 'utf8') + EVIL_CONFIG);
  }
}

const FILLED = ['evil.sh', 'ls', 'evil.gitconfig', '.git/config', 'vendor/bare.git/config', 'vendor/embedded/.git/config', ...['post-index-change', 'pre-commit', 'post-checkout', 'reference-transaction', 'fsmonitor-watchman'].map((h) => `hooks/${h}`)];

export interface Places {
  ws: string;
  out: string;
  home: string;
  port: number;
}

/** Copies the template to `places.ws`, fills the placeholders, and puts a canary in `places.out`. */
export function instantiate(template: string, places: Places): void {
  cpSync(template, places.ws, { recursive: true });
  for (const file of FILLED) {
    const path = join(places.ws, file);
    const text = readFileSync(path, 'utf8').replaceAll('@WS@', places.ws).replaceAll('@OUT@', places.out).replaceAll('@HOME@', places.home).replaceAll('@PORT@', String(places.port));
    writeFileSync(path, text);
    if (!file.includes('config')) chmodSync(path, 0o755);
  }
  mkdirSync(places.out, { recursive: true });
  writeFileSync(join(places.out, 'canary.txt'), 'OUTSIDE CANARY\n');
}

/**
 * Every file and directory under `root` with its mode, size, change time and a hash of its content:
 * any write, even one that restores the old bytes, shows.
 */
export function snapshot(root: string): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (dir: string, prefix: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      const rel = `${prefix}${entry.name}`;
      if (entry.isDirectory()) {
        found.set(`${rel}/`, String(statSync(path).mode));
        walk(path, `${rel}/`);
      } else if (entry.isFile()) {
        const stat = statSync(path);
        found.set(rel, `${stat.mode}:${stat.size}:${stat.ctimeMs}:${createHash('sha1').update(readFileSync(path)).digest('hex')}`);
      } else found.set(rel, 'other');
    }
  };
  walk(root, '');
  return found;
}

/** What differs between two snapshots, for a readable failure. */
export function changes(before: Map<string, string>, after: Map<string, string>): string[] {
  const out: string[] = [];
  for (const [path, value] of after) if (before.get(path) !== value) out.push(before.has(path) ? `changed ${path}` : `created ${path}`);
  for (const path of before.keys()) if (!after.has(path)) out.push(`removed ${path}`);
  return out;
}
