// Provider errors say which failure it is (key, quota, unknown model, no tool support) and whose server
// answered, with the messages real servers send (OpenAI, Azure, OpenRouter, Ollama, vLLM, llama.cpp), both
// classified directly and end to end through the SDK against the mock server.
import { APIError } from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createModelClient } from '../../../../src/core/model/createClient';
import { classifyError, serverLabel, type ModelError } from '../../../../src/core/model/errors';
import { mock, startMockOpenAI, type MockOpenAI } from '../../../fixtures/mockOpenAI';
import { collect, makeRequest, thrown } from './modelTestUtils';

const apiError = (status: number, message: string, code?: string) => APIError.generate(status, { error: { message, ...(code ? { code } : {}) } }, undefined, new Headers());

describe('whose server answered', () => {
  it.each([
    ['https://api.openai.com/v1', 'OpenAI (https://api.openai.com/v1)'],
    ['https://res.openai.azure.com/openai/v1', 'Azure OpenAI (https://res.openai.azure.com/openai/v1)'],
    ['https://openrouter.ai/api/v1', 'OpenRouter (https://openrouter.ai/api/v1)'],
    ['http://localhost:11434/v1', 'Ollama (http://localhost:11434/v1)'],
    ['http://localhost:8000/v1', 'vLLM (http://localhost:8000/v1)'],
    ['http://localhost:8080/v1', 'llama.cpp server (http://localhost:8080/v1)'],
    ['https://llm.example/v1', 'the API at https://llm.example/v1'],
  ])('%s is %s', (url, label) => {
    expect(serverLabel(url)).toBe(label);
  });
});

describe('which failure it is', () => {
  it.each<[string, string, APIError, ModelError['code'], RegExp]>([
    ['OpenAI: a bad key', 'https://api.openai.com/v1', apiError(401, 'Incorrect API key provided.'), 'auth', /^OpenAI \(https:\/\/api\.openai\.com\/v1\) rejected the API key \(401/],
    ['Azure: a bad key', 'https://res.openai.azure.com/openai/v1', apiError(401, 'Access denied due to invalid subscription key.'), 'auth', /^Azure OpenAI .* rejected the API key/],
    ['OpenAI: quota', 'https://api.openai.com/v1', apiError(429, 'You exceeded your current quota.', 'insufficient_quota'), 'rate_limited', /^OpenAI .* quota or credits are exhausted/],
    ['OpenRouter: no credits (402)', 'https://openrouter.ai/api/v1', apiError(402, 'Insufficient credits.'), 'rate_limited', /^OpenRouter .* quota or credits are exhausted/],
    ['OpenAI: unknown model', 'https://api.openai.com/v1', apiError(404, 'The model `gpt-9` does not exist or you do not have access to it.', 'model_not_found'), 'bad_request', /^OpenAI .* does not know the model in tandem\.model/],
    ['Azure: unknown deployment', 'https://res.openai.azure.com/openai/v1', apiError(404, 'The API deployment for this resource does not exist.', 'DeploymentNotFound'), 'bad_request', /does not know the model.*deployment's name/],
    ['Ollama: model not pulled', 'http://localhost:11434/v1', apiError(404, 'model "qwen3:8b" not found, try pulling it first'), 'bad_request', /^Ollama .* does not know the model/],
    ['OpenRouter: invalid model id', 'https://openrouter.ai/api/v1', apiError(400, 'acme/nope is not a valid model ID'), 'bad_request', /^OpenRouter .* does not know the model/],
    ['Ollama: no tools', 'http://localhost:11434/v1', apiError(400, 'registry.ollama.ai/library/gemma:2b does not support tools'), 'bad_request', /does not support tool calling on Ollama/],
    ['OpenRouter: no tool endpoint', 'https://openrouter.ai/api/v1', apiError(404, 'No endpoints found that support tool use.'), 'bad_request', /does not support tool calling on OpenRouter/],
    ['vLLM: tool choice off', 'http://localhost:8000/v1', apiError(400, '"auto" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set'), 'bad_request', /does not support tool calling on vLLM/],
    ['llama.cpp: no --jinja', 'http://localhost:8080/v1', apiError(500, 'tools param requires --jinja flag'), 'server', /server error/],
  ])('%s', (_name, url, error, code, message) => {
    const classified = classifyError(error, url);
    expect(classified.code).toBe(code);
    expect(classified.message).toMatch(message);
  });

  it('does not call a schema complaint about one tool "no tool support"', () => {
    const classified = classifyError(apiError(400, "Invalid schema for function 'exec_command': tools[0].parameters is not supported."), 'https://api.openai.com/v1');
    expect(classified.message).not.toMatch(/tool calling/);
    expect(classified.message).toMatch(/rejected the request \(400/);
  });
});

describe('end to end through the SDK', () => {
  let server: MockOpenAI;
  beforeAll(async () => {
    server = await startMockOpenAI();
  });
  afterAll(async () => {
    await server.close();
  });
  afterEach(() => server.setScript([]));

  it.each<[string, ReturnType<typeof mock.error>, ModelError['code'], RegExp]>([
    ['auth', mock.error(401, { message: 'bad key' }), 'auth', /rejected the API key/],
    ['quota', mock.error(429, { code: 'insufficient_quota', message: 'quota' }), 'rate_limited', /quota or credits are exhausted/],
    ['unknown model', mock.error(404, { code: 'model_not_found', message: 'The model `m` does not exist.' }), 'bad_request', /does not know the model/],
    ['no tools', mock.error(400, { message: 'model does not support tools' }), 'bad_request', /does not support tool calling/],
  ])('%s', async (_name, response, code, message) => {
    server.enqueue(response);
    const error = (await thrown(() => collect(createModelClient({ wireApi: 'chat', baseUrl: server.baseUrl, apiKey: 'sk-x' }), makeRequest()))) as ModelError;
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
    expect(error.message.toLowerCase()).toContain(`the api at ${server.baseUrl}`);
  });
});
