// Checkpoint costs on a generated 10,000-file workspace (src/node/checkpoints): the first snapshot (every
// file read and stored once), the scan around one command that changes nothing, around one that runs
// `sed -i` on a file, and the store's size on disk. Measured for one chat, for two chats recording at once
// on the shared snapshot (what the extension does: one WorkspaceSnapshot, a TurnRecorder per chat; their
// commands interleaved, one chat's command running while the other's is scanned around), and, for
// comparison, two chats each with a snapshot of its own. The TypeScript sources are bundled on the fly
// with esbuild (the recorder is not part of any shipped entry point on its own).
//
// Each scenario is measured `repeats` times, interleaved, and the medians are shown; CPU milliseconds next to
// wall milliseconds, because the wall clock on a shared machine measures the neighbours too.
//
//   node bench/checkpoints.mjs [files=10000] [runs=15] [repeats=3]
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FILES = Number(process.argv[2] ?? 10_000);
const RUNS = Number(process.argv[3] ?? 15);
const REPEATS = Number(process.argv[4] ?? 3);

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
    stdin: { contents: "export * from './src/node/checkpoints/turnRecorder.ts'; export * from './src/node/checkpoints/checkpointStore.ts'; export * from './src/node/checkpoints/workspaceSnapshot.ts';", resolveDir: ROOT, loader: 'ts' },
    bundle: true, platform: 'node', format: 'esm', outfile: bundle, logLevel: 'silent',
  });
  const { TurnRecorder, CheckpointStore, WorkspaceSnapshot } = await import(pathToFileURL(bundle).href);

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

  let run = 0;
  /** One scenario: `chats` recorders (sharing one snapshot, or each with its own), commands interleaved. */
  async function measure(label, chats, shared) {
    const storeDir = path.join(tmp, `store-${++run}`);
    const store = new CheckpointStore(storeDir);
    const snapshot = shared ? new WorkspaceSnapshot(store, () => [ws]) : undefined;
    const recorders = Array.from({ length: chats }, () => new TurnRecorder(store, snapshot ?? (() => [ws])));
    let t = performance.now();
    const cpu = process.cpuUsage();
    await Promise.all(recorders.map((r, i) => r.beginTurn(`bench-${run}-${i}`)));
    const primeMs = performance.now() - t;
    const primeCpu = process.cpuUsage(cpu);
    recorders.forEach((r, i) => r.nameTurn(`turn-${i}`));
    // With two chats, the other chat has a command running throughout (a watcher, a long build).
    const background = recorders.slice(1).map((r) => [r, r.commandStarting()]);

    const idle = [];
    const idleCpu = process.cpuUsage();
    for (let i = 0; i < RUNS; i++) {
      const recorder = recorders[i % chats];
      t = performance.now();
      recorder.commandEnded(recorder.commandStarting());
      idle.push(performance.now() - t);
    }
    const idleCpuUsed = process.cpuUsage(idleCpu);
    const sed = [];
    for (let i = 0; i < RUNS; i++) {
      const recorder = recorders[i % chats];
      const target = path.join(ws, `pkg${i}`, 'src', `file${run}.ts`);
      const a = performance.now();
      const token = recorder.commandStarting();
      const b = performance.now();
      execFileSync('sed', ['-i', `s/^/${i}/`, target]);
      const c = performance.now();
      recorder.commandEnded(token);
      // the two scans of a command that changed one file (the command's own time left out)
      sed.push(b - a + (performance.now() - c));
    }
    for (const [r, token] of background) r.commandEnded(token);
    t = performance.now();
    const checkpoints = [];
    for (const recorder of recorders) checkpoints.push(await recorder.endTurn());
    const endMs = performance.now() - t;
    const snapshots = new Set(recorders.map((r) => r.snapshot));
    const storeBytes = du(storeDir);
    fs.rmSync(storeDir, { recursive: true, force: true });
    return {
      scenario: label,
      firstSnapshotMs: Math.round(primeMs),
      firstSnapshotCpuMs: Math.round((primeCpu.user + primeCpu.system) / 1000),
      scanAroundIdleCommandMs: +median(idle).toFixed(1),
      idleCommandCpuMs: +((idleCpuUsed.user + idleCpuUsed.system) / 1000 / RUNS).toFixed(1),
      scanAroundSedCommandMs: +median(sed).toFixed(1),
      endTurnMs: Math.round(endMs),
      checkpointFiles: checkpoints.map((c) => c.files.length).join('+'),
      sharedFiles: checkpoints.reduce((n, c) => n + c.files.filter((f) => f.sharedWith).length, 0),
      snapshotEntries: [...snapshots].reduce((n, s) => n + s.stats.files, 0),
      scans: [...snapshots].reduce((n, s) => n + s.stats.scans, 0),
      storeBytes,
    };
  }

  const scenarios = [['1 chat', 1, true], ['2 chats, shared snapshot', 2, true], ['2 chats, own snapshots', 2, false]];
  const results = scenarios.map(() => []);
  for (let r = 0; r < REPEATS; r++) for (const [i, [label, chats, shared]] of scenarios.entries()) results[i].push(await measure(label, chats, shared));
  const medianOf = (rows) => Object.fromEntries(Object.keys(rows[0]).map((key) => [key, typeof rows[0][key] === 'number' ? median(rows.map((row) => row[key])) : rows[0][key]]));
  console.log(`${FILES} files, ${workspaceBytes} bytes (not counting the ignored build folder), ${RUNS} commands per measure, medians of ${REPEATS}`);
  console.table(results.map(medianOf));
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
