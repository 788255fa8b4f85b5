// Part 2: the chat webview under the shared workload (see make-transcript.mjs) at 2,000 and at 10,000 messages
// (the chat of an all-day session), in headless
// Chromium, with the production bundle (dist/webview.js + dist/webview.css) and a fake host that speaks the
// real protocol (src/shared/protocol.ts) from a Worker clock. Phases: open, stream, turn end; then heap and
// screenshots. Task lengths come from a Chromium trace (the longtask API only reports tasks over 50 ms).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hostScript } from './hostScript.mts';
import { themeCss } from './themes.mjs';

export { hostScript };

const here = path.dirname(fileURLToPath(import.meta.url));
/** Time the streaming answer may be out of view and still count as followed (its first frame or two). */
const FOLLOW_SLACK_MS = 100;
export const VIEWPORT = { width: 440, height: 900 };

/** The shared workload of `messages` messages: the generator in /work/shared/bench when present, else the vendored copy. */
export function loadTranscript(messages = 2000) {
  const shared = '/work/shared/bench/make-transcript.mjs';
  const local = path.join(here, 'make-transcript.mjs');
  const generator = fs.existsSync(shared) ? shared : local;
  const json = execFileSync(process.execPath, [generator, String(messages)], { maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' });
  return JSON.parse(json);
}

export const INDEX_HTML = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self'; style-src 'self'; font-src 'self'; img-src 'self' data:; worker-src 'self'; connect-src 'self'">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="/theme.css">
<link rel="stylesheet" href="/dist/webview.css">
<title>Tandem</title>
</head>
<body class="vscode-dark" data-vscode-theme-kind="vscode-dark">
<div id="root"></div>
<script src="/harness.js"></script>
<script type="module" src="/dist/webview.js"></script>
</body>
</html>`;

const TYPES = { '.js': 'text/javascript', '.css': 'text/css', '.ttf': 'font/ttf', '.json': 'application/json', '.html': 'text/html' };

/** A loopback-only server for the page, the bundle and the host script. */
async function serve(distDir, script) {
  const scriptJson = JSON.stringify(script);
  const files = {
    '/': { body: INDEX_HTML, type: TYPES['.html'] },
    '/theme.css': { body: themeCss(), type: TYPES['.css'] },
    '/host-script.json': { body: scriptJson, type: TYPES['.json'] },
    '/harness.js': { file: path.join(here, 'page', 'harness.js') },
    '/host-worker.js': { file: path.join(here, 'page', 'host-worker.js') },
  };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    let entry = files[url];
    if (!entry && url.startsWith('/dist/')) {
      const file = path.join(distDir, path.basename(url));
      if (fs.existsSync(file)) entry = { file };
    }
    if (url === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    if (!entry) {
      res.writeHead(404).end();
      return;
    }
    const body = entry.body ?? fs.readFileSync(entry.file);
    res.writeHead(200, { 'content-type': entry.type ?? TYPES[path.extname(entry.file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    res.end(body);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}/`, close: () => new Promise((resolve) => server.close(resolve)) };
}

/** Main-thread task lengths per phase, from the trace: tasks that start between a phase's two marks. */
function tasksByPhase(traceBuffer) {
  const { traceEvents } = JSON.parse(traceBuffer.toString('utf8'));
  const marks = new Map();
  let main;
  for (const e of traceEvents) {
    if (typeof e.name === 'string' && e.name.startsWith('bench:') && e.cat?.includes('blink.user_timing')) {
      marks.set(e.name, e.ts);
      main ??= { pid: e.pid, tid: e.tid };
    }
  }
  if (!main) throw new Error('The trace has no bench marks: tracing did not capture the page.');
  const tasks = traceEvents.filter((e) => e.ph === 'X' && e.pid === main.pid && e.tid === main.tid && e.name === 'ThreadControllerImpl::RunTask');
  const phase = (name) => {
    const start = marks.get(`bench:${name}:start`);
    const end = marks.get(`bench:${name}:end`);
    const inPhase = tasks.filter((t) => t.ts >= start && t.ts < end);
    const durations = inPhase.map((t) => t.dur / 1000).sort((a, b) => b - a);
    // Thread (CPU) time as well: on a busy machine a task's wall time includes the time the OS ran something else.
    const cpu = inPhase.map((t) => (t.tdur ?? t.dur) / 1000).sort((a, b) => b - a);
    return { longest: durations[0] ?? 0, longestCpu: cpu[0] ?? 0, over50: durations.filter((d) => d > 50).length, count: durations.length, top: durations.slice(0, 5) };
  };
  return { open: phase('open'), stream: phase('stream'), end: phase('end') };
}

/** page.evaluate has no timeout of its own: a view that never shows what a phase waits for must not hang the bench. */
async function phase(page, name, fn, arg, ms = 120_000) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`webview: phase "${name}" did not finish within ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([page.evaluate(fn, arg), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const maxOf = (list, key) => list.reduce((m, x) => Math.max(m, x[key]), 0);

async function runOnce(chromium, { distDir, script, screenshotDir, tracePath, log }) {
  const server = await serve(distDir, script);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  try {
    const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
    // Nothing but the local server: every other request is refused.
    await context.route((url) => !url.href.startsWith(server.url), (route) => route.abort());
    const page = await context.newPage();
    const errors = [];
    const consoleErrors = [];
    page.on('pageerror', (e) => errors.push(e.stack?.split('\n').slice(0, 3).join(' ') ?? e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    try {
      return await measurePage({ browser, context, page, server, script, screenshotDir, tracePath, errors, consoleErrors, log });
    } catch (error) {
      // A timeout usually has an uncaught error in the view behind it: say which.
      if (errors.length) error.message += `; uncaught in the webview: ${errors.slice(0, 2).join(' | ')}`;
      throw error;
    }
  } finally {
    await browser.close();
    await server.close();
  }
}

async function measurePage({ browser, context, page, server, script, screenshotDir, tracePath, errors, consoleErrors, log }) {
  await page.goto(server.url);
  await phase(page, 'ready', () => window.__bench.ready, undefined, 30_000);
  const cdp = await context.newCDPSession(page);
  await cdp.send('HeapProfiler.enable');
  // With a trace path (to look into a slow phase), the trace has JS samples and rendering too.
  const categories = tracePath ? ['toplevel', 'blink.user_timing', 'devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'disabled-by-default-v8.cpu_profiler'] : ['toplevel', 'blink.user_timing'];
  await browser.startTracing(page, { categories });
  const open = await phase(page, 'open', (heading) => window.__bench.open(heading), script.lastHeading);
  await phase(page, 'prompt', (text) => window.__bench.prompt(text), script.prompt);
  const stream = await phase(page, 'stream', () => window.__bench.stream());
  const end = await phase(page, 'turn end', () => window.__bench.end());
  const trace = await browser.stopTracing();
  if (tracePath) fs.writeFileSync(tracePath, trace);
  const tasks = tasksByPhase(trace);
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = await cdp.send('Runtime.getHeapUsage');
  const dom = await page.evaluate(() => ({ nodes: document.getElementsByTagName('*').length, rows: document.querySelectorAll('.row').length }));
  if (screenshotDir) {
    await phase(page, 'reveal', (f) => window.__bench.revealLastAnswer(f), 0.55);
    for (const kind of ['dark', 'light', 'high-contrast']) {
      await phase(page, 'theme', (k) => window.__bench.setTheme(k), kind);
      await page.screenshot({ path: path.join(screenshotDir, `long-chat-${kind}.png`) });
    }
  }
  if (errors.length) throw new Error(`webview: uncaught errors in the view: ${errors.slice(0, 3).join(' | ')}`);
  if (consoleErrors.length) log(`  webview console errors: ${consoleErrors.slice(0, 3).join(' | ')}`);
  return { open, stream, end, tasks, heapMB: heap.usedSize / 1024 / 1024, dom, consoleErrors };
}

/** Runs the workload of `messages` messages `runs` times (a fresh browser each time) and returns per-run measurements. */
export async function benchWebview({ distDir, runs = 3, messages = 2000, screenshotDir, traceDir, log = console.log }) {
  const { chromium } = await import('playwright-core');
  const script = hostScript(loadTranscript(messages));
  log(`webview: ${messages} messages, ${script.entries} entries of history, ${script.deltas.length} deltas every ${script.intervalMs} ms, ${runs} run(s)`);
  const results = [];
  for (let i = 0; i < runs; i++) {
    const tracePath = traceDir ? path.join(traceDir, `webview-${messages}-run${i + 1}.json`) : undefined;
    const r = await runOnce(chromium, { distDir, script, screenshotDir: i === 0 ? screenshotDir : undefined, tracePath, log });
    const summary = {
      openMs: r.open.ms,
      openLoaf: maxOf(r.open.loafs, 'duration'),
      openTask: r.tasks.open.longest,
      openTaskCpu: r.tasks.open.longestCpu,
      streamTask: r.tasks.stream.longest,
      streamTaskCpu: r.tasks.stream.longestCpu,
      streamLoaf: maxOf(r.stream.loafs, 'duration'),
      jankyFrames: r.stream.jankyFrames,
      longestFrameGap: r.stream.longestFrameGap,
      // The answer's end was visible in every painted frame but the first ones (before its row exists).
      followed: r.stream.inViewAtEnd && r.stream.outMs <= FOLLOW_SLACK_MS,
      outOfViewMs: r.stream.outMs,
      endTask: r.tasks.end.longest,
      endTaskCpu: r.tasks.end.longestCpu,
      endLoaf: maxOf(r.end.loafs, 'duration'),
      heapMB: r.heapMB,
    };
    log(
      `  run ${i + 1}: open ${summary.openMs.toFixed(0)} ms (LoAF ${summary.openLoaf.toFixed(0)}, task ${summary.openTask.toFixed(0)}, cpu ${summary.openTaskCpu.toFixed(0)}), ` +
        `stream task ${summary.streamTask.toFixed(1)} (cpu ${summary.streamTaskCpu.toFixed(1)}) / LoAF ${summary.streamLoaf.toFixed(0)} / janky ${summary.jankyFrames} / out of view ${summary.outOfViewMs.toFixed(0)} ms, ` +
        `turn end task ${summary.endTask.toFixed(1)} (cpu ${summary.endTaskCpu.toFixed(1)}), heap ${summary.heapMB.toFixed(1)} MB, ${r.dom.rows} rows in DOM`,
    );
    results.push({ summary, raw: r });
  }
  return results;
}
