// ModelClient for Chat Completions (POST /chat/completions, streamed), the shape most other providers
// speak. Custom (grammar) tools do not exist here: each is sent as its `fallback` function, and the model's
// call comes back as an ordinary function call with JSON arguments. Requests are built in a fixed key and
// message order so consecutive requests share a byte-identical prefix (prompt caching).
import type OpenAI from 'openai';
import type {
  ChatCompletionChunk,
  ChatCompletionContentPart,
  ChatCompletionCreateParamsStreaming,
  ChatCompletionMessageFunctionToolCall,
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from 'openai/resources/chat/completions/completions';
import { ModelError, streamFailure } from './errors';
import { createOpenAI, imageDataUrl, type OpenAIClientConfig } from './openaiSdk';
import type { ConversationItem, ModelClient, ModelRequest, ModelStreamEvent, ToolSpec } from './types';

export function toChatMessages(instructions: string, items: ConversationItem[]): ChatCompletionMessageParam[] {
  const messages: ChatCompletionMessageParam[] = [{ role: 'system', content: instructions }];
  for (const item of items) {
    const last = messages[messages.length - 1];
    switch (item.type) {
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
  };
}

interface PartialCall {
  id: string;
  name: string;
  arguments: string;
}

/** Accumulates the streamed pieces of one choice; tool calls arrive as fragments keyed by `index`. */
class ChunkAccumulator {
  text = '';
  itemId: string | undefined;
  finished = false;
  readonly calls = new Map<number, PartialCall>();

  /** Returns the events to yield now (text deltas, usage); calls are only complete at the end. */
  add(chunk: ChatCompletionChunk): ModelStreamEvent[] {
    const events: ModelStreamEvent[] = [];
    const choice = chunk.choices?.[0];
    if (choice) {
      const content = choice.delta?.content;
      if (content) {
        // One message per response; the chunk id is shared by all chunks of the response.
        this.itemId ??= chunk.id || 'chat-message';
        this.text += content;
        events.push({ type: 'text.delta', itemId: this.itemId, delta: content });
      }
      for (const piece of choice.delta?.tool_calls ?? []) {
        const call = this.calls.get(piece.index) ?? { id: '', name: '', arguments: '' };
        if (piece.id) call.id = piece.id;
        if (piece.function?.name) call.name += piece.function.name;
        if (piece.function?.arguments) call.arguments += piece.function.arguments;
        this.calls.set(piece.index, call);
      }
      if (choice.finish_reason) this.finished = true;
    }
    if (chunk.usage) {
      events.push({
        type: 'usage',
        usage: {
          inputTokens: chunk.usage.prompt_tokens ?? 0,
          cachedInputTokens: chunk.usage.prompt_tokens_details?.cached_tokens ?? 0,
          outputTokens: chunk.usage.completion_tokens ?? 0,
        },
      });
    }
    return events;
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

export class ChatClient implements ModelClient {
  private readonly sdk: OpenAI | ModelError;
  private readonly config: OpenAIClientConfig;

  constructor(config: OpenAIClientConfig) {
    this.config = config;
    this.sdk = createOpenAI(config);
  }

  async *stream(request: ModelRequest, signal: AbortSignal): AsyncIterable<ModelStreamEvent> {
    let produced = false;
    if (this.sdk instanceof ModelError) throw this.sdk;
    try {
      const stream = await this.sdk.chat.completions.create(buildChatRequest(request), { signal });
      const acc = new ChunkAccumulator();
      for await (const chunk of stream) {
        for (const event of acc.add(chunk)) {
          produced = true;
          yield event;
        }
      }
      // The SDK ends quietly on abort and after `[DONE]`; without a finish_reason the stream was cut.
      if (signal.aborted) throw signal.reason;
      if (!acc.finished) {
        throw new ModelError('stream_dropped', `The response stream from ${this.config.baseUrl} ended before the model finished.`, { retryable: true });
      }
      for (const event of acc.finish()) {
        produced = true;
        yield event;
      }
    } catch (error) {
      throw streamFailure(error, signal, this.config.baseUrl, this.config.apiKey, produced);
    }
  }
}
