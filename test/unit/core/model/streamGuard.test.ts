// The stall guard and the shape checks the normalisers apply to what the SDK parsed, over real HTTP
// (mock server, real SDK) where the behaviour depends on the transport, directly otherwise.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { normalizeChatChunks } from '../../../../src/core/model/chatClient';
import { createModelClient, type WireApi } from '../../../../src/core/model/createClient';
import { ModelError } from '../../../../src/core/model/errors';
import { normalizeResponsesEvents } from '../../../../src/core/model/responsesClient';
import { guardStream } from '../../../../src/core/model/streamGuard';
import type { ModelStreamEvent } from '../../../../src/core/model/types';
import { mock, startMockOpenAI, type MockOpenAI } from '../../../fixtures/mockOpenAI';
import { collect, thrown } from './modelTestUtils';

let server: MockOpenAI;
beforeAll(async () => {
  server = await startMockOpenAI();
});
afterAll(async () => {
  await server.close();
});
afterEach(() => {
  server.setScript([]);
  server.requests.length = 0;
});

describe.each<WireApi>(['responses', 'chat'])('stall guard over %s', (wireApi) => {
  const client = (streamIdleTimeoutMs: number) => createModelClient({ wireApi, baseUrl: server.baseUrl, apiKey: 'k', streamIdleTimeoutMs });

  it('abandons a stream that goes silent, as a retryable timeout flagged after output', async () => {
    server.enqueue({ steps: [mock.text('partial answer'), { type: 'hang' }] });
    const seen: ModelStreamEvent[] = [];
    const started = Date.now();
    const error = await thrown(async () => {
      for await (const event of client(150).stream(makeRequestLike(), new AbortController().signal)) seen.push(event);
    });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(error).toBeInstanceOf(ModelError);
    expect(error).toMatchObject({ code: 'timeout', retryable: true, outputProduced: true });
    expect((error as Error).message).toContain(server.baseUrl);
    expect(seen.some((e) => e.type === 'text.delta')).toBe(true);
    // The abandoned request was closed, not left open.
    await waitUntil(() => server.requests[0]?.clientAborted === true);
  });

  it('ends at once with the Stop reason while waiting on a silent stream', async () => {
    server.enqueue({ steps: [{ type: 'hang' }] });
    const controller = new AbortController();
    const reason = new Error('stop pressed');
    setTimeout(() => controller.abort(reason), 100);
    const started = Date.now();
    expect(await thrown(() => collect(client(60_000), makeRequestLike(), controller.signal))).toBe(reason);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe('stall guard on opening the stream', () => {
  it('bounds an error response whose body never ends (the SDK would wait for it forever)', async () => {
    const silent = http.createServer((req, res) => {
      req.resume();
      res.writeHead(500, { 'content-type': 'application/json' });
      res.write('{"error":{"message":"half');
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
    try {
      const baseUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/v1`;
      const error = await thrown(() => collect(createModelClient({ wireApi: 'chat', baseUrl, apiKey: 'k', timeoutMs: 200, streamIdleTimeoutMs: 200 })));
      expect(error).toMatchObject({ code: 'timeout', retryable: true, outputProduced: false });
      expect((error as Error).message).toMatch(/stopped sending the response \(nothing for 400 ms\)/);
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});

/** Runs a normaliser inside the guard over `events`, as a client would. */
async function normalize(api: WireApi, events: unknown[]): Promise<{ events: ModelStreamEvent[]; error?: unknown }> {
  const out: ModelStreamEvent[] = [];
  const source = async function* () {
    yield* events;
  };
  try {
    const stream = guardStream(async () => source(), api === 'responses' ? normalizeResponsesEvents : normalizeChatChunks, {
      baseUrl: 'http://x/v1',
      apiKey: 'k',
      signal: new AbortController().signal,
    });
    for await (const event of stream) out.push(event);
    return { events: out };
  } catch (error) {
    return { events: out, error };
  }
}

describe('shape checks on parsed events', () => {
  it.each<[WireApi, unknown[]]>([
    ['responses', [null]],
    ['responses', [{ type: 'response.output_text.delta', item_id: 'm1', delta: 7 }]],
    ['responses', [{ type: 'response.output_text.delta', delta: 'hi' }]],
    ['responses', [{ type: 'response.output_item.done' }]],
    ['responses', [{ type: 'response.output_item.done', item: { type: 'function_call', call_id: 'c1', name: 'x', arguments: {} } }]],
    ['responses', [{ type: 'response.output_item.done', item: { type: 'message', id: 'm1', content: 'text' } }]],
    ['chat', [42]],
    ['chat', [{ choices: [{ delta: { content: ['a'] } }] }]],
    ['chat', [{ choices: [{ delta: { tool_calls: { index: 0 } } }] }]],
    ['chat', [{ choices: [{ delta: { tool_calls: [{ index: 0, function: { arguments: 5 } }] } }] }]],
  ])('%s %j is a malformed stream (retryable), never an internal error', async (api, events) => {
    const { error } = await normalize(api, events);
    expect(error).toBeInstanceOf(ModelError);
    expect(error).toMatchObject({ code: 'stream_dropped', retryable: true });
    expect((error as Error).message).toMatch(/malformed streaming event \(.+\)/);
  });

  it('reports response.failed without a response object as a server error', async () => {
    const { error } = await normalize('responses', [{ type: 'response.failed' }]);
    expect(error).toMatchObject({ code: 'server', retryable: true, message: expect.stringContaining('The response failed.') });
  });

  it('treats an `error` event without the SSE event name like response.failed', async () => {
    const { error } = await normalize('responses', [{ type: 'error', code: 'rate_limit_exceeded', message: 'slow down' }]);
    expect(error).toMatchObject({ code: 'rate_limited', retryable: true });
  });

  it('takes usage that is not a count as 0 instead of passing NaN on', async () => {
    const { events } = await normalize('responses', [{ type: 'response.completed', response: { usage: { input_tokens: 'many', output_tokens: -1 } } }]);
    expect(events).toEqual([{ type: 'usage', usage: { inputTokens: 0, cachedInputTokens: 0, outputTokens: 0 } }, { type: 'done' }]);
  });

  it('accepts a chat tool call without an index (some providers omit it for a single call)', async () => {
    const { events, error } = await normalize('chat', [
      { id: 'c', choices: [{ delta: { tool_calls: [{ id: 'call_1', function: { name: 'exec_command', arguments: '{"cmd":"ls"}' } }] } }] },
      { id: 'c', choices: [{ delta: {}, finish_reason: 'tool_calls' }] },
    ]);
    expect(error).toBeUndefined();
    expect(events).toContainEqual({ type: 'function_call', callId: 'call_1', name: 'exec_command', arguments: '{"cmd":"ls"}' });
  });
});

function makeRequestLike() {
  return { model: 'm', instructions: 'i', input: [{ type: 'user' as const, text: 'hi' }], tools: [] };
}

async function waitUntil(condition: () => boolean, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
