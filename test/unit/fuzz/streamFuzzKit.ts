// Inputs and checks for the model-stream fuzz suite: random scripted responses turned into the exact
// events/bytes the real APIs send (via the mock's wire module), mutators at the event-object level
// (what the SDK yields after parsing SSE) and at the byte level (what reaches the SDK's SSE parser), and
// the check every run must pass: a well-formed event sequence, a classified ModelError, or the Stop reason.
import { ModelError } from '../../../src/core/model/errors';
import type { ModelStreamEvent } from '../../../src/core/model/types';
import { chatFrames, responsesFrames, type MockResponse, type MockStep } from '../../fixtures/mockOpenAIWire';
import type { Random } from './random';

export type WireApi = 'responses' | 'chat';

/** What a correct client makes of an unmutated script. */
export interface Expected {
  text: string;
  calls: { name: string; input: string }[];
}

const TOOL_NAMES = ['exec_command', 'apply_patch', 'update_plan', 'write_stdin', 'x'];

export function randomScript(rng: Random): { response: MockResponse; expected: (api: WireApi) => Expected } {
  const steps: MockStep[] = [];
  const count = rng.int(0, 3);
  for (let i = 0; i < count; i++) {
    const kind = rng.pick(['text', 'text', 'function_call', 'custom_tool_call'] as const);
    if (kind === 'text') {
      const words = Array.from({ length: rng.int(1, 8) }, () => rng.word(8).replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, 'u')).filter((w) => w.trim() !== '');
      steps.push({ type: 'text', text: words.length ? words.join(' ') : 'hello' });
    } else if (kind === 'function_call') {
      steps.push({ type: 'function_call', name: rng.pick(TOOL_NAMES), arguments: JSON.stringify({ cmd: rng.word(20), n: rng.int(0, 99) }), callId: `call_${rng.int(0, 1e6)}` });
    } else {
      steps.push({ type: 'custom_tool_call', name: 'apply_patch', input: `*** Begin Patch\n*** Add File: ${rng.word(6) || 'f'}\n+${rng.word(30)}\n*** End Patch`, callId: `call_${rng.int(0, 1e6)}` });
    }
  }
  const response: MockResponse = { steps, usage: { inputTokens: rng.int(0, 5000), cachedInputTokens: rng.int(0, 100), outputTokens: rng.int(0, 500) } };
  const expected = (api: WireApi): Expected => ({
    text: steps.map((s) => (s.type === 'text' ? s.text : '')).join(''),
    calls: steps.flatMap((s) => {
      if (s.type === 'function_call') return [{ name: s.name, input: s.arguments }];
      if (s.type === 'custom_tool_call') return [{ name: s.name, input: api === 'chat' ? JSON.stringify({ input: s.input }) : s.input }];
      return [];
    }),
  });
  return { response, expected };
}

const REQUEST_BODY = { model: 'gpt-fuzz', instructions: 'fuzz', stream: true, stream_options: { include_usage: true } };

/** The SSE body the real API sends for `response`. */
export function sseBody(api: WireApi, response: MockResponse, n: number): string {
  const frames = api === 'responses' ? responsesFrames(response, n, REQUEST_BODY) : chatFrames(response, n, REQUEST_BODY);
  return frames.map((f) => (f.kind === 'sse' ? f.text : '')).join('');
}

/** What the SDK yields for that body: each event's parsed `data`, up to `[DONE]`. */
export function sdkEvents(api: WireApi, response: MockResponse, n: number): unknown[] {
  const events: unknown[] = [];
  for (const frame of sseBody(api, response, n).split('\n\n')) {
    const data = /^data: (.*)$/m.exec(frame)?.[1];
    if (data === undefined) continue;
    if (data === '[DONE]') break;
    events.push(JSON.parse(data));
  }
  return events;
}

// ---- event-level mutation -------------------------------------------------------------------------------

const RESPONSES_TYPES = [
  'response.created',
  'response.in_progress',
  'response.output_item.added',
  'response.output_text.delta',
  'response.output_text.done',
  'response.output_item.done',
  'response.function_call_arguments.delta',
  'response.custom_tool_call_input.delta',
  'response.completed',
  'response.incomplete',
  'response.failed',
  'error',
];

function weirdValue(rng: Random): unknown {
  return rng.pick<() => unknown>([
    () => null,
    () => true,
    () => 0,
    () => -7,
    () => 1.5e300,
    () => '',
    () => rng.word(10),
    () => 'x'.repeat(rng.int(10_000, 200_000)),
    () => [],
    () => [1, 'a', null],
    () => ({}),
    () => ({ type: 'output_text', text: rng.word(5) }),
    () => ({ type: rng.pick(['message', 'function_call', 'custom_tool_call', 'reasoning']) }),
    () => rng.pick(RESPONSES_TYPES),
  ])();
}

/** Every [container, key] reachable in `value` (objects and arrays), for field-level mutations. */
function slots(value: unknown, out: [Record<string | number, unknown>, string | number][] = [], depth = 0): typeof out {
  if (typeof value !== 'object' || value === null || depth > 5) return out;
  for (const key of Object.keys(value)) {
    out.push([value as Record<string, unknown>, Array.isArray(value) ? Number(key) : key]);
    slots((value as Record<string, unknown>)[key], out, depth + 1);
  }
  return out;
}

function syntheticEvent(api: WireApi, rng: Random): unknown {
  if (api === 'chat') {
    return rng.pick<() => unknown>([
      () => ({ id: 'x', choices: [{ index: 0, delta: { content: weirdValue(rng) }, finish_reason: null }] }),
      () => ({ id: 'x', choices: [{ index: 0, delta: { tool_calls: [{ index: weirdValue(rng), id: weirdValue(rng), function: { name: weirdValue(rng), arguments: weirdValue(rng) } }] } }] }),
      () => ({ id: 'x', choices: [{ index: 0, delta: {}, finish_reason: rng.pick(['stop', 'tool_calls', 'length', null]) }] }),
      () => ({ choices: [], usage: { prompt_tokens: weirdValue(rng), completion_tokens: weirdValue(rng), prompt_tokens_details: weirdValue(rng) } }),
      () => ({ choices: weirdValue(rng) }),
      () => ({ error: { message: rng.word(20), code: rng.pick(['rate_limit_exceeded', 'server_error', 'invalid_request', 'context_length_exceeded', '']) } }),
    ])();
  }
  const type = rng.pick(RESPONSES_TYPES);
  return rng.pick<() => unknown>([
    () => ({ type, item_id: weirdValue(rng), delta: weirdValue(rng) }),
    () => ({ type, item: { type: rng.pick(['message', 'function_call', 'custom_tool_call']), id: weirdValue(rng), call_id: weirdValue(rng), name: weirdValue(rng), arguments: weirdValue(rng), input: weirdValue(rng), content: weirdValue(rng) } }),
    () => ({ type, response: { usage: weirdValue(rng), error: { code: rng.pick(['rate_limit_exceeded', 'server_error', 'invalid_prompt', 'context_length_exceeded']), message: weirdValue(rng) } } }),
    () => ({ type, code: weirdValue(rng), message: weirdValue(rng) }),
  ])();
}

export type SourceFault =
  | { kind: 'throw'; at: number; error: 'syntax' | 'api' | 'terminated' | 'reset' }
  | { kind: 'stall'; at: number }
  | { kind: 'abort'; at: number };

export interface MutatedEvents {
  events: unknown[];
  fault?: SourceFault;
  mutations: string[];
}

/** Applies 1-4 random mutations (or a source fault) to the SDK events of a valid response. */
export function mutateEvents(api: WireApi, original: unknown[], rng: Random): MutatedEvents {
  const events = structuredClone(original);
  const mutations: string[] = [];
  let fault: SourceFault | undefined;
  const rounds = rng.int(1, 4);
  for (let round = 0; round < rounds; round++) {
    const index = rng.int(0, Math.max(0, events.length - 1));
    const kind = rng.weighted([
      [10, 'drop'],
      [6, 'duplicate'],
      [5, 'swap'],
      [8, 'truncate'],
      [30, 'field'],
      [8, 'retype'],
      [5, 'replace'],
      [10, 'insert'],
      [4, 'error-field'],
      [6, 'throw'],
      [1, 'stall'],
      [3, 'abort'],
    ] as const);
    mutations.push(kind);
    switch (kind) {
      case 'drop':
        events.splice(index, 1);
        break;
      case 'duplicate':
        if (events.length) events.splice(index, 0, structuredClone(events[index]));
        break;
      case 'swap': {
        const other = rng.int(0, Math.max(0, events.length - 1));
        [events[index], events[other]] = [events[other], events[index]];
        break;
      }
      case 'truncate':
        events.length = Math.min(events.length, rng.int(0, events.length));
        break;
      case 'field': {
        const all = slots(events[index]);
        if (!all.length) break;
        const [container, key] = rng.pick(all);
        if (rng.chance(0.3) && !Array.isArray(container)) delete container[key];
        else container[key] = weirdValue(rng);
        break;
      }
      case 'retype': {
        const event = events[index];
        if (typeof event === 'object' && event !== null) (event as Record<string, unknown>).type = rng.chance(0.8) ? rng.pick(RESPONSES_TYPES) : rng.word(8);
        break;
      }
      case 'replace':
        events[index] = rng.pick<unknown>([null, 42, 'text', [], {}, { type: 5 }, { type: null }, [{ type: 'response.completed' }]]);
        break;
      case 'insert':
        events.splice(rng.int(0, events.length), 0, syntheticEvent(api, rng));
        break;
      case 'error-field': {
        const event = events[index];
        if (typeof event === 'object' && event !== null) (event as Record<string, unknown>).error = rng.pick<unknown>([{ message: 'boom', code: 'server_error' }, 'bad', 1, { code: 'rate_limit_exceeded' }]);
        break;
      }
      case 'throw':
        fault ??= { kind: 'throw', at: rng.int(0, events.length), error: rng.pick(['syntax', 'api', 'terminated', 'reset'] as const) };
        break;
      case 'stall':
        fault ??= { kind: 'stall', at: rng.int(0, events.length) };
        break;
      case 'abort':
        fault ??= { kind: 'abort', at: rng.int(0, events.length) };
        break;
    }
  }
  return { events, mutations, ...(fault ? { fault } : {}) };
}

// ---- byte-level mutation (raw SSE over HTTP) ------------------------------------------------------------

const SSE_TOKENS = [
  'data: ',
  'event: error\n',
  'event: response.failed\n',
  '\n\n',
  '\n',
  ': keep-alive\n',
  'data: [DONE]\n\n',
  'retry: 10\n',
  'id: 7\n',
  '{',
  '}',
  '"',
  ',',
  'null',
  '\r',
  '\r\n',
  '\u0000',
  '\uFEFF',
  'data: {"type":"response.completed","response":{}}\n\n',
  'data: {"error":{"message":"injected","code":"server_error"}}\n\n',
  'data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\n',
];

export interface RawReply {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  /** 'end': close the response normally; 'destroy': cut the socket after the body; 'hang': send nothing more. */
  ending: 'end' | 'destroy' | 'hang';
  mutations: string[];
}

export function mutateBytes(body: string, rng: Random): RawReply {
  let bytes = Buffer.from(body, 'utf8');
  const mutations: string[] = [];
  let status = 200;
  let headers: Record<string, string> = { 'content-type': 'text/event-stream; charset=utf-8' };
  let ending: RawReply['ending'] = 'end';
  const rounds = rng.int(1, 3);
  for (let round = 0; round < rounds; round++) {
    const at = rng.int(0, bytes.length);
    const kind = rng.weighted([
      [12, 'flip'],
      [8, 'delete-range'],
      [5, 'duplicate-range'],
      [12, 'insert-token'],
      [5, 'insert-bytes'],
      [10, 'truncate'],
      [4, 'crlf'],
      [3, 'cr-only'],
      [3, 'bom'],
      [3, 'nul'],
      [4, 'merge-events'],
      [5, 'retype-value'],
      [1, 'huge-line'],
      [4, 'destroy'],
      [0.5, 'hang'],
      [3, 'status'],
      [2, 'content-type'],
    ] as const);
    mutations.push(kind);
    switch (kind) {
      case 'flip':
        if (bytes.length) {
          const i = Math.min(at, bytes.length - 1);
          bytes[i] = bytes[i]! ^ (1 << rng.int(0, 7));
        }
        break;
      case 'delete-range':
        bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(Math.min(bytes.length, at + rng.int(1, 200)))]);
        break;
      case 'duplicate-range': {
        const piece = bytes.subarray(at, Math.min(bytes.length, at + rng.int(1, 400)));
        bytes = Buffer.concat([bytes.subarray(0, at), piece, bytes.subarray(at)]);
        break;
      }
      case 'insert-token':
        bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(rng.pick(SSE_TOKENS), 'utf8'), bytes.subarray(at)]);
        break;
      case 'insert-bytes': {
        const noise = Buffer.from(Array.from({ length: rng.int(1, 16) }, () => rng.pick([0x00, 0x0a, 0x0d, 0x22, 0x7b, 0x7d, 0x80, 0xc3, 0xe2, 0xed, 0xf0, 0xff, rng.int(0, 255)])));
        bytes = Buffer.concat([bytes.subarray(0, at), noise, bytes.subarray(at)]);
        break;
      }
      case 'truncate':
        bytes = bytes.subarray(0, at);
        break;
      case 'crlf':
        bytes = Buffer.from(bytes.toString('latin1').replace(/\n/g, '\r\n'), 'latin1');
        break;
      case 'cr-only':
        bytes = Buffer.from(bytes.toString('latin1').replace(/\n/g, '\r'), 'latin1');
        break;
      case 'bom':
        bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]);
        break;
      case 'nul':
        bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from([0]), bytes.subarray(at)]);
        break;
      case 'merge-events':
        bytes = Buffer.from(bytes.toString('latin1').replace(/\n\n/g, () => (rng.chance(0.3) ? '\n' : '\n\n')), 'latin1');
        break;
      case 'retype-value':
        bytes = Buffer.from(
          bytes.toString('latin1').replace(/"(delta|text|arguments|input|call_id|item_id|name|content|index|finish_reason|usage|output_tokens)":/g, (m) =>
            rng.chance(0.15) ? `${m}${rng.pick(['null,', '7,', '[],', '{},', 'true,', '"x",'])}"_was":` : m,
          ),
          'latin1',
        );
        break;
      case 'huge-line':
        bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(`\ndata: {"type":"response.output_text.delta","item_id":"big","delta":"${'y'.repeat(rng.int(100_000, 1_000_000))}"}\n\n`), bytes.subarray(at)]);
        break;
      case 'destroy':
        ending = 'destroy';
        bytes = bytes.subarray(0, at);
        break;
      case 'hang':
        ending = 'hang';
        bytes = bytes.subarray(0, at);
        break;
      case 'status':
        status = rng.pick([400, 401, 404, 408, 413, 429, 500, 502, 503, 504, 520]);
        headers = rng.chance(0.5) ? { 'content-type': 'application/json' } : { 'content-type': 'text/html' };
        bytes = Buffer.from(rng.pick(['{"error":{"message":"nope","code":"server_error"}}', '<html>Bad Gateway</html>', '', '{"error":null}', 'not json', '{"error":{"code":"context_length_exceeded","message":"too long"}}']));
        if (rng.chance(0.3)) headers['retry-after'] = rng.pick(['1', 'soon', '-3', 'Wed, 21 Oct 2015 07:28:00 GMT']);
        break;
      case 'content-type':
        headers = { 'content-type': rng.pick(['application/json', 'text/plain', 'application/octet-stream']) };
        break;
    }
  }
  return { status, headers, body: bytes, ending, mutations };
}

// ---- the check ------------------------------------------------------------------------------------------

export type Outcome =
  | { kind: 'completed'; events: ModelStreamEvent[] }
  | { kind: 'model-error'; code: string; events: ModelStreamEvent[] }
  | { kind: 'stopped'; events: ModelStreamEvent[] };

const isString = (v: unknown): v is string => typeof v === 'string';
const isCount = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/** Why `event` is not a well-formed ModelStreamEvent, or undefined when it is. */
export function eventProblem(event: ModelStreamEvent): string | undefined {
  switch (event.type) {
    case 'text.delta':
      return isString(event.itemId) && event.itemId !== '' && isString(event.delta) ? undefined : 'text.delta fields';
    case 'text.done':
      return isString(event.itemId) && event.itemId !== '' && isString(event.text) ? undefined : 'text.done fields';
    case 'function_call':
      return isString(event.callId) && event.callId !== '' && isString(event.name) && isString(event.arguments) ? undefined : 'function_call fields';
    case 'custom_tool_call':
      return isString(event.callId) && event.callId !== '' && isString(event.name) && isString(event.input) ? undefined : 'custom_tool_call fields';
    case 'usage':
      return isCount(event.usage?.inputTokens) && isCount(event.usage?.cachedInputTokens) && isCount(event.usage?.outputTokens) ? undefined : 'usage counts';
    case 'done':
      return undefined;
    default:
      return `unknown event type ${JSON.stringify((event as { type?: unknown }).type)}`;
  }
}

const MODEL_ERROR_CODES = new Set(['connection', 'rate_limited', 'server', 'stream_dropped', 'bad_request', 'context_length', 'timeout', 'auth']);

/**
 * Classifies how one stream run ended and returns a problem description when it is not acceptable:
 * completed runs must be well formed and end in exactly one `done`; failures must be a ModelError with a
 * stream/server code (never 'internal', which means our code threw), a readable message and a correct
 * `outputProduced` flag; a Stop must surface as the signal's own reason.
 */
export function judge(events: ModelStreamEvent[], error: unknown, threw: boolean, abortReason: unknown): { outcome?: Outcome; problem?: string } {
  for (const event of events) {
    const problem = eventProblem(event);
    if (problem) return { problem: `malformed event (${problem}): ${JSON.stringify(event).slice(0, 200)}` };
  }
  const doneAt = events.findIndex((e) => e.type === 'done');
  if (!threw) {
    if (doneAt !== events.length - 1) return { problem: `a completed stream must end with exactly one 'done' (at ${doneAt} of ${events.length})` };
    return { outcome: { kind: 'completed', events } };
  }
  if (doneAt !== -1) return { problem: "a failed stream yielded 'done'" };
  if (abortReason !== undefined && error === abortReason) return { outcome: { kind: 'stopped', events } };
  if (!(error instanceof ModelError)) return { problem: `threw ${describeError(error)} instead of a ModelError` };
  if (!MODEL_ERROR_CODES.has(error.code)) return { problem: `ModelError with code '${error.code}': ${error.message}` };
  if (!error.message || /\bundefined\b|\[object Object\]/.test(error.message)) return { problem: `unreadable message: ${error.message}` };
  if (error.outputProduced !== events.length > 0) return { problem: `outputProduced=${error.outputProduced} after ${events.length} events` };
  return { outcome: { kind: 'model-error', code: error.code, events } };
}

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.constructor.name}: ${error.message}`;
  return JSON.stringify(error);
}

/** Compares a completed run of an unmutated script with what the script says. */
export function matchesExpected(events: ModelStreamEvent[], expected: Expected): string | undefined {
  const text = events.filter((e) => e.type === 'text.done').map((e) => (e as { text: string }).text).join('');
  if (text !== expected.text) return `text ${JSON.stringify(text)} != ${JSON.stringify(expected.text)}`;
  const calls = events.flatMap((e) => (e.type === 'function_call' ? [{ name: e.name, input: e.arguments }] : e.type === 'custom_tool_call' ? [{ name: e.name, input: e.input }] : []));
  if (JSON.stringify(calls) !== JSON.stringify(expected.calls)) return `calls ${JSON.stringify(calls)} != ${JSON.stringify(expected.calls)}`;
  return undefined;
}
