// ModelClient for the OpenAI Responses API (POST /responses, streamed). Stateless (`store: false`): the
// whole conversation is sent every time, built in a fixed key and item order so consecutive requests
// share a byte-identical prefix and hit the prompt cache (`prompt_cache_key` = session id).
import type OpenAI from 'openai';
import type { ResponseCreateParamsStreaming, ResponseInputItem, Tool } from 'openai/resources/responses/responses';
import { ModelError } from './errors';
import { createOpenAI, DEFAULT_TIMEOUT_MS, imageDataUrl, type OpenAIClientConfig } from './openaiSdk';
import { DEFAULT_STREAM_IDLE_TIMEOUT_MS, guardStream, isRecord, malformedEvent, tokenCount } from './streamGuard';
import type { ConversationItem, ModelClient, ModelRequest, ModelStreamEvent, ToolSpec } from './types';

export function toResponsesInput(items: ConversationItem[]): ResponseInputItem[] {
  return items.flatMap((item): ResponseInputItem | ResponseInputItem[] => {
    switch (item.type) {
      case 'compaction':
        return [...(item.projectInstructions ? [item.projectInstructions] : []), item.text].map((text): ResponseInputItem => ({ type: 'message', role: 'user', content: [{ type: 'input_text', text }] }));
      case 'user':
        return {
          type: 'message',
          role: 'user',
          content: [
            { type: 'input_text', text: item.text },
            ...(item.images ?? []).map((image) => ({ type: 'input_image' as const, image_url: imageDataUrl(image), detail: 'auto' as const })),
          ],
        };
      case 'assistant':
        return { type: 'message', role: 'assistant', content: item.text };
      case 'function_call':
        return { type: 'function_call', call_id: item.callId, name: item.name, arguments: item.arguments };
      case 'custom_tool_call':
        return { type: 'custom_tool_call', call_id: item.callId, name: item.name, input: item.input };
      case 'tool_output':
        return item.custom
          ? { type: 'custom_tool_call_output', call_id: item.callId, output: item.output }
          : { type: 'function_call_output', call_id: item.callId, output: item.output };
    }
  });
}

export function toResponsesTools(tools: ToolSpec[]): Tool[] {
  return tools.map((tool): Tool =>
    tool.kind === 'function'
      ? { type: 'function', name: tool.name, description: tool.description, strict: false, parameters: tool.parameters }
      : { type: 'custom', name: tool.name, description: tool.description, format: { type: 'grammar', syntax: tool.grammar.syntax, definition: tool.grammar.definition } },
  );
}

/** The wire request. Key order is fixed here; JSON.stringify keeps it, so equal inputs give equal bytes. */
export function buildResponsesRequest(request: ModelRequest): ResponseCreateParamsStreaming {
  return {
    model: request.model,
    instructions: request.instructions,
    input: toResponsesInput(request.input),
    tools: toResponsesTools(request.tools),
    tool_choice: 'auto',
    parallel_tool_calls: true,
    store: false,
    stream: true,
    ...(request.promptCacheKey ? { prompt_cache_key: request.promptCacheKey } : {}),
    ...(request.outputSchema ? { text: { format: { type: 'json_schema' as const, name: request.outputSchema.name, schema: request.outputSchema.schema, strict: true } } } : {}),
  };
}

/** Text of a finished message item (output_text parts; a refusal is shown as text too). */
function messageText(content: unknown[], baseUrl: string): string {
  return content
    .map((part) => {
      if (!isRecord(part)) throw malformedEvent(baseUrl, 'a message part is not an object');
      if (part.type === 'output_text') return requireString(part.text, 'output_text.text', baseUrl);
      if (part.type === 'refusal') return requireString(part.refusal, 'refusal.refusal', baseUrl);
      return '';
    })
    .join('');
}

function requireString(value: unknown, what: string, baseUrl: string): string {
  if (typeof value !== 'string') throw malformedEvent(baseUrl, `${what} is not a string`);
  return value;
}

function requireId(value: unknown, what: string, baseUrl: string): string {
  if (typeof value !== 'string' || value === '') throw malformedEvent(baseUrl, `${what} is missing`);
  return value;
}

/** The ModelError for a failure the API reported inside the stream (`response.failed`, an `error` event). */
function reportedFailure(error: unknown): ModelError {
  const code = isRecord(error) && typeof error.code === 'string' ? error.code : '';
  const message = isRecord(error) && typeof error.message === 'string' && error.message !== '' ? error.message : 'The response failed.';
  if (/context_length/.test(code)) return new ModelError('context_length', `The conversation is too long for the model's context window. Start a new chat and try again.`);
  if (/rate_limit/.test(code)) return new ModelError('rate_limited', `Rate limited: ${message}`, { retryable: true });
  if (/invalid|bad_request/.test(code)) return new ModelError('bad_request', `The model rejected the request: ${message}`);
  return new ModelError('server', `The model failed to respond (${code || 'unknown error'}): ${message}`, { retryable: true });
}

/**
 * Maps one SSE event (parsed JSON, shape unchecked) to our events; `completed` on the terminal event.
 * Event types we do not use are skipped (the API adds new ones); a used one with the wrong shape is a
 * malformed stream, never an `undefined` passed on.
 */
function translate(event: unknown, texts: Map<string, string>, baseUrl: string): { events: ModelStreamEvent[]; completed?: boolean } {
  if (!isRecord(event) || typeof event.type !== 'string') throw malformedEvent(baseUrl, 'an event without a type');
  switch (event.type) {
    case 'response.output_text.delta': {
      const itemId = requireId(event.item_id, 'item_id', baseUrl);
      const delta = requireString(event.delta, 'delta', baseUrl);
      texts.set(itemId, (texts.get(itemId) ?? '') + delta);
      return { events: [{ type: 'text.delta', itemId, delta }] };
    }
    case 'response.output_item.done': {
      const item = event.item;
      if (!isRecord(item)) throw malformedEvent(baseUrl, 'output_item.done without an item');
      if (item.type === 'message') {
        const itemId = requireId(item.id, 'message id', baseUrl);
        if (!Array.isArray(item.content)) throw malformedEvent(baseUrl, 'message content is not a list');
        const text = messageText(item.content, baseUrl) || texts.get(itemId) || '';
        texts.delete(itemId);
        return { events: [{ type: 'text.done', itemId, text }] };
      }
      if (item.type === 'function_call') {
        const callId = requireId(item.call_id, 'call_id', baseUrl);
        return { events: [{ type: 'function_call', callId, name: requireString(item.name, 'name', baseUrl), arguments: requireString(item.arguments, 'arguments', baseUrl) }] };
      }
      if (item.type === 'custom_tool_call') {
        const callId = requireId(item.call_id, 'call_id', baseUrl);
        return { events: [{ type: 'custom_tool_call', callId, name: requireString(item.name, 'name', baseUrl), input: requireString(item.input, 'input', baseUrl) }] };
      }
      return { events: [] };
    }
    case 'response.completed':
    case 'response.incomplete': {
      // `incomplete` (max_output_tokens, content filter) still ends the response: keep what arrived.
      const response = isRecord(event.response) ? event.response : {};
      const usage = response.usage;
      const events: ModelStreamEvent[] = [];
      if (isRecord(usage)) {
        const details = isRecord(usage.input_tokens_details) ? usage.input_tokens_details : {};
        events.push({
          type: 'usage',
          usage: { inputTokens: tokenCount(usage.input_tokens), cachedInputTokens: tokenCount(details.cached_tokens), outputTokens: tokenCount(usage.output_tokens) },
        });
      }
      events.push({ type: 'done' });
      return { events, completed: true };
    }
    case 'response.failed':
      throw reportedFailure(isRecord(event.response) ? event.response.error : undefined);
    case 'error':
      // Normally an `event: error` frame, which the SDK throws itself; without the event name it arrives here.
      throw reportedFailure(event);
    default:
      return { events: [] };
  }
}

/**
 * The Responses API's stream (the SDK's parsed events) as our events: deltas, finished messages and
 * calls, usage, then `done`. Throws ModelError for a failed response, a malformed event, or a stream that
 * ends before `response.completed` (a cut connection the SDK ends quietly).
 */
export async function* normalizeResponsesEvents(events: AsyncIterable<unknown>, baseUrl: string): AsyncGenerator<ModelStreamEvent> {
  const texts = new Map<string, string>();
  for await (const event of events) {
    const result = translate(event, texts, baseUrl);
    yield* result.events;
    if (result.completed) return;
  }
  throw new ModelError('stream_dropped', `The response stream from ${baseUrl} ended before the model finished.`, { retryable: true });
}

export class ResponsesClient implements ModelClient {
  private readonly sdk: OpenAI | ModelError;
  private readonly config: OpenAIClientConfig;

  constructor(config: OpenAIClientConfig) {
    this.config = config;
    this.sdk = createOpenAI(config);
  }

  async *stream(request: ModelRequest, signal: AbortSignal): AsyncIterable<ModelStreamEvent> {
    const sdk = this.sdk;
    if (sdk instanceof ModelError) throw sdk;
    const { baseUrl, apiKey, timeoutMs = DEFAULT_TIMEOUT_MS, streamIdleTimeoutMs = DEFAULT_STREAM_IDLE_TIMEOUT_MS } = this.config;
    yield* guardStream((requestSignal) => sdk.responses.create(buildResponsesRequest(request), { signal: requestSignal }), normalizeResponsesEvents, {
      baseUrl,
      apiKey,
      signal,
      idleTimeoutMs: streamIdleTimeoutMs,
      openTimeoutMs: timeoutMs + streamIdleTimeoutMs,
    });
  }
}
