// ModelClient for Chat Completions (POST /chat/completions, streamed), the shape most other providers
// speak. Custom (grammar) tools do not exist here: each is sent as its `fallback` function, and the model's
// call comes back as an ordinary function call with JSON arguments. Requests are built in a fixed key and
// message order so consecutive requests share a byte-identical prefix (prompt caching).
import type OpenAI from 'openai';
import type {
  ChatCompletionContentPart,
  ChatCompletionCreateParamsStreaming,
  ChatCompletionMessageFunctionToolCall,
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from 'openai/resources/chat/completions/completions';
import { ModelError } from './errors';
import { createOpenAI, DEFAULT_TIMEOUT_MS, imageDataUrl, type OpenAIClientConfig } from './openaiSdk';
import { DEFAULT_STREAM_IDLE_TIMEOUT_MS, guardStream, isRecord, malformedEvent, tokenCount } from './streamGuard';
import type { ConversationItem, ModelClient, ModelRequest, ModelStreamEvent, ToolSpec } from './types';

export function toChatMessages(instructions: string, items: ConversationItem[]): ChatCompletionMessageParam[] {
  const messages: ChatCompletionMessageParam[] = [{ role: 'system', content: instructions }];
  for (const item of items) {
    const last = messages[messages.length - 1];
    switch (item.type) {
      case 'compaction':
        if (item.projectInstructions) messages.push({ role: 'user', content: item.projectInstructions });
        messages.push({ role: 'user', content: item.text });
        break;
      case 'user': {
        const parts: ChatCompletionContentPart[] = [
          { type: 'text', text: item.text },
          ...(item.images ?? []).map((image) => ({ type: 'image_url' as const, image_url: { url: imageDataUrl(image) } })),
        ];
        messages.push({ role: 'user', content: item.images?.length ? parts : item.text });
        break;
      }
      case 'assistant':
        messages.push({ role: 'assistant', content: item.text });
        break;
      case 'function_call':
      case 'custom_tool_call': {
        // A custom call (history from the Responses API) becomes its fallback function's `{"input": …}`.
        const args = item.type === 'function_call' ? item.arguments : JSON.stringify({ input: item.input });
        const call: ChatCompletionMessageFunctionToolCall = { id: item.callId, type: 'function', function: { name: item.name, arguments: args } };
        // Calls of one response belong to one assistant message, after its text (if any).
        if (last?.role === 'assistant') {
          last.tool_calls = [...(last.tool_calls ?? []), call];
        } else {
          messages.push({ role: 'assistant', content: null, tool_calls: [call] });
        }
        break;
      }
      case 'tool_output':
        messages.push({ role: 'tool', tool_call_id: item.callId, content: item.output });
        break;
    }
  }
  return messages;
}

export function toChatTools(tools: ToolSpec[]): ChatCompletionTool[] {
  return tools.map((tool): ChatCompletionTool => {
    const { description, parameters } = tool.kind === 'function' ? tool : tool.fallback;
    return { type: 'function', function: { name: tool.name, description, parameters } };
  });
}

/** The wire request. Key order is fixed here; JSON.stringify keeps it, so equal inputs give equal bytes. */
export function buildChatRequest(request: ModelRequest): ChatCompletionCreateParamsStreaming {
  return {
    model: request.model,
    messages: toChatMessages(request.instructions, request.input),
    // Several providers reject `tool_choice` / `parallel_tool_calls` without tools.
    ...(request.tools.length ? { tools: toChatTools(request.tools), tool_choice: 'auto' as const, parallel_tool_calls: true } : {}),
    stream: true,
    stream_options: { include_usage: true },
    ...(request.promptCacheKey ? { prompt_cache_key: request.promptCacheKey } : {}),
    ...(request.outputSchema ? { response_format: { type: 'json_schema' as const, json_schema: { name: request.outputSchema.name, schema: request.outputSchema.schema, strict: true } } } : {}),
  };
}

interface PartialCall {
  id: string;
  name: string;
  arguments: string;
}

/** A string field that may be absent (undefined / null) but is never another type. */
function optionalString(value: unknown, what: string, baseUrl: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw malformedEvent(baseUrl, `${what} is not a string`);
  return value;
}

/** Accumulates the streamed pieces of one choice; tool calls arrive as fragments keyed by `index`. */
class ChunkAccumulator {
  text = '';
  itemId: string | undefined;
  finished = false;
  readonly calls = new Map<number, PartialCall>();

  constructor(private readonly baseUrl: string) {}

  /**
   * Returns the events to yield now (text deltas, usage); calls are only complete at the end. The chunk
   * is parsed JSON of unchecked shape: a field of the wrong type is a malformed stream.
   */
  add(chunk: unknown): ModelStreamEvent[] {
    const baseUrl = this.baseUrl;
    if (!isRecord(chunk)) throw malformedEvent(baseUrl, 'a chunk that is not an object');
    const events: ModelStreamEvent[] = [];
    if (chunk.choices !== undefined && chunk.choices !== null && !Array.isArray(chunk.choices)) throw malformedEvent(baseUrl, 'choices is not a list');
    const choice: unknown = (chunk.choices as unknown[] | undefined | null)?.[0];
    if (choice !== undefined) {
      if (!isRecord(choice)) throw malformedEvent(baseUrl, 'a choice is not an object');
      const delta = choice.delta ?? {};
      if (!isRecord(delta)) throw malformedEvent(baseUrl, 'delta is not an object');
      const content = optionalString(delta.content, 'delta.content', baseUrl);
      if (content) {
        // One message per response; the chunk id is shared by all chunks of the response.
        this.itemId ??= (typeof chunk.id === 'string' && chunk.id) || 'chat-message';
        this.text += content;
        events.push({ type: 'text.delta', itemId: this.itemId, delta: content });
      }
      const toolCalls = delta.tool_calls ?? [];
      if (!Array.isArray(toolCalls)) throw malformedEvent(baseUrl, 'tool_calls is not a list');
      for (const piece of toolCalls) this.addCallPiece(piece);
      const finishReason = optionalString(choice.finish_reason, 'finish_reason', baseUrl);
      if (finishReason) this.finished = true;
    }
    if (chunk.usage !== undefined && chunk.usage !== null) {
      if (!isRecord(chunk.usage)) throw malformedEvent(baseUrl, 'usage is not an object');
      const usage = chunk.usage;
      const details = isRecord(usage.prompt_tokens_details) ? usage.prompt_tokens_details : {};
      events.push({
        type: 'usage',
        usage: { inputTokens: tokenCount(usage.prompt_tokens), cachedInputTokens: tokenCount(details.cached_tokens), outputTokens: tokenCount(usage.completion_tokens) },
      });
    }
    return events;
  }

  private addCallPiece(piece: unknown): void {
    const baseUrl = this.baseUrl;
    if (!isRecord(piece)) throw malformedEvent(baseUrl, 'a tool call is not an object');
    // Some providers leave out `index` when a response has a single call.
    const index = piece.index ?? 0;
    if (typeof index !== 'number' || !Number.isSafeInteger(index) || index < 0) throw malformedEvent(baseUrl, 'a tool call index is not a number');
    const fn = piece.function ?? {};
    if (!isRecord(fn)) throw malformedEvent(baseUrl, 'a tool call function is not an object');
    const id = optionalString(piece.id, 'tool call id', baseUrl);
    const name = optionalString(fn.name, 'function name', baseUrl);
    const args = optionalString(fn.arguments, 'function arguments', baseUrl);
    const call = this.calls.get(index) ?? { id: '', name: '', arguments: '' };
    if (id) call.id = id;
    if (name) call.name += name;
    if (args) call.arguments += args;
    this.calls.set(index, call);
  }

  /** The finished message and the calls in index order (the order the model emitted them). */
  finish(): ModelStreamEvent[] {
    const events: ModelStreamEvent[] = [];
    if (this.itemId !== undefined) events.push({ type: 'text.done', itemId: this.itemId, text: this.text });
    const indexes = [...this.calls.keys()].sort((a, b) => a - b);
    indexes.forEach((index, i) => {
      const call = this.calls.get(index)!;
      events.push({ type: 'function_call', callId: call.id || `call_${i}`, name: call.name, arguments: call.arguments || '{}' });
    });
    events.push({ type: 'done' });
    return events;
  }
}

/**
 * The Chat Completions stream (the SDK's parsed chunks) as our events: text deltas and usage as they
 * come, then the finished message, the calls and `done`. Throws ModelError for a malformed chunk or a
 * stream that ends without a finish_reason (the SDK ends quietly at `[DONE]` and on a cut connection).
 */
export async function* normalizeChatChunks(chunks: AsyncIterable<unknown>, baseUrl: string): AsyncGenerator<ModelStreamEvent> {
  const acc = new ChunkAccumulator(baseUrl);
  for await (const chunk of chunks) yield* acc.add(chunk);
  if (!acc.finished) throw new ModelError('stream_dropped', `The response stream from ${baseUrl} ended before the model finished.`, { retryable: true });
  yield* acc.finish();
}

export class ChatClient implements ModelClient {
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
    yield* guardStream((requestSignal) => sdk.chat.completions.create(buildChatRequest(request), { signal: requestSignal }), normalizeChatChunks, {
      baseUrl,
      apiKey,
      signal,
      idleTimeoutMs: streamIdleTimeoutMs,
      openTimeoutMs: timeoutMs + streamIdleTimeoutMs,
    });
  }
}
