// ModelClient for the OpenAI Responses API (POST /responses, streamed). Stateless (`store: false`): the
// whole conversation is sent every time, built in a fixed key and item order so consecutive requests
// share a byte-identical prefix and hit the prompt cache (`prompt_cache_key` = session id).
// It also has the provider's own compaction (`compact`, POST /responses/compact): the session discovers it
// by trying (compaction/native.ts); its opaque item is sent back only to the server that made it.
import type OpenAI from 'openai';
import type { ResponseCompactParams, ResponseCreateParamsStreaming, ResponseInputItem, Tool } from 'openai/resources/responses/responses';
import { abortReason, classifyError, isAbortError, ModelError } from './errors';
import { compactionOrigin, MAX_COMPACT_ANSWER_BYTES, parseCompactedResponse, readCappedJson, unsupportedEndpoint } from './nativeCompaction';
import { createOpenAI, DEFAULT_TIMEOUT_MS, imageDataUrl, type OpenAIClientConfig } from './openaiSdk';
import { DEFAULT_STREAM_IDLE_TIMEOUT_MS, guardStream, isRecord, malformedEvent, tokenCount } from './streamGuard';
import type { CompactRequest, ConversationItem, ModelClient, ModelRequest, ModelStreamEvent, NativeCompactOutcome, ToolSpec } from './types';

/**
 * The conversation as Responses input items. `origin` (compactionOrigin of this client's base URL) says
 * which native compaction items this server can read: those go out as `compaction` input items after the
 * compaction's text; any other (made elsewhere, or no origin given) is left out and its text stands alone.
 */
export function toResponsesInput(items: ConversationItem[], origin?: string): ResponseInputItem[] {
  return items.flatMap((item): ResponseInputItem | ResponseInputItem[] => {
    switch (item.type) {
      case 'compaction':
        return [
          ...[item.projectInstructions, item.text]
            .filter((text): text is string => !!text)
            .map((text): ResponseInputItem => ({ type: 'message', role: 'user', content: [{ type: 'input_text', text }] })),
          ...(item.native && origin !== undefined && item.native.origin === origin ? [{ type: 'compaction' as const, encrypted_content: item.native.encryptedContent }] : []),
        ];
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
export function buildResponsesRequest(request: ModelRequest, origin?: string): ResponseCreateParamsStreaming {
  return {
    model: request.model,
    instructions: request.instructions,
    input: toResponsesInput(request.input, origin),
    tools: toResponsesTools(request.tools),
    tool_choice: 'auto',
    parallel_tool_calls: true,
    store: false,
    stream: true,
    ...(request.promptCacheKey ? { prompt_cache_key: request.promptCacheKey } : {}),
    ...(request.outputSchema ? { text: { format: { type: 'json_schema' as const, name: request.outputSchema.name, schema: request.outputSchema.schema, strict: true } } } : {}),
  };
}

/**
 * The compact endpoint's request: the items to compact with the agent's instructions (no tools: none are
 * called). `instructions` (marked deprecated in the SDK's types in favour of a developer message) keeps the
 * input exactly the transcript being compacted, and the server never summarises our system prompt into it.
 */
export function buildCompactRequest(request: CompactRequest, origin?: string): ResponseCompactParams {
  return {
    model: request.model,
    instructions: request.instructions,
    input: toResponsesInput(request.input, origin),
    ...(request.promptCacheKey ? { prompt_cache_key: request.promptCacheKey } : {}),
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
    const body = buildResponsesRequest(request, compactionOrigin(baseUrl));
    yield* guardStream((requestSignal) => sdk.responses.create(body, { signal: requestSignal }), normalizeResponsesEvents, {
      baseUrl,
      apiKey,
      signal,
      idleTimeoutMs: streamIdleTimeoutMs,
      openTimeoutMs: timeoutMs + streamIdleTimeoutMs,
    });
  }

  /**
   * One `POST /responses/compact`. No such endpoint, or an answer that is not a compaction, is
   * `unsupported`; other failures throw a classified ModelError (retries are the caller's). The answer body is
   * read to a cap, and it must arrive within the stream idle timeout once the headers are in.
   */
  async compact(request: CompactRequest, signal: AbortSignal): Promise<NativeCompactOutcome> {
    const sdk = this.sdk;
    if (sdk instanceof ModelError) throw sdk;
    const { baseUrl, apiKey, streamIdleTimeoutMs = DEFAULT_STREAM_IDLE_TIMEOUT_MS } = this.config;
    const origin = compactionOrigin(baseUrl);
    const controller = new AbortController();
    const onAbort = () => controller.abort(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const response = await sdk.responses.compact(buildCompactRequest(request, origin), { signal: controller.signal }).asResponse();
      timer = setTimeout(() => controller.abort(new ModelError('timeout', `The compaction answer from ${baseUrl} stalled.`, { retryable: true })), streamIdleTimeoutMs);
      const body = await readCappedJson(response, MAX_COMPACT_ANSWER_BYTES);
      if ('tooLarge' in body) return { type: 'unsupported', reason: `the compact answer is over ${MAX_COMPACT_ANSWER_BYTES} bytes` };
      if (body.json === undefined) return { type: 'unsupported', reason: 'the compact answer is not JSON' };
      return parseCompactedResponse(body.json, origin);
    } catch (error) {
      if (signal.aborted) throw abortReason(signal);
      if (controller.signal.reason instanceof ModelError) throw controller.signal.reason;
      if (isAbortError(error)) throw error;
      const unsupported = unsupportedEndpoint(error);
      if (unsupported) return { type: 'unsupported', reason: unsupported };
      throw classifyError(error, baseUrl, { apiKey });
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    }
  }
}
