// Local servers on their default ports: only loopback presets are probed, with no key; only a real model
// list counts (HTML, errors and silence are not offered); and the model facts a session uses are asked of
// the configured server once, only for providers whose list states them. Real HTTP servers on 127.0.0.1.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { findLocalServers, localPresets } from '../../../src/vscode/setup/localServers';
import { forgetListedModels, rememberListedModels, serverModelFacts } from '../../../src/vscode/setup/listedModels';

const servers: http.Server[] = [];
const seen: { url: string; auth: string | undefined }[] = [];

async function serve(handler: (res: http.ServerResponse) => void): Promise<string> {
  const server = http.createServer((req, res) => {
    seen.push({ url: req.url ?? '', auth: req.headers.authorization });
    handler(res);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
}
const json = (body: unknown) => (res: http.ServerResponse) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  seen.length = 0;
  forgetListedModels();
});

describe('findLocalServers', () => {
  it('probes the four local presets on their default loopback ports only', () => {
    expect(localPresets()).toEqual([
      { provider: 'ollama', baseUrl: 'http://localhost:11434/v1' },
      { provider: 'lmstudio', baseUrl: 'http://localhost:1234/v1' },
      { provider: 'vllm', baseUrl: 'http://localhost:8000/v1' },
      { provider: 'llamacpp', baseUrl: 'http://localhost:8080/v1' },
    ]);
  });

  it('offers the servers that answer with a model list, asked without a key', async () => {
    const vllm = await serve(json({ object: 'list', data: [{ id: 'Qwen/Qwen3-8B', max_model_len: 40_960 }] }));
    const html = await serve((res) => res.end('<html>a web app on this port</html>'));
    const failing = await serve((res) => (res.writeHead(500), res.end()));
    const found = await findLocalServers(undefined, [
      { provider: 'vllm', baseUrl: vllm },
      { provider: 'llamacpp', baseUrl: html },
      { provider: 'ollama', baseUrl: failing },
    ]);
    expect(found).toEqual([{ provider: 'vllm', baseUrl: vllm, models: ['Qwen/Qwen3-8B'] }]);
    expect(seen.map((s) => s.url).sort()).toEqual(['/v1/models', '/v1/models', '/v1/models']);
    expect(seen.every((s) => s.auth === undefined)).toBe(true);
  });

  it('never probes a preset that is not on loopback, whoever asks', async () => {
    const local = await serve(json({ data: [{ id: 'm' }] }));
    const port = new URL(local).port;
    const found = await findLocalServers(undefined, [
      { provider: 'ollama', baseUrl: `http://localhost.evil.example:${port}/v1` },
      { provider: 'vllm', baseUrl: `http://127.0.0.1.nip.io:${port}/v1` },
    ]);
    expect(found).toEqual([]);
    expect(seen).toEqual([]);
  });

  it('stops when cancelled (the picker closed) without throwing', async () => {
    const silent = await serve(() => undefined);
    const cancel = new AbortController();
    const pending = findLocalServers(cancel.signal, [{ provider: 'ollama', baseUrl: silent }]);
    cancel.abort();
    expect(await pending).toEqual([]);
  });
});

describe('serverModelFacts', () => {
  it('asks the configured server once and remembers the answer', async () => {
    const url = await serve(json({ data: [{ id: 'acme/m', context_length: 65_536, supported_parameters: ['tools'] }] }));
    const target = { provider: 'custom' as const, baseUrl: url };
    expect(await serverModelFacts(target, 'acme/m', 'sk-test-abc')).toEqual({ contextWindow: 65_536, toolCalling: true, structuredOutput: false });
    expect(await serverModelFacts(target, 'other', 'sk-test-abc')).toBeUndefined();
    expect(seen).toEqual([{ url: '/v1/models', auth: 'Bearer sk-test-abc' }]);
  });

  it('uses what the picker listed without asking, and asks nothing of providers whose list has no facts', async () => {
    const url = await serve(json({ data: [] }));
    rememberListedModels({ provider: 'custom', baseUrl: url }, new Map([['m', { contextWindow: 8_192 }]]));
    expect(await serverModelFacts({ provider: 'custom', baseUrl: url }, 'm', '')).toEqual({ contextWindow: 8_192 });
    expect(await serverModelFacts({ provider: 'ollama', baseUrl: url }, 'm', '')).toBeUndefined();
    expect(await serverModelFacts({ provider: 'openai', baseUrl: url }, 'm', 'sk-x')).toBeUndefined();
    expect(seen).toEqual([]);
  });
});
