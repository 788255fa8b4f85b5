// Start-up times: how long `node dist/cli.js --help` takes, how long `tandem exec` takes until its first
// request reaches the mock server (test/fixtures/mockOpenAI.ts), the same for plain `node -e 0` (the floor
// no CLI can beat), and the extension's activation time as logged by a real code-server run ("Tandem
// activated in N ms", written by the E2E first-run flow to test-results/e2e/activation.json).
//
//   node bench/startup.mjs            prints the numbers (medians of RUNS, default 15)
//   import { benchStartup } from './startup.mjs'; await benchStartup({ root, runs, log })  (bench/run.mjs)
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './agent.mjs';
import { mock, startMockOpenAI } from '../test/fixtures/mockOpenAI.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TIMEOUT_MS = 30_000;

/** Wall time of a process from spawn to exit; throws on a non-zero exit. */
function timeProcess(argv, env) {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(argv[0], argv.slice(1), { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(performance.now() - start);
      else reject(new Error(`${argv.slice(1).join(' ')} exited ${code}: ${stderr.slice(-500)}`));
    });
  });
}

/**
 * Spawn of `tandem exec` until the mock has its first API request: argument parsing, loading the agent,
 * the SDK and the tools, reading the workspace, building the prompt and connecting. The request is
 * answered (one short text) so the process ends normally.
 */
async function timeExecToFirstRequest(cli, env, work) {
  const server = await startMockOpenAI({ script: [{ steps: [mock.text('ok')] }] });
  try {
    const start = performance.now();
    const child = spawn(process.execPath, [cli, 'exec', '--base-url', server.baseUrl, '--wire-api', 'responses', '--cd', work, 'say ok'], {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
    // The mock records each request when it arrives; look for the first one on every turn of the loop.
    const firstRequestMs = await new Promise((resolve, reject) => {
      const deadline = setTimeout(() => (clearInterval(poll), reject(new Error('no request within 30 s'))), TIMEOUT_MS);
      const poll = setInterval(() => {
        if (server.requests.length > 0) {
          clearInterval(poll);
          clearTimeout(deadline);
          resolve(performance.now() - start);
        }
      }, 1);
      void exited.then((code) => {
        if (server.requests.length === 0) {
          clearInterval(poll);
          clearTimeout(deadline);
          reject(new Error(`tandem exec exited ${code} before any request: ${stderr.slice(-500)}`));
        }
      });
    });
    const code = await exited;
    if (code !== 0) throw new Error(`tandem exec exited ${code}: ${stderr.slice(-500)}`);
    return firstRequestMs;
  } finally {
    await server.close();
  }
}

/** Activation times ("Tandem activated in N ms") that a code-server run recorded, if any. */
export function loggedActivation(root = ROOT) {
  const file = path.join(root, 'test-results', 'e2e', 'activation.json');
  if (!fs.existsSync(file)) return undefined;
  try {
    const data = JSON.parse(fs.readFileSync(file, 'utf8'));
    return Array.isArray(data.activationMs) && data.activationMs.every((n) => typeof n === 'number') ? data : undefined;
  } catch {
    return undefined;
  }
}

/** Finds "Tandem activated in N ms" lines in the log files under `dir` (a code-server user-data dir). */
export function activationFromLogs(dir) {
  const found = [];
  const walk = (d, depth) => {
    if (depth > 8) return;
    let entries;
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p, depth + 1);
      else if (e.name.endsWith('.log') && /tandem/i.test(e.name)) {
        for (const m of fs.readFileSync(p, 'utf8').matchAll(/Tandem activated in (\d+) ms/g)) found.push(Number(m[1]));
      }
    }
  };
  walk(dir, 0);
  return found;
}

export async function benchStartup({ root = ROOT, runs = 15, log = console.log } = {}) {
  const cli = path.join(root, 'dist', 'cli.js');
  if (!fs.existsSync(cli)) throw new Error(`${cli} is missing: run npm run build first`);
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-startup-home-'));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-startup-ws-'));
  // No proxy for 127.0.0.1, a key for the mock, a private home (no session logs in the user's).
  const env = { PATH: process.env.PATH, HOME: home, OPENAI_API_KEY: 'bench-startup-key', NO_PROXY: '127.0.0.1,localhost', no_proxy: '127.0.0.1,localhost' };
  try {
    const series = { nodeBaselineMs: [], helpMs: [], execFirstRequestMs: [] };
    // one warm-up of each (disk cache), not counted
    await timeProcess([process.execPath, '-e', '0'], env);
    await timeProcess([process.execPath, cli, '--help'], env);
    await timeExecToFirstRequest(cli, env, work);
    for (let i = 0; i < runs; i++) {
      series.nodeBaselineMs.push(await timeProcess([process.execPath, '-e', '0'], env));
      series.helpMs.push(await timeProcess([process.execPath, cli, '--help'], env));
      series.execFirstRequestMs.push(await timeExecToFirstRequest(cli, env, work));
    }
    const activation = loggedActivation(root);
    const result = {
      runs,
      nodeBaselineMs: median(series.nodeBaselineMs),
      helpMs: median(series.helpMs),
      execFirstRequestMs: median(series.execFirstRequestMs),
      activationMs: activation ? median(activation.activationMs) : undefined,
      activationSource: activation?.source,
      series,
    };
    log(
      `  startup: node -e 0 ${result.nodeBaselineMs.toFixed(0)} ms; cli --help ${result.helpMs.toFixed(0)} ms; exec to first request ${result.execFirstRequestMs.toFixed(0)} ms; ` +
        `activation ${result.activationMs === undefined ? 'not measured (run the E2E first-run flow)' : `${result.activationMs} ms (${activation.source})`}`,
    );
    return result;
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
    fs.rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const result = await benchStartup({ runs: Number(process.env.RUNS ?? 15) });
  console.log(JSON.stringify({ ...result, series: undefined }, null, 2));
}
