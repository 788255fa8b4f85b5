// Shared fixtures for the provider tests: a representative request and a stream collector.
import type { ModelClient, ModelRequest, ModelStreamEvent, ToolSpec } from '../../../../src/core/model/types';

export const TOOLS: ToolSpec[] = [
  {
    kind: 'function',
    name: 'exec_command',
    description: 'Run a shell command.',
    parameters: { type: 'object', properties: { cmd: { type: 'string' } }, required: ['cmd'], additionalProperties: false },
  },
  {
    kind: 'custom',
    name: 'apply_patch',
    description: 'Apply a patch.',
    grammar: { syntax: 'lark', definition: 'start: "*** Begin Patch" /(.|\\n)*/ "*** End Patch"' },
    fallback: {
      description: 'Apply a patch (the whole patch text in `input`).',
      parameters: { type: 'object', properties: { input: { type: 'string' } }, required: ['input'], additionalProperties: false },
    },
  },
];

export function makeRequest(overrides: Partial<ModelRequest> = {}): ModelRequest {
  return {
    model: 'gpt-test',
    instructions: 'You are a test agent.',
    input: [{ type: 'user', text: 'List the files.' }],
    tools: TOOLS,
    promptCacheKey: 'session-123',
    ...overrides,
  };
}

export async function collect(client: ModelClient, request: ModelRequest = makeRequest(), signal = new AbortController().signal): Promise<ModelStreamEvent[]> {
  const events: ModelStreamEvent[] = [];
  for await (const event of client.stream(request, signal)) events.push(event);
  return events;
}

/** Runs `fn` and returns what it threw (fails the test if it did not throw). */
export async function thrown(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}
