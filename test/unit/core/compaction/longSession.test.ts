// The compaction proof: a scripted session of hundreds of model steps with large tool outputs under a
// 16k-token window, on both wire APIs, against the mock over real HTTP with the real SDK and real
// commands. No request may exceed the window (measured on the request body, and the mock reports that
// same size as usage), compactions never follow each other without progress, AGENTS.md is in every
// request, the request prefix is stable between compactions, and the task completes. The Responses API
// compacts natively (the mock's `/responses/compact`); Chat Completions, and a Responses server without
// that endpoint, summarise with Tandem's own request.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentSession } from '../../../../src/core/agent/agentSession';
import { SUMMARY_INSTRUCTIONS } from '../../../../src/core/compaction/summarize';
import { estimateTextTokens } from '../../../../src/core/compaction/tokens';
import { createModelClient } from '../../../../src/core/model/createClient';
import { loadAgentsMd } from '../../../../src/core/prompt/agentsMd';
import { BASE_INSTRUCTIONS } from '../../../../src/core/prompt/instructions';
import type { AgentEvent } from '../../../../src/shared/events';
import { defaultTools } from '../../../../src/node/agentFactory';
import { createProcessRunner } from '../../../../src/node/createRunner';
import { NodeFileReader } from '../../../../src/node/nodeFileReader';
import { startMockOpenAI, type MockOpenAI } from '../../../fixtures/mockOpenAI';
import type { ConversationItem } from '../../../../src/core/model/types';
import { AGENTS_MARKER, FINAL_ANSWER, isCompactRequest, isSummaryRequest, longSessionFiles, longSessionScript, respondToSummaries, SUMMARY_PROMPT_START } from '../../../fixtures/longSessionScript';

const WINDOW = 16_000;
const STEPS = 150; // bench/longSession.mjs runs 200 through the CLI

let server: MockOpenAI;
/** Whether the mock answers the compact endpoint (otherwise 404, a Responses server without it). */
let nativeEndpoint = true;
const dirs: string[] = [];
beforeAll(async () => {
  server = await startMockOpenAI({ respond: respondToSummaries, usageFromBody: true, compact: () => (nativeEndpoint ? 'compacted' : undefined) });
});
afterAll(async () => {
  await server.close();
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** The conversation part of a request body (input or messages). */
const conversationOf = (body: Record<string, unknown>) => (body.input ?? body.messages) as unknown[];

it('the fixture recognises Tandem’s summarisation prompt', () => {
  expect(SUMMARY_INSTRUCTIONS.startsWith(SUMMARY_PROMPT_START)).toBe(true);
});

const CASES = [
  { name: 'responses (native compaction)', wireApi: 'responses', native: true },
  { name: 'chat (own summaries)', wireApi: 'chat', native: false },
  { name: 'responses without the compact endpoint (own summaries)', wireApi: 'responses', native: false },
] as const;

describe.each(CASES)(`a session of ${STEPS} steps under a 16k window: $name`, ({ wireApi, native }) => {
  it('stays inside the window, never loops, keeps AGENTS.md and completes', async () => {
    nativeEndpoint = native;
    const issuedBefore = server.issuedCompactions.length;
    const cwd = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-long-')));
    dirs.push(cwd);
    for (const [name, text] of Object.entries(longSessionFiles({ steps: STEPS, wireApi }))) fs.writeFileSync(path.join(cwd, name), text);
    server.requests.length = 0;
    server.setScript(longSessionScript({ steps: STEPS, wireApi }));
    const files = new NodeFileReader();
    const projectInstructions = await loadAgentsMd(files, cwd, cwd);
    const agent = new AgentSession({
      sessionId: `long-${wireApi}`,
      model: createModelClient({ wireApi, baseUrl: server.baseUrl, apiKey: 'test-key' }),
      modelName: 'gpt-test',
      instructions: BASE_INSTRUCTIONS,
      tools: defaultTools(),
      runner: createProcessRunner(),
      files,
      cwd,
      workspaceRoots: [cwd],
      approvalPolicy: () => 'full-access',
      environment: () => ({ cwd, os: 'Linux', shell: '/bin/bash', date: '2026-11-23', approvalPolicy: 'full-access' }),
      handleChangeSet: async () => ({ outcome: 'discarded', message: 'not used' }),
      retryDelay: async () => undefined,
      ...(projectInstructions ? { projectInstructions } : {}),
      loadProjectInstructions: () => loadAgentsMd(files, cwd, cwd),
      compaction: { contextWindow: WINDOW },
      limits: { maxSteps: 1_000 },
    });
    const events: AgentEvent[] = [];
    for await (const event of agent.submit({ type: 'user_turn', text: 'Review every chunk file and report.' })) events.push(event);

    // The task completes.
    expect(events.at(-1)).toMatchObject({ type: 'turn.completed', stopped: false });
    expect(events.some((e) => e.type === 'message.completed' && e.text === FINAL_ANSWER)).toBe(true);
    expect(server.pending()).toBe(0);

    // No request exceeds the window.
    const sizes = server.requests.map((r) => estimateTextTokens(r.rawBody));
    expect(Math.max(...sizes)).toBeLessThanOrEqual(WINDOW);

    // Compactions happened, each after progress (a tool result) since the previous one, and are counted.
    const compactions = events.filter((e): e is Extract<AgentEvent, { type: 'context.compacted' }> => e.type === 'context.compacted');
    expect(compactions.length).toBeGreaterThan(10);
    expect(compactions.map((c) => c.count)).toEqual(compactions.map((_, i) => i + 1));
    expect(agent.compactions).toBe(compactions.length);
    for (const c of compactions) expect(c.tokensAfter).toBeLessThan(c.tokensBefore);
    let toolResultsSince = 1;
    for (const event of events) {
      if (event.type === 'tool.ended') toolResultsSince++;
      if (event.type === 'context.compacted') {
        expect(toolResultsSince).toBeGreaterThan(0);
        toolResultsSince = 0;
      }
    }
    const main = server.requests.filter((r) => !isSummaryRequest(r.body as Record<string, unknown>) && !isCompactRequest(r));
    const summaries = server.requests.filter((r) => isSummaryRequest(r.body as Record<string, unknown>));
    const compactRequests = server.requests.filter((r) => isCompactRequest(r));
    expect(main).toHaveLength(STEPS + 1);
    if (native) {
      // Every compaction went to the compact endpoint; none needed a summarisation request of ours.
      expect(compactRequests).toHaveLength(compactions.length);
      expect(summaries).toHaveLength(0);
      const issued = server.issuedCompactions.slice(issuedBefore);
      expect(issued).toHaveLength(compactions.length);
      compactRequests.forEach((request, i) => {
        // AGENTS.md is never summarised: it is not sent to the endpoint at all.
        expect(request.rawBody).not.toContain(AGENTS_MARKER.slice(0, 20));
        // Each compaction carries the server's previous one (the server chains its own summaries).
        const input = (request.body as { input: { type: string; encrypted_content?: string }[] }).input;
        if (i > 0) expect(input[0]).toEqual({ type: 'compaction', encrypted_content: issued[i - 1] });
        expect(input.filter((item) => item.type === 'compaction')).toHaveLength(i > 0 ? 1 : 0);
      });
      // After compaction k, every request carries the k-th opaque item (and no other).
      let k = 0;
      for (const request of main) {
        const tokens = ((request.body as { input: { type: string; encrypted_content?: string }[] }).input ?? []).filter((item) => item.type === 'compaction').map((item) => item.encrypted_content);
        if (tokens.length) k = issued.indexOf(tokens[0]!) + 1;
        expect(tokens).toEqual(k ? [issued[k - 1]] : []);
      }
      expect(k).toBe(compactions.length);
      expect((agent.conversation[0] as Extract<ConversationItem, { type: 'compaction' }>).native?.encryptedContent).toBe(issued.at(-1));
    } else {
      expect(summaries).toHaveLength(compactions.length);
      // A Responses server without the endpoint is asked once; the session remembers the answer.
      expect(compactRequests).toHaveLength(wireApi === 'responses' ? 1 : 0);
      expect(agent.conversation[0]).not.toHaveProperty('native');
    }

    // AGENTS.md in every request of the session (fresh after each compaction, never summarised).
    for (const request of main) expect(request.rawBody).toContain(AGENTS_MARKER.replace(/`/g, '`'));

    // Between compactions each request's conversation extends the previous one unchanged (prompt cache);
    // right after a compaction, the compacted context is the new stable prefix.
    let stablePairs = 0;
    for (let i = 1; i < main.length; i++) {
      const previous = conversationOf(main[i - 1]!.body as Record<string, unknown>);
      const current = conversationOf(main[i]!.body as Record<string, unknown>);
      const extends_ = JSON.stringify(current.slice(0, previous.length)) === JSON.stringify(previous);
      if (extends_) stablePairs++;
    }
    expect(stablePairs).toBe(main.length - 1 - compactions.length);
    for (const request of server.requests) expect(request.clientAborted).toBe(false);

    // The ledger survives in the compacted context: the files read and the plan.
    const last = JSON.stringify(conversationOf(main.at(-1)!.body as Record<string, unknown>));
    expect(last).toContain('chunk-05.txt: read');
    expect(last).toContain('Review chunks up to');
    expect(last).toContain('Review every chunk file and report.');
  }, 60_000);
});
