// One model request inside a turn: stream it (retrying transient failures before any output), forward
// text as message events, and record what the model produced in the history, in order.
import type { AgentEvent } from '../../shared/events';
import { streamWithRetry } from '../model/retry';
import type { ConversationItem, ModelClient, ModelRequest } from '../model/types';

export interface PendingToolCall {
  callId: string;
  name: string;
  /** JSON arguments (function tools) or freeform input (custom tools). */
  input: string;
  custom: boolean;
}

export interface ModelStepOptions {
  client: ModelClient;
  request: ModelRequest;
  signal: AbortSignal;
  turnId: string;
  /** Prefix for this step's message item ids, unique within the session. */
  itemIdPrefix: string;
  emit(event: AgentEvent): void;
  appendItem(item: ConversationItem): void;
  retryDelay?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export async function runModelStep(options: ModelStepOptions): Promise<{ toolCalls: PendingToolCall[] }> {
  const { turnId, emit } = options;
  const toolCalls: PendingToolCall[] = [];
  // Provider item ids are only unique per response; ours must be unique per session (chat rows key on them).
  const ourIds = new Map<string, string>();
  const texts = new Map<string, string>();
  const idFor = (providerId: string) => {
    let id = ourIds.get(providerId);
    if (!id) {
      id = `${options.itemIdPrefix}-m${ourIds.size}`;
      ourIds.set(providerId, id);
    }
    return id;
  };

  const finishText = (providerId: string) => {
    const text = texts.get(providerId);
    if (text === undefined) return;
    texts.delete(providerId);
    options.appendItem({ type: 'assistant', text });
    emit({ type: 'message.completed', turnId, itemId: idFor(providerId), text });
  };

  try {
    const stream = streamWithRetry(options.client, options.request, options.signal, {
      onRetry: (attempt, delayMs, reason) => emit({ type: 'retrying', turnId, attempt, delayMs, reason }),
      ...(options.retryDelay ? { sleep: options.retryDelay } : {}),
    });
    for await (const event of stream) {
      switch (event.type) {
        case 'text.delta':
          texts.set(event.itemId, (texts.get(event.itemId) ?? '') + event.delta);
          emit({ type: 'message.delta', turnId, itemId: idFor(event.itemId), delta: event.delta });
          break;
        case 'text.done':
          texts.set(event.itemId, event.text);
          finishText(event.itemId);
          break;
        case 'function_call':
          options.appendItem({ type: 'function_call', callId: event.callId, name: event.name, arguments: event.arguments });
          toolCalls.push({ callId: event.callId, name: event.name, input: event.arguments, custom: false });
          break;
        case 'custom_tool_call':
          options.appendItem({ type: 'custom_tool_call', callId: event.callId, name: event.name, input: event.input });
          toolCalls.push({ callId: event.callId, name: event.name, input: event.input, custom: true });
          break;
        case 'usage':
          emit({ type: 'usage', turnId, usage: event.usage });
          break;
        case 'done':
          break;
      }
    }
  } finally {
    // A stream cut short (Stop, dropped connection) keeps what the user already saw, in the view and in
    // the history, so the next turn's model knows what it said.
    for (const providerId of [...texts.keys()]) finishText(providerId);
  }
  return { toolCalls };
}
