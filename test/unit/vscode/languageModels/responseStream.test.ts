// A language model's response parts as Tandem's stream events: text streamed then finished, calls after it
// with usable ids and JSON arguments whatever the provider (another extension) sent, estimated usage, and
// parts that are not the answer (thinking, data) left out.
import { describe, expect, it } from 'vitest';
import { ModelError } from '../../../../src/core/model/errors';
import type { ModelStreamEvent } from '../../../../src/core/model/types';
import { callArguments, normalizeLanguageModelParts, uniqueCallId, type ClassifiedPart } from '../../../../src/vscode/languageModels/responseStream';

class Text {
  constructor(readonly value: unknown) {}
}
class Call {
  constructor(
    readonly callId: unknown,
    readonly name: unknown,
    readonly input: unknown,
  ) {}
}
class Thinking {
  constructor(readonly value: string) {}
}

const classify = (part: unknown): ClassifiedPart =>
  part instanceof Text ? { kind: 'text', value: part.value as string } : part instanceof Call ? { kind: 'call', callId: part.callId, name: part.name, input: part.input } : { kind: 'other' };

async function* from(parts: unknown[], failWith?: Error): AsyncGenerator<unknown> {
  for (const part of parts) yield part;
  if (failWith) throw failWith;
}

async function collect(parts: unknown[], failWith?: Error): Promise<ModelStreamEvent[]> {
  const events: ModelStreamEvent[] = [];
  for await (const event of normalizeLanguageModelParts(from(parts, failWith), classify, { itemId: 'm1', inputTokens: 1234, modelLabel: "the VS Code language model 'test'" })) events.push(event);
  return events;
}

describe('normalizeLanguageModelParts', () => {
  it('streams text, then finishes it, then the calls, usage and done', async () => {
    const events = await collect([new Text('Let me '), new Text('look.'), new Call('c1', 'exec_command', { cmd: 'ls' })]);
    expect(events).toEqual([
      { type: 'text.delta', itemId: 'm1', delta: 'Let me ' },
      { type: 'text.delta', itemId: 'm1', delta: 'look.' },
      { type: 'text.done', itemId: 'm1', text: 'Let me look.' },
      { type: 'function_call', callId: 'c1', name: 'exec_command', arguments: '{"cmd":"ls"}' },
      { type: 'usage', usage: { inputTokens: 1234, cachedInputTokens: 0, outputTokens: expect.any(Number) } },
      { type: 'done' },
    ]);
    const usage = events.find((e) => e.type === 'usage');
    expect(usage?.type === 'usage' && usage.usage.outputTokens).toBeGreaterThan(0);
  });

  it('has no message when the model only calls tools, and leaves out thinking and unknown parts', async () => {
    const events = await collect([new Thinking('secret plan'), { some: 'future part' }, new Text(''), new Call('c1', 'apply_patch', { input: '*** Begin Patch' }), 42, null]);
    expect(events.map((e) => e.type)).toEqual(['function_call', 'usage', 'done']);
    expect(JSON.stringify(events)).not.toContain('secret plan');
  });

  it('gives calls usable, unique ids and names whatever the provider sent', async () => {
    const events = await collect([new Call('', 'exec_command', {}), new Call('dup', 'exec_command', {}), new Call('dup', 'exec_command', {}), new Call(7, 42, {}), new Call(undefined, 'x', {})]);
    const calls = events.filter((e) => e.type === 'function_call');
    expect(calls.map((c) => c.callId)).toEqual(['lm_call_0', 'dup', 'dup_2', 'lm_call_3', 'lm_call_4']);
    expect(calls.map((c) => c.name)).toEqual(['exec_command', 'exec_command', 'exec_command', '', 'x']);
  });

  it('turns text values that are not strings into nothing rather than "[object Object]"', async () => {
    const events = await collect([new Text({ value: 'x' }), new Text(['a']), new Text('ok')]);
    expect(events.filter((e) => e.type === 'text.delta').map((e) => e.type === 'text.delta' && e.delta)).toEqual(['ok']);
  });

  it('keeps a huge answer whole', async () => {
    const deltas = Array.from({ length: 50_000 }, (_, i) => `chunk ${i} `);
    const events = await collect(deltas.map((d) => new Text(d)));
    const done = events.find((e) => e.type === 'text.done');
    expect(done?.type === 'text.done' && done.text).toBe(deltas.join(''));
  });

  it('lets a failure of the stream through, after what came before', async () => {
    const seen: ModelStreamEvent[] = [];
    const failure = new Error('provider crashed');
    await expect(
      (async () => {
        for await (const event of normalizeLanguageModelParts(from([new Text('partial')], failure), classify, { itemId: 'm', inputTokens: 1, modelLabel: 'm' })) seen.push(event);
      })(),
    ).rejects.toBe(failure);
    expect(seen).toEqual([{ type: 'text.delta', itemId: 'm', delta: 'partial' }]);
  });
});

describe('callArguments', () => {
  it('serialises objects, keeps strings, defaults to {} and refuses what is not JSON', () => {
    expect(callArguments({ a: [1, 'two'] }, 'm')).toBe('{"a":[1,"two"]}');
    expect(callArguments('{"raw":true}', 'm')).toBe('{"raw":true}');
    expect(callArguments(undefined, 'm')).toBe('{}');
    expect(callArguments(null, 'm')).toBe('{}');
    expect(() => callArguments({ n: 10n }, 'the model')).toThrow(ModelError);
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(() => callArguments(circular, 'the model')).toThrow(/the model sent a tool call whose input cannot be read as JSON/);
  });
});

describe('uniqueCallId', () => {
  it('never repeats an id, including ids that look like its own suffixes', () => {
    const seen = new Set<string>();
    const ids = ['a', 'a_2', 'a', 'a', '', ''].map((raw, i) => uniqueCallId(raw, i, seen));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(['a', 'a_2', 'a_3', 'a_4', 'lm_call_4', 'lm_call_5']);
  });
});
