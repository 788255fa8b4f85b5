// Part 1: one agent task through the headless CLI against the scripted mock server (test/fixtures/mockOpenAI.ts):
// request 1 -> exec_command `cat hello.txt`, request 2 -> apply_patch on hello.txt, request 3 -> a final answer.
// Measures the whole `node dist/cli.js exec` process (wall time, peak RSS) and the request bodies, for both
// wire APIs, then the same task through OpenAI's Codex CLI when it can be installed. The mock on 127.0.0.1
// is reached directly (NO_PROXY); every other HTTP(S) request a client makes goes to the HTTP(S) proxy
// variables, which point at a local logging stub that refuses it and counts it as outside traffic (a
// closed port would refuse it too, but silently: the attempt must be seen and reported). With strace, a
// warm-up run also shows whether anything bypassed the proxy to a non-loopback address.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { mock, startMockOpenAI } from '../test/fixtures/mockOpenAI.ts';

const PATCH = '*** Begin Patch\n*** Update File: hello.txt\n@@\n-hello\n+hello, world\n*** End Patch';
const BEFORE = 'hello\n';
const AFTER = 'hello, world\n';
const PROMPT = 'Show hello.txt, then change its line to "hello, world".';
const TIMEOUT_MS = 60_000;

/**
 * The "proxy" every client is given: it refuses each request (403) and records its target, e.g.
 * "CONNECT chatgpt.com:443" or "GET http://example.com/". `take()` returns and clears what it saw.
 */
export async function startProxyStub() {
  const seen = [];
  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    res.writeHead(403, { 'content-type': 'text/plain' }).end('tandem bench: no outside traffic\n');
  });
  server.on('connect', (req, socket) => {
    seen.push(`CONNECT ${req.url}`);
    socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    take: () => seen.splice(0),
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** How peak RSS is taken: GNU time (wait4 rusage of the measured process), else a python3 wrapper doing the same. */
export function rssMethod() {
  if (fs.existsSync('/usr/bin/time') && spawnSync('/usr/bin/time', ['-f', '%M', 'true']).status === 0) return 'gnu-time';
  if (spawnSync('python3', ['-c', 'import resource']).status === 0) return 'python';
  return undefined;
}

const PY_RUSAGE =
  'import resource,subprocess,sys\n' +
  'rc=subprocess.call(sys.argv[2:])\n' +
  'open(sys.argv[1],"w").write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))\n' +
  'sys.exit(rc)';

/** Runs `argv` to completion; returns wall ms (spawn to exit), peak RSS in MB of that process, exit code and output. */
async function measure(argv, { env, cwd, method, strace }) {
  const rssFile = path.join(os.tmpdir(), `tandem-bench-rss-${process.pid}-${Math.random().toString(36).slice(2)}`);
  let cmd = argv;
  if (strace) cmd = ['strace', '-f', '-qq', '-e', 'trace=connect', '-o', strace, ...cmd];
  else if (method === 'gnu-time') cmd = ['/usr/bin/time', '-f', '%M', '-o', rssFile, ...cmd];
  else if (method === 'python') cmd = ['python3', '-c', PY_RUSAGE, rssFile, ...cmd];
  const t0 = performance.now();
  const child = spawn(cmd[0], cmd.slice(1), { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
  const code = await new Promise((resolve) => child.on('close', (c, signal) => resolve(signal ? `signal ${signal}` : c)));
  clearTimeout(timer);
  const wallMs = performance.now() - t0;
  let rssMB;
  try {
    rssMB = Number(fs.readFileSync(rssFile, 'utf8').trim().split('\n').pop()) / 1024;
    fs.rmSync(rssFile, { force: true });
  } catch {
    rssMB = undefined;
  }
  return { wallMs, rssMB, code, stdout, stderr };
}

function tempDir(prefix) {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
}

function baseEnv(home, proxy) {
  return {
    PATH: process.env.PATH,
    LANG: process.env.LANG ?? 'C.UTF-8',
    HOME: home,
    OPENAI_API_KEY: 'sk-bench-not-a-real-key',
    HTTP_PROXY: proxy,
    HTTPS_PROXY: proxy,
    ALL_PROXY: proxy,
    http_proxy: proxy,
    https_proxy: proxy,
    all_proxy: proxy,
    NO_PROXY: '127.0.0.1,localhost',
    no_proxy: '127.0.0.1,localhost',
  };
}

/** Non-loopback addresses in an strace `connect` log. */
function externalConnects(straceFile) {
  const text = fs.existsSync(straceFile) ? fs.readFileSync(straceFile, 'utf8') : '';
  const found = new Set();
  for (const m of text.matchAll(/inet_addr\("([^"]+)"\)|inet_pton\(AF_INET6, "([^"]+)"/g)) {
    const addr = m[1] ?? m[2];
    if (addr !== '127.0.0.1' && addr !== '::1' && addr !== '::ffff:127.0.0.1') found.add(addr);
  }
  return [...found];
}

/**
 * One run: a fresh workspace and home, a fresh mock with `script`, the process measured. Throws when the
 * task did not happen (the file unchanged, the script not consumed): a benchmark of a broken run is worthless.
 */
async function runTask(label, script, makeArgv, options) {
  const server = await startMockOpenAI({ script });
  options.proxy.take(); // nothing from an earlier run is counted in this one
  const work = tempDir('tandem-bench-ws-');
  const home = tempDir('tandem-bench-home-');
  fs.writeFileSync(path.join(work, 'hello.txt'), BEFORE);
  try {
    const { argv, env } = makeArgv({ baseUrl: server.baseUrl, work, home, proxy: options.proxy.url });
    const r = await measure(argv, { env, cwd: work, method: options.method, strace: options.strace });
    const outside = options.proxy.take();
    const content = fs.readFileSync(path.join(work, 'hello.txt'), 'utf8');
    const problems = [];
    if (r.code !== 0) problems.push(`exit ${r.code}`);
    if (content !== AFTER) problems.push(`hello.txt is ${JSON.stringify(content)}, expected ${JSON.stringify(AFTER)}`);
    if (server.requests.length !== script.length) problems.push(`${server.requests.length} requests for a ${script.length}-response script`);
    if (problems.length && !options.probe) {
      throw new Error(`${label}: the task did not complete (${problems.join('; ')}).\n--- stderr (tail) ---\n${r.stderr.slice(-1500)}`);
    }
    return { ...r, problems, outside, requests: server.requests.map((q) => ({ bytes: Buffer.byteLength(q.rawBody), body: q.body })) };
  } finally {
    await server.close();
    fs.rmSync(work, { recursive: true, force: true });
    fs.rmSync(home, { recursive: true, force: true });
  }
}

/** What the proxy stub saw over `runs`: attempts per run and each distinct target with its count. */
function outsideTraffic(runs) {
  const targets = {};
  for (const run of runs) for (const t of run.outside) targets[t] = (targets[t] ?? 0) + 1;
  return { perRun: runs.map((r) => r.outside.length), targets };
}

function summarize(runs) {
  return {
    outside: outsideTraffic(runs),
    wallMs: median(runs.map((r) => r.wallMs)),
    rssMB: runs.every((r) => r.rssMB !== undefined) ? median(runs.map((r) => r.rssMB)) : undefined,
    requestBytes: runs[0].requests.map((_, i) => median(runs.map((r) => r.requests[i].bytes))),
    runs: runs.map((r) => ({ wallMs: r.wallMs, rssMB: r.rssMB })),
  };
}

const tandemScript = (wireApi) => [
  { steps: [mock.call('exec_command', { cmd: 'cat hello.txt' })] },
  // apply_patch is a freeform tool on the Responses API and a JSON function tool on Chat Completions.
  { steps: [wireApi === 'responses' ? mock.custom('apply_patch', PATCH) : mock.call('apply_patch', { input: PATCH })] },
  { steps: [mock.text('Done: hello.txt now says "hello, world".')] },
];

export async function benchTandem({ root, wireApi, runs, method, proxy, log }) {
  const cli = path.join(root, 'dist', 'cli.js');
  const makeArgv = ({ baseUrl, work, home, proxy: proxyUrl }) => ({
    argv: [process.execPath, cli, 'exec', '--json', '--base-url', baseUrl, '--wire-api', wireApi, '--approval', 'full-access', '--cd', work, PROMPT],
    env: baseEnv(home, proxyUrl),
  });
  const label = `tandem (${wireApi})`;
  // Warm-up (disk cache), under strace when available to check that nothing but 127.0.0.1 is contacted.
  const straceFile = hasStrace() ? path.join(os.tmpdir(), `tandem-bench-strace-${process.pid}`) : undefined;
  const warmUp = await runTask(label, tandemScript(wireApi), makeArgv, { method, strace: straceFile, proxy });
  const external = straceFile ? externalConnects(straceFile) : [];
  if (straceFile) fs.rmSync(straceFile, { force: true });
  if (external.length) log(`  WARNING ${label} tried to connect to ${external.join(', ')}`);
  const results = [];
  for (let i = 0; i < runs; i++) results.push(await runTask(label, tandemScript(wireApi), makeArgv, { method, proxy }));
  const s = summarize(results);
  s.outside = outsideTraffic([warmUp, ...results]);
  log(`  ${label}: ${s.runs.map((r) => `${r.wallMs.toFixed(0)} ms / ${r.rssMB?.toFixed(0) ?? '?'} MB`).join(', ')}; prompts ${s.requestBytes.join(' + ')} bytes; outside requests ${describeOutside(s.outside)}`);
  return { ...s, external, networkChecked: Boolean(straceFile) };
}

const hasStrace = () => spawnSync('strace', ['-V']).status === 0;

/** "none in 6 runs (warm-up included)" or "2, 2, … in 6 runs (warm-up included): CONNECT chatgpt.com:443 x12". */
export function describeOutside({ perRun, targets }) {
  const runs = `in ${perRun.length} runs (warm-up included)`;
  if (perRun.every((n) => n === 0)) return `none ${runs}`;
  return `${perRun.join(', ')} ${runs}: ${Object.entries(targets).map(([t, n]) => `${t} x${n}`).join(', ')}`;
}

/** The Codex CLI's native binary (the npm package's launcher only execs it), installing the package when needed. */
function codexBinary(root, log) {
  const prefix = path.join(root, '.vscode-test', 'codex');
  const launcher = path.join(prefix, 'node_modules', '@openai', 'codex', 'bin', 'codex.js');
  if (!fs.existsSync(launcher)) {
    log('  installing @openai/codex into .vscode-test/codex …');
    fs.mkdirSync(prefix, { recursive: true });
    if (!fs.existsSync(path.join(prefix, 'package.json'))) fs.writeFileSync(path.join(prefix, 'package.json'), '{"private":true}\n');
    const npm = spawnSync('npm', ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', '@openai/codex'], { encoding: 'utf8', timeout: 300_000 });
    if (npm.status !== 0) return { error: `npm install failed: ${(npm.stderr || npm.error?.message || '').trim().split('\n').slice(-2).join(' ')}` };
  }
  const triple = { 'linux-x64': 'x86_64-unknown-linux-musl', 'linux-arm64': 'aarch64-unknown-linux-musl', 'darwin-x64': 'x86_64-apple-darwin', 'darwin-arm64': 'aarch64-apple-darwin' }[`${process.platform}-${process.arch}`];
  if (!triple) return { error: `no Codex binary for ${process.platform}-${process.arch}` };
  const candidates = [
    path.join(prefix, 'node_modules', '@openai', `codex-${process.platform}-${process.arch}`, 'vendor', triple, 'bin', 'codex'),
    path.join(prefix, 'node_modules', '@openai', 'codex', 'vendor', triple, 'bin', 'codex'),
  ];
  const bin = candidates.find((c) => fs.existsSync(c));
  if (!bin) return { error: 'the platform package (an optional dependency) is not installed' };
  const version = spawnSync(bin, ['--version'], { encoding: 'utf8', timeout: 20_000 });
  if (version.status !== 0) return { error: `${path.basename(bin)} --version failed: ${(version.stderr || version.error?.message || '').trim()}` };
  return { bin, version: version.stdout.trim() };
}

/** The Codex task's script, with the tool names and argument shapes Codex's first request advertised. */
function codexScript(tools) {
  const byName = new Map((tools ?? []).map((t) => [t.name, t]));
  let shell;
  if (byName.has('exec_command')) shell = mock.call('exec_command', { cmd: 'cat hello.txt' });
  else if (byName.has('shell_command')) shell = mock.call('shell_command', { command: 'cat hello.txt' });
  else if (byName.has('shell')) shell = mock.call('shell', { command: ['bash', '-lc', 'cat hello.txt'] });
  const patchTool = byName.get('apply_patch');
  let patch;
  if (patchTool?.type === 'custom') patch = mock.custom('apply_patch', PATCH);
  else if (patchTool) patch = mock.call('apply_patch', { input: PATCH });
  if (!shell || !patch) return { error: `Codex advertised no shell or apply_patch tool (tools: ${[...byName.keys()].join(', ') || 'none'})` };
  return { script: [{ steps: [shell] }, { steps: [patch] }, { steps: [mock.text('Done: hello.txt now says "hello, world".')] }], names: [shell.name, patch.name] };
}

export async function benchCodex({ root, runs, method, proxy, log }) {
  const found = codexBinary(root, log);
  if (found.error) return { unavailable: found.error };
  const makeArgv = ({ baseUrl, work, home, proxy: proxyUrl }) => ({
    argv: [
      found.bin,
      'exec',
      '--json',
      '--skip-git-repo-check',
      '--dangerously-bypass-approvals-and-sandbox',
      '--ephemeral',
      '--cd',
      work,
      '--model',
      'gpt-5.5',
      '-c',
      'model_provider="mock"',
      '-c',
      `model_providers.mock={name="mock",base_url="${baseUrl}",wire_api="responses",env_key="OPENAI_API_KEY"}`,
      PROMPT,
    ],
    env: { ...baseEnv(home, proxyUrl), CODEX_HOME: home },
  });
  // Probe: a one-answer script, to read which tools Codex advertises (and, under strace, what it connects to).
  const straceFile = hasStrace() ? path.join(os.tmpdir(), `tandem-bench-strace-codex-${process.pid}`) : undefined;
  let probe;
  try {
    probe = await runTask('codex', [{ steps: [mock.text('ok')] }], makeArgv, { method, strace: straceFile, probe: true, proxy });
  } catch (error) {
    return { unavailable: `probe run failed: ${error.message.split('\n')[0]}` };
  }
  const external = straceFile ? externalConnects(straceFile) : [];
  if (straceFile) fs.rmSync(straceFile, { force: true });
  if (external.length) return { unavailable: `it tried to reach ${external.join(', ')} (only 127.0.0.1 is allowed)` };
  if (probe.code !== 0 || probe.requests.length === 0) return { unavailable: `probe run: exit ${probe.code}, ${probe.requests.length} requests; ${probe.stderr.trim().split('\n').slice(-1)[0] ?? ''}` };
  const planned = codexScript(probe.requests[0].body?.tools);
  if (planned.error) return { unavailable: planned.error };
  const results = [];
  try {
    for (let i = 0; i < runs; i++) results.push(await runTask('codex', planned.script, makeArgv, { method, proxy }));
  } catch (error) {
    return { unavailable: error.message.split('\n')[0] };
  }
  const s = summarize(results);
  s.outside = outsideTraffic([probe, ...results]);
  log(`  codex (${found.version}, tools ${planned.names.join(' + ')}): ${s.runs.map((r) => `${r.wallMs.toFixed(0)} ms / ${r.rssMB?.toFixed(0) ?? '?'} MB`).join(', ')}; prompts ${s.requestBytes.join(' + ')} bytes; outside requests ${describeOutside(s.outside)}`);
  return { ...s, version: found.version, tools: planned.names, networkChecked: Boolean(straceFile) };
}
