// What each provider puts on the wire, as the mock received it, and the provider-specific tool shapes.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createModelClient } from '../../../../src/core/model/createClient';
import type { ConversationItem } from '../../../../src/core/model/types';
import { mock, startMockOpenAI, type MockOpenAI } from '../../../fixtures/mockOpenAI';
import { collect, makeRequest, TOOLS } from './modelTestUtils';

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

const HISTORY: ConversationItem[] = [
  { type: 'user', text: 'Fix it.', images: [{ mediaType: 'image/png', dataBase64: 'AAAA' }] },
  { type: 'assistant', text: 'Looking.' },
  { type: 'function_call', callId: 'c1', name: 'exec_command', arguments: '{"cmd":"ls"}' },
  { type: 'function_call', callId: 'c2', name: 'exec_command', arguments: '{"cmd":"pwd"}' },
  { type: 'tool_output', callId: 'c1', output: 'a.txt' },
  { type: 'tool_output', callId: 'c2', output: '/w' },
  { type: 'custom_tool_call', callId: 'c3', name: 'apply_patch', input: '*** Begin Patch\n*** End Patch' },
  { type: 'tool_output', callId: 'c3', output: 'Done.', custom: true },
];

describe('Responses API wire format', () => {
  const client = () => createModelClient({ wireApi: 'responses', baseUrl: server.baseUrl, apiKey: 'sk-x' });

  it('sends instructions, typed input items, custom grammar tools and the cache key', async () => {
    server.enqueue({ steps: [mock.text('ok')] });
    await collect(client(), makeRequest({ input: HISTORY }));
    const body = server.requests[0]!.body as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['model', 'instructions', 'input', 'tools', 'tool_choice', 'parallel_tool_calls', 'store', 'stream', 'prompt_cache_key']);
    expect(body).toMatchObject({ model: 'gpt-test', instructions: 'You are a test agent.', store: false, stream: true, parallel_tool_calls: true, prompt_cache_key: 'session-123' });
    expect(body.input).toEqual([
      {
        type: 'message',
        role: 'user',
        content: [
          { type: 'input_text', text: 'Fix it.' },
          { type: 'input_image', image_url: 'data:image/png;base64,AAAA', detail: 'auto' },
        ],
      },
      { type: 'message', role: 'assistant', content: 'Looking.' },
      { type: 'function_call', call_id: 'c1', name: 'exec_command', arguments: '{"cmd":"ls"}' },
      { type: 'function_call', call_id: 'c2', name: 'exec_command', arguments: '{"cmd":"pwd"}' },
      { type: 'function_call_output', call_id: 'c1', output: 'a.txt' },
      { type: 'function_call_output', call_id: 'c2', output: '/w' },
      { type: 'custom_tool_call', call_id: 'c3', name: 'apply_patch', input: '*** Begin Patch\n*** End Patch' },
      { type: 'custom_tool_call_output', call_id: 'c3', output: 'Done.' },
    ]);
    expect(body.tools).toEqual([
      { type: 'function', name: 'exec_command', description: 'Run a shell command.', strict: false, parameters: TOOLS[0]!.kind === 'function' ? TOOLS[0]!.parameters : {} },
      { type: 'custom', name: 'apply_patch', description: 'Apply a patch.', format: { type: 'grammar', syntax: 'lark', definition: 'start: "*** Begin Patch" /(.|\\n)*/ "*** End Patch"' } },
    ]);
  });

  it('returns a custom tool call with its freeform input', async () => {
    const patch = '*** Begin Patch\n*** Add File: a.txt\n+hello\n*** End Patch';
    server.enqueue({ steps: [mock.custom('apply_patch', patch, 'call_P')] });
    const events = await collect(client());
    expect(events.filter((e) => e.type === 'custom_tool_call')).toEqual([{ type: 'custom_tool_call', callId: 'call_P', name: 'apply_patch', input: patch }]);
  });

  it('gives each message of a response its own stable item id', async () => {
    server.enqueue({ steps: [mock.text('First.'), mock.call('exec_command', { cmd: 'ls' }), mock.text('Second.')] });
    const events = await collect(client());
    const done = events.filter((e) => e.type === 'text.done');
    expect(done.map((e) => e.text)).toEqual(['First.', 'Second.']);
    expect(done[0]!.itemId).not.toBe(done[1]!.itemId);
  });
});

describe('Chat Completions wire format', () => {
  const client = () => createModelClient({ wireApi: 'chat', baseUrl: server.baseUrl, apiKey: 'sk-x' });

  it('sends a system message, grouped tool calls, tool messages, fallback functions and usage options', async () => {
    server.enqueue({ steps: [mock.text('ok')] });
    await collect(client(), makeRequest({ input: HISTORY }));
    const body = server.requests[0]!.body as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['model', 'messages', 'tools', 'tool_choice', 'parallel_tool_calls', 'stream', 'stream_options', 'prompt_cache_key']);
    expect(body).toMatchObject({ stream: true, stream_options: { include_usage: true }, prompt_cache_key: 'session-123', parallel_tool_calls: true });
    expect(body.messages).toEqual([
      { role: 'system', content: 'You are a test agent.' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Fix it.' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
        ],
      },
      {
        role: 'assistant',
        content: 'Looking.',
        tool_calls: [
          { id: 'c1', type: 'function', function: { name: 'exec_command', arguments: '{"cmd":"ls"}' } },
          { id: 'c2', type: 'function', function: { name: 'exec_command', arguments: '{"cmd":"pwd"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'c1', content: 'a.txt' },
      { role: 'tool', tool_call_id: 'c2', content: '/w' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'c3', type: 'function', function: { name: 'apply_patch', arguments: '{"input":"*** Begin Patch\\n*** End Patch"}' } }] },
      { role: 'tool', tool_call_id: 'c3', content: 'Done.' },
    ]);
    const tools = body.tools as { function: { name: string; description: string; parameters: unknown } }[];
    expect(tools.map((t) => t.function.name)).toEqual(['exec_command', 'apply_patch']);
    expect(tools[1]!.function.description).toBe('Apply a patch (the whole patch text in `input`).');
    expect(tools[1]!.function.parameters).toMatchObject({ required: ['input'] });
  });

  it('omits tool fields without tools and sends plain-string user content without images', async () => {
    server.enqueue({ steps: [mock.text('ok')] });
    await collect(client(), makeRequest({ tools: [], promptCacheKey: undefined }));
    const body = server.requests[0]!.body as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['model', 'messages', 'stream', 'stream_options']);
    expect((body.messages as unknown[])[1]).toEqual({ role: 'user', content: 'List the files.' });
  });

  it('returns the fallback function call for a custom tool as JSON arguments', async () => {
    server.enqueue({ steps: [mock.custom('apply_patch', '*** Begin Patch\n*** End Patch', 'call_P')] });
    const events = await collect(client());
    const call = events.find((e) => e.type === 'function_call');
    expect(call).toEqual({ type: 'function_call', callId: 'call_P', name: 'apply_patch', arguments: '{"input":"*** Begin Patch\\n*** End Patch"}' });
  });
});
