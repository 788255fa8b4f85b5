// The host side of the parallel-chats bench (bench/parallelChats.mjs), bundled and run in a process of its
// own so its CPU and memory are the host's alone: N chats at once, each an SDK thread (the same session,
// runner and sandbox the extension uses) whose events are folded into a chat state by the shared reducer
// and serialised as the extension posts them to a webview. Prints one JSON line of measurements.
// Env: BENCH_CHATS (N), BENCH_WORKSPACE, OPENAI_BASE_URL, OPENAI_API_KEY, HOME; BENCH_MODE=subagents with
// BENCH_CHILDREN times one parent whose children work at the same time.
import * as path from 'node:path';
import * as fs from 'node:fs';
import { Tandem } from '../src/sdk';
import { applyEvent, emptyChatState } from '../src/shared/chatState';

/** BENCH_MODE=subagents: one thread whose model hands BENCH_CHILDREN tasks to sub-agents in one response. */
async function subagents(): Promise<void> {
  const root = process.env.BENCH_WORKSPACE!;
  const thread = new Tandem().startThread({ workingDirectory: root, approval: 'auto', model: 'bench-model' });
  const started = performance.now();
  const result = await thread.run(`PARENT: split into ${process.env.BENCH_CHILDREN} sub-agents`);
  const wallMs = performance.now() - started;
  await thread.close();
  const children = result.items.filter((item) => item.type === 'command' && item.tool === 'spawn_agent');
  console.log(JSON.stringify({ completed: result.status === 'completed' && children.every((c) => c.type === 'command' && c.status === 'ok'), children: children.length, wallMs }));
}

async function main(): Promise<void> {
  if (process.env.BENCH_MODE === 'subagents') return subagents();
  const chats = Number(process.env.BENCH_CHATS ?? '4');
  const root = process.env.BENCH_WORKSPACE!;
  const tandem = new Tandem();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  let events = 0;
  let postedBytes = 0;
  const results = await Promise.all(
    Array.from({ length: chats }, async (_, index) => {
      const cwd = path.join(root, `chat-${index}`);
      fs.mkdirSync(cwd, { recursive: true });
      const thread = tandem.startThread({ workingDirectory: cwd, approval: 'auto', model: 'bench-model' });
      const state = emptyChatState();
      const { events: stream } = await thread.runStreamed(`CHAT ${index}: work through the steps`);
      let completed = false;
      for await (const event of stream) {
        events++;
        applyEvent(state, event);
        postedBytes += JSON.stringify({ type: 'event', sessionId: thread.id, event }).length; // what the view is sent
        if (event.type === 'turn.completed' && !event.stopped) completed = true;
      }
      await thread.close();
      return { completed, entries: state.entries.length };
    }),
  );
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  (globalThis as { gc?: () => void }).gc?.();
  console.log(
    JSON.stringify({
      chats,
      completed: results.every((r) => r.completed),
      entries: results.map((r) => r.entries),
      events,
      postedMB: postedBytes / 1024 / 1024,
      wallMs,
      cpuMs: (cpu.user + cpu.system) / 1000,
      maxRssMB: process.resourceUsage().maxRSS / 1024,
      heapUsedMB: process.memoryUsage().heapUsed / 1024 / 1024,
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
