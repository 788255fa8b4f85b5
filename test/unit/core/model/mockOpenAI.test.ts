// The mock itself: wire framing, the request log, control endpoints, and the standalone CLI entry.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mock, scriptFromJson, startMockOpenAI, type MockOpenAI } from '../../../fixtures/mockOpenAI';

let server: MockOpenAI;
beforeAll(async () => {
  server = await startMockOpenAI();
});
afterAll(async () => {
  await server.close();
});

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

describe('mock OpenAI server', () => {
  it('streams Responses events with event names and sequence numbers, ending in response.completed', async () => {
    server.enqueue({ steps: [mock.text('hi there')] });
    const res = await post(`${server.baseUrl}/responses`, { model: 'm', stream: true }, { authorization: 'Bearer sk-secret' });
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const text = await res.text();
    const events = [...text.matchAll(/^event: (.+)$/gm)].map((m) => m[1]);
    expect(events[0]).toBe('response.created');
    expect(events.at(-1)).toBe('response.completed');
    expect(events.filter((e) => e === 'response.output_text.delta')).toHaveLength(2);
    const seqs = [...text.matchAll(/"sequence_number":(\d+)/g)].map((m) => Number(m[1]));
    expect(seqs).toEqual(seqs.map((_, i) => i));
    const record = server.requests.at(-1)!;
    expect(record).toMatchObject({ path: '/v1/responses', hasAuthorization: true, body: { model: 'm', stream: true } });
    expect(JSON.stringify(record)).not.toContain('sk-secret');
  });

  it('streams chat chunks, a usage chunk only when asked, then [DONE]', async () => {
    server.enqueue({ steps: [mock.text('yo')] }, { steps: [mock.text('yo')] });
    const withUsage = await (await post(`${server.baseUrl}/chat/completions`, { model: 'm', stream: true, stream_options: { include_usage: true } })).text();
    const without = await (await post(`${server.baseUrl}/chat/completions`, { model: 'm', stream: true })).text();
    expect(withUsage).toContain('"prompt_tokens_details":{"cached_tokens":0');
    expect(withUsage.trimEnd().endsWith('data: [DONE]')).toBe(true);
    expect(without).not.toContain('prompt_tokens');
    expect(without).toContain('"finish_reason":"stop"');
  });

  it('answers scripted HTTP errors with their headers and an exhausted queue with a 500', async () => {
    server.enqueue(mock.error(429, { retryAfter: '2' }));
    const limited = await post(`${server.baseUrl}/responses`, { stream: true });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('2');
    expect(await limited.json()).toMatchObject({ error: { code: 'rate_limit_exceeded' } });
    const exhausted = await post(`${server.baseUrl}/responses`, { stream: true });
    expect(exhausted.status).toBe(500);
    expect(await exhausted.text()).toContain('no scripted response left');
  });

  it('is scriptable over HTTP and validates scripts', async () => {
    const origin = server.baseUrl.replace(/\/v1$/, '');
    const res = await post(`${origin}/__script`, { responses: [{ steps: [{ type: 'text', text: 'x' }] }] });
    expect(await res.json()).toEqual({ queued: 1 });
    expect(server.pending()).toBe(1);
    const log = (await (await fetch(`${origin}/__requests`)).json()) as unknown[];
    expect(log.length).toBe(server.requests.length);
    expect(() => scriptFromJson([{ steps: [{ type: 'bogus' }] }])).toThrow(/unknown step type/);
    expect(() => scriptFromJson({})).toThrow();
    server.setScript([]);
  });

  it('runs standalone: prints LISTENING <url> and serves the scenario file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tandem-mock-'));
    const scenario = join(dir, 'scenario.json');
    writeFileSync(scenario, JSON.stringify([{ steps: [{ type: 'text', text: 'from file' }] }]));
    const entry = resolve(__dirname, '../../../fixtures/mockOpenAIServer.ts');
    const child = spawn(process.execPath, ['--disable-warning=MODULE_TYPELESS_PACKAGE_JSON', entry, '--script', scenario], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((done, fail) => {
        let out = '';
        let err = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const match = /LISTENING (\S+)/.exec(out);
          if (match) done(match[1]!);
        });
        child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
        child.on('exit', (code) => fail(new Error(`mock exited with ${code}: ${err}`)));
      });
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
      const text = await (await post(`${url}/chat/completions`, { model: 'm', stream: true })).text();
      expect(text).toContain('"content":" file"');
    } finally {
      child.kill('SIGTERM');
    }
  });
});
