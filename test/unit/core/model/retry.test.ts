// streamWithRetry over the real mock (429 → success, 5xx exhaustion) and with scripted fake clients for
// the edge cases (no retry after output, abortable waits, backoff arithmetic). Sleeps are injected.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createModelClient, type WireApi } from '../../../../src/core/model/createClient';
import { ModelError } from '../../../../src/core/model/errors';
import { abortableSleep, retryDelay, streamWithRetry, type RetryOptions } from '../../../../src/core/model/retry';
import type { ModelClient, ModelStreamEvent } from '../../../../src/core/model/types';
import { mock, startMockOpenAI, type MockOpenAI } from '../../../fixtures/mockOpenAI';
import { makeRequest, thrown } from './modelTestUtils';

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

function recorder() {
  const sleeps: number[] = [];
  const retries: [number, number, string][] = [];
  const options: RetryOptions = {
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    onRetry: (attempt, delayMs, reason) => retries.push([attempt, delayMs, reason]),
    random: () => 0.5,
  };
  return { sleeps, retries, options };
}

async function drain(stream: AsyncIterable<ModelStreamEvent>): Promise<ModelStreamEvent[]> {
  const out: ModelStreamEvent[] = [];
  for await (const e of stream) out.push(e);
  return out;
}

describe.each<WireApi>(['responses', 'chat'])('streamWithRetry over %s', (wireApi) => {
  const client = () => createModelClient({ wireApi, baseUrl: server.baseUrl, apiKey: 'sk-x' });

  it('waits the Retry-After of a 429, then succeeds', async () => {
    server.enqueue(mock.error(429, { retryAfter: '3' }), { steps: [mock.text('recovered')] });
    const { sleeps, retries, options } = recorder();
    const events = await drain(streamWithRetry(client(), makeRequest(), new AbortController().signal, options));
    expect(events.find((e) => e.type === 'text.done')).toMatchObject({ text: 'recovered' });
    expect(sleeps).toEqual([3000]);
    expect(retries).toHaveLength(1);
    expect(retries[0]!.slice(0, 2)).toEqual([1, 3000]);
    expect(retries[0]![2]).toMatch(/Rate limited/);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]!.rawBody).toBe(server.requests[0]!.rawBody);
  });

  it('retries a 500 with exponential backoff, then explains the failure', async () => {
    server.enqueue(...Array.from({ length: 5 }, () => mock.error(500)));
    const { sleeps, options } = recorder();
    const error = await thrown(() => drain(streamWithRetry(client(), makeRequest(), new AbortController().signal, { ...options, baseDelayMs: 100 })));
    expect(error).toMatchObject({ code: 'server', status: 500 });
    expect((error as Error).message).toContain(server.baseUrl);
    expect(sleeps).toEqual([100, 200, 400, 800]);
    expect(server.requests).toHaveLength(5);
  });

  it('does not retry a drop after output reached the caller', async () => {
    server.enqueue({ steps: [mock.text('one two three')], dropAfterDeltas: 1 }, { steps: [mock.text('never')] });
    const { sleeps, options } = recorder();
    const seen: string[] = [];
    const error = await thrown(async () => {
      for await (const e of streamWithRetry(client(), makeRequest(), new AbortController().signal, options)) seen.push(e.type);
    });
    expect(error).toMatchObject({ code: 'stream_dropped' });
    expect(seen).toEqual(['text.delta']);
    expect(sleeps).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  it('retries a drop before any output', async () => {
    server.enqueue({ steps: [{ type: 'drop' }] }, { steps: [mock.text('second try')] });
    const { sleeps, options } = recorder();
    const events = await drain(streamWithRetry(client(), makeRequest(), new AbortController().signal, options));
    expect(events.find((e) => e.type === 'text.done')).toMatchObject({ text: 'second try' });
    expect(sleeps).toHaveLength(1);
  });

  it('does not retry auth errors', async () => {
    server.enqueue(mock.error(401), { steps: [mock.text('never')] });
    const { sleeps, options } = recorder();
    expect(await thrown(() => drain(streamWithRetry(client(), makeRequest(), new AbortController().signal, options)))).toMatchObject({ code: 'auth' });
    expect(sleeps).toEqual([]);
  });
});

describe('streamWithRetry edge cases', () => {
  const failing = (errors: ModelError[]): ModelClient => ({
    // eslint-disable-next-line require-yield
    async *stream() {
      throw errors.shift() ?? new Error('unexpected call');
    },
  });

  it('caps Retry-After and stops waiting when aborted', async () => {
    const controller = new AbortController();
    const reason = new Error('stop');
    const delays: number[] = [];
    const client = failing([new ModelError('rate_limited', 'slow down', { retryable: true, retryAfterMs: 3_600_000 })]);
    const error = await thrown(() =>
      drain(
        streamWithRetry(client, makeRequest(), controller.signal, {
          onRetry: (_a, delayMs) => {
            delays.push(delayMs);
            setTimeout(() => controller.abort(reason), 10);
          },
        }),
      ),
    );
    expect(delays).toEqual([60_000]);
    expect(error).toBe(reason);
  });

  it('does not retry errors that are not ModelErrors', async () => {
    const client: ModelClient = {
      // eslint-disable-next-line require-yield
      async *stream() {
        throw new TypeError('bug');
      },
    };
    const { sleeps, options } = recorder();
    expect(await thrown(() => drain(streamWithRetry(client, makeRequest(), new AbortController().signal, options)))).toBeInstanceOf(TypeError);
    expect(sleeps).toEqual([]);
  });

  it('computes jittered exponential delays within bounds', () => {
    const error = new ModelError('server', 'x', { retryable: true });
    expect(retryDelay(1, error, { baseDelayMs: 1000, random: () => 0 })).toBe(750);
    expect(retryDelay(3, error, { baseDelayMs: 1000, random: () => 0.999 })).toBe(Math.round(4000 * 1.2495));
    expect(retryDelay(10, error, { baseDelayMs: 1000, maxDelayMs: 5000, random: () => 0.5 })).toBe(5000);
  });

  it('abortableSleep resolves after the delay and rejects immediately on abort', async () => {
    await abortableSleep(5, new AbortController().signal);
    const controller = new AbortController();
    const pending = abortableSleep(60_000, controller.signal);
    controller.abort();
    expect(((await thrown(() => pending)) as Error).name).toBe('AbortError');
  });
});
