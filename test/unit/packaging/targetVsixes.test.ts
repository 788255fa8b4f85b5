// The per-platform VSIXes as a registry would get them: scripts/package-targets.mjs runs for real (on
// bundles built by esbuild.mjs into a temp folder, so dist/ is not touched), then every package is opened
// and checked against what its target needs, written down here independently of the script:
//   - its node-pty binaries, and nothing but them, in the folder node-pty's own loader (lib/utils.js) tries
//     for that platform and CPU, run with process.platform/arch set to the target's;
//   - each binary's format and architecture from its header (ELF / Mach-O / PE, x64 / arm64);
//   - spawn-helper keeps its x bit in the zip; no .pdb, no other platform's files; at most 5 MB;
//   - on this machine (linux-x64) the linux-x64 package's node-pty really runs a command in a terminal, and
//     the alpine package's missing PTY makes the runner fall back to pipes with exactly one notice.
// The arm64 cross build needs g++-aarch64-linux-gnu (cached under .vscode-test/pty-cross afterwards); without
// it the suite fails saying so rather than shipping a package with a silently missing PTY.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningProcess } from '../../../src/core/ports';
import { createProcessRunner } from '../../../src/node/createRunner';
import type { NodePty } from '../../../src/node/ptyRunner';
import { binaryInfo, type Arch, type BinaryFormat } from './binaryFormat';
import { buildBundles, ROOT } from './buildBundles';
import { zipEntries, type ZipEntry } from './zipEntries';

const MAX_BYTES = 5 * 1024 * 1024;
const PTY_PREFIX = 'extension/node_modules/node-pty/';
const WINDOWS = ['conpty.node', 'conpty_console_list.node', 'pty.node', 'winpty.dll', 'winpty-agent.exe'];

interface Expected {
  /** process.platform / process.arch on the target, as node-pty's loader sees them. */
  platform: NodeJS.Platform;
  arch: 'x64' | 'arm64';
  format?: BinaryFormat;
  /** Files in prebuilds/<platform>-<arch>/; none for a target that runs without a PTY. */
  files: string[];
  executables?: string[];
  /** The native modules node-pty's JavaScript loads on that platform. */
  modules: string[];
}

const EXPECTED: Record<string, Expected> = {
  'linux-x64': { platform: 'linux', arch: 'x64', format: 'elf', files: ['pty.node'], modules: ['pty'] },
  'linux-arm64': { platform: 'linux', arch: 'arm64', format: 'elf', files: ['pty.node'], modules: ['pty'] },
  'alpine-x64': { platform: 'linux', arch: 'x64', files: [], modules: ['pty'] },
  'darwin-x64': { platform: 'darwin', arch: 'x64', format: 'macho', files: ['pty.node', 'spawn-helper'], executables: ['spawn-helper'], modules: ['pty'] },
  'darwin-arm64': { platform: 'darwin', arch: 'arm64', format: 'macho', files: ['pty.node', 'spawn-helper'], executables: ['spawn-helper'], modules: ['pty'] },
  'win32-x64': { platform: 'win32', arch: 'x64', format: 'pe', files: WINDOWS, modules: ['conpty', 'conpty_console_list', 'pty'] },
  'win32-arm64': { platform: 'win32', arch: 'arm64', format: 'pe', files: WINDOWS, modules: ['conpty', 'conpty_console_list', 'pty'] },
};

interface SizeReport {
  version: string;
  maxBytes: number;
  targets: Record<string, { vsix: string; bytes: number; pty: 'bundled' | 'none'; binaries: string[]; note?: string }>;
}

let work: string;
let out: string;
let report: SizeReport;
const entries = new Map<string, ZipEntry[]>();

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'tandem-targets-'));
  out = join(work, 'out');
  const dist = buildBundles(work);
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts/package-targets.mjs'), '--dist', dist, '--out', out], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`scripts/package-targets.mjs failed (exit ${r.status}):\n${r.stdout}${r.stderr}`);
  report = JSON.parse(readFileSync(join(out, 'sizes.json'), 'utf8')) as SizeReport;
  for (const [target, t] of Object.entries(report.targets)) entries.set(target, zipEntries(join(out, t.vsix)));
}, 180_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

function entriesOf(target: string): ZipEntry[] {
  const list = entries.get(target);
  if (!list) throw new Error(`no VSIX for ${target}`);
  return list;
}

/** Writes the package's node-pty folder out (with modes) and returns its path. */
function extractNodePty(target: string): string {
  const dir = join(work, 'extracted', target);
  for (const e of entriesOf(target)) {
    if (!e.name.startsWith('extension/node_modules/')) continue;
    const file = join(dir, e.name.slice('extension/'.length));
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, e.read());
    if (e.mode !== undefined) chmodSync(file, e.mode);
  }
  return join(dir, 'node_modules/node-pty');
}

/**
 * Runs node-pty's own loader from the extracted package with process.platform and process.arch set to the
 * target's; native modules are not executed, only located (the .node handler records the file it was given).
 */
function locateNativeModules(ptyDir: string, expected: Expected): Record<string, { file?: string; dir?: string; error?: string }> {
  const probe = `
    const Module = require('node:module');
    const path = require('node:path');
    const [ptyDir, platform, arch, names] = process.argv.slice(1);
    Object.defineProperty(process, 'platform', { value: platform });
    Object.defineProperty(process, 'arch', { value: arch });
    Module._extensions['.node'] = (m, filename) => { m.exports = { locatedAt: filename }; };
    const { loadNativeModule } = require(path.join(ptyDir, 'lib/utils.js'));
    const result = {};
    for (const name of names.split(',')) {
      try {
        const r = loadNativeModule(name);
        result[name] = { file: r.module.locatedAt, dir: path.resolve(ptyDir, 'lib', r.dir) };
      } catch (e) { result[name] = { error: e.message }; }
    }
    process.stdout.write(JSON.stringify(result));`;
  const r = spawnSync(process.execPath, ['-e', probe, ptyDir, expected.platform, expected.arch, expected.modules.join(',')], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`loader probe failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Record<string, { file?: string; dir?: string; error?: string }>;
}

function collect(proc: RunningProcess): () => string {
  let text = '';
  proc.onOutput((chunk) => (text += chunk));
  return () => text;
}

describe('per-platform VSIXes', () => {
  it('packages every target, each at most 5 MB, and reports the sizes the bench reads', () => {
    expect(Object.keys(report.targets).sort()).toEqual(Object.keys(EXPECTED).sort());
    expect(report.maxBytes).toBe(MAX_BYTES);
    for (const [target, t] of Object.entries(report.targets)) {
      const bytes = statSync(join(out, t.vsix)).size;
      expect(t.bytes, target).toBe(bytes);
      expect(bytes, `${target} is ${bytes} bytes`).toBeLessThanOrEqual(MAX_BYTES);
      expect(t.pty, target).toBe(EXPECTED[target]!.files.length ? 'bundled' : 'none');
    }
    expect(report.targets['alpine-x64']?.note).toMatch(/pipes/);
  });

  describe.each(Object.entries(EXPECTED))('%s', (target, expected) => {
    it('declares its target platform, and carries the icon, changelog, licence and README the galleries show', () => {
      const manifest = entriesOf(target).find((e) => e.name === 'extension.vsixmanifest')!.read().toString('utf8');
      expect(manifest).toContain(`TargetPlatform="${target}"`);
      const assets = new Map([...manifest.matchAll(/<Asset Type="([^"]+)" Path="([^"]+)"/g)].map((m) => [m[1], m[2]]));
      for (const type of ['Default', 'Changelog', 'License', 'Details']) {
        const key = type === 'Default' ? 'Microsoft.VisualStudio.Services.Icons.Default' : `Microsoft.VisualStudio.Services.Content.${type}`;
        const path = assets.get(key);
        expect(path, key).toBeDefined();
        expect(entriesOf(target).some((e) => e.name === path), `${key} -> ${path}`).toBe(true);
      }
    });

    it("carries node-pty's JavaScript and exactly its own binaries, of the right format and CPU", () => {
      const all = entriesOf(target);
      const native = all.filter((e) => e.name.startsWith(PTY_PREFIX) && !/^lib\/.+\.js$/.test(e.name.slice(PTY_PREFIX.length)));
      const dir = `prebuilds/${expected.platform}-${expected.arch}/`;
      expect(native.map((e) => e.name.slice(PTY_PREFIX.length)).sort()).toEqual(['LICENSE', 'package.json', ...expected.files.map((f) => dir + f)].sort());
      expect(all.some((e) => /\.(pdb|map)$/.test(e.name) || /\.test\.js$/.test(e.name)), 'no debug symbols, maps or tests').toBe(false);
      for (const f of expected.files) {
        const entry = all.find((e) => e.name === PTY_PREFIX + dir + f)!;
        const info = binaryInfo(entry.read());
        expect({ file: f, format: info.format, archs: info.archs }).toEqual({ file: f, format: expected.format, archs: [expected.arch as Arch] });
        if (info.format === 'elf') expect(info.elf64le).toBe(true);
        if (expected.executables?.includes(f)) expect(entry.mode! & 0o111, `${f} must be executable`).toBe(0o111);
      }
      for (const name of ['lib/index.js', 'lib/utils.js', expected.platform === 'win32' ? 'lib/windowsTerminal.js' : 'lib/unixTerminal.js']) {
        expect(all.some((e) => e.name === PTY_PREFIX + name), name).toBe(true);
      }
    });

    it("is laid out so node-pty's loader finds every native module it loads there", () => {
      const ptyDir = extractNodePty(target);
      const located = locateNativeModules(ptyDir, expected);
      for (const name of expected.modules) {
        const hit = located[name]!;
        if (!expected.files.length) {
          expect(hit.error, name).toMatch(/Failed to load native module: pty\.node/);
          continue;
        }
        expect(hit.error, name).toBeUndefined();
        expect(hit.file).toBe(join(ptyDir, 'prebuilds', `${expected.platform}-${expected.arch}`, `${name}.node`));
        // unixTerminal.js runs spawn-helper from the folder the module came from.
        if (expected.executables?.includes('spawn-helper')) expect(existsSync(join(hit.dir!, 'spawn-helper'))).toBe(true);
      }
    });
  });

  it.runIf(process.platform === 'linux' && process.arch === 'x64')('linux-x64: the packaged node-pty runs a command in a real terminal here', async () => {
    const ptyDir = extractNodePty('linux-x64');
    const notices: string[] = [];
    const runner = createProcessRunner({ shell: '/bin/sh', onFallback: (r) => notices.push(r), loadPty: () => createRequire(__filename)(ptyDir) as NodePty });
    const proc = runner.spawn({ command: 'tty -s && echo packaged-tty', cwd: tmpdir() });
    const text = collect(proc);
    expect(await proc.exited).toBe(0);
    expect(text().trim()).toBe('packaged-tty');
    expect(notices).toEqual([]);
  });

  it('alpine-x64: without a PTY binary commands still run, through pipes, and the fallback is announced once', async () => {
    const ptyDir = extractNodePty('alpine-x64');
    const notices: string[] = [];
    const runner = createProcessRunner({ shell: '/bin/sh', onFallback: (r) => notices.push(r), loadPty: () => createRequire(__filename)(ptyDir) as NodePty });
    for (let i = 0; i < 2; i++) {
      const proc = runner.spawn({ command: 'tty -s && echo tty || echo pipes', cwd: tmpdir() });
      const text = collect(proc);
      expect(await proc.exited).toBe(0);
      expect(text().trim()).toBe('pipes');
    }
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/Failed to load native module: pty\.node/);
  });
});
