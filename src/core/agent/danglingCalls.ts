// Every tool call in the history needs an output, or the API rejects the next request. When a turn stops
// or fails between a call and its result, the calls of the current turn (since the last user message)
// that have no output get one saying why.
import type { ConversationItem } from '../model/types';

export function outputsForDanglingCalls(history: readonly ConversationItem[], output: string): ConversationItem[] {
  const answered = new Set<string>();
  const calls: Extract<ConversationItem, { type: 'function_call' | 'custom_tool_call' }>[] = [];
  for (let i = history.length - 1; i >= 0; i--) {
    const item = history[i]!;
    if (item.type === 'user') break;
    if (item.type === 'tool_output') answered.add(item.callId);
    if (item.type === 'function_call' || item.type === 'custom_tool_call') calls.unshift(item);
  }
  return calls
    .filter((call) => !answered.has(call.callId))
    .map((call) => ({ type: 'tool_output', callId: call.callId, output, ...(call.type === 'custom_tool_call' ? { custom: true } : {}) }));
}
