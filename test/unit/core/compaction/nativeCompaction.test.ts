// Native compaction in the agent loop, against the mock over real HTTP with the real SDK: the Responses
// API's opaque summary replaces only our summary (AGENTS.md fresh, the user's messages and the ledger stay
// ours), the loop guard holds on this path too, a server without the endpoint is asked once per session,
// failures a user must see end the turn, and a native item survives the session log, `--resume` and a
// switch to Chat Completions. Plus what goes to the endpoint (nativeCompactionInput) at its edges.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AgentSession } from '../../../../src/core/agent/agentSession';
import type { AgentSessionOptions } from '../../../../src/core/agent/types';
import { ContextManager } from '../../../../src/core/compaction/compactor';
import { NATIVE_SUMMARY_NOTE, NATIVE_SUMMARY_TEXT, nativeCompactionInput } from '../../../../src/core/compaction/native';
import { emptyLedger } from '../../../../src/core/compaction/types';
import { createModelClient } from '../../../../src/core/model/createClient';
import type { ConversationItem } from '../../../../src/core/model/types';
import { parseSessionLog, serializeRecord } from '../../../../src/core/session/sessionLog';
import type { AgentEvent } from '../../../../src/shared/events';
import { testAgentSession } from '../../../fixtures/agentSessionFixture';
import { isCompactRequest, isSummaryRequest, respondToSummaries } from '../../../fixtures/longSessionScript';
import { mock, startMockOpenAI, type MockCompactAnswer, type MockOpenAI, type RecordedRequest } from '../../../fixtures/mockOpenAI';

type CompactionItem = Extract<ConversationItem, { type: 'compaction' }>;

let server: MockOpenAI;
let cwd: string;
/** The compact endpoint's answers, in order; when empty it answers 'compacted' (or 404 when `endpoint` is false). */
let answers: MockCompactAnswer[] = [];
let endpoint = true;
beforeAll(async () => {
  server = await startMockOpenAI({ respond: respondToSummaries, usageFromBody: true, compact: () => answers.shift() ?? (endpoint ? 'compacted' : undefined) });
  cwd = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-native-')));
});
afterAll(async () => {
  await server.close();
  fs.rmSync(cwd, { recursive: true, force: true });
});
beforeEach(() => {
  server.requests.length = 0;
  server.setScript([]);
  answers = [];
  endpoint = true;
});

const AGENTS = '# AGENTS.md instructions for /w\n\n<INSTRUCTIONS>\nAGENTS-NATIVE-MARKER\n</INSTRUCTIONS>';

function session(overrides: Partial<AgentSessionOptions> & { wireApi?: 'responses' | 'chat' } = {}): AgentSession {
  return testAgentSession({ baseUrl: server.baseUrl, cwd, sessionId: 'native', projectInstructions: AGENTS, loadProjectInstructions: async () => AGENTS, ...overrides });
}

async function run(agent: AgentSession, op: { type: 'user_turn'; text: string } | { type: 'compact' }): Promise<AgentEvent[]> {
  const events: AgentEvent[] = [];
  for await (const event of agent.submit(op)) events.push(event);
  return events;
}

/** One turn with a tool call (progress for the loop guard), then an answer. */
async function workTurn(agent: AgentSession, text: string, cmd = 'echo hi'): Promise<AgentEvent[]> {
  server.setScript([{ steps: [mock.call('exec_command', { cmd })] }, { steps: [mock.text('ok')] }]);
  return run(agent, { type: 'user_turn', text });
}

const compactRequests = () => server.requests.filter(isCompactRequest);
const summaryRequests = () => server.requests.filter((r) => isSummaryRequest(r.body as Record<string, unknown>));
const inputOf = (r: RecordedRequest) => (r.body as { input: { type: string; encrypted_content?: string }[] }).input;
const compactedEvent = (events: AgentEvent[]) => events.find((e): e is Extract<AgentEvent, { type: 'context.compacted' }> => e.type === 'context.compacted');

describe('native compaction on the Responses API', () => {
  it('keeps our structure and replaces only the summary with the server’s opaque item', async () => {
    const agent = session();
    await workTurn(agent, 'say hi');
    const events = await run(agent, { type: 'compact' });
    expect(compactedEvent(events)).toMatchObject({ count: 1, reason: 'manual', summary: NATIVE_SUMMARY_NOTE });
    expect(summaryRequests()).toHaveLength(0);
    expect(compactRequests()).toHaveLength(1);
    // AGENTS.md never goes to the endpoint; the transcript since the start does.
    expect(compactRequests()[0]!.rawBody).not.toContain('AGENTS-NATIVE-MARKER');
    expect(compactRequests()[0]!.rawBody).toContain('echo hi');

    const item = agent.conversation[0] as CompactionItem;
    expect(agent.conversation).toHaveLength(1);
    expect(item).toMatchObject({ type: 'compaction', projectInstructions: AGENTS, native: { encryptedContent: server.issuedCompactions.at(-1) } });
    expect(item.text).toContain(NATIVE_SUMMARY_TEXT);
    expect(item.text).toContain('say hi'); // the user's message, verbatim
    expect(item.text).toMatch(/Commands that failed|Files|no files read/); // the ledger section

    // The next request: AGENTS.md, our text, then the opaque item, then the new message.
    server.setScript([{ steps: [mock.text('next done')] }]);
    await run(agent, { type: 'user_turn', text: 'next' });
    const input = inputOf(server.requests.at(-1)!);
    expect(JSON.stringify(input[0])).toContain('AGENTS-NATIVE-MARKER');
    expect(JSON.stringify(input[1])).toContain(NATIVE_SUMMARY_TEXT.slice(0, 40));
    expect(input[2]).toEqual({ type: 'compaction', encrypted_content: server.issuedCompactions.at(-1) });
    expect(JSON.stringify(input[3])).toContain('next');
  });

  it('the loop guard holds: no second compaction without progress, and the endpoint is not asked', async () => {
    const agent = session();
    await workTurn(agent, 'say hi');
    await run(agent, { type: 'compact' });
    const again = await run(agent, { type: 'compact' });
    expect(compactedEvent(again)).toBeUndefined();
    expect(again.at(-1)).toMatchObject({ type: 'turn.failed', error: { code: 'context_length', message: expect.stringMatching(/compacting again would loop/) } });
    expect(compactRequests()).toHaveLength(1);

    // After progress, the next compaction chains the server's previous item (and still not AGENTS.md).
    await workTurn(agent, 'once more', 'echo again');
    expect(compactedEvent(await run(agent, { type: 'compact' }))).toMatchObject({ count: 2 });
    const second = compactRequests()[1]!;
    expect(inputOf(second)[0]).toEqual({ type: 'compaction', encrypted_content: server.issuedCompactions.at(-2) });
    expect(second.rawBody).not.toContain('AGENTS-NATIVE-MARKER');
    expect(second.rawBody).toContain('echo again');
    expect(second.rawBody).not.toContain('echo hi'); // covered by the chained item
    expect((agent.conversation[0] as CompactionItem).state.userMessages.map((m) => m.split('\n')[0])).toEqual(['say hi', 'once more']);
  });

  it('a server without the endpoint is asked once; the session then summarises itself', async () => {
    endpoint = false;
    const agent = session();
    await workTurn(agent, 'first');
    const first = await run(agent, { type: 'compact' });
    expect(compactedEvent(first)).toMatchObject({ count: 1, summary: expect.stringContaining('Summary:') });
    expect(agent.conversation[0]).not.toHaveProperty('native');
    await workTurn(agent, 'second');
    await run(agent, { type: 'compact' });
    expect(compactRequests()).toHaveLength(1);
    expect(summaryRequests()).toHaveLength(2);
  });

  it('the automatic and the overflow compactions use it too', async () => {
    fs.writeFileSync(path.join(cwd, 'big.txt'), 'x'.repeat(40_000));
    const agent = session({ compaction: { contextWindow: 8_000 } });
    server.setScript([{ steps: [mock.call('exec_command', { cmd: 'cat big.txt' })] }, { steps: [mock.text('done')] }]);
    const events = await run(agent, { type: 'user_turn', text: 'read big.txt' });
    expect(compactedEvent(events)).toMatchObject({ reason: 'auto', summary: NATIVE_SUMMARY_NOTE });
    expect(events.at(-1)).toMatchObject({ type: 'turn.completed', stopped: false });
    // The compact request holds the call and (cut in the middle) its output, within the window like every other request.
    expect(compactRequests()).toHaveLength(1);
    const sent = inputOf(compactRequests()[0]!);
    expect(sent.map((i) => i.type)).toEqual(['message', 'function_call', 'function_call_output']);
    expect(compactRequests()[0]!.rawBody).toContain('characters cut');
    for (const request of server.requests) expect(Math.ceil(request.rawBody.length / 4)).toBeLessThanOrEqual(8_000);

    server.requests.length = 0;
    const overflow = session();
    server.setScript([{ steps: [mock.call('exec_command', { cmd: 'echo x' })] }, mock.error(400, { code: 'context_length_exceeded', message: 'too long' }), { steps: [mock.text('done')] }]);
    const again = await run(overflow, { type: 'user_turn', text: 'go' });
    expect(compactedEvent(again)).toMatchObject({ reason: 'overflow', summary: NATIVE_SUMMARY_NOTE });
    expect(inputOf(server.requests.at(-1)!).some((i) => i.type === 'compaction')).toBe(true);
  });

  it.each([
    ['a bad key', { status: 401 }, 'auth'],
    ['an exhausted quota', { status: 429, body: { error: { message: 'You exceeded your current quota', type: 'insufficient_quota', code: 'insufficient_quota' } } }, 'rate_limited'],
  ] as const)('%s ends the turn with that error, not a silent fallback', async (_, answer, code) => {
    const agent = session();
    await workTurn(agent, 'say hi');
    answers = [answer];
    const events = await run(agent, { type: 'compact' });
    expect(events.at(-1)).toMatchObject({ type: 'turn.failed', error: { code } });
    expect(summaryRequests()).toHaveLength(0);
    // Not remembered as "unsupported": fixed, the next compaction asks again and succeeds.
    expect(compactedEvent(await run(agent, { type: 'compact' }))).toMatchObject({ summary: NATIVE_SUMMARY_NOTE });
  });
});

describe('a native item across the session log, --resume and a wire API switch', () => {
  async function compactedLog(): Promise<ConversationItem[]> {
    const log: string[] = [];
    const agent = session({ recorder: { event: () => undefined, item: (item) => log.push(serializeRecord({ type: 'item', item })) } });
    await workTurn(agent, 'say hi');
    await run(agent, { type: 'compact' });
    return parseSessionLog(log.join('')).items;
  }

  it('a resumed session sends the item back to the same server', async () => {
    const items = await compactedLog();
    const resumed = session({ history: items });
    expect(resumed.compactions).toBe(1);
    expect((resumed.conversation[0] as CompactionItem).native?.encryptedContent).toBe(server.issuedCompactions.at(-1));
    server.setScript([{ steps: [mock.text('resumed')] }]);
    expect((await run(resumed, { type: 'user_turn', text: 'go on' })).at(-1)).toMatchObject({ type: 'turn.completed' });
    expect(inputOf(server.requests.at(-1)!)).toContainEqual({ type: 'compaction', encrypted_content: server.issuedCompactions.at(-1) });
  });

  it.each([
    ['a token with a newline', 'abc\ndef'],
    ['a non-string token', 42],
    ['no origin', undefined],
  ])('a log whose native part is malformed (%s) keeps the item without it', async (_, encryptedContent) => {
    const items = await compactedLog();
    const lines = items.map((item) =>
      serializeRecord({ type: 'item', item: item.type === 'compaction' ? ({ ...item, native: encryptedContent === undefined ? { encryptedContent: 'tok' } : { encryptedContent, origin: 'x' } } as unknown as ConversationItem) : item }),
    );
    const parsed = parseSessionLog(lines.join('')).items;
    const compaction = parsed.find((i): i is CompactionItem => i.type === 'compaction')!;
    expect(compaction).not.toHaveProperty('native');
    expect(compaction.text).toContain(NATIVE_SUMMARY_TEXT);
    const resumed = session({ history: parsed });
    server.setScript([{ steps: [mock.text('fine')] }]);
    expect((await run(resumed, { type: 'user_turn', text: 'go on' })).at(-1)).toMatchObject({ type: 'turn.completed' });
  });

  it('switched to Chat Completions: well-formed requests, and the next compaction summarises without the unreadable part', async () => {
    const items = await compactedLog();
    const chat = session({ history: items, model: createModelClient({ wireApi: 'chat', baseUrl: server.baseUrl, apiKey: 'test-key' }) });
    server.setScript([{ steps: [mock.call('exec_command', { cmd: 'echo chat' })] }, { steps: [mock.text('ok')] }]);
    expect((await run(chat, { type: 'user_turn', text: 'on chat now' })).at(-1)).toMatchObject({ type: 'turn.completed' });
    const body = server.requests.at(-1)!;
    expect(body.path).toBe('/v1/chat/completions');
    expect(body.rawBody).toContain('AGENTS-NATIVE-MARKER');
    expect(body.rawBody).toContain(NATIVE_SUMMARY_TEXT.slice(0, 40));
    expect(body.rawBody).not.toContain(server.issuedCompactions.at(-1));

    const events = await run(chat, { type: 'compact' });
    expect(compactedEvent(events)).toMatchObject({ count: 2, summary: expect.stringContaining('Summary:') });
    expect(summaryRequests()).toHaveLength(1);
    expect(summaryRequests()[0]!.rawBody).not.toContain(NATIVE_SUMMARY_NOTE.slice(0, 30)); // the note is not a summary
    expect((chat.conversation[0] as CompactionItem).state.userMessages.map((m) => m.split('\n')[0])).toEqual(['say hi', 'on chat now']);
  });
});

describe('what a native compaction keeps', () => {
  const fixed = { instructions: 'You are a test agent.', tools: [] };

  it('a native summary too big for this window is not used (our own is), and that is not remembered', async () => {
    answers = [{ status: 200, body: { output: [{ type: 'compaction', encrypted_content: 'z'.repeat(10_000) }] } }];
    const manager = new ContextManager({ contextWindow: 8_000, threshold: 0.8 }, []);
    const history: ConversationItem[] = [
      { type: 'user', text: 'task' },
      { type: 'function_call', callId: 'c', name: 'exec_command', arguments: '{"cmd":"ls"}' },
      { type: 'tool_output', callId: 'c', output: 'a\nb' },
    ];
    const client = createModelClient({ wireApi: 'responses', baseUrl: server.baseUrl, apiKey: 'k' });
    const result = await manager.compact(history, { client, model: 'm', fixed, reason: 'manual', signal: new AbortController().signal });
    expect(result.native).toBe(false);
    expect(result.item.state.summary).toContain('Summary:');
    expect(manager.nativeStatus).toBe('available');
    expect(manager.nativeFallbackReason).toMatch(/over 2000 tokens/);
  });

  it('sends the newest items within the budget, never a tool result without its call, the previous summary first', () => {
    const since: ConversationItem[] = [];
    for (let i = 0; i < 20; i++) {
      since.push({ type: 'function_call', callId: `c${i}`, name: 'exec_command', arguments: `{"cmd":"cat f${i}"}` });
      since.push({ type: 'tool_output', callId: `c${i}`, output: `${i}:${'o'.repeat(400)}` });
    }
    const previous: CompactionItem = { type: 'compaction', text: 'T', state: { count: 1, userMessages: [], omittedUserMessages: 0, ledger: emptyLedger(), summary: 'OUR EARLIER SUMMARY' } };
    const input = nativeCompactionInput({ previous, since, budgetTokens: 1_000 });
    expect(input[0]).toMatchObject({ type: 'user', text: expect.stringContaining('OUR EARLIER SUMMARY') });
    const rest = input.slice(1);
    expect(rest.length).toBeLessThan(since.length);
    expect(rest.at(-1)).toEqual(since.at(-1));
    const calls = new Set(rest.flatMap((i) => (i.type === 'function_call' ? [i.callId] : [])));
    for (const item of rest) if (item.type === 'tool_output') expect(calls.has(item.callId)).toBe(true);
    expect(JSON.stringify(input).length / 4).toBeLessThanOrEqual(1_000);
  });

  it('a newest tool result bigger than the budget goes cut, with its call (never an orphan, never nothing)', () => {
    const since: ConversationItem[] = [
      { type: 'user', text: 'read it' },
      { type: 'function_call', callId: 'c', name: 'exec_command', arguments: '{"cmd":"cat big"}' },
      { type: 'tool_output', callId: 'c', output: `"quoted"\n${'x'.repeat(60_000)}\nEND` },
    ];
    for (const budgetTokens of [500, 2_000, 6_000]) {
      const input = nativeCompactionInput({ previous: undefined, since, budgetTokens });
      expect(input.map((i) => i.type).slice(-2)).toEqual(['function_call', 'tool_output']);
      expect((input.at(-1) as Extract<ConversationItem, { type: 'tool_output' }>).output.endsWith('END')).toBe(true);
      expect(JSON.stringify(input).length / 4).toBeLessThanOrEqual(budgetTokens);
    }
  });

  it('a newest item bigger than the budget goes cut in the middle; a native previous goes as its bare item', () => {
    const previous: CompactionItem = { type: 'compaction', projectInstructions: AGENTS, text: 'KEPT TEXT', state: { count: 1, userMessages: ['m'], omittedUserMessages: 0, ledger: emptyLedger(), summary: NATIVE_SUMMARY_NOTE }, native: { encryptedContent: 'tok', origin: 'o' } };
    const input = nativeCompactionInput({ previous, since: [{ type: 'user', text: `HEAD${'u'.repeat(50_000)}TAIL` }], budgetTokens: 2_000 });
    expect(input[0]).toMatchObject({ type: 'compaction', text: '', native: { encryptedContent: 'tok' } });
    expect(input[0]).not.toHaveProperty('projectInstructions');
    const user = input[1] as Extract<ConversationItem, { type: 'user' }>;
    expect(user.text.startsWith('HEAD')).toBe(true);
    expect(user.text.endsWith('TAIL')).toBe(true);
    expect(user.text.length).toBeLessThan(8_000);
  });
});
