#!/usr/bin/env node
// Packs the headless CLI (`tandem exec`, `tandem apply-patch`) and the SDK (`tandem/sdk`) as an npm package:
// dist/npm/tandem-<version>.tgz.
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
  const sdk = join(distDir, 'sdk.js');
  if (!existsSync(sdk)) throw new Error(`${sdk} is missing: build first (node esbuild.mjs --production)`);
  cpSync(sdk, join(stage, 'dist/sdk.js'));
  copySdkDeclarations(join(stage, 'dist/types'));
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
    exports: root.exports,
    files: ['dist/cli.js', 'dist/sdk.js', 'dist/types', 'CHANGELOG.md'],
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

/**
 * The SDK's type declarations (tsconfig.sdk.json), but only the files reachable from sdk/index.d.ts: tsc
 * declares every file the SDK's code imports, while the public surface stops at src/sdk and src/shared.
 */
function copySdkDeclarations(outDir) {
  const all = join(outDir, '..', 'types-all');
  const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.sdk.json'), '--outDir', all], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tsc -p tsconfig.sdk.json failed:\n${r.stdout}${r.stderr}`);
  const pending = ['sdk/index.d.ts'];
  const seen = new Set();
  while (pending.length) {
    const file = pending.pop();
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(join(all, file), 'utf8');
    for (const [, spec] of text.matchAll(/from '([^']+)'/g)) {
      if (!spec.startsWith('.')) throw new Error(`${file} imports ${spec}: the SDK's public types must not need another package`);
      pending.push(join(dirname(file), `${spec}.d.ts`));
    }
  }
  for (const file of seen) {
    mkdirSync(dirname(join(outDir, file)), { recursive: true });
    cpSync(join(all, file), join(outDir, file));
  }
  rmSync(all, { recursive: true, force: true });
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
