// Checkpoint costs on a generated 10,000-file workspace (src/node/checkpoints): the first snapshot (every
// file read and stored once), the scan around one command that changes nothing, around one that runs
// `sed -i` on a file, and the store's size on disk. The TypeScript sources are bundled on the fly with
// esbuild (the recorder is not part of any shipped entry point on its own).
//
//   node bench/checkpoints.mjs [files=10000] [runs=15]
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FILES = Number(process.argv[2] ?? 10_000);
const RUNS = Number(process.argv[3] ?? 15);

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function du(dir) {
  let bytes = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) bytes += fs.statSync(path.join(entry.parentPath, entry.name)).size;
  }
  return bytes;
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-bench-ckpt-'));
try {
  const bundle = path.join(tmp, 'checkpoints.mjs');
  await esbuild.build({
    stdin: { contents: "export * from './src/node/checkpoints/turnRecorder.ts'; export * from './src/node/checkpoints/checkpointStore.ts';", resolveDir: ROOT, loader: 'ts' },
    bundle: true, platform: 'node', format: 'esm', outfile: bundle, logLevel: 'silent',
  });
  const { TurnRecorder, CheckpointStore } = await import(pathToFileURL(bundle).href);

  // 100 folders of 100 files, 200 bytes to 8 KB each (a source tree), plus an ignored build folder.
  const ws = path.join(tmp, 'ws');
  for (let d = 0; d < FILES / 100; d++) {
    fs.mkdirSync(path.join(ws, `pkg${d}`, 'src'), { recursive: true });
    for (let f = 0; f < 100; f++) fs.writeFileSync(path.join(ws, `pkg${d}`, 'src', `file${f}.ts`), `// ${d}/${f}\n` + 'x'.repeat(200 + ((d * 100 + f) * 79) % 8000) + '\n');
  }
  fs.mkdirSync(path.join(ws, 'dist'));
  for (let f = 0; f < 2000; f++) fs.writeFileSync(path.join(ws, 'dist', `out${f}.js`), 'ignored');
  // a typical project .gitignore (25 lines)
  fs.writeFileSync(path.join(ws, '.gitignore'), ['/dist/', 'node_modules/', '*.log', 'npm-debug.log*', 'coverage/', '.nyc_output', '*.tsbuildinfo', '.env', '.env.*', '!.env.example', '.DS_Store', 'Thumbs.db', '*.swp', '*~', '.idea/', '*.iml', 'out/', 'build/', '**/tmp/**', '*.pid', '*.seed', 'lib-cov', '.cache/', '.parcel-cache', 'test-results/'].join('\n'));
  const workspaceBytes = du(ws) - du(path.join(ws, 'dist'));

  const store = new CheckpointStore(path.join(tmp, 'store'));
  const recorder = new TurnRecorder(store, () => [ws]);
  let t = performance.now();
  await recorder.beginTurn('bench');
  const primeMs = performance.now() - t;
  recorder.nameTurn('turn-1');

  const idle = [];
  for (let i = 0; i < RUNS; i++) {
    t = performance.now();
    recorder.commandEnded(recorder.commandStarting());
    idle.push(performance.now() - t);
  }
  const sed = [];
  for (let i = 0; i < RUNS; i++) {
    const target = path.join(ws, `pkg${i}`, 'src', 'file1.ts');
    const a = performance.now();
    const token = recorder.commandStarting();
    const b = performance.now();
    execFileSync('sed', ['-i', `s/^/${i}/`, target]);
    const c = performance.now();
    recorder.commandEnded(token);
    // the two scans of a command that changed one file (the command's own time left out)
    sed.push(b - a + (performance.now() - c));
  }
  t = performance.now();
  const checkpoint = await recorder.endTurn();
  const endMs = performance.now() - t;

  const result = {
    files: FILES,
    workspaceBytes,
    firstSnapshotMs: Math.round(primeMs),
    scanAroundIdleCommandMs: +median(idle).toFixed(1),
    scanAroundSedCommandMs: +median(sed).toFixed(1),
    endTurnMs: Math.round(endMs),
    checkpointFiles: checkpoint.files.length,
    storeBytes: du(path.join(tmp, 'store')),
  };
  console.table(result);
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
