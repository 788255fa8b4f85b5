#!/usr/bin/env node
// Cross-compiles node-pty's Linux binary for arm64, for the linux-arm64 VSIX: node-pty 1.1.0 ships prebuilt
// binaries only for macOS and Windows, and on Linux compiles at install time, which gives us the host's
// (x64) binary only. Debian's cross compiler (g++-aarch64-linux-gnu) and node-gyp --arch=arm64 build it
// from the very node-pty source we depend on, against the headers of the Node we run (scripts/env.sh's
// TANDEM_NODEDIR logic); node-pty is an N-API addon, so one build loads in every Node / Electron version.
// The result is cached under .vscode-test/pty-cross/<target>/ (keyed by the node-pty version).
// Usage: node scripts/build-pty-cross.mjs [linux-arm64]    prints the path of the built pty.node
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CACHE = process.env.TANDEM_CACHE ?? join(ROOT, '.vscode-test');

/** Cross toolchains by VS Code target: the gyp arch and the GNU triplet of Debian's cross compiler. */
const CROSS = {
  'linux-arm64': { arch: 'arm64', triplet: 'aarch64-linux-gnu', aptPackage: 'g++-aarch64-linux-gnu' },
};

function has(command) {
  return spawnSync(command, ['--version'], { stdio: 'ignore' }).status === 0;
}

/** The Node install whose headers node-gyp must use (the one running us), or undefined to let node-gyp fetch them. */
function nodeDir() {
  const home = dirname(dirname(process.execPath));
  return existsSync(join(home, 'include/node/node.h')) ? home : undefined;
}

/**
 * Returns the path of node-pty's pty.node built for `target`, building it when the cache has none for this
 * node-pty version. Throws with what to install when the cross compiler is missing.
 */
export function crossBuiltPty(target) {
  const cross = CROSS[target];
  if (!cross) throw new Error(`no cross build for ${target} (known: ${Object.keys(CROSS).join(', ')})`);
  const ptyDir = join(ROOT, 'node_modules/node-pty');
  const version = JSON.parse(readFileSync(join(ptyDir, 'package.json'), 'utf8')).version;
  const outDir = join(CACHE, 'pty-cross', target);
  const out = join(outDir, 'pty.node');
  const stampFile = join(outDir, 'stamp.json');
  const stamp = JSON.stringify({ nodePty: version, triplet: cross.triplet });
  if (existsSync(out) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) return out;

  const cxx = `${cross.triplet}-g++`;
  if (!has(cxx)) {
    throw new Error(`${target}: the cross compiler ${cxx} is missing, so node-pty cannot be built for it. Install it: apt-get install ${cross.aptPackage}`);
  }
  // A private copy of the sources: node-gyp writes build/ next to binding.gyp, and node_modules/node-pty/build
  // holds the host's binary that the linux-x64 package and the tests use.
  const work = mkdtempSync(join(tmpdir(), `tandem-pty-${target}-`));
  try {
    const src = join(work, 'node_modules/node-pty');
    mkdirSync(src, { recursive: true });
    for (const entry of ['binding.gyp', 'package.json', 'src', 'deps', 'scripts']) cpSync(join(ptyDir, entry), join(src, entry), { recursive: true });
    // binding.gyp asks node for require('node-addon-api') from its own folder.
    cpSync(join(ROOT, 'node_modules/node-addon-api'), join(work, 'node_modules/node-addon-api'), { recursive: true });
    const headers = nodeDir();
    const args = ['--yes', 'node-gyp@11', 'rebuild', `--arch=${cross.arch}`, ...(headers ? [`--nodedir=${headers}`] : [])];
    const env = {
      ...process.env,
      CC: `${cross.triplet}-gcc`,
      CXX: cxx,
      LINK: cxx,
      AR: `${cross.triplet}-ar`,
      // This machine's ~/.npmrc says yes=false (cancels npx) and points nodedir at the system Node.
      npm_config_yes: 'true',
      npm_config_nodedir: headers ?? '',
    };
    process.stderr.write(`build-pty-cross: building node-pty ${version} for ${target} with ${cxx}\n`);
    const r = spawnSync('npx', args, { cwd: src, env, encoding: 'utf8' });
    const built = join(src, 'build/Release/pty.node');
    if (r.status !== 0 || !existsSync(built)) {
      throw new Error(`${target}: node-gyp failed (exit ${r.status}):\n${(r.stdout + r.stderr).slice(-4000)}`);
    }
    mkdirSync(outDir, { recursive: true });
    cpSync(built, out);
    writeFileSync(stampFile, stamp);
    return out;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    console.log(crossBuiltPty(process.argv[2] ?? 'linux-arm64'));
  } catch (error) {
    console.error(`build-pty-cross: ${error.message}`);
    process.exit(1);
  }
}
