// Long-session benchmark (issue 13): a scripted task of hundreds of model steps with large tool outputs,
// run through `tandem exec --context-window 16000 --json` against the mock (test/fixtures/mockOpenAI.ts)
// on both wire APIs. Reports requests (agent steps, summarisation requests and native compact requests),
// compactions and which mode made them (`native`: the Responses API's /responses/compact, which the mock
// answers; `own summary`: Tandem's summarisation request, as on Chat Completions), the largest request and
// the tokens sent in all and per step (request bodies / 4, the estimate the mock reports as usage), and
// whether the task completed. The same script is the unit proof's
// (test/unit/core/compaction/longSession.test.ts); this measures it end to end through the CLI.
//
//   node bench/longSession.mjs                       prints the table (STEPS=200 WINDOW=16000 to change;
//                                                    FRESH=1 bundles src/cli.ts instead of using dist/cli.js)
//   import { benchLongSession } from './longSession.mjs'; await benchLongSession({ root, log })  (bench/run.mjs)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleEntry, runNode } from './childProcess.mjs';
import { startMockOpenAI } from '../test/fixtures/mockOpenAI.ts';
import { FINAL_ANSWER, isCompactRequest, isSummaryRequest, longSessionFiles, longSessionScript, respondToSummaries } from '../test/fixtures/longSessionScript.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TIMEOUT_MS = 300_000;

/** dist/cli.js when built (`npm run build`), else (or with `fresh`) a bundle of src/cli.ts in a temp folder. */
async function cliPath(root, fresh) {
  const built = path.join(root, 'dist', 'cli.js');
  if (!fresh && fs.existsSync(built)) return built;
  return bundleEntry(root, path.join('src', 'cli.ts'), 'tandem-bench-cli-');
}

function runCli(cli, args, env) {
  return runNode([cli, ...args], env, TIMEOUT_MS);
}

/** Which mode made the compactions: each native compaction is one compact request, each of ours one summary. */
function compactionMode(compactions, compactRequests, summaryRequests) {
  if (compactions === 0) return 'none';
  if (summaryRequests === 0 && compactRequests === compactions) return 'native';
  if (summaryRequests === compactions) return compactRequests ? 'own summary (native endpoint refused)' : 'own summary';
  return 'mixed';
}

/** One run per wire API; returns a row per API. */
export async function benchLongSession({ root = ROOT, steps = 200, contextWindow = 16_000, wireApis = ['responses', 'chat'], log = () => undefined, fresh = false } = {}) {
  const cli = await cliPath(root, fresh);
  const server = await startMockOpenAI({ respond: respondToSummaries, usageFromBody: true, compact: () => 'compacted' });
  const rows = [];
  try {
    for (const wireApi of wireApis) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-bench-long-'));
      const home = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-bench-home-'));
      for (const [name, text] of Object.entries(longSessionFiles({ steps, wireApi }))) fs.writeFileSync(path.join(dir, name), text);
      server.requests.length = 0;
      server.setScript(longSessionScript({ steps, wireApi }));
      const start = performance.now();
      const args = ['exec', '--json', '--approval', 'full-access', '--sandbox', 'off', '--base-url', server.baseUrl, '--wire-api', wireApi, '--model', 'bench-model', '--context-window', String(contextWindow), '--max-steps', String(steps + 10), '--cd', dir, 'Review every chunk file and report.'];
      const { code, stdout, stderr } = await runCli(cli, args, { ...process.env, OPENAI_API_KEY: 'bench-key', HOME: home });
      const wallMs = performance.now() - start;
      const events = stdout.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line));
      const sizes = server.requests.map((r) => Math.ceil(r.rawBody.length / 4));
      const summaryRequests = server.requests.filter((r) => isSummaryRequest(r.body)).length;
      const compactRequests = server.requests.filter((r) => isCompactRequest(r)).length;
      const tokensSent = sizes.reduce((a, b) => a + b, 0);
      const compactions = events.filter((e) => e.type === 'context.compacted').length;
      const row = {
        wireApi,
        steps,
        contextWindow,
        requests: server.requests.length,
        agentRequests: server.requests.length - summaryRequests - compactRequests,
        summaryRequests,
        compactRequests,
        compactions,
        compactionMode: compactionMode(compactions, compactRequests, summaryRequests),
        maxRequestTokens: Math.max(...sizes),
        tokensSent,
        tokensSentPerStep: Math.round(tokensSent / steps),
        completed: code === 0 && events.some((e) => e.type === 'message.completed' && e.text === FINAL_ANSWER),
        wallMs: Math.round(wallMs),
      };
      if (!row.completed) row.error = stderr.slice(-500);
      rows.push(row);
      log(`long session (${wireApi}): ${row.requests} requests (${row.summaryRequests} summaries, ${row.compactRequests} native compactions), ${row.compactions} compactions (${row.compactionMode}), max ${row.maxRequestTokens} tokens/request, ${row.tokensSentPerStep} tokens/step, ${row.completed ? 'completed' : 'NOT completed'} in ${row.wallMs} ms`);
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(home, { recursive: true, force: true });
    }
  } finally {
    await server.close();
  }
  return rows;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const rows = await benchLongSession({ steps: Number(process.env.STEPS ?? 200), contextWindow: Number(process.env.WINDOW ?? 16_000), fresh: process.env.FRESH === '1', log: (line) => console.log(line) });
  console.table(rows);
}
