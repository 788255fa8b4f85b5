// Each provider preset's wire shape, as a server in front of the mock received it: the URL path under the
// preset's own prefix (Azure's /openai/v1, OpenRouter's /api/v1), the wire API the preset uses, and the
// auth headers (a bearer token; Azure's `api-key` with no Authorization header; none for a local server
// without a key, the user's key as a bearer token when they stored one). Also the model list (`GET
// …/models`) with the same headers, and the metadata it yields. Real SDK, real sockets (no mocks).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createModelClient } from '../../../../src/core/model/createClient';
import { PROVIDERS, providerPreset, type ProviderId } from '../../../../src/shared/providers';
import { listModels } from '../../../../src/vscode/setup/modelList';
import { mock, startMockOpenAI, type MockOpenAI } from '../../../fixtures/mockOpenAI';
import { startProviderFront, type ProviderFront } from '../../../fixtures/providerFront';
import { collect, makeRequest } from './modelTestUtils';

let server: MockOpenAI;
let front: ProviderFront | undefined;
beforeAll(async () => {
  server = await startMockOpenAI();
});
afterAll(async () => {
  await server.close();
});
afterEach(async () => {
  await front?.close();
  front = undefined;
  server.requests.length = 0;
  server.setScript([]);
});

/** The path part of each preset's documented base URL (custom: any; tested at /v1). */
const PREFIX: Record<Exclude<ProviderId, 'vscode-lm'>, string> = {
  openai: '/v1',
  azure: '/openai/v1',
  openrouter: '/api/v1',
  ollama: '/v1',
  lmstudio: '/v1',
  vllm: '/v1',
  llamacpp: '/v1',
  custom: '/v1',
};

const KEY = 'sk-test-preset-key-0001';
const HTTP_PRESETS = PROVIDERS.filter((p) => p.api === 'openai').map((p) => p.id as Exclude<ProviderId, 'vscode-lm'>);

async function oneTurn(provider: Exclude<ProviderId, 'vscode-lm'>, apiKey: string) {
  const preset = providerPreset(provider);
  front = await startProviderFront({ prefix: PREFIX[provider], upstreamBaseUrl: server.baseUrl });
  server.enqueue({ steps: [mock.text('ok')] });
  const events = await collect(createModelClient({ wireApi: preset.wireApi, baseUrl: front.baseUrl, apiKey, provider }), makeRequest({ model: 'm-1' }));
  return { events, seen: front.requests, upstream: server.requests };
}

describe('every preset on the wire', () => {
  it('covers every preset that speaks HTTP', () => {
    expect(HTTP_PRESETS.sort()).toEqual(['azure', 'custom', 'llamacpp', 'lmstudio', 'ollama', 'openai', 'openrouter', 'vllm']);
  });

  it.each(HTTP_PRESETS)('%s: its path and wire API, its auth header', async (provider) => {
    const preset = providerPreset(provider);
    const { events, seen, upstream } = await oneTurn(provider, KEY);
    expect(events.some((e) => e.type === 'text.done' && e.text === 'ok')).toBe(true);
    expect(seen).toHaveLength(1);
    const request = seen[0]!;
    const endpoint = preset.wireApi === 'responses' ? '/responses' : '/chat/completions';
    expect(request).toMatchObject({ method: 'POST', path: `${PREFIX[provider]}${endpoint}`, query: '' });
    expect(upstream[0]!.path).toBe(`/v1${endpoint}`);
    // Nothing from the environment or the SDK's defaults that could leak to a third party.
    expect(request.headerNames).not.toContain('openai-organization');
    expect(request.headerNames).not.toContain('openai-project');
    if (preset.auth === 'api-key') {
      expect(request.apiKey).toBe(KEY);
      expect(request.authorization).toBeUndefined();
    } else {
      expect(request.authorization).toBe(`Bearer ${KEY}`);
      expect(request.apiKey).toBeUndefined();
    }
  });

  it('Azure: `api-key` header, no Authorization, no api-version query, the v1 path (no /deployments)', async () => {
    const { seen } = await oneTurn('azure', KEY);
    expect(seen[0]).toMatchObject({ path: '/openai/v1/responses', query: '', apiKey: KEY, authorization: undefined });
    expect(seen[0]!.headerNames).not.toContain('authorization');
  });

  it('Azure: a redirect is not followed, so the api-key header never reaches another server', async () => {
    const elsewhere: string[] = [];
    const thief = http.createServer((req, res) => {
      elsewhere.push(String(req.headers['api-key']));
      res.end('{}');
    });
    await new Promise<void>((resolve) => thief.listen(0, '127.0.0.1', resolve));
    const redirector = http.createServer((_req, res) => {
      res.writeHead(307, { location: `http://127.0.0.1:${(thief.address() as AddressInfo).port}/openai/v1/responses` });
      res.end();
    });
    await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
    try {
      const baseUrl = `http://127.0.0.1:${(redirector.address() as AddressInfo).port}/openai/v1`;
      const client = createModelClient({ wireApi: 'responses', baseUrl, apiKey: KEY, provider: 'azure' });
      await expect(collect(client, makeRequest())).rejects.toThrow();
      expect(elsewhere).toEqual([]);
    } finally {
      for (const s of [thief, redirector]) {
        s.closeAllConnections();
        await new Promise((resolve) => s.close(resolve));
      }
    }
  });

  it.each(HTTP_PRESETS.filter((p) => providerPreset(p).local))('%s without a key: no Authorization header at all', async (provider) => {
    const { seen } = await oneTurn(provider, '');
    expect(seen[0]!.headerNames).not.toContain('authorization');
    expect(seen[0]!.headerNames).not.toContain('api-key');
  });

  it('a preset found from the URL alone gets its auth style (no explicit provider)', async () => {
    // 127.0.0.1:<random port> is no preset's: custom, bearer.
    front = await startProviderFront({ prefix: '/v1', upstreamBaseUrl: server.baseUrl });
    server.enqueue({ steps: [mock.text('ok')] });
    await collect(createModelClient({ wireApi: 'chat', baseUrl: front.baseUrl, apiKey: KEY }), makeRequest());
    expect(front.requests[0]!.authorization).toBe(`Bearer ${KEY}`);
  });
});

describe('the model list per preset', () => {
  it('Azure lists with the `api-key` header and no bearer token', async () => {
    front = await startProviderFront({ prefix: '/openai/v1', upstreamBaseUrl: server.baseUrl, models: { data: [{ id: 'my-deployment' }] } });
    const listed = await listModels(front.baseUrl, KEY, undefined, 'api-key');
    expect(listed).toMatchObject({ ok: true, models: ['my-deployment'] });
    expect(front.requests[0]).toMatchObject({ method: 'GET', path: '/openai/v1/models', apiKey: KEY, authorization: undefined });
  });

  it('OpenRouter: context length, image input, tools and structured output from its listing', async () => {
    front = await startProviderFront({
      prefix: '/api/v1',
      upstreamBaseUrl: server.baseUrl,
      models: {
        data: [
          { id: 'acme/vision-tools', context_length: 262_144, architecture: { input_modalities: ['text', 'image'] }, supported_parameters: ['tools', 'tool_choice', 'structured_outputs'] },
          { id: 'acme/text-only', context_length: 32_768, architecture: { input_modalities: ['text'] }, supported_parameters: ['temperature'] },
        ],
      },
    });
    const listed = await listModels(front.baseUrl, KEY);
    expect(front.requests[0]).toMatchObject({ path: '/api/v1/models', authorization: `Bearer ${KEY}` });
    if (!listed.ok) throw new Error(listed.reason);
    expect(listed.facts.get('acme/vision-tools')).toEqual({ contextWindow: 262_144, imageInput: true, toolCalling: true, structuredOutput: true });
    expect(listed.facts.get('acme/text-only')).toEqual({ contextWindow: 32_768, imageInput: false, toolCalling: false, structuredOutput: false });
  });

  it.each<[string, string, unknown, number]>([
    ['vLLM (max_model_len)', 'vllm', { object: 'list', data: [{ id: 'Qwen/Qwen3-8B', object: 'model', owned_by: 'vllm', max_model_len: 40_960 }] }, 40_960],
    ['llama.cpp (meta.n_ctx_train)', 'llamacpp', { object: 'list', data: [{ id: 'model.gguf', object: 'model', meta: { n_ctx_train: 32_768, n_vocab: 151_936 } }] }, 32_768],
    ['LM Studio (loaded_context_length)', 'lmstudio', { data: [{ id: 'qwen3-8b', type: 'llm', max_context_length: 40_960, loaded_context_length: 8_192 }] }, 8_192],
  ])('%s: the window the local server states, without a key header', async (_name, provider, body, window) => {
    front = await startProviderFront({ prefix: '/v1', upstreamBaseUrl: server.baseUrl, models: body });
    const listed = await listModels(front.baseUrl, undefined, undefined, providerPreset(provider as ProviderId).auth);
    if (!listed.ok) throw new Error(listed.reason);
    expect([...listed.facts.values()][0]?.contextWindow).toBe(window);
    expect(front.requests[0]!.headerNames).not.toContain('authorization');
  });
});
