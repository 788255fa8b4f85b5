// The headless CLI as an npm package, the way a user gets it: scripts/pack-cli.mjs packs it (from bundles
// built by the real esbuild.mjs into a temp folder), the tarball is read entry by entry, then installed into
// a temp prefix with npm and run through the `tandem` bin (npx) and directly with node. node-pty is an
// optional dependency, left out here (--omit=optional): the install must work without it, which is also
// what a machine that cannot build it gets.
import { execFile, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBundles, ROOT } from './buildBundles';
import { tarEntries, type TarEntry } from './tarEntries';
import { mock, startMockOpenAI } from '../../fixtures/mockOpenAI';

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
  it('holds the bin, the SDK and its public declarations, README, CHANGELOG, LICENSE and manifest, and nothing else (no tests, sources or maps)', () => {
    expect(entries.map((e) => e.name).sort()).toEqual([
      'package/CHANGELOG.md',
      'package/LICENSE',
      'package/README.md',
      'package/dist/cli.js',
      'package/dist/sdk.js',
      'package/dist/types/sdk/index.d.ts',
      'package/dist/types/sdk/options.d.ts',
      'package/dist/types/sdk/tandem.d.ts',
      'package/dist/types/sdk/thread.d.ts',
      'package/dist/types/sdk/threadItems.d.ts',
      'package/dist/types/shared/events.d.ts',
      'package/package.json',
    ]);
  });

  it('exports tandem/sdk, and a TypeScript user type-checks against its declarations alone', () => {
    const manifest = JSON.parse(entries.find((e) => e.name === 'package/package.json')!.content.toString('utf8')) as Record<string, unknown>;
    expect(manifest.exports).toEqual({ './sdk': { types: './dist/types/sdk/index.d.ts', default: './dist/sdk.js' }, './package.json': './package.json' });
    const consumer = join(prefix, 'consumer.ts');
    writeFileSync(
      consumer,
      [
        "import { Tandem, type RunResult, type AgentEvent } from 'tandem/sdk';",
        "const thread = new Tandem({ baseUrl: 'http://127.0.0.1:1/v1' }).startThread({ workingDirectory: '.', approval: 'auto', sandbox: 'read-only' });",
        'export async function go(): Promise<string> {',
        "  const result: RunResult = await thread.run('hi');",
        "  const { events } = await thread.runStreamed('again');",
        '  for await (const event of events) { const e: AgentEvent = event; if (e.type === \'turn.failed\') return e.error.message; }',
        "  // @ts-expect-error: not a policy",
        "  new Tandem().startThread({ approval: 'yolo' });",
        '  return result.finalResponse + thread.id;',
        '}',
      ].join('\n'),
    );
    const tsc = run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--types', 'node', '--typeRoots', join(ROOT, 'node_modules/@types'), consumer], prefix);
    expect(tsc.status, tsc.stdout + tsc.stderr).toBe(0);
  }, 120_000); // a cold tsc: seconds alone, much longer on a loaded machine

  it('runs the docs example (tandem/sdk on two folders in parallel) against the mock through the installed package', async () => {
    const server = await startMockOpenAI({
      // The two threads run at once, so requests come in any order: answer from what each request holds.
      respond: (body) => {
        const text = JSON.stringify(body);
        const folder = /example-(alpha|beta)/.exec(text)?.[1] ?? 'unknown';
        return text.includes('function_call_output') || text.includes('"role":"tool"') ? { steps: [mock.text(`Folder ${folder} holds one file.`)] } : { steps: [mock.call('exec_command', { cmd: 'ls' })] };
      },
    });
    try {
      const folders = ['alpha', 'beta'].map((name) => {
        const dir = join(work, `example-${name}`);
        mkdirSync(dir);
        writeFileSync(join(dir, `${name}.txt`), name);
        return dir;
      });
      const script = join(prefix, 'parallel-folders.mjs');
      copyFileSync(join(ROOT, 'docs/examples/parallel-folders.mjs'), script);
      const home = mkdtempSync(join(work, 'home-'));
      const env = { ...cleanEnv(), HOME: home, OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: server.baseUrl, TANDEM_MODEL: 'gpt-test' };
      const { stdout } = await new Promise<{ stdout: string }>((resolve, reject) =>
        execFile(process.execPath, [script, 'What is in this folder?', ...folders], { cwd: prefix, env }, (error, out, err) => (error ? reject(new Error(`${error.message}\n${err}`)) : resolve({ stdout: out }))),
      );
      const results = JSON.parse(stdout) as { folder: string; status: string; answer: string; commands: string[]; thread: string }[];
      expect(results.map((r) => [r.folder, r.status, r.answer, r.commands])).toEqual([
        [folders[0], 'completed', 'Folder alpha holds one file.', ['ls']],
        [folders[1], 'completed', 'Folder beta holds one file.', ['ls']],
      ]);
      expect(server.requests).toHaveLength(4);
      // Each thread is logged where `tandem exec --resume` finds it.
      for (const r of results) expect(existsSync(join(home, '.tandem/sessions', `${r.thread}.jsonl`))).toBe(true);
    } finally {
      await server.close();
    }
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
