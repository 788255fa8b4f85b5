// The headless CLI as an npm package, the way a user gets it: scripts/pack-cli.mjs packs it (from bundles
// built by the real esbuild.mjs into a temp folder), the tarball is read entry by entry, then installed into
// a temp prefix with npm and run through the `tandem` bin (npx) and directly with node. node-pty is an
// optional dependency, left out here (--omit=optional): the install must work without it, which is also
// what a machine that cannot build it gets.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBundles, ROOT } from './buildBundles';
import { tarEntries, type TarEntry } from './tarEntries';

let work: string;
let tarball: string;
let entries: TarEntry[];
let prefix: string;

/** npm's environment without the npm_* variables an outer `npm test` exports (they would configure this npm). */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
}

function run(command: string, args: string[], cwd: string, input = ''): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(command, args, { cwd, env: cleanEnv(), encoding: 'utf8', input });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const rootManifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; dependencies: Record<string, string> };

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'tandem-npm-'));
  const dist = buildBundles(work);
  const out = join(work, 'npm');
  const packed = run(process.execPath, [join(ROOT, 'scripts/pack-cli.mjs'), '--dist', dist, '--out', out], ROOT);
  if (packed.status !== 0) throw new Error(`scripts/pack-cli.mjs failed:\n${packed.stdout}${packed.stderr}`);
  const tgz = readdirSync(out).filter((f) => f.endsWith('.tgz'));
  if (tgz.length !== 1) throw new Error(`expected one tarball in ${out}, found ${tgz.join(', ') || 'none'}`);
  tarball = join(out, tgz[0]!);
  entries = tarEntries(tarball);
  prefix = join(work, 'prefix');
  mkdirSync(prefix);
  const installed = run('npm', ['install', '--prefix', prefix, '--omit=optional', '--prefer-offline', '--no-audit', '--no-fund', tarball], prefix);
  if (installed.status !== 0) throw new Error(`npm install of ${tarball} failed:\n${installed.stdout}${installed.stderr}`);
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('npm package of the CLI', () => {
  it('holds the bin, README, CHANGELOG, LICENSE and manifest, and nothing else (no tests, sources or maps)', () => {
    expect(entries.map((e) => e.name).sort()).toEqual(['package/CHANGELOG.md', 'package/LICENSE', 'package/README.md', 'package/dist/cli.js', 'package/package.json']);
  });

  it('has a manifest whose `tandem` bin is the bundled CLI, with node-pty optional and nothing private', () => {
    const manifest = JSON.parse(entries.find((e) => e.name === 'package/package.json')!.content.toString('utf8')) as Record<string, unknown>;
    expect(manifest.bin).toEqual({ tandem: 'dist/cli.js' });
    expect(manifest.version).toBe(rootManifest.version);
    expect(manifest.private).toBeUndefined();
    expect(manifest.optionalDependencies).toEqual({ 'node-pty': rootManifest.dependencies['node-pty'] });
    // The bundle carries every other dependency; anything listed here would be installed for nothing.
    expect(manifest.dependencies).toBeUndefined();
    expect(manifest.devDependencies).toBeUndefined();
    expect(manifest.scripts).toBeUndefined();
    expect(manifest.engines).toEqual({ node: '>=22' });
    expect(manifest.license).toBe('MIT');
  });

  it('ships dist/cli.js with a node shebang, executable', () => {
    const cli = entries.find((e) => e.name === 'package/dist/cli.js')!;
    expect(cli.content.subarray(0, 20).toString('utf8')).toBe('#!/usr/bin/env node\n');
    expect(cli.mode & 0o111).toBe(0o111);
  });

  it('installs into a prefix and runs as `npx tandem --help` and `node …/dist/cli.js --help`', () => {
    const viaNpx = run('npx', ['--no-install', 'tandem', '--help'], prefix);
    expect(viaNpx.status, viaNpx.stderr).toBe(0);
    expect(viaNpx.stdout).toMatch(/^Usage:\n {2}tandem exec /);
    const viaNode = run(process.execPath, [join(prefix, 'node_modules/tandem/dist/cli.js'), '--help'], prefix);
    expect(viaNode.status, viaNode.stderr).toBe(0);
    expect(viaNode.stdout).toBe(viaNpx.stdout);
  });

  it('the installed bin does real work without node-pty: tandem apply-patch writes the file', () => {
    const dir = mkdtempSync(join(work, 'ws-'));
    const patch = '*** Begin Patch\n*** Add File: hello.txt\n+hello from the npm package\n*** End Patch\n';
    const r = run(join(prefix, 'node_modules/.bin/tandem'), ['apply-patch'], dir, patch);
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(join(dir, 'hello.txt'))).toBe(true);
    expect(readFileSync(join(dir, 'hello.txt'), 'utf8')).toBe('hello from the npm package\n');
  });
});
