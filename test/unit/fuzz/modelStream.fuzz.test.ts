// Fuzzes what we parse from the model's SSE stream, in two layers:
//   1. the normalisers (normalizeResponsesEvents / normalizeChatChunks inside guardStream, exactly as the
//      clients run them), fed mutated SDK-shaped event sequences directly: tens of thousands of inputs;
//   2. the real clients through the real `openai` SDK over keep-alive HTTP, fed mutated raw SSE bytes
//      (measured at ~1.3 ms per request, too slow for the bulk, so a few thousand).
// Every run must end in a well-formed event sequence, a classified ModelError, or the Stop reason;
// never another exception type, never a hang (each input has a time bound and the stall guard).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { APIError } from 'openai';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { normalizeChatChunks } from '../../../src/core/model/chatClient';
import { createModelClient } from '../../../src/core/model/createClient';
import { normalizeResponsesEvents } from '../../../src/core/model/responsesClient';
import { guardStream } from '../../../src/core/model/streamGuard';
import type { ModelStreamEvent } from '../../../src/core/model/types';
import { makeRequest } from '../core/model/modelTestUtils';
import { FUZZ_SEED, Random } from './random';
import { judge, matchesExpected, mutateBytes, mutateEvents, randomScript, sdkEvents, sseBody, type Outcome, type RawReply, type SourceFault, type WireApi } from './streamFuzzKit';

const DIRECT_INPUTS_PER_API = Number(process.env.FUZZ_DIRECT ?? 30_000);
const HTTP_INPUTS_PER_API = 1_000;
/** Share of inputs left unmutated: they must complete with exactly the scripted content. */
const UNMUTATED = 0.1;
/** No single input may take longer than this (a hang would be caught by the stall guard first). */
const MAX_MS_PER_INPUT = 2_000;
const BASE_URL = 'http://fuzz.invalid/v1';
const API_KEY = 'sk-fuzz-SECRET-0123456789';

const APIS: WireApi[] = ['responses', 'chat'];
const normalizers = { responses: normalizeResponsesEvents, chat: normalizeChatChunks };

interface Tally {
  inputs: number;
  unmutated: number;
  outcomes: Record<string, number>;
  maxMs: number;
  totalMs: number;
  problems: string[];
}

const tally = (): Tally => ({ inputs: 0, unmutated: 0, outcomes: {}, maxMs: 0, totalMs: 0, problems: [] });

function record(t: Tally, outcome: Outcome | undefined, problem: string | undefined, ms: number, label: string): void {
  t.inputs++;
  t.maxMs = Math.max(t.maxMs, ms);
  t.totalMs += ms;
  if (ms > MAX_MS_PER_INPUT) t.problems.push(`${label}: took ${ms.toFixed(0)} ms`);
  if (problem) {
    if (t.problems.length < 20) t.problems.push(`${label}: ${problem}`);
    return;
  }
  const key = outcome!.kind === 'model-error' ? `error:${outcome!.code}` : outcome!.kind;
  t.outcomes[key] = (t.outcomes[key] ?? 0) + 1;
}

function sdkError(kind: Extract<SourceFault, { kind: 'throw' }>['error']): unknown {
  switch (kind) {
    case 'syntax':
      return new SyntaxError('Error reading response: malformed server-sent event JSON.');
    case 'api':
      return new APIError(undefined, { message: 'The server had an error', code: 'server_error' }, undefined, new Headers());
    case 'terminated':
      return Object.assign(new TypeError('terminated'), { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) });
    case 'reset':
      return Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
  }
}

/**
 * Plays `events` the way the SDK's Stream does: an event whose data has a truthy `error` throws an
 * APIError, an aborted request ends the iteration quietly; plus the injected fault.
 */
async function* sdkStream(events: unknown[], fault: SourceFault | undefined, signal: AbortSignal, stop: AbortController): AsyncGenerator<unknown> {
  for (let i = 0; i <= events.length; i++) {
    if (signal.aborted) return;
    if (fault?.at === i) {
      if (fault.kind === 'throw') throw sdkError(fault.error);
      if (fault.kind === 'stall') await new Promise(() => undefined);
      if (fault.kind === 'abort') stop.abort(new Error('the user pressed Stop'));
      if (signal.aborted) return;
    }
    if (i === events.length) return;
    const event = events[i];
    if (typeof event === 'object' && event !== null && (event as { error?: unknown }).error) {
      throw new APIError(undefined, (event as { error: object }).error, undefined, new Headers());
    }
    yield event;
  }
}

const FAULT_CODES = { syntax: 'stream_dropped', api: 'server', terminated: 'stream_dropped', reset: 'stream_dropped' } as const;

/**
 * The exact outcome of a valid response with one injected fault: reached before the response finished
 * (Responses stops reading at response.completed; Chat reads to the end), a stall is a timeout, a Stop is
 * stopped, a thrown transport/SDK error has its code; reached after, the response completes.
 */
function singleFaultProblem(api: WireApi, length: number, fault: SourceFault, outcome: Outcome): string | undefined {
  const reached = api === 'chat' || fault.at < length;
  const want = !reached ? 'completed' : fault.kind === 'stall' ? 'error:timeout' : fault.kind === 'abort' ? 'stopped' : `error:${FAULT_CODES[fault.error]}`;
  const got = outcome.kind === 'model-error' ? `error:${outcome.code}` : outcome.kind;
  return got === want ? undefined : `${fault.kind} at ${fault.at} of ${length} ended as ${got}, expected ${want}`;
}

async function drain(stream: AsyncIterable<ModelStreamEvent>): Promise<{ events: ModelStreamEvent[]; error: unknown; threw: boolean }> {
  const events: ModelStreamEvent[] = [];
  try {
    for await (const event of stream) events.push(event);
    return { events, error: undefined, threw: false };
  } catch (error) {
    return { events, error, threw: true };
  }
}

const totals: Record<string, Tally> = {};

afterAll(() => {
  const rows = Object.entries(totals).map(([name, t]) => ({
    suite: name,
    inputs: t.inputs,
    unmutated: t.unmutated,
    'avg ms': (t.totalMs / Math.max(1, t.inputs)).toFixed(3),
    'max ms': t.maxMs.toFixed(1),
    outcomes: Object.entries(t.outcomes)
      .sort(([, a], [, b]) => b - a)
      .map(([k, v]) => `${k}=${v}`)
      .join(' '),
  }));
  const total = rows.reduce((sum, r) => sum + r.inputs, 0);
  console.log(`model stream fuzz (seed ${FUZZ_SEED}): ${total} inputs`);
  console.table(rows);
});

describe('model stream fuzz: normalisers fed mutated SDK event sequences', () => {
  it.each(APIS)('%s', async (api) => {
    const t = (totals[`direct ${api}`] = tally());
    const rng = new Random(FUZZ_SEED).fork(`direct-${api}`);
    for (let i = 0; i < DIRECT_INPUTS_PER_API; i++) {
      const input = rng.fork(i);
      const { response, expected } = randomScript(input);
      const original = sdkEvents(api, response, i);
      const unmutated = input.chance(UNMUTATED);
      const mutated = unmutated ? { events: original, mutations: [] } : mutateEvents(api, original, input);
      const fault = 'fault' in mutated ? mutated.fault : undefined;
      const stop = new AbortController();
      const started = performance.now();
      const run = await drain(
        guardStream(async (signal) => sdkStream(mutated.events, fault, signal, stop), normalizers[api], {
          baseUrl: BASE_URL,
          apiKey: API_KEY,
          signal: stop.signal,
          // A stalled input must be abandoned by the guard; the others must never come near it.
          idleTimeoutMs: fault?.kind === 'stall' ? 5 : 1_000,
        }),
      );
      const ms = performance.now() - started;
      const judged = judge(run.events, run.error, run.threw, stop.signal.aborted ? stop.signal.reason : undefined);
      const outcome = judged.outcome;
      let problem = judged.problem;
      if (!problem && unmutated) {
        t.unmutated++;
        problem = outcome?.kind === 'completed' ? matchesExpected(outcome.events, expected(api)) : `an unmutated response ended as ${outcome?.kind}`;
      }
      if (!problem && fault && mutated.mutations.length === 1) problem = singleFaultProblem(api, mutated.events.length, fault, outcome!);
      if (!problem && JSON.stringify(run.error instanceof Error ? run.error.message : '').includes('SECRET')) problem = 'the API key leaked into an error message';
      record(t, outcome, problem, ms, `direct ${api} #${i} [${mutated.mutations.join(',')}${fault ? ` ${fault.kind}@${fault.at}` : ''}]`);
    }
    expect(t.problems).toEqual([]);
    expect(t.inputs).toBe(DIRECT_INPUTS_PER_API);
    // The mutations must actually reach every kind of outcome, or the fuzz is not exercising anything.
    expect(t.outcomes.completed).toBeGreaterThan(DIRECT_INPUTS_PER_API * UNMUTATED * 0.8);
    expect(t.outcomes['error:stream_dropped']).toBeGreaterThan(0);
    expect(t.outcomes['error:timeout']).toBeGreaterThan(0);
    expect(t.outcomes.stopped).toBeGreaterThan(0);
  }, 120_000);
});

describe('model stream fuzz: real SDK over HTTP fed mutated raw SSE bytes', () => {
  let server: http.Server;
  let baseUrl: string;
  const replies: RawReply[] = [];

  beforeAll(async () => {
    // The SDK logs every malformed event it meets; thousands of them are noise here.
    vi.stubEnv('OPENAI_LOG', 'off');
    server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const reply = replies.shift();
        if (!reply) {
          res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":{"message":"fuzz: no reply queued","code":"fuzz"}}');
          return;
        }
        res.writeHead(reply.status, reply.headers);
        if (reply.ending === 'end') {
          res.end(reply.body);
          return;
        }
        res.write(reply.body, () => {
          if (reply.ending === 'destroy') setTimeout(() => res.socket?.destroy(), 2);
          // 'hang': keep the socket open and silent until the client gives up.
        });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });

  afterAll(async () => {
    vi.unstubAllEnvs();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it.each(APIS)('%s', async (api) => {
    const t = (totals[`http ${api}`] = tally());
    // Mutated streams may hang on purpose: tight timeouts keep those cheap (a spurious timeout under load
    // is still a classified outcome). Unmutated ones never hang and must complete: generous timeouts.
    const tight = createModelClient({ wireApi: api, baseUrl, apiKey: API_KEY, timeoutMs: 600, streamIdleTimeoutMs: 200 });
    const relaxed = createModelClient({ wireApi: api, baseUrl, apiKey: API_KEY, timeoutMs: 10_000, streamIdleTimeoutMs: 5_000 });
    const rng = new Random(FUZZ_SEED).fork(`http-${api}`);
    for (let i = 0; i < HTTP_INPUTS_PER_API; i++) {
      const input = rng.fork(i);
      const { response, expected } = randomScript(input);
      const body = sseBody(api, response, i);
      const unmutated = input.chance(UNMUTATED);
      const reply: RawReply = unmutated
        ? { status: 200, headers: { 'content-type': 'text/event-stream; charset=utf-8' }, body: Buffer.from(body, 'utf8'), ending: 'end', mutations: [] }
        : mutateBytes(body, input);
      replies.length = 0;
      replies.push(reply);
      const stop = new AbortController();
      const started = performance.now();
      const run = await drain((unmutated ? relaxed : tight).stream(makeRequest(), stop.signal));
      const ms = performance.now() - started;
      const judged = judge(run.events, run.error, run.threw, undefined);
      const outcome = judged.outcome;
      let problem = judged.problem;
      if (!problem && unmutated) {
        t.unmutated++;
        problem = outcome?.kind === 'completed' ? matchesExpected(outcome.events, expected(api)) : `an unmutated response ended as ${outcome?.kind}: ${(run.error as Error)?.message}`;
      }
      if (!problem && reply.ending === 'hang' && outcome?.kind === 'completed' && reply.body.length < body.length / 2) problem = 'a hung stream completed';
      if (!problem && run.threw && String((run.error as Error)?.message).includes('SECRET')) problem = 'the API key leaked into an error message';
      record(t, outcome, problem, ms, `http ${api} #${i} [${reply.mutations.join(',')}]`);
    }
    expect(t.problems).toEqual([]);
    expect(t.inputs).toBe(HTTP_INPUTS_PER_API);
    expect(t.outcomes.completed).toBeGreaterThan(HTTP_INPUTS_PER_API * UNMUTATED * 0.8);
    expect(t.outcomes['error:stream_dropped']).toBeGreaterThan(0);
    expect(t.outcomes['error:server']).toBeGreaterThan(0);
  }, 120_000);
});
