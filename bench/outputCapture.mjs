#!/usr/bin/env node
// The heavier variant of the output-capture stress test (test/unit/node/outputCapture.stress.test.ts): the
// same seeded mix of output-heavy commands on the four runners (pty, pipe, sandboxed pty, sandboxed pipe;
// the sandboxed ones need bwrap), with many more runs, and a fresh seed each time unless one is given.
// Reports, per runner, the runs whose output differed in any byte (target 0) and the wall time.
//   node bench/outputCapture.mjs [--runs N (per runner, default 2500)] [--seed S]
// For bench/run.mjs: `import { benchOutputCapture } from './outputCapture.mjs'` and add what
// `await benchOutputCapture({ runs })` returns ({name, value, unit, target?} rows, plus `meta`) to its results.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TEST = 'test/unit/node/outputCapture.stress.test.ts';
const LINE = /\[output capture\] (.+?): (\d+) runs, (\d+) with a difference, (\d+) ms; (\{.*\})/;

/** Runs the stress test with `runs` per runner; resolves the per-runner rows and what ran. */
export async function benchOutputCapture({ runs = 2500, seed = Math.floor(Math.random() * 2 ** 31) } = {}) {
  const started = Date.now();
  const output = await new Promise((resolve, reject) => {
    // Only the default reporter: the suite's JSON report (test-results/vitest.json) stays the test run's.
    const child = spawn(process.execPath, [path.join(root, 'node_modules/vitest/vitest.mjs'), 'run', TEST, '--reporter=default'], {
      cwd: root,
      env: { ...process.env, CAPTURE_RUNS: String(runs), FUZZ_SEED: String(seed), FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let text = '';
    child.stdout.on('data', (d) => (text += d));
    child.stderr.on('data', (d) => (text += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, text }));
  });
  const runners = [];
  for (const line of output.text.split('\n')) {
    const m = LINE.exec(line);
    if (m) runners.push({ runner: m[1], runs: Number(m[2]), differing: Number(m[3]), ms: Number(m[4]), kinds: JSON.parse(m[5]) });
  }
  const skipped = /\(bwrap not available[^)]*\)/.exec(output.text)?.[0];
  if (runners.length === 0) throw new Error(`the output-capture stress test printed no results (exit ${output.code}):\n${output.text.slice(-2000)}`);
  const rows = runners.flatMap((r) => [
    { name: `output capture: ${r.runner}, runs with any byte different`, value: r.differing, unit: `of ${r.runs} runs`, target: 0 },
    { name: `output capture: ${r.runner}, wall time of ${r.runs} runs (${Math.round((r.runs / r.ms) * 1000)} runs/s)`, value: r.ms, unit: 'ms' },
  ]);
  return {
    rows,
    meta: { seed, runsPerRunner: runs, runners, exitCode: output.code, wallMs: Date.now() - started, ...(skipped ? { skipped } : {}) },
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const option = (name) => {
    const i = args.indexOf(name);
    return i >= 0 ? Number(args[i + 1]) : undefined;
  };
  const { rows, meta } = await benchOutputCapture({ runs: option('--runs') ?? 2500, ...(option('--seed') !== undefined ? { seed: option('--seed') } : {}) });
  for (const row of rows) console.log(`${row.name.padEnd(78)} ${String(row.value).padStart(8)} ${row.unit}${row.target !== undefined ? `  (target ${row.target})` : ''}`);
  console.log(`seed ${meta.seed}; ${meta.skipped ?? 'all four runners ran'}; load average ${(await import('node:os')).loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  process.exitCode = rows.some((row) => row.target !== undefined && row.value !== row.target) ? 1 : 0;
}
