#!/usr/bin/env node
// Builds one VSIX per VS Code target platform (`vsce package --target`), each carrying only its own node-pty
// binary, and writes a size report for the bench. `npm run package` still makes the single dist/tandem.vsix
// the tests and `npm start` install; these are the ones a registry gets.
//
// Each target is packaged from a staging folder holding exactly what ships: the bundles, media (with the
// extension page's README and its images), manifest, CHANGELOG / LICENSE, node-pty's JavaScript, and the target's binaries under
// node_modules/node-pty/prebuilds/<platform>-<arch>/, the folder node-pty's loader (lib/utils.js) tries after
// build/Release and build/Debug, which no package has. Binaries come from:
//   darwin-x64/arm64, win32-x64/arm64  node-pty's own prebuilds (Windows: conpty, conpty_console_list and
//                                      winpty files; no .pdb, no conpty/ folder, which only useConptyDll loads)
//   linux-x64                          node_modules/node-pty/build/Release (compiled at npm install)
//   linux-arm64                        cross-compiled here (scripts/build-pty-cross.mjs)
//   alpine-x64                         none: musl needs a musl C++ toolchain we do not have; Tandem runs
//                                      commands through pipes there and says so once (createRunner's onFallback)
//
// Usage: node scripts/package-targets.mjs [--dist DIR] [--out DIR] [--targets t1,t2] [--base-images-url URL]
//   --dist     where the built bundles are (default dist/; build them first: npm run package:targets does)
//   --out      where the VSIXes and sizes.json go (default dist/targets/)
//   --base-images-url  where media/ is publicly served (https), for the registries' web pages (README_PATH below)
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { crossBuiltPty } from './build-pty-cross.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PTY = join(ROOT, 'node_modules/node-pty');
const MAX_BYTES = 5 * 1024 * 1024;

/** The bundles esbuild.mjs writes that the extension loads (keep in sync with .vscodeignore). */
const DIST_FILES = ['extension.js', 'cli.js', 'webview.js', 'webview.css', 'codicon.ttf'];
/** Top-level files that ship. The README is the extension page's, not the developer one at the root (readmeArgs). */
const ROOT_FILES = ['package.json', 'package.nls.json', 'CHANGELOG.md', 'LICENSE'];
/**
 * The extension page's README (media/marketplace/README.md, shipped by vsce as extension/readme.md) with its
 * images inside the package, linked relative to the package root, which VS Code's Extensions view resolves.
 * vsce would otherwise rewrite relative links to <repository>/raw/HEAD/…, a repository that does not exist,
 * and the registries' web pages do not resolve paths into the package: for those, pass --base-images-url
 * with where media/ is publicly served, and vsce rewrites the image links to it (and checks they are https).
 * Keep in sync with the `package` script in package.json.
 */
export const README_PATH = 'media/marketplace/README.md';
function readmeArgs(baseImagesUrl) {
  return ['--readme-path', README_PATH, ...(baseImagesUrl ? ['--baseImagesUrl', baseImagesUrl] : ['--no-rewrite-relative-links'])];
}
const WINDOWS_FILES = ['conpty.node', 'conpty_console_list.node', 'pty.node', 'winpty.dll', 'winpty-agent.exe'];
const MAC_FILES = ['pty.node', 'spawn-helper'];

/**
 * What each target carries. `platform-arch` is what node-pty's loader looks for (process.platform and
 * process.arch there); `source` says where the binaries come from; `executables` must keep their x bit.
 */
export const TARGETS = {
  'linux-x64': { loaderDir: 'linux-x64', source: () => ({ dir: join(PTY, 'build/Release'), files: ['pty.node'] }) },
  'linux-arm64': { loaderDir: 'linux-arm64', source: () => ({ dir: dirname(crossBuiltPty('linux-arm64')), files: ['pty.node'] }) },
  'alpine-x64': {
    loaderDir: 'linux-x64',
    source: () => null,
    noPty: 'node-pty has no musl build and this machine has no musl C++ toolchain; commands run through pipes (announced once)',
  },
  'darwin-x64': { loaderDir: 'darwin-x64', source: () => ({ dir: join(PTY, 'prebuilds/darwin-x64'), files: MAC_FILES }), executables: ['spawn-helper'] },
  'darwin-arm64': { loaderDir: 'darwin-arm64', source: () => ({ dir: join(PTY, 'prebuilds/darwin-arm64'), files: MAC_FILES }), executables: ['spawn-helper'] },
  'win32-x64': { loaderDir: 'win32-x64', source: () => ({ dir: join(PTY, 'prebuilds/win32-x64'), files: WINDOWS_FILES }) },
  'win32-arm64': { loaderDir: 'win32-arm64', source: () => ({ dir: join(PTY, 'prebuilds/win32-arm64'), files: WINDOWS_FILES }) },
};

function listFiles(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)));
}

/** node-pty's runtime JavaScript: lib/**\/*.js without its tests and source maps, plus package.json and LICENSE. */
function stageNodePtyJs(stage) {
  const to = join(stage, 'node_modules/node-pty');
  for (const f of ['package.json', 'LICENSE']) cpSync(join(PTY, f), join(to, f));
  for (const f of listFiles(join(PTY, 'lib'))) {
    if (f.endsWith('.js') && !f.endsWith('.test.js')) cpSync(join(PTY, 'lib', f), join(to, 'lib', f));
  }
  // vsce lists production dependencies with `npm ls`, which wants node-pty's one dependency to be there;
  // it is a header-only build dependency, so its manifest is all that ships (as in the universal VSIX).
  cpSync(join(ROOT, 'node_modules/node-addon-api/package.json'), join(stage, 'node_modules/node-addon-api/package.json'));
}

function stage(target, distDir, stageDir) {
  rmSync(stageDir, { recursive: true, force: true });
  mkdirSync(join(stageDir, 'dist'), { recursive: true });
  for (const f of DIST_FILES) {
    const from = join(distDir, f);
    if (!existsSync(from)) throw new Error(`${from} is missing: build first (node esbuild.mjs --production, or npm run package:targets)`);
    cpSync(from, join(stageDir, 'dist', f));
  }
  for (const f of ROOT_FILES) cpSync(join(ROOT, f), join(stageDir, f));
  cpSync(join(ROOT, 'media'), join(stageDir, 'media'), { recursive: true });
  // The stage holds exactly what ships; the empty ignore file keeps vsce from warning that there is none.
  writeFileSync(join(stageDir, '.vscodeignore'), '# staged by scripts/package-targets.mjs: everything here ships\n');
  stageNodePtyJs(stageDir);

  const spec = TARGETS[target];
  const source = spec.source();
  const binaries = [];
  if (source) {
    const to = join(stageDir, 'node_modules/node-pty/prebuilds', spec.loaderDir);
    mkdirSync(to, { recursive: true });
    for (const f of source.files) {
      cpSync(join(source.dir, f), join(to, f));
      // npm unpacks the prebuilds without the x bit; VS Code keeps the zip's mode when it installs a VSIX.
      if (spec.executables?.includes(f)) chmodSync(join(to, f), 0o755);
      binaries.push(`extension/node_modules/node-pty/prebuilds/${spec.loaderDir}/${f}`);
    }
  }
  return binaries;
}

function vsce(args, cwd) {
  const bin = join(ROOT, 'node_modules/@vscode/vsce/vsce');
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`vsce ${args.join(' ')} failed (exit ${r.status}):\n${r.stdout}${r.stderr}`);
}

export function packageTargets({ distDir = join(ROOT, 'dist'), outDir = join(ROOT, 'dist/targets'), targets = Object.keys(TARGETS), baseImagesUrl } = {}) {
  const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
  mkdirSync(outDir, { recursive: true });
  const report = { version, maxBytes: MAX_BYTES, targets: {} };
  for (const target of targets) {
    if (!TARGETS[target]) throw new Error(`unknown target ${target} (known: ${Object.keys(TARGETS).join(', ')})`);
    const stageDir = join(outDir, 'stage', target);
    const binaries = stage(target, distDir, stageDir);
    const vsix = join(outDir, `tandem-${target}-${version}.vsix`);
    vsce(['package', '--target', target, ...readmeArgs(baseImagesUrl), '--out', vsix], stageDir);
    const bytes = statSync(vsix).size;
    report.targets[target] = { vsix: relative(outDir, vsix), bytes, pty: binaries.length > 0 ? 'bundled' : 'none', binaries, ...(TARGETS[target].noPty ? { note: TARGETS[target].noPty } : {}) };
    process.stdout.write(`${target.padEnd(13)} ${(bytes / 1024).toFixed(0).padStart(6)} KiB  ${binaries.length ? `${binaries.length} node-pty file(s)` : 'no node-pty binary (pipes)'}\n`);
  }
  rmSync(join(outDir, 'stage'), { recursive: true, force: true });
  writeFileSync(join(outDir, 'sizes.json'), `${JSON.stringify(report, null, 2)}\n`);
  const over = Object.entries(report.targets).filter(([, t]) => t.bytes > MAX_BYTES);
  if (over.length) throw new Error(`over ${MAX_BYTES} bytes: ${over.map(([n, t]) => `${n} ${t.bytes}`).join(', ')}`);
  return report;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { dist: { type: 'string' }, out: { type: 'string' }, targets: { type: 'string' }, 'base-images-url': { type: 'string' } } });
  try {
    packageTargets({
      ...(values.dist ? { distDir: resolve(values.dist) } : {}),
      ...(values.out ? { outDir: resolve(values.out) } : {}),
      ...(values.targets ? { targets: values.targets.split(',') } : {}),
      ...(values['base-images-url'] ? { baseImagesUrl: values['base-images-url'] } : {}),
    });
  } catch (error) {
    console.error(`package-targets: ${error.message}`);
    process.exit(1);
  }
}
