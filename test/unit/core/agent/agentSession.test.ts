// The agent loop against the scripted mock over real HTTP, with the real openai SDK, the real PTY runner
// and the real patch engine, for both wire APIs.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AgentSession } from '../../../../src/core/agent/agentSession';
import type { AgentSessionOptions } from '../../../../src/core/agent/types';
import type { ApprovalPolicy } from '../../../../src/core/approvals/policy';
import { createModelClient } from '../../../../src/core/model/createClient';
import { BASE_INSTRUCTIONS } from '../../../../src/core/prompt/instructions';
import type { AgentEvent } from '../../../../src/shared/events';
import { defaultTools } from '../../../../src/node/agentFactory';
import { createProcessRunner } from '../../../../src/node/createRunner';
import { writeChangeSetAtomically } from '../../../../src/node/fsChangeSetWriter';
import { NodeFileReader } from '../../../../src/node/nodeFileReader';
import { mock, startMockOpenAI, type MockOpenAI } from '../../../fixtures/mockOpenAI';

let server: MockOpenAI;
beforeAll(async () => {
  server = await startMockOpenAI();
});
afterAll(async () => {
  await server.close();
});

const workspaces: string[] = [];
afterEach(() => {
  for (const dir of workspaces.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  server.setScript([]);
  server.requests.length = 0;
});

function workspace(files: Record<string, string> = {}): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-agent-')));
  workspaces.push(dir);
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

const noDelay = async () => undefined;

function session(wireApi: 'responses' | 'chat', cwd: string, overrides: Partial<AgentSessionOptions> & { policy?: ApprovalPolicy } = {}): AgentSession {
  const { policy = 'full-access', ...rest } = overrides;
  return new AgentSession({
    sessionId: 'sess-1',
    model: createModelClient({ wireApi, baseUrl: server.baseUrl, apiKey: 'test-key' }),
    modelName: 'gpt-test',
    instructions: BASE_INSTRUCTIONS,
    tools: defaultTools(),
    runner: createProcessRunner(),
    files: new NodeFileReader(),
    cwd,
    workspaceRoots: [cwd],
    approvalPolicy: () => policy,
    environment: () => ({ cwd, os: 'Linux', shell: '/bin/bash', date: '2026-11-23', approvalPolicy: policy }),
    handleChangeSet: async (changeSet) => {
      await writeChangeSetAtomically(changeSet);
      return { outcome: 'applied', message: 'Applied.' };
    },
    retryDelay: noDelay,
    ...rest,
  });
}

async function run(agent: AgentSession, text: string, onEvent?: (e: AgentEvent) => void, signal?: AbortSignal): Promise<AgentEvent[]> {
  const events: AgentEvent[] = [];
  for await (const event of agent.submit({ type: 'user_turn', text }, signal)) {
    events.push(event);
    onEvent?.(event);
  }
  return events;
}

const PATCH = '*** Begin Patch\n*** Update File: add.js\n@@\n-  return a - b;\n+  return a + b;\n*** End Patch';
const patchStep = (wireApi: 'responses' | 'chat') => (wireApi === 'responses' ? mock.custom('apply_patch', PATCH, 'call_patch') : mock.call('apply_patch', { input: PATCH }, 'call_patch'));

/** The `input` / `messages` array of a logged request. */
const conversationOf = (body: unknown) => {
  const b = body as { input?: unknown[]; messages?: unknown[] };
  return (b.input ?? b.messages) as unknown[];
};

describe.each(['responses', 'chat'] as const)('agent loop over %s', (wireApi) => {
  it('runs a shell command, applies a patch and answers (and the request prefix never changes)', async () => {
    const cwd = workspace({ 'add.js': 'function add(a, b) {\n  return a - b;\n}\n' });
    server.setScript([
      { steps: [mock.call('exec_command', { cmd: 'cat add.js' }, 'call_cat')] },
      { steps: [patchStep(wireApi)] },
      { steps: [mock.text('Fixed `add`: it subtracted.')], usage: { inputTokens: 900, cachedInputTokens: 800, outputTokens: 9 } },
    ]);
    const events = await run(session(wireApi, cwd), 'fix add');

    expect(fs.readFileSync(path.join(cwd, 'add.js'), 'utf8')).toBe('function add(a, b) {\n  return a + b;\n}\n');
    const types = events.map((e) => e.type);
    expect(types[0]).toBe('turn.started');
    expect(types.at(-1)).toBe('turn.completed');
    expect(types).toContain('patch.proposed');
    const output = events.filter((e) => e.type === 'tool.output').map((e) => (e as { chunk: string }).chunk).join('');
    expect(output).toContain('return a - b;');
    const ended = events.filter((e) => e.type === 'tool.ended');
    expect(ended.map((e) => (e as { status: string }).status)).toEqual(['ok', 'ok']);
    expect(events.find((e) => e.type === 'message.completed')).toMatchObject({ text: 'Fixed `add`: it subtracted.' });
    expect(events.filter((e) => e.type === 'usage').at(-1)).toMatchObject({ usage: { inputTokens: 900, cachedInputTokens: 800 } });

    // Three requests; each one's conversation extends the previous one's unchanged (prompt-cache prefix).
    expect(server.requests).toHaveLength(3);
    const bodies = server.requests.map((r) => r.body as Record<string, unknown>);
    for (const body of bodies) expect(body.prompt_cache_key).toBe('sess-1');
    for (let i = 1; i < bodies.length; i++) {
      const previous = conversationOf(bodies[i - 1]);
      const current = conversationOf(bodies[i]);
      expect(JSON.stringify(current.slice(0, previous.length))).toBe(JSON.stringify(previous));
      expect(JSON.stringify(bodies[i]!.tools)).toBe(JSON.stringify(bodies[0]!.tools));
      expect(bodies[i]!.instructions ?? null).toEqual(bodies[0]!.instructions ?? null);
    }
    // The second request carries the command's output back to the model.
    expect(JSON.stringify(conversationOf(bodies[1]))).toContain('return a - b;');
  });

  it('runs parallel tool calls in order and answers each', async () => {
    const cwd = workspace();
    server.setScript([
      { steps: [mock.call('exec_command', { cmd: 'echo first' }, 'c1'), mock.call('exec_command', { cmd: 'echo second' }, 'c2')] },
      { steps: [mock.text('ok')] },
    ]);
    const events = await run(session(wireApi, cwd), 'two things');
    const started = events.filter((e) => e.type === 'tool.started').map((e) => (e as { callId: string }).callId);
    expect(started).toEqual(['c1', 'c2']);
    const second = JSON.stringify(conversationOf(server.requests[1]!.body));
    expect(second.indexOf('first')).toBeGreaterThan(-1);
    expect(second.indexOf('second')).toBeGreaterThan(second.indexOf('first'));
  });

  it('returns malformed arguments and unknown tools to the model as tool output', async () => {
    const cwd = workspace();
    server.setScript([
      { steps: [mock.call('exec_command', '{"cmd": ', 'bad'), mock.call('launch_rockets', {}, 'unknown')] },
      { steps: [mock.text('sorry')] },
    ]);
    const events = await run(session(wireApi, cwd), 'go');
    expect(events.at(-1)?.type).toBe('turn.completed');
    const sent = JSON.stringify(conversationOf(server.requests[1]!.body));
    expect(sent).toContain('Invalid arguments for exec_command');
    expect(sent).toContain('Unknown tool \\"launch_rockets\\"');
  });

  it('retries a 429 in the middle of a turn, honouring Retry-After', async () => {
    const cwd = workspace();
    server.setScript([{ steps: [mock.call('exec_command', { cmd: 'echo hi' }, 'c1')] }, mock.error(429, { retryAfter: '2' }), { steps: [mock.text('done')] }]);
    const events = await run(session(wireApi, cwd), 'go');
    expect(events.find((e) => e.type === 'retrying')).toMatchObject({ attempt: 1, delayMs: 2000 });
    expect(events.at(-1)?.type).toBe('turn.completed');
    expect(server.requests).toHaveLength(3);
  });

  it('stops at once: kills the running command, closes the turn as stopped, and the next turn works', async () => {
    const cwd = workspace();
    server.setScript([{ steps: [mock.call('exec_command', { cmd: 'echo started; sleep 30', yield_time_ms: 30000 }, 'c1')] }]);
    const agent = session(wireApi, cwd);
    const controller = new AbortController();
    const events = await run(agent, 'long', (e) => {
      if (e.type === 'tool.output' && e.chunk.includes('started')) controller.abort(new Error('stop'));
    }, controller.signal);
    expect(events.at(-1)).toMatchObject({ type: 'turn.completed', stopped: true });
    expect(events.find((e) => e.type === 'tool.ended')).toMatchObject({ status: 'cancelled' });

    server.setScript([{ steps: [mock.text('next')] }]);
    const next = await run(agent, 'again');
    expect(next.at(-1)).toMatchObject({ type: 'turn.completed', stopped: false });
    // The interrupted call got an output, so the API accepts the history.
    expect(JSON.stringify(conversationOf(server.requests.at(-1)!.body))).toContain('stopped the turn');
  });
});

describe('approvals in the loop', () => {
  it('asks before an unsafe command in ask mode, runs it once approved, and reports a denial with the note', async () => {
    const cwd = workspace();
    server.setScript([
      { steps: [mock.call('exec_command', { cmd: 'touch made.txt' }, 'c1')] },
      { steps: [mock.call('exec_command', { cmd: 'rm made.txt' }, 'c2')] },
      { steps: [mock.text('ok')] },
    ]);
    const agent = session('responses', cwd, { policy: 'ask' });
    let asked = 0;
    const events = await run(agent, 'go', (e) => {
      if (e.type !== 'approval.requested') return;
      asked++;
      agent.submit(asked === 1 ? { type: 'approval', approvalId: e.approvalId, decision: 'approve' } : { type: 'approval', approvalId: e.approvalId, decision: 'deny', note: 'keep it' });
    });
    expect(asked).toBe(2);
    expect(fs.existsSync(path.join(cwd, 'made.txt'))).toBe(true);
    expect(events.filter((e) => e.type === 'tool.ended').map((e) => (e as { status: string }).status)).toEqual(['ok', 'denied']);
    expect(JSON.stringify(conversationOf(server.requests[2]!.body))).toContain('keep it');
  });

  it('runs known-safe commands without asking in ask mode, and denies writes in read-only mode', async () => {
    const cwd = workspace({ 'a.txt': 'A\n' });
    server.setScript([{ steps: [mock.call('exec_command', { cmd: 'cat a.txt' }, 'c1'), mock.call('exec_command', { cmd: 'rm a.txt' }, 'c2')] }, { steps: [mock.text('ok')] }]);
    const events = await run(session('responses', cwd, { policy: 'read-only' }), 'go');
    expect(events.some((e) => e.type === 'approval.requested')).toBe(false);
    expect(events.filter((e) => e.type === 'tool.ended').map((e) => (e as { status: string }).status)).toEqual(['ok', 'denied']);
    expect(fs.existsSync(path.join(cwd, 'a.txt'))).toBe(true);
  });

  it('hands patches to the host for review in ask mode and tells the model when they are discarded', async () => {
    const cwd = workspace({ 'add.js': 'function add(a, b) {\n  return a - b;\n}\n' });
    server.setScript([{ steps: [patchStep('responses')] }, { steps: [mock.text('ok')] }]);
    const reviews: boolean[] = [];
    const agent = session('responses', cwd, {
      policy: 'ask',
      handleChangeSet: async (_changeSet, { review }) => {
        reviews.push(review);
        return { outcome: 'discarded', message: 'The user discarded this change; nothing was written.' };
      },
    });
    const events = await run(agent, 'fix');
    expect(reviews).toEqual([true]);
    expect(fs.readFileSync(path.join(cwd, 'add.js'), 'utf8')).toContain('a - b');
    expect(events.find((e) => e.type === 'patch.resolved')).toMatchObject({ outcome: 'discarded' });
    expect(JSON.stringify(conversationOf(server.requests[1]!.body))).toContain('discarded');
  });
});

describe('what the chat shows', () => {
  it('shows the display text of a turn while the model gets the full text', async () => {
    const cwd = workspace();
    server.setScript([{ steps: [mock.text('ok')] }]);
    const agent = session('responses', cwd);
    const events: AgentEvent[] = [];
    for await (const event of agent.submit({ type: 'user_turn', text: 'FULL PROMPT with all the context', display: 'Fix This: a.ts' })) events.push(event);
    expect(events[0]).toMatchObject({ type: 'turn.started', text: 'Fix This: a.ts' });
    expect(JSON.stringify(server.requests[0]!.body)).toContain('FULL PROMPT with all the context');
  });
});

describe('symlinks in patches', () => {
  it('reviews a patch that writes through a symlink pointing outside the workspace, even in auto mode', async () => {
    const cwd = workspace();
    const outside = workspace();
    fs.symlinkSync(outside, path.join(cwd, 'link'));
    const escape = '*** Begin Patch\n*** Add File: link/planted.txt\n+gotcha\n*** End Patch';
    const inside = '*** Begin Patch\n*** Add File: fine.txt\n+ok\n*** End Patch';
    server.setScript([{ steps: [mock.custom('apply_patch', escape)] }, { steps: [mock.custom('apply_patch', inside)] }, { steps: [mock.text('ok')] }]);
    const reviews: boolean[] = [];
    const agent = session('responses', cwd, {
      policy: 'auto',
      handleChangeSet: async (changeSet, { review }) => {
        reviews.push(review);
        if (review) return { outcome: 'discarded', message: 'The user discarded this change; nothing was written.' };
        await writeChangeSetAtomically(changeSet);
        return { outcome: 'applied', message: 'Applied.' };
      },
    });
    await run(agent, 'plant a file');
    expect(reviews).toEqual([true, false]); // the link escape is reviewed, the plain write inside is not
    expect(fs.existsSync(path.join(outside, 'planted.txt'))).toBe(false);
    expect(fs.readFileSync(path.join(cwd, 'fine.txt'), 'utf8')).toBe('ok\n');
  });

  it('resolves the real path of files that do not exist yet through their nearest existing ancestor', async () => {
    const cwd = workspace();
    const outside = workspace();
    fs.symlinkSync(outside, path.join(cwd, 'link'));
    expect(await new NodeFileReader().realPath(path.join(cwd, 'link', 'new', 'deep.txt'))).toBe(path.join(outside, 'new', 'deep.txt'));
    expect(await new NodeFileReader().realPath(path.join(cwd, 'plain.txt'))).toBe(path.join(cwd, 'plain.txt'));
  });
});

describe('turn limits and failures', () => {
  it('fails the turn after max steps instead of spinning', async () => {
    const cwd = workspace();
    server.setScript(Array.from({ length: 5 }, (_, i) => ({ steps: [mock.call('exec_command', { cmd: 'true' }, `c${i}`)] })));
    const events = await run(session('responses', cwd, { limits: { maxSteps: 3 } }), 'loop');
    expect(events.at(-1)).toMatchObject({ type: 'turn.failed', error: { code: 'limit' } });
    expect(server.requests).toHaveLength(3);
  });

  it('fails with an actionable message on 401 and names the URL when the server is unreachable', async () => {
    const cwd = workspace();
    server.setScript([mock.error(401, { code: 'invalid_api_key', message: 'Incorrect API key provided: sk-test****' })]);
    const unauthorized = await run(session('responses', cwd), 'hi');
    expect(unauthorized.at(-1)).toMatchObject({ type: 'turn.failed', error: { code: 'auth', action: { command: 'tandem.setApiKey' } } });

    const closed = new AgentSession({
      ...((session('chat', cwd) as unknown as { options: AgentSessionOptions }).options),
      model: createModelClient({ wireApi: 'chat', baseUrl: 'http://127.0.0.1:9/v1', apiKey: 'k' }),
    });
    const refused = await run(closed, 'hi');
    const failure = refused.at(-1);
    expect(failure).toMatchObject({ type: 'turn.failed', error: { code: 'connection' } });
    expect(JSON.stringify(failure)).toContain('http://127.0.0.1:9/v1');
  });
});
