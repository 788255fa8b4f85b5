// ModelClient for the OpenAI Responses API (POST /responses, streamed). Stateless (`store: false`): the
// whole conversation is sent every time, built in a fixed key and item order so consecutive requests
// share a byte-identical prefix and hit the prompt cache (`prompt_cache_key` = session id).
import type OpenAI from 'openai';
import type {
  ResponseCreateParamsStreaming,
  ResponseInputItem,
  ResponseOutputItem,
  ResponseStreamEvent,
  Tool,
} from 'openai/resources/responses/responses';
import { ModelError, streamFailure } from './errors';
import { createOpenAI, imageDataUrl, type OpenAIClientConfig } from './openaiSdk';
import type { ConversationItem, ModelClient, ModelRequest, ModelStreamEvent, ToolSpec } from './types';

export function toResponsesInput(items: ConversationItem[]): ResponseInputItem[] {
  return items.map((item): ResponseInputItem => {
    switch (item.type) {
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
  };
}

/** Text of a finished message item (output_text parts; a refusal is shown as text too). */
function messageText(item: Extract<ResponseOutputItem, { type: 'message' }>): string {
  return item.content.map((part) => (part.type === 'output_text' ? part.text : part.refusal)).join('');
}

/** Maps one SSE event to our events; returns 'completed' on the terminal event. */
function translate(event: ResponseStreamEvent, texts: Map<string, string>): { events: ModelStreamEvent[]; completed?: boolean } {
  switch (event.type) {
    case 'response.output_text.delta':
      texts.set(event.item_id, (texts.get(event.item_id) ?? '') + event.delta);
      return { events: [{ type: 'text.delta', itemId: event.item_id, delta: event.delta }] };
    case 'response.output_item.done': {
      const item = event.item;
      if (item.type === 'message') {
        const text = messageText(item) || texts.get(item.id) || '';
        texts.delete(item.id);
        return { events: [{ type: 'text.done', itemId: item.id, text }] };
      }
      if (item.type === 'function_call') return { events: [{ type: 'function_call', callId: item.call_id, name: item.name, arguments: item.arguments }] };
      if (item.type === 'custom_tool_call') return { events: [{ type: 'custom_tool_call', callId: item.call_id, name: item.name, input: item.input }] };
      return { events: [] };
    }
    case 'response.completed':
    case 'response.incomplete': {
      // `incomplete` (max_output_tokens, content filter) still ends the response: keep what arrived.
      const usage = event.response.usage;
      const events: ModelStreamEvent[] = [];
      if (usage) {
        events.push({
          type: 'usage',
          usage: { inputTokens: usage.input_tokens, cachedInputTokens: usage.input_tokens_details?.cached_tokens ?? 0, outputTokens: usage.output_tokens },
        });
      }
      events.push({ type: 'done' });
      return { events, completed: true };
    }
    case 'response.failed': {
      const error = event.response.error;
      const code = error?.code ?? '';
      const message = error?.message ?? 'The response failed.';
      if (/context_length/.test(code)) throw new ModelError('context_length', `The conversation is too long for the model's context window. Start a new chat and try again.`);
      if (/rate_limit/.test(code)) throw new ModelError('rate_limited', `Rate limited: ${message}`, { retryable: true });
      if (/invalid|bad_request/.test(code)) throw new ModelError('bad_request', `The model rejected the request: ${message}`);
      throw new ModelError('server', `The model failed to respond (${code || 'unknown error'}): ${message}`, { retryable: true });
    }
    default:
      return { events: [] };
  }
}

export class ResponsesClient implements ModelClient {
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
      const stream = await this.sdk.responses.create(buildResponsesRequest(request), { signal });
      const texts = new Map<string, string>();
      let completed = false;
      for await (const event of stream) {
        const result = translate(event, texts);
        for (const out of result.events) {
          produced = true;
          yield out;
        }
        if (result.completed) {
          completed = true;
          break;
        }
      }
      // The SDK ends the iteration quietly on abort; a clean end without `response.completed` is a drop.
      if (signal.aborted) throw signal.reason;
      if (!completed) {
        throw new ModelError('stream_dropped', `The response stream from ${this.config.baseUrl} ended before the model finished.`, { retryable: true });
      }
    } catch (error) {
      throw streamFailure(error, signal, this.config.baseUrl, this.config.apiKey, produced);
    }
  }
}
