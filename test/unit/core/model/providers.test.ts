// Both providers against the scripted mock over real HTTP with the real SDK: streaming, tool calls,
// usage, and every failure mode the agent has to explain or survive.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createModelClient, type WireApi } from '../../../../src/core/model/createClient';
import { ModelError } from '../../../../src/core/model/errors';
import { mock, startMockOpenAI, type MockOpenAI } from '../../../fixtures/mockOpenAI';
import { collect, makeRequest, thrown } from './modelTestUtils';

const API_KEY = 'sk-test-SECRET-0123456789abcdef';
let server: MockOpenAI;

beforeAll(async () => {
  server = await startMockOpenAI();
});
afterAll(async () => {
  await server.close();
});
afterEach(() => {
  server.requests.length = 0;
  server.setScript([]);
});

describe.each<WireApi>(['responses', 'chat'])('%s provider', (wireApi) => {
  const client = () => createModelClient({ wireApi, baseUrl: server.baseUrl, apiKey: API_KEY });
  const path = wireApi === 'responses' ? '/v1/responses' : '/v1/chat/completions';

  it('streams text as deltas of one stable item, then text.done, usage and done', async () => {
    server.enqueue({ steps: [mock.text('Hello there, world.')], usage: { inputTokens: 1200, cachedInputTokens: 1024, outputTokens: 9 } });
    const events = await collect(client());
    const deltas = events.filter((e) => e.type === 'text.delta');
    expect(deltas.map((e) => e.delta)).toEqual(['Hello', ' there,', ' world.']);
    expect(new Set(deltas.map((e) => e.itemId)).size).toBe(1);
    const done = events.find((e) => e.type === 'text.done');
    expect(done).toEqual({ type: 'text.done', itemId: deltas[0]!.itemId, text: 'Hello there, world.' });
    expect(events).toContainEqual({ type: 'usage', usage: { inputTokens: 1200, cachedInputTokens: 1024, outputTokens: 9 } });
    expect(events.at(-1)).toEqual({ type: 'done' });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.path).toBe(path);
    expect(server.requests[0]!.hasAuthorization).toBe(true);
    expect(JSON.stringify(server.requests[0]!.headers)).not.toContain('SECRET');
  });

  it('returns a function call with its streamed arguments reassembled', async () => {
    server.enqueue({ steps: [mock.text('Let me look.'), mock.call('exec_command', { cmd: 'ls -la' }, 'call_A')] });
    const events = await collect(client());
    expect(events.filter((e) => e.type === 'function_call')).toEqual([{ type: 'function_call', callId: 'call_A', name: 'exec_command', arguments: '{"cmd":"ls -la"}' }]);
    expect(events.findIndex((e) => e.type === 'text.done')).toBeLessThan(events.findIndex((e) => e.type === 'function_call'));
  });

  it('returns parallel tool calls in order', async () => {
    server.enqueue({ steps: [mock.call('exec_command', { cmd: 'ls' }, 'c1'), mock.call('exec_command', { cmd: 'pwd' }, 'c2'), mock.call('exec_command', { cmd: 'id' }, 'c3')] });
    const calls = (await collect(client())).filter((e) => e.type === 'function_call');
    expect(calls.map((c) => [c.callId, c.arguments])).toEqual([
      ['c1', '{"cmd":"ls"}'],
      ['c2', '{"cmd":"pwd"}'],
      ['c3', '{"cmd":"id"}'],
    ]);
  });

  it('sends the same bytes for the same request (prompt-cache prefix stability)', async () => {
    server.enqueue({ steps: [mock.text('a')] }, { steps: [mock.text('b')] });
    const request = makeRequest({
      input: [
        { type: 'user', text: 'hi', images: [{ mediaType: 'image/png', dataBase64: 'iVBORw0KGgo=' }] },
        { type: 'assistant', text: 'Running it.' },
        { type: 'function_call', callId: 'c1', name: 'exec_command', arguments: '{"cmd":"ls"}' },
        { type: 'tool_output', callId: 'c1', output: 'a.txt' },
      ],
    });
    await collect(client(), request);
    await collect(client(), structuredClone(request));
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]!.rawBody).toBe(server.requests[0]!.rawBody);
    const body = server.requests[0]!.body as Record<string, unknown>;
    expect(body.prompt_cache_key).toBe('session-123');
    expect(body.stream).toBe(true);
    expect(body.parallel_tool_calls).toBe(true);
  });

  it('explains a 401 without leaking the key and does not retry it', async () => {
    server.enqueue(mock.error(401));
    const error = await thrown(() => collect(client()));
    expect(error).toBeInstanceOf(ModelError);
    expect(error).toMatchObject({ code: 'auth', retryable: false, status: 401 });
    expect((error as Error).message).toContain('Set API Key');
    expect((error as Error).message).not.toContain('SECRET');
  });

  it('classifies 429 with Retry-After as retryable and reads the delay', async () => {
    server.enqueue(mock.error(429, { retryAfter: '7' }));
    const error = await thrown(() => collect(client()));
    expect(error).toMatchObject({ code: 'rate_limited', retryable: true, retryAfterMs: 7000, status: 429 });
  });

  it('classifies 5xx as a retryable server error and 400 context_length_exceeded as context_length', async () => {
    server.enqueue(mock.error(503), mock.error(400, { code: 'context_length_exceeded', message: "This model's maximum context length is 128000 tokens." }));
    expect(await thrown(() => collect(client()))).toMatchObject({ code: 'server', retryable: true, status: 503 });
    expect(await thrown(() => collect(client()))).toMatchObject({ code: 'context_length', retryable: false });
  });

  it('fails requests without an API key as no_api_key, without contacting the server', async () => {
    const error = await thrown(() => collect(createModelClient({ wireApi, baseUrl: server.baseUrl, apiKey: '' })));
    expect(error).toMatchObject({ code: 'no_api_key' });
    expect(server.requests).toHaveLength(0);
  });

  it('names the base URL when nothing listens there', async () => {
    const closed = await startMockOpenAI();
    const baseUrl = closed.baseUrl;
    await closed.close();
    const error = await thrown(() => collect(createModelClient({ wireApi, baseUrl, apiKey: API_KEY })));
    expect(error).toMatchObject({ code: 'connection', retryable: false });
    expect((error as Error).message).toContain(baseUrl);
    expect((error as Error).message).toContain('tandem.baseUrl');
  });

  it('reports a connection dropped mid-stream as stream_dropped, flagged as after output', async () => {
    server.enqueue({ steps: [mock.text('one two three four five')], dropAfterDeltas: 2 });
    const events: string[] = [];
    const error = await thrown(async () => {
      for await (const e of client().stream(makeRequest(), new AbortController().signal)) events.push(e.type);
    });
    expect(events).toEqual(['text.delta', 'text.delta']);
    expect(error).toMatchObject({ code: 'stream_dropped', retryable: true, outputProduced: true });
  });

  it('reports a stream that ends without its completion event as stream_dropped', async () => {
    server.enqueue({ steps: [], omitCompletion: true });
    expect(await thrown(() => collect(client()))).toMatchObject({ code: 'stream_dropped', outputProduced: false });
  });

  it('reports a malformed event clearly', async () => {
    server.enqueue({ steps: [{ type: 'malformed' }] });
    const error = await thrown(() => collect(client()));
    expect(error).toMatchObject({ code: 'stream_dropped', retryable: true });
    expect((error as Error).message).toMatch(/malformed/);
  });

  it('classifies an error reported inside the stream', async () => {
    server.enqueue({ steps: [{ type: 'fail', code: 'server_error', message: 'The model crashed.' }] });
    const error = await thrown(() => collect(client()));
    expect(error).toMatchObject({ code: 'server', retryable: true });
    expect((error as Error).message).toContain('The model crashed.');
  });

  it('stops promptly on abort mid-stream and rethrows the abort reason, not a ModelError', async () => {
    server.enqueue({ steps: [mock.text('a b c d e f g h i j k l m n o p')], deltaDelayMs: 200 });
    const controller = new AbortController();
    const reason = new Error('user pressed Stop');
    const started = Date.now();
    const error = await thrown(async () => {
      for await (const e of client().stream(makeRequest(), controller.signal)) {
        if (e.type === 'text.delta') controller.abort(reason);
      }
    });
    expect(error).toBe(reason);
    expect(Date.now() - started).toBeLessThan(1500);
    await expect.poll(() => server.requests[0]?.clientAborted).toBe(true);
  });

  it('stops promptly when aborted while the server hangs before the first byte', async () => {
    server.enqueue({ firstByteDelayMs: 10_000, steps: [mock.text('late')] });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    const error = await thrown(() => collect(client(), makeRequest(), controller.signal));
    expect((error as Error).name).toBe('AbortError');
    expect(error).not.toBeInstanceOf(ModelError);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('stops promptly when aborted while the stream hangs', async () => {
    server.enqueue({ steps: [mock.text('partial'), { type: 'hang' }] });
    const controller = new AbortController();
    const events: string[] = [];
    const error = await thrown(async () => {
      for await (const e of client().stream(makeRequest(), controller.signal)) {
        events.push(e.type);
        setTimeout(() => controller.abort(), 50);
      }
    });
    expect(events[0]).toBe('text.delta');
    expect((error as Error).name).toBe('AbortError');
  });
});
