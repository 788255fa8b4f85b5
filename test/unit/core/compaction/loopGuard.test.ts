// The loop guard and the edges of compaction, on the agent loop against the mock (real SDK, real HTTP):
// no second compaction without progress, a compacted context that still does not fit ends the turn with a
// way forward, `/compact` on demand, compaction after the API reports an overflow, a resumed log starts
// from its last compaction, and the loop detector / step cap.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AgentSession } from '../../../../src/core/agent/agentSession';
import type { AgentSessionOptions } from '../../../../src/core/agent/types';
import { ContextManager, liveHistory } from '../../../../src/core/compaction/compactor';
import type { ConversationItem } from '../../../../src/core/model/types';
import type { AgentEvent } from '../../../../src/shared/events';
import { chatStateFromEvents } from '../../../../src/shared/chatState';
import { testAgentSession } from '../../../fixtures/agentSessionFixture';
import { mock, startMockOpenAI, type MockOpenAI } from '../../../fixtures/mockOpenAI';
import { isSummaryRequest, respondToSummaries } from '../../../fixtures/longSessionScript';

let server: MockOpenAI;
let cwd: string;
beforeAll(async () => {
  server = await startMockOpenAI({ respond: respondToSummaries, usageFromBody: true });
  cwd = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-guard-')));
  fs.writeFileSync(path.join(cwd, 'big.txt'), 'x'.repeat(20_000));
});
afterAll(async () => {
  await server.close();
  fs.rmSync(cwd, { recursive: true, force: true });
});
beforeEach(() => {
  server.requests.length = 0;
  server.setScript([]);
});

const AGENTS = '# AGENTS.md instructions for /w\n\n<INSTRUCTIONS>\nAGENTS-GUARD-MARKER\n</INSTRUCTIONS>';

function session(overrides: Partial<AgentSessionOptions> = {}): AgentSession {
  return testAgentSession({ baseUrl: server.baseUrl, cwd, sessionId: 'guard', projectInstructions: AGENTS, ...overrides });
}

async function run(agent: AgentSession, op: { type: 'user_turn'; text: string } | { type: 'compact' }): Promise<AgentEvent[]> {
  const events: AgentEvent[] = [];
  for await (const event of agent.submit(op)) events.push(event);
  return events;
}

describe('loop guard', () => {
  it('refuses a second compaction without progress, and allows it again after a tool result', async () => {
    const agent = session();
    server.setScript([{ steps: [mock.call('exec_command', { cmd: 'echo hi' })] }, { steps: [mock.text('ok')] }]);
    await run(agent, { type: 'user_turn', text: 'say hi' });
    const first = await run(agent, { type: 'compact' });
    expect(first.find((e) => e.type === 'context.compacted')).toMatchObject({ count: 1, reason: 'manual' });
    expect(agent.conversation).toHaveLength(1);
    expect(agent.conversation[0]).toMatchObject({ type: 'compaction', projectInstructions: AGENTS });

    const again = await run(agent, { type: 'compact' });
    expect(again.some((e) => e.type === 'context.compacted')).toBe(false);
    expect(again.at(-1)).toMatchObject({ type: 'turn.failed', error: { code: 'context_length', message: expect.stringMatching(/nothing new since; compacting again would loop/) } });
    expect(server.requests.filter((r) => isSummaryRequest(r.body as Record<string, unknown>))).toHaveLength(1);

    server.setScript([{ steps: [mock.call('exec_command', { cmd: 'echo again' })] }, { steps: [mock.text('ok')] }]);
    await run(agent, { type: 'user_turn', text: 'once more' });
    expect((await run(agent, { type: 'compact' })).find((e) => e.type === 'context.compacted')).toMatchObject({ count: 2 });
    expect(agent.compactions).toBe(2);
    // The user's messages survive both compactions verbatim; the chat shows a row per compaction.
    const item = agent.conversation[0] as Extract<ConversationItem, { type: 'compaction' }>;
    expect(item.state.userMessages.map((m) => m.split('\n')[0])).toEqual(['say hi', 'once more']);
    expect(chatStateFromEvents([...first, ...again]).entries.filter((e) => e.kind === 'compaction')).toHaveLength(1);
  });

  it('ends the turn with a way forward when even the compacted context does not fit (never loops)', async () => {
    const huge = `# AGENTS.md instructions for /w\n\n${'rule '.repeat(4_000)}`; // ~5k tokens of AGENTS.md
    const agent = session({ projectInstructions: huge, compaction: { contextWindow: 8_000 } });
    server.setScript([{ steps: [mock.call('exec_command', { cmd: 'cat big.txt' })] }, { steps: [mock.text('unused')] }]);
    const events = await run(agent, { type: 'user_turn', text: 'read big.txt' });
    const failure = events.at(-1);
    expect(failure).toMatchObject({ type: 'turn.failed', error: { code: 'context_length' } });
    expect(JSON.stringify(failure)).toMatch(/Shorten AGENTS\.md|new chat|larger context window/);
    expect(events.some((e) => e.type === 'context.compacted')).toBe(false);
    expect(server.requests.filter((r) => isSummaryRequest(r.body as Record<string, unknown>))).toHaveLength(1);
    expect(agent.compactions).toBe(0);
  });

  it('compacts once and sends the step again when the API says the context is too long', async () => {
    const agent = session();
    server.setScript([
      { steps: [mock.call('exec_command', { cmd: 'cat big.txt' })] },
      mock.error(400, { code: 'context_length_exceeded', message: 'too long' }),
      { steps: [mock.text('done')] },
    ]);
    const events = await run(agent, { type: 'user_turn', text: 'read big.txt' });
    expect(events.find((e) => e.type === 'context.compacted')).toMatchObject({ reason: 'overflow', count: 1 });
    expect(events.at(-1)).toMatchObject({ type: 'turn.completed', stopped: false });
    expect(server.requests.at(-1)!.rawBody).toContain('AGENTS-GUARD-MARKER');
  });

  it('a restored log continues from its last compaction', async () => {
    const agent = session();
    server.setScript([{ steps: [mock.call('exec_command', { cmd: 'echo hi' })] }, { steps: [mock.text('ok')] }]);
    const log: ConversationItem[] = [];
    const recording = session({ recorder: { event: () => undefined, item: (item) => log.push(item) } });
    await run(recording, { type: 'user_turn', text: 'first' });
    await run(recording, { type: 'compact' });
    expect(log.length).toBeGreaterThan(3);
    expect(liveHistory(log)).toEqual([...recording.conversation]);
    const resumed = session({ history: log });
    expect(resumed.compactions).toBe(1);
    expect(resumed.conversation).toEqual(recording.conversation);
    expect(agent.compactions).toBe(0);
  });

  it('measures from reported usage plus an estimate of what came after it', () => {
    const fixed = { instructions: 'x'.repeat(400), tools: [] };
    const manager = new ContextManager({ contextWindow: 1_000, threshold: 0.8 }, []);
    const history: ConversationItem[] = [{ type: 'user', text: 'hi' }];
    const estimated = manager.projectedTokens(history, fixed);
    manager.noteRequest(1);
    manager.noteUsage(700);
    expect(manager.projectedTokens(history, fixed)).toBe(700);
    history.push({ type: 'tool_output', callId: 'c', output: 'y'.repeat(800) });
    expect(manager.projectedTokens(history, fixed)).toBeGreaterThan(900);
    expect(manager.needsCompaction(history, fixed)).toBe(true);
    expect(estimated).toBeLessThan(200);
  });
});

describe('turn cap and loop detector', () => {
  it('stops the same call with the same result after 5 in a row (wall times aside)', async () => {
    const agent = session();
    server.setScript([...Array.from({ length: 6 }, (_, i) => ({ steps: [mock.call('exec_command', { cmd: 'cat big.txt | wc -c' }, `c${i}`)] })), { steps: [mock.text('unused')] }]);
    const events = await run(agent, { type: 'user_turn', text: 'go' });
    expect(events.at(-1)).toMatchObject({ type: 'turn.failed', error: { code: 'limit', message: expect.stringMatching(/5 times in a row with the same result/) } });
    expect(server.requests).toHaveLength(5);
  });

  it('different results are progress, not a loop', async () => {
    const agent = session({ limits: { maxRepeats: 3 } });
    server.setScript([...Array.from({ length: 4 }, (_, i) => ({ steps: [mock.call('exec_command', { cmd: `echo ${i}` }, `c${i}`)] })), { steps: [mock.text('done')] }]);
    const events = await run(agent, { type: 'user_turn', text: 'go' });
    expect(events.at(-1)).toMatchObject({ type: 'turn.completed' });
  });
});
