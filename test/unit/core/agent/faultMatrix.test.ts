// The fault matrix: every failure the model server or the model's own output can throw at a turn, run
// through the real agent loop (real SDK over HTTP against the scripted mock, real PTY, real patch engine
// and writer) in a temp workspace. Each fault must be either recovered (retried, and the turn completes)
// or reported clearly (turn.failed with the right code and a message the user can act on), and no file
// may be touched unless the row is a patch that is meant to apply; a failed patch writes nothing at all.
// The matrix is printed at the end.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AgentSession } from '../../../../src/core/agent/agentSession';
import { createModelClient, type WireApi } from '../../../../src/core/model/createClient';
import { BASE_INSTRUCTIONS } from '../../../../src/core/prompt/instructions';
import type { AgentEvent, TurnError } from '../../../../src/shared/events';
import { defaultTools } from '../../../../src/node/agentFactory';
import { createProcessRunner } from '../../../../src/node/createRunner';
import { ChangeSetWriteError, writeChangeSetAtomically } from '../../../../src/node/fsChangeSetWriter';
import { NodeFileReader } from '../../../../src/node/nodeFileReader';
import { mock, startMockOpenAI, type MockOpenAI, type MockResponse, type MockStep } from '../../../fixtures/mockOpenAI';

let server: MockOpenAI;
let sandbox: string;
beforeAll(async () => {
  // The SDK logs each malformed event it meets; the rows that inject them would print noise.
  vi.stubEnv('OPENAI_LOG', 'off');
  server = await startMockOpenAI();
  sandbox = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-faults-')));
});

interface MatrixRow {
  fault: string;
  api: WireApi | 'both';
  requests: number;
  retries: number;
  outcome: string;
  detail: string;
  files: string;
}
const matrix: MatrixRow[] = [];

afterAll(async () => {
  vi.unstubAllEnvs();
  await server.close();
  fs.rmSync(sandbox, { recursive: true, force: true });
  console.log('fault matrix (real agent loop, mock server over HTTP):');
  console.table(matrix);
});

// ---- harness -----------------------------------------------------------------------------------------------

type Files = Record<string, string | Buffer>;

/** A workspace with `files`, next to an `outside/` folder holding a canary the turn must never touch. */
function workspace(name: string, files: Files): { cwd: string; root: string } {
  const root = fs.mkdtempSync(path.join(sandbox, `${name.replace(/\W+/g, '-')}-`));
  const cwd = path.join(root, 'ws');
  fs.mkdirSync(cwd);
  fs.mkdirSync(path.join(root, 'outside'));
  fs.writeFileSync(path.join(root, 'outside', 'canary.txt'), 'canary\n');
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(cwd, rel)), { recursive: true });
    fs.writeFileSync(path.join(cwd, rel), content);
  }
  return { cwd, root };
}

/** Every file under `dir` (relative path → sha256 of its bytes). */
function hashTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (current: string, prefix: string) => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(path.join(current, entry.name), rel);
      else out[rel] = createHash('sha256').update(fs.readFileSync(path.join(current, entry.name))).digest('hex');
    }
  };
  walk(dir, '');
  return out;
}

interface TurnResult {
  events: AgentEvent[];
  last: AgentEvent;
  retries: Extract<AgentEvent, { type: 'retrying' }>[];
  toolOutputs: string[];
  toolOutputChars: number;
  peakHeapGrowth: number;
  reviews: boolean[];
}

async function runTurn(api: WireApi, cwd: string, script: MockResponse[], options: { timeoutMs?: number; streamIdleTimeoutMs?: number } = {}): Promise<TurnResult> {
  server.setScript(script);
  server.requests.length = 0;
  const reviews: boolean[] = [];
  const agent = new AgentSession({
    sessionId: 'faults',
    model: createModelClient({ wireApi: api, baseUrl: server.baseUrl, apiKey: 'sk-test-faults', ...options }),
    modelName: 'gpt-test',
    instructions: BASE_INSTRUCTIONS,
    tools: defaultTools(),
    runner: createProcessRunner(),
    files: new NodeFileReader(),
    cwd,
    workspaceRoots: [cwd],
    approvalPolicy: () => 'full-access',
    environment: () => ({ cwd, os: 'Linux', shell: '/bin/bash', date: '2026-11-23', approvalPolicy: 'full-access' }),
    // As `tandem exec` does: a change that needs review is not written (nobody here approves it).
    handleChangeSet: async (changeSet, { review }) => {
      reviews.push(review);
      if (review) return { outcome: 'discarded', message: 'This change needs approval; nothing was written.' };
      try {
        await writeChangeSetAtomically(changeSet);
        return { outcome: 'applied', message: `Applied ${changeSet.changes.length} file change(s).` };
      } catch (error) {
        if (error instanceof ChangeSetWriteError) return { outcome: 'failed', message: error.message };
        throw error;
      }
    },
    retryDelay: async () => undefined,
  });
  const events: AgentEvent[] = [];
  let toolOutputChars = 0;
  const baseHeap = process.memoryUsage().heapUsed;
  let peakHeapGrowth = 0;
  let outputEvents = 0;
  try {
    for await (const event of agent.submit({ type: 'user_turn', text: 'go' })) {
      if (event.type === 'tool.output') {
        // Counted, not kept: the test itself must not hold a 100 MB transcript.
        toolOutputChars += event.chunk.length;
        if (++outputEvents % 500 === 0) peakHeapGrowth = Math.max(peakHeapGrowth, process.memoryUsage().heapUsed - baseHeap);
        continue;
      }
      events.push(event);
    }
  } finally {
    agent.dispose();
  }
  const toolOutputs = agent.conversation.filter((item) => item.type === 'tool_output').map((item) => (item as { output: string }).output);
  return { events, last: events.at(-1)!, retries: events.filter((e): e is Extract<AgentEvent, { type: 'retrying' }> => e.type === 'retrying'), toolOutputs, toolOutputChars, peakHeapGrowth, reviews };
}

function outcomeOf(result: TurnResult): string {
  const { last } = result;
  if (last.type === 'turn.failed') return `reported: ${last.error.code}`;
  if (last.type === 'turn.completed') return result.retries.length ? `recovered (${result.retries.length} retr${result.retries.length === 1 ? 'y' : 'ies'})` : 'completed';
  return `ended with ${last.type}`;
}

const firstLine = (text: string, max = 90) => {
  const line = text.split('\n').find((l) => l.trim() !== '' && !/^(Wall time|Process exited|Output:)/.test(l)) ?? '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
};

function failure(result: TurnResult): TurnError {
  expect(result.last.type).toBe('turn.failed');
  return (result.last as Extract<AgentEvent, { type: 'turn.failed' }>).error;
}

const finalText = (result: TurnResult) =>
  result.events
    .filter((e) => e.type === 'message.completed')
    .map((e) => (e as { text: string }).text)
    .join('');

// ---- model / server faults ------------------------------------------------------------------------------------

interface ModelFault {
  fault: string;
  script: MockResponse[];
  client?: { timeoutMs?: number; streamIdleTimeoutMs?: number };
  /** 'recovered': retried and the turn completes with the final answer; otherwise the TurnError code. */
  expect: 'recovered' | 'completed' | TurnError['code'];
  requests: number;
  check?: (result: TurnResult) => void;
}

const answer = (): MockResponse => ({ steps: [mock.text('All done.')] });

const MODEL_FAULTS: ModelFault[] = [
  {
    fault: '429 with Retry-After: 2',
    script: [mock.error(429, { retryAfter: '2' }), answer()],
    expect: 'recovered',
    requests: 2,
    check: (r) => expect(r.retries[0]).toMatchObject({ attempt: 1, delayMs: 2000 }),
  },
  { fault: '500', script: [mock.error(500), answer()], expect: 'recovered', requests: 2 },
  { fault: '503', script: [mock.error(503), answer()], expect: 'recovered', requests: 2 },
  {
    fault: '500 on every attempt',
    script: Array.from({ length: 5 }, () => mock.error(500)),
    expect: 'server',
    requests: 5,
    check: (r) => {
      const error = failure(r);
      expect(error.message).toMatch(/server error \(500: .+\)\. Try again in a moment\./);
      expect(error.action).toMatchObject({ command: 'retry' });
    },
  },
  { fault: 'connection drop before any output', script: [{ steps: [{ type: 'drop' }] }, answer()], expect: 'recovered', requests: 2 },
  {
    fault: 'connection drop mid-stream (after text)',
    script: [{ steps: [mock.text('one two three four five')], dropAfterDeltas: 2 }],
    expect: 'stream_dropped',
    requests: 1,
    check: (r) => {
      expect(failure(r).message).toMatch(/dropped while the response was streaming/);
      expect(failure(r).action).toMatchObject({ command: 'retry' });
      // What the user already saw is kept, not retried into a duplicate.
      expect(finalText(r)).toBe('one two');
    },
  },
  { fault: 'malformed event before any output', script: [{ steps: [{ type: 'malformed' }] }, answer()], expect: 'recovered', requests: 2 },
  {
    fault: 'malformed event after text',
    script: [{ steps: [mock.text('partial'), { type: 'malformed' }] }],
    expect: 'stream_dropped',
    requests: 1,
    check: (r) => expect(failure(r).message).toMatch(/malformed streaming event/),
  },
  { fault: 'in-stream failure (server_error)', script: [{ steps: [{ type: 'fail', code: 'server_error', message: 'The server had an error.' }] }, answer()], expect: 'recovered', requests: 2 },
  { fault: 'slow first byte (400 ms, under the timeout)', script: [{ steps: [mock.text('All done.')], firstByteDelayMs: 400 }], expect: 'completed', requests: 1 },
  {
    fault: 'slow first byte (1.5 s, over a 300 ms timeout)',
    script: [{ steps: [mock.text('late')], firstByteDelayMs: 1500 }, answer()],
    client: { timeoutMs: 300 },
    expect: 'recovered',
    requests: 2,
    check: (r) => expect(r.retries[0]!.reason).toMatch(/timed out/),
  },
  {
    fault: 'stream stalls (no event for 300 ms)',
    script: [{ steps: [{ type: 'hang' }] }, answer()],
    client: { streamIdleTimeoutMs: 300 },
    expect: 'recovered',
    requests: 2,
    check: (r) => expect(r.retries[0]!.reason).toMatch(/stopped sending the response/),
  },
  {
    fault: 'context length exceeded (400)',
    script: [mock.error(400, { code: 'context_length_exceeded', message: "This model's maximum context length is 128000 tokens. However, your messages resulted in 130512 tokens." })],
    expect: 'context_length',
    requests: 1,
    check: (r) => {
      const error = failure(r);
      expect(error.message).toMatch(/too long for the model's context window\. Start a new chat/);
      expect(error.action).toMatchObject({ command: 'tandem.newChat' });
    },
  },
  {
    fault: '401 invalid key',
    script: [mock.error(401)],
    expect: 'auth',
    requests: 1,
    check: (r) => {
      expect(failure(r).action).toMatchObject({ command: 'tandem.setApiKey' });
      expect(failure(r).message).not.toContain('sk-test-faults');
    },
  },
];

describe.each<WireApi>(['responses', 'chat'])('fault matrix over %s: server and stream faults', (api) => {
  it.each(MODEL_FAULTS)('$fault', async (row) => {
    const { cwd, root } = workspace(row.fault, { 'src/app.js': 'console.log("hi");\r\n', 'notes.md': '\uFEFF# Notes\n' });
    const before = hashTree(root);
    const result = await runTurn(api, cwd, row.script, row.client);
    const outcome = outcomeOf(result);
    const filesUnchanged = JSON.stringify(hashTree(root)) === JSON.stringify(before);
    const detail = result.last.type === 'turn.failed' ? result.last.error.message : result.retries.map((r) => firstLine(r.reason, 60)).join(' / ') || 'answered';
    matrix.push({ fault: row.fault, api, requests: server.requests.length, retries: result.retries.length, outcome, detail: firstLine(detail, 110), files: filesUnchanged ? 'unchanged' : 'CHANGED' });

    expect(filesUnchanged).toBe(true);
    expect(server.requests).toHaveLength(row.requests);
    if (row.expect === 'recovered' || row.expect === 'completed') {
      expect(result.last).toMatchObject({ type: 'turn.completed', stopped: false });
      expect(result.retries.length > 0).toBe(row.expect === 'recovered');
      expect(finalText(result)).toBe('All done.');
    } else {
      const error = failure(result);
      expect(error.code).toBe(row.expect);
      // Actionable: says what happened in a sentence or two, names no internals.
      expect(error.message.length).toBeGreaterThan(20);
      expect(error.message).not.toMatch(/\bundefined\b|\[object Object\]|TypeError|at .+\.ts:\d+/);
    }
    row.check?.(result);
  }, 20_000);
});

// ---- bad input from the model -------------------------------------------------------------------------------------

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0xff, 0xd8, 0xc3, 0x28]);
const LATIN1 = Buffer.from('caf\xe9 cr\xe8me br\xfbl\xe9e\n', 'latin1');

/** The apply_patch call in each wire API's shape. */
const patchCall = (api: WireApi, patch: string): MockStep => (api === 'responses' ? mock.custom('apply_patch', patch, 'call_patch') : mock.call('apply_patch', { input: patch }, 'call_patch'));

interface InputFault {
  fault: string;
  files: Files;
  step: (api: WireApi) => MockStep;
  /** The files (relative to the workspace) after the turn; `undefined`: exactly as before. */
  after?: Files;
  /** What the model must be told (in the tool output). */
  told: RegExp;
  /** A row that runs on one wire API only, and why the other would check nothing new. */
  only?: { api: WireApi; because: string };
  timeoutMs?: number;
  check?: (result: TurnResult) => void;
}

const INPUT_FAULTS: InputFault[] = [
  {
    fault: 'invalid tool-call JSON',
    files: { 'a.txt': 'a\n' },
    step: () => mock.call('exec_command', '{"cmd": "ls', 'call_bad'),
    told: /^Invalid arguments for exec_command: exec_command arguments must be a JSON object/,
  },
  { fault: 'unknown tool', files: { 'a.txt': 'a\n' }, step: () => mock.call('launch_rockets', { target: 'moon' }, 'call_x'), told: /^Unknown tool "launch_rockets"\. Available tools: exec_command, / },
  {
    fault: 'truncated patch (no End Patch)',
    files: { 'app.py': 'def f():\n    return 1\n' },
    step: (api) => patchCall(api, '*** Begin Patch\n*** Update File: app.py\n@@\n def f():\n-    return 1\n+    ret'),
    told: /Invalid patch, line \d+: expected '\*\*\* End Patch' as the last line/,
  },
  {
    fault: 'patch: 2nd file fails, 1st not written',
    files: { 'one.txt': 'one\n', 'two.txt': 'two\n' },
    step: (api) => patchCall(api, '*** Begin Patch\n*** Update File: one.txt\n@@\n-one\n+ONE\n*** Add File: three.txt\n+3\n*** Update File: two.txt\n@@\n-not there\n+x\n*** End Patch'),
    told: /Could not find these lines in two\.txt[\s\S]*No file was changed/,
  },
  {
    fault: 'binary file (PNG bytes)',
    files: { 'logo.png': PNG },
    step: (api) => patchCall(api, '*** Begin Patch\n*** Update File: logo.png\n@@\n-PNG\n+JPG\n*** End Patch'),
    told: /^Cannot read logo\.png: .*logo\.png is not UTF-8 text \(a binary file, or text in another encoding/,
  },
  {
    fault: 'non-UTF-8 file (Latin-1)',
    files: { 'legacy.txt': LATIN1 },
    step: (api) => patchCall(api, '*** Begin Patch\n*** Update File: legacy.txt\n@@\n-caf\u00e9 cr\u00e8me br\u00fbl\u00e9e\n+coffee\n*** End Patch'),
    told: /^Cannot read legacy\.txt: .*legacy\.txt is not UTF-8 text \(a binary file, or text in another encoding/,
  },
  {
    fault: 'CRLF file (endings preserved)',
    files: { 'win.txt': 'first\r\nsecond\r\nthird\r\n' },
    step: (api) => patchCall(api, '*** Begin Patch\n*** Update File: win.txt\n@@\n first\n-second\n+SECOND\n+inserted\n third\n*** End Patch'),
    after: { 'win.txt': 'first\r\nSECOND\r\ninserted\r\nthird\r\n' },
    told: /^Applied 1 file change/,
  },
  {
    fault: 'file with a BOM (BOM preserved)',
    files: { 'bom.txt': '\uFEFFtitle\nbody\n' },
    step: (api) => patchCall(api, '*** Begin Patch\n*** Update File: bom.txt\n@@\n title\n-body\n+BODY\n*** End Patch'),
    after: { 'bom.txt': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('title\nBODY\n')]) },
    told: /^Applied 1 file change/,
  },
  {
    fault: 'patch path ../ outside the workspace',
    files: { 'a.txt': 'a\n' },
    step: (api) => patchCall(api, '*** Begin Patch\n*** Update File: ../outside/canary.txt\n@@\n-canary\n+pwned\n*** End Patch'),
    told: /needs approval; nothing was written/,
    check: (r) => expect(r.reviews).toEqual([true]),
  },
  {
    fault: 'huge command output (~100 MB)',
    files: { 'a.txt': 'a\n' },
    only: {
      api: 'responses',
      because: 'the output is budgeted by the exec_command tool before any wire API sees it, and 100 MB through a PTY takes seconds: once is enough',
    },
    timeoutMs: 90_000,
    step: () =>
      mock.call('exec_command', { cmd: "echo FIRST-LINE; yes 'the quick brown fox jumps over the lazy dog 0123456789' | head -c 100000000; echo; echo LAST-LINE", yield_time_ms: 30_000 }, 'call_huge'),
    told: /FIRST-LINE[\s\S]*…\d+ tokens truncated…[\s\S]*LAST-LINE\s*$/,
    check: (r) => {
      expect(r.toolOutputChars).toBeGreaterThan(100_000_000);
      // Budgeted for the model: ~10k tokens, not 25 million.
      expect(r.toolOutputs[0]!.length).toBeLessThan(45_000);
      expect(r.toolOutputs[0]).toMatch(/Process exited with code 0/);
      // Bounded buffering: holding the output would take 100+ MB of heap.
      expect(r.peakHeapGrowth).toBeLessThan(80_000_000);
    },
  },
];

/**
 * The rows that apply to `api`. Rows that do not apply are never generated (a test that returns early would
 * pass having checked nothing); the applicability table itself is asserted below.
 */
const inputFaultsFor = (api: WireApi) => INPUT_FAULTS.filter((row) => !row.only || row.only.api === api);

describe('fault matrix: which bad-input rows run on which wire API', () => {
  it('every row runs on both wire APIs, except the one-API rows named here with their reason', () => {
    const oneApi = INPUT_FAULTS.filter((row) => row.only).map((row) => ({ fault: row.fault, api: row.only!.api }));
    expect(oneApi).toEqual([{ fault: 'huge command output (~100 MB)', api: 'responses' }]);
    for (const row of INPUT_FAULTS.filter((r) => r.only)) {
      expect(row.only!.because.length, `${row.fault}: a one-API row says why`).toBeGreaterThan(20);
      for (const api of ['responses', 'chat'] as const) {
        expect(inputFaultsFor(api).includes(row)).toBe(row.only!.api === api);
        if (row.only!.api !== api) matrix.push({ fault: row.fault, api, requests: 0, retries: 0, outcome: 'not run (one API is enough)', detail: row.only!.because, files: '-' });
      }
    }
    expect(inputFaultsFor('responses')).toHaveLength(INPUT_FAULTS.length);
    expect(inputFaultsFor('chat')).toHaveLength(INPUT_FAULTS.length - oneApi.length);
  });
});

describe.each<WireApi>(['responses', 'chat'])('fault matrix over %s: bad input from the model', (api) => {
  it.each(inputFaultsFor(api))('$fault', async (row) => {
    const { cwd, root } = workspace(row.fault, row.files);
    const before = hashTree(root);
    const started = Date.now();
    const result = await runTurn(api, cwd, [{ steps: [row.step(api)] }, answer()]);
    const seconds = (Date.now() - started) / 1000;
    const after = hashTree(root);
    const expectedAfter = { ...before };
    for (const [rel, content] of Object.entries(row.after ?? {})) expectedAfter[`ws/${rel}`] = createHash('sha256').update(content).digest('hex');
    const filesAsExpected = JSON.stringify(after) === JSON.stringify(expectedAfter);
    const told = result.toolOutputs[0] ?? '';
    matrix.push({
      fault: row.fault,
      api,
      requests: server.requests.length,
      retries: result.retries.length,
      outcome: `${outcomeOf(result)}${row.timeoutMs ? ` in ${seconds.toFixed(1)} s` : ''}`,
      detail: `model told: ${firstLine(told.replace(/^Wall time[\s\S]*?Output:\n/, ''), 95)}${row.timeoutMs ? ` (${(result.toolOutputChars / 1e6).toFixed(0)} MB printed, ${told.length} chars sent, heap +${(result.peakHeapGrowth / 1e6).toFixed(0)} MB)` : ''}`,
      files: row.after ? (filesAsExpected ? 'patched exactly' : 'WRONG') : filesAsExpected ? 'unchanged' : 'CHANGED',
    });

    expect(result.last).toMatchObject({ type: 'turn.completed', stopped: false });
    expect(told).toMatch(row.told);
    expect(after).toEqual(expectedAfter);
    // The model's mistake went back to the model, and the turn went on to the next request.
    expect(server.requests).toHaveLength(2);
    expect(JSON.stringify(server.requests[1]!.body)).toContain(JSON.stringify(told.slice(0, 40)).slice(1, -1));
    row.check?.(result);
  }, 120_000);
});
