#!/usr/bin/env node
// Packs the headless CLI (`tandem exec`, `tandem apply-patch`) as an npm package: dist/npm/tandem-<version>.tgz.
// The repository's package.json is the VS Code extension's manifest and stays `private` (an `npm publish`
// at the root is refused); it cannot carry npm's `files` either, because vsce refuses a manifest with both
// `files` and a .vscodeignore. So the npm package gets a manifest of its own, written here from the root
// one: the `tandem` bin on the bundled dist/cli.js (everything but node-pty is inside the bundle), README,
// CHANGELOG and LICENSE, nothing else. node-pty is optional: where it cannot build (Linux without a C++
// toolchain) the install still succeeds and the CLI runs commands through pipes, saying so on stderr.
// Publish (needs an npm token): npm publish dist/npm/tandem-<version>.tgz --access public
// Usage: node scripts/pack-cli.mjs [--dist DIR] [--out DIR]
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export function packCli({ distDir = join(ROOT, 'dist'), outDir = join(ROOT, 'dist/npm') } = {}) {
  const root = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const cli = join(distDir, 'cli.js');
  if (!existsSync(cli)) throw new Error(`${cli} is missing: build first (node esbuild.mjs --production, or npm run pack:cli)`);
  if (!readFileSync(cli, 'utf8').startsWith('#!/usr/bin/env node\n')) throw new Error(`${cli} has no #!/usr/bin/env node line; npm's bin shim needs it`);

  const stage = join(outDir, 'stage');
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(join(stage, 'dist'), { recursive: true });
  cpSync(cli, join(stage, 'dist/cli.js'));
  chmodSync(join(stage, 'dist/cli.js'), 0o755);
  for (const f of ['README.md', 'CHANGELOG.md', 'LICENSE']) cpSync(join(ROOT, f), join(stage, f));
  const manifest = {
    name: root.name,
    version: root.version,
    description: 'Tandem headless: an open-source coding agent on the command line (tandem exec "…", tandem apply-patch).',
    license: root.license,
    repository: root.repository,
    homepage: root.homepage,
    bugs: root.bugs,
    keywords: root.keywords,
    bin: { tandem: 'dist/cli.js' },
    files: ['dist/cli.js', 'CHANGELOG.md'],
    engines: { node: root.engines.node },
    optionalDependencies: { 'node-pty': root.dependencies['node-pty'] },
  };
  writeFileSync(join(stage, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);

  const r = spawnSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', outDir], { cwd: stage, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm pack failed (exit ${r.status}):\n${r.stdout}${r.stderr}`);
  const [packed] = JSON.parse(r.stdout);
  rmSync(stage, { recursive: true, force: true });
  const tarball = join(outDir, packed.filename);
  console.log(`${tarball}  ${(packed.size / 1024).toFixed(0)} KiB packed, ${packed.files.length} files: ${packed.files.map((f) => f.path).join(', ')}`);
  return tarball;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { dist: { type: 'string' }, out: { type: 'string' } } });
  try {
    packCli({ ...(values.dist ? { distDir: resolve(values.dist) } : {}), ...(values.out ? { outDir: resolve(values.out) } : {}) });
  } catch (error) {
    console.error(`pack-cli: ${error.message}`);
    process.exit(1);
  }
}
