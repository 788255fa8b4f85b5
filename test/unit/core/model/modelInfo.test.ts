// Per-model metadata: the known-models table, what `/models` entries state in each provider's documented
// shape (and what hostile or odd entries must not make it say), the order of sources, and the guard that
// uses it: no images to a model without image input (the model is told why), no request at all to a model
// without tool calling (an error naming the cause). Requests go to the mock server over real HTTP.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createModelClient } from '../../../../src/core/model/createClient';
import { ModelError } from '../../../../src/core/model/errors';
import { DEFAULT_MODEL_INFO, knownModelFacts, modelFactsFromListing, modelFactsFromSetting, resolveModelInfo, validContextWindow } from '../../../../src/core/model/modelInfo';
import { mock, startMockOpenAI, type MockOpenAI } from '../../../fixtures/mockOpenAI';
import { collect, makeRequest, thrown } from './modelTestUtils';

describe('known models and defaults', () => {
  it.each<[string, number, boolean]>([
    ['gpt-5.5', 400_000, true],
    ['openai/gpt-4.1-mini', 1_047_576, true],
    ['anthropic/claude-sonnet-4', 200_000, true],
    ['deepseek-chat', 128_000, false],
    ['qwen2.5-vl-72b', 128_000, true],
    ['llava:13b', 4_096, true],
  ])('%s: %i tokens, image input %s', (model, window, images) => {
    expect(resolveModelInfo(model)).toMatchObject({ contextWindow: window, imageInput: images });
  });

  it('gives an unknown model the safe defaults: 128k, tools assumed, no images, no structured output', () => {
    expect(knownModelFacts('my-finetune')).toBeUndefined();
    expect(resolveModelInfo('my-finetune')).toEqual({ contextWindow: 128_000, imageInput: false, toolCalling: true, structuredOutput: false });
    expect(DEFAULT_MODEL_INFO.toolCalling).toBe(true);
  });

  it('lets the user override beat the server, and the server beat the table', () => {
    expect(resolveModelInfo('gpt-5.5', { server: { contextWindow: 272_000 } }).contextWindow).toBe(272_000);
    expect(resolveModelInfo('gpt-5.5', { server: { contextWindow: 272_000 }, override: { contextWindow: 50_000 } }).contextWindow).toBe(50_000);
    expect(resolveModelInfo('my-vlm', { override: { imageInput: true } })).toMatchObject({ imageInput: true, toolCalling: true });
    // An unset fact from a source does not erase a known one.
    expect(resolveModelInfo('gpt-5.5', { server: { contextWindow: undefined } }).contextWindow).toBe(400_000);
  });
});

describe('what a /models entry states', () => {
  it('reads Ollama-style capability lists: tools and vision when listed, no tools when they are missing', () => {
    expect(modelFactsFromListing({ id: 'qwen3:8b', capabilities: ['completion', 'tools'] })).toEqual({ toolCalling: true });
    expect(modelFactsFromListing({ id: 'gemma:2b', capabilities: ['completion'] })).toEqual({ toolCalling: false });
    expect(modelFactsFromListing({ id: 'llava', capabilities: ['completion', 'vision'] })).toEqual({ imageInput: true, toolCalling: false });
  });

  it('reads LM Studio types (vlm = image input)', () => {
    expect(modelFactsFromListing({ id: 'x', type: 'vlm', max_context_length: 32_768 })).toEqual({ contextWindow: 32_768, imageInput: true });
    expect(modelFactsFromListing({ id: 'x', type: 'llm' })).toEqual({ imageInput: false });
  });

  it('states nothing it was not told (OpenAI lists ids only)', () => {
    expect(modelFactsFromListing({ id: 'gpt-5.5', object: 'model', owned_by: 'openai' })).toEqual({});
  });

  it.each<[string, unknown]>([
    ['a string window', { context_length: '999999999' }],
    ['a negative window', { max_model_len: -5 }],
    ['NaN', { context_length: Number.NaN }],
    ['an absurd window', { context_length: 1e12 }],
    ['a tiny window', { context_length: 10 }],
    ['modalities that are not a list', { architecture: { input_modalities: 'image' } }],
    ['parameters that are not strings', { supported_parameters: [{ tools: true }] }],
    ['a list instead of an entry', [{ context_length: 1_000_000 }]],
    ['null', null],
  ])('ignores %s', (_name, entry) => {
    const facts = modelFactsFromListing(entry);
    expect(facts.contextWindow).toBeUndefined();
    expect(facts.imageInput).toBeUndefined();
    expect(facts.toolCalling).toBeUndefined();
  });

  it('checks user overrides the same way', () => {
    expect(modelFactsFromSetting({ contextWindow: 32_000, imageInput: true, toolCalling: 'yes' })).toEqual({ contextWindow: 32_000, imageInput: true });
    expect(modelFactsFromSetting('nope')).toEqual({});
    expect(validContextWindow(8_192.7)).toBe(8_192);
  });
});

describe('the capability guard in front of the client', () => {
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

  const image = { mediaType: 'image/png', dataBase64: 'AAAA' };

  it('does not send images to a model without image input, and tells the model why', async () => {
    server.enqueue({ steps: [mock.text('ok')] });
    const client = createModelClient({ wireApi: 'chat', baseUrl: server.baseUrl, apiKey: 'sk-x', modelInfo: { ...DEFAULT_MODEL_INFO, imageInput: false } });
    await collect(client, makeRequest({ model: 'text-only', input: [{ type: 'user', text: 'What is in this screenshot?', images: [image, image] }] }));
    const raw = server.requests[0]!.rawBody;
    expect(raw).not.toContain('data:image');
    expect(raw).not.toContain('image_url');
    expect(raw).toContain('What is in this screenshot?');
    expect(raw).toContain('2 images were attached but not sent: the model \\"text-only\\"');
  });

  it('sends images to a model with image input', async () => {
    server.enqueue({ steps: [mock.text('ok')] });
    const client = createModelClient({ wireApi: 'responses', baseUrl: server.baseUrl, apiKey: 'sk-x', modelInfo: { ...DEFAULT_MODEL_INFO, imageInput: true } });
    await collect(client, makeRequest({ input: [{ type: 'user', text: 'Look.', images: [image] }] }));
    expect(server.requests[0]!.rawBody).toContain('data:image/png;base64,AAAA');
  });

  it('refuses a turn with tools for a model without tool calling, naming the cause, before anything is sent', async () => {
    const client = createModelClient({ wireApi: 'chat', baseUrl: 'http://localhost:11434/v1', apiKey: '', modelInfo: { ...DEFAULT_MODEL_INFO, toolCalling: false } });
    const error = await thrown(() => collect(client, makeRequest({ model: 'gemma:2b' })));
    expect(error).toBeInstanceOf(ModelError);
    expect((error as ModelError).code).toBe('bad_request');
    expect((error as ModelError).message).toMatch(/"gemma:2b" on Ollama does not support tool calling/);
  });

  it("keeps the provider's own compaction reachable behind the guard, without images", async () => {
    const client = createModelClient({ wireApi: 'responses', baseUrl: server.baseUrl, apiKey: 'sk-x', modelInfo: { ...DEFAULT_MODEL_INFO, imageInput: false } });
    expect(client.compact).toBeTypeOf('function');
    await client.compact!({ model: 'm', instructions: 'i', input: [{ type: 'user', text: 'hi', images: [image] }] }, new AbortController().signal);
    const sent = server.requests.find((r) => r.path === '/v1/responses/compact');
    expect(sent).toBeDefined();
    expect(sent!.rawBody).not.toContain('data:image');
    expect(sent!.rawBody).toContain('attached but not sent');
  });

  it('lets a tool-less request (a summary) through to such a model', async () => {
    server.enqueue({ steps: [mock.text('summary')] });
    const client = createModelClient({ wireApi: 'chat', baseUrl: server.baseUrl, apiKey: 'sk-x', modelInfo: { ...DEFAULT_MODEL_INFO, toolCalling: false } });
    const events = await collect(client, makeRequest({ tools: [] }));
    expect(events.some((e) => e.type === 'text.done')).toBe(true);
  });
});
