// A VS Code language model's response stream (LanguageModelTextPart / LanguageModelToolCallPart / parts this
// version does not know) as Tandem's ModelStreamEvents. Pure: `classify` tells the parts apart (an instanceof
// check against the vscode classes in the client; a thinking part also has a `value`, so shape alone cannot).
// The parts come from another extension (the model's provider): ids, names and inputs are checked, not trusted.
// The API reports no usage, so the usage event carries estimates (compaction/tokens.ts).
import { estimateTextTokens } from '../../core/compaction/tokens';
import { ModelError } from '../../core/model/errors';
import type { ModelStreamEvent } from '../../core/model/types';

export type ClassifiedPart = { kind: 'text'; value: string } | { kind: 'call'; callId: unknown; name: unknown; input: unknown } | { kind: 'other' };

export interface NormalizeOptions {
  /** The id of this response's message (one per response). */
  itemId: string;
  /** Estimated tokens of the request (the API has no usage report). */
  inputTokens: number;
  /** Named in errors. */
  modelLabel: string;
}

interface Call {
  callId: string;
  name: string;
  arguments: string;
}

/** The JSON arguments of a call: a provider's string input as is, anything else serialised (never throws). */
export function callArguments(input: unknown, modelLabel: string): string {
  if (typeof input === 'string') return input;
  if (input === undefined || input === null) return '{}';
  try {
    return JSON.stringify(input) ?? '{}';
  } catch (error) {
    throw new ModelError('server', `${modelLabel} sent a tool call whose input cannot be read as JSON.`, { cause: error });
  }
}

/** Unique, non-empty call ids in emission order: a missing id gets `lm_call_<n>`, a repeated one a suffix. */
export function uniqueCallId(raw: unknown, index: number, seen: Set<string>): string {
  const base = typeof raw === 'string' && raw !== '' ? raw : `lm_call_${index}`;
  let id = base;
  for (let n = 2; seen.has(id); n++) id = `${base}_${n}`;
  seen.add(id);
  return id;
}

export async function* normalizeLanguageModelParts(parts: AsyncIterable<unknown>, classify: (part: unknown) => ClassifiedPart, options: NormalizeOptions): AsyncGenerator<ModelStreamEvent> {
  let text = '';
  let sawText = false;
  const calls: Call[] = [];
  const seen = new Set<string>();
  for await (const part of parts) {
    const classified = classify(part);
    if (classified.kind === 'text') {
      if (typeof classified.value !== 'string' || classified.value === '') continue;
      sawText = true;
      text += classified.value;
      yield { type: 'text.delta', itemId: options.itemId, delta: classified.value };
    } else if (classified.kind === 'call') {
      calls.push({
        callId: uniqueCallId(classified.callId, calls.length, seen),
        name: typeof classified.name === 'string' ? classified.name : '',
        arguments: callArguments(classified.input, options.modelLabel),
      });
    }
    // Other parts (thinking, data, future kinds) are not part of the answer.
  }
  if (sawText) yield { type: 'text.done', itemId: options.itemId, text };
  let outputTokens = estimateTextTokens(text);
  for (const call of calls) {
    outputTokens += estimateTextTokens(call.name) + estimateTextTokens(call.arguments);
    yield { type: 'function_call', callId: call.callId, name: call.name, arguments: call.arguments };
  }
  yield { type: 'usage', usage: { inputTokens: options.inputTokens, cachedInputTokens: 0, outputTokens } };
  yield { type: 'done' };
}
