// Parallel chats benchmark (issue 15): CPU and memory of the extension host's agent side with 1 chat and
// with 4 chats streaming at once. The host (bench/parallelHost.ts, bundled with esbuild) runs in its own
// process against the mock in this one; each chat streams answers and runs real commands (the sandboxed
// runner, approval `auto`) for STEPS model requests. Reported: wall time, host CPU time, peak RSS and heap
// after GC, events and bytes a webview would be sent — per run and per chat, so the scaling shows.
//   node bench/parallelChats.mjs                 prints the table (STEPS=12 to change)
//   import { benchParallelChats } from './parallelChats.mjs'    (bench/run.mjs)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleEntry, runNode } from './childProcess.mjs';
import { mock, startMockOpenAI } from '../test/fixtures/mockOpenAI.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TIMEOUT_MS = 300_000;

/** ~600 words per answer, streamed in ~150 deltas: a chatty model. */
const ANSWER = Array.from({ length: 150 }, (_, i) => `Step note ${i}: checked the module and its tests. `).join('');

function hostBundle(root) {
  return bundleEntry(root, path.join('bench', 'parallelHost.ts'), 'tandem-bench-parallel-');
}

/** Answers each chat by what its request holds: STEPS rounds of text + a command, then a final answer. */
function responder(steps) {
  return (body) => {
    const text = JSON.stringify(body);
    const done = (text.match(/function_call_output/g) ?? []).length;
    if (done >= steps) return { steps: [mock.text('All steps done.')] };
    return { steps: [mock.text(ANSWER, ANSWER.match(/[^ ]+ [^ ]+ [^ ]+ /g) ?? [ANSWER]), mock.call('exec_command', { cmd: `seq 1 ${2000 + done}` })] };
  };
}

async function runHost(host, env) {
  const { code, stdout, stderr } = await runNode(['--expose-gc', host], env, TIMEOUT_MS);
  if (code !== 0) throw new Error(`parallel host exited ${code}: ${stderr.trim().split('\n').slice(-5).join(' | ')}`);
  return JSON.parse(stdout.trim().split('\n').at(-1));
}

export async function benchParallelChats({ root = ROOT, counts = [1, 4], steps = Number(process.env.STEPS ?? 12), log = () => undefined } = {}) {
  const host = await hostBundle(root);
  const server = await startMockOpenAI({ respond: responder(steps) });
  const rows = [];
  try {
    for (const chats of counts) {
      const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-bench-chats-'));
      const home = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-bench-home-'));
      server.requests.length = 0;
      const r = await runHost(host, { ...process.env, BENCH_CHATS: String(chats), BENCH_WORKSPACE: workspace, OPENAI_BASE_URL: server.baseUrl, OPENAI_API_KEY: 'bench-key', HOME: home });
      const row = { ...r, steps, requests: server.requests.length, cpuMsPerChat: r.cpuMs / chats };
      rows.push(row);
      log(`  ${chats} chat(s): ${r.completed ? 'completed' : 'NOT completed'}, ${server.requests.length} requests, wall ${r.wallMs.toFixed(0)} ms, host CPU ${r.cpuMs.toFixed(0)} ms (${row.cpuMsPerChat.toFixed(0)} per chat), peak RSS ${r.maxRssMB.toFixed(1)} MB, heap ${r.heapUsedMB.toFixed(1)} MB, ${r.events} events (${r.postedMB.toFixed(2)} MB to the views)`);
      fs.rmSync(workspace, { recursive: true, force: true });
      fs.rmSync(home, { recursive: true, force: true });
    }
  } finally {
    await server.close();
  }
  return rows;
}

/** Each child's model answers after CHILD_MS: with children at the same time the parent takes about one child's time. */
const CHILD_MS = 1000;

function subagentResponder() {
  return (body) => {
    const text = JSON.stringify(body);
    if (text.includes('PARENT: split into')) {
      const count = Number(/PARENT: split into (\d+)/.exec(text)[1]);
      if (text.includes('function_call_output')) return { steps: [mock.text('All children reported.')] };
      return { steps: Array.from({ length: count }, (_, i) => mock.call('spawn_agent', { task: `CHILD ${i}: look around` }, `spawn-${i}`)) };
    }
    return { steps: [{ type: 'delay', ms: CHILD_MS }, mock.text('child done')] };
  };
}

/** Wall time of a parent whose model spawns 1, then 2, then 4 sub-agents in one response. */
export async function benchSubagents({ root = ROOT, counts = [1, 2, 4], log = () => undefined } = {}) {
  const host = await hostBundle(root);
  const server = await startMockOpenAI({ respond: subagentResponder() });
  const rows = [];
  try {
    for (const children of counts) {
      const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-bench-subagents-'));
      const home = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-bench-home-'));
      const r = await runHost(host, { ...process.env, BENCH_MODE: 'subagents', BENCH_CHILDREN: String(children), BENCH_WORKSPACE: workspace, OPENAI_BASE_URL: server.baseUrl, OPENAI_API_KEY: 'bench-key', HOME: home });
      rows.push({ ...r, childMs: CHILD_MS });
      log(`  ${children} sub-agent(s), each answering after ${CHILD_MS} ms: ${r.completed ? 'completed' : 'NOT completed'}, parent wall ${r.wallMs.toFixed(0)} ms`);
      fs.rmSync(workspace, { recursive: true, force: true });
      fs.rmSync(home, { recursive: true, force: true });
    }
  } finally {
    await server.close();
  }
  return rows;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const rows = await benchParallelChats({ log: (line) => console.log(line) });
  const children = await benchSubagents({ log: (line) => console.log(line) });
  if (![...rows, ...children].every((r) => r.completed)) process.exitCode = 1;
}
