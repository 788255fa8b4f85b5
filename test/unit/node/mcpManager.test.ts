// MCP servers for real: the fixture server (test/fixtures/mcp/fixtureServer.ts, the SDK's server side) as a
// child process over stdio and over streamable HTTP, driven by McpManager and, for approvals, by an
// AgentSession whose model is the mock OpenAI server. Listing, calls, approval and denial, a crash in
// the middle of a call, restart, cancellation, timeouts, and what a server's environment holds.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { HttpServerConfig, McpServerConfig, StdioServerConfig } from '../../../src/core/mcp/config';
import type { AgentEvent } from '../../../src/shared/events';
import { defaultTools } from '../../../src/node/agentFactory';
import { rememberSecret } from '../../../src/node/commandSecrets';
import { McpManager } from '../../../src/node/mcp/mcpManager';
import { prepareServer } from '../../../src/node/mcp/serverLaunch';
import { testAgentSession } from '../../fixtures/agentSessionFixture';
import { mock, startMockOpenAI, type MockOpenAI } from '../../fixtures/mockOpenAI';

const FIXTURE = join(__dirname, '../../fixtures/mcp/fixtureServer.ts');
const TANDEM_KEY = 'sk-tandem-mcp-test-key-0123456789';
rememberSecret(TANDEM_KEY);

const stdioServer = (name = 'fx', env: Record<string, string> = {}): StdioServerConfig => ({
  name,
  source: 'user',
  origin: 'test',
  type: 'stdio',
  command: process.execPath,
  args: [FIXTURE],
  env,
});

let manager: McpManager;
afterEach(async () => {
  await manager?.dispose();
});

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 2000 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  if (!condition()) throw new Error(`timed out waiting for ${what}`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const text = (result: { content?: unknown }) => (result.content as { text: string }[]).map((c) => c.text).join('');

describe('McpManager over stdio', () => {
  it('starts the server, lists its tools under mcp__ names with their schemas and hints, and calls one', async () => {
    manager = new McpManager();
    await manager.start([stdioServer()]);
    const [state] = manager.states();
    expect(state).toMatchObject({ name: 'fx', status: 'running' });
    expect(state!.tools.map((t) => [t.exposedName, t.readOnlyHint])).toEqual([
      ['mcp__fx__echo', false],
      ['mcp__fx__status', true],
      ['mcp__fx__slow', false],
      ['mcp__fx__crash', false],
      ['mcp__fx__env', true],
      ['mcp__fx__grow', false],
      ['mcp__fx__listings', true],
    ]);
    const echo = manager.tools().find((t) => t.name === 'mcp__fx__echo')!;
    expect(echo.spec).toMatchObject({ kind: 'function', parameters: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] } });
    expect(text(await manager.callTool('fx', 'echo', { text: 'hi' }, new AbortController().signal))).toBe('echo: hi');
    expect(manager.log('fx')).toContain('fixture server started');
  });

  it('lists the tools again when the server announces a change, and offers the new one; a burst of announcements makes few listings', async () => {
    let changes = 0;
    manager = new McpManager({ onChange: () => changes++ });
    await manager.start([stdioServer()]);
    const signal = new AbortController().signal;
    const listingsAtStart = Number(text(await manager.callTool('fx', 'listings', {}, signal)));
    const changesAtStart = changes;
    expect(text(await manager.callTool('fx', 'grow', { announce: 1 }, signal))).toBe('grew to 1');
    await until(() => manager.tools().some((t) => t.name === 'mcp__fx__grown1'), 'the new tool to be offered');
    expect(changes).toBeGreaterThan(changesAtStart); // the view and the chats hear of it
    expect(text(await manager.callTool('fx', 'grown1', {}, signal))).toBe('grown 1');
    expect(manager.log('fx')).toMatch(/tools changed: 8 tool\(s\)/);

    // 500 announcements at once: debounced and never two listings at a time, so a handful of listings, not 500.
    const before = Number(text(await manager.callTool('fx', 'listings', {}, signal)));
    expect(before).toBeGreaterThan(listingsAtStart);
    expect(text(await manager.callTool('fx', 'grow', { announce: 500 }, signal))).toBe('grew to 2');
    await until(() => manager.tools().some((t) => t.name === 'mcp__fx__grown2'), 'the second new tool');
    const after = Number(text(await manager.callTool('fx', 'listings', {}, signal)));
    expect(after - before).toBeGreaterThanOrEqual(1);
    expect(after - before).toBeLessThanOrEqual(3);
  });

  it('reports a crash in the middle of a call at once, keeps failing clearly, and runs again after a restart', async () => {
    manager = new McpManager();
    await manager.start([stdioServer()]);
    await expect(manager.callTool('fx', 'crash', {}, new AbortController().signal)).rejects.toThrow(/"fx" crashed during the call.*crash: exiting now/);
    expect(manager.states()[0]).toMatchObject({ status: 'crashed' });
    await expect(manager.callTool('fx', 'echo', { text: 'x' }, new AbortController().signal)).rejects.toThrow(/"fx" is crashed/);
    // The tools stay offered under the same names (the session's request prefix does not change).
    expect(manager.tools().map((t) => t.name)).toContain('mcp__fx__echo');
    await manager.restart('fx');
    expect(manager.states()[0]).toMatchObject({ status: 'running' });
    expect(text(await manager.callTool('fx', 'echo', { text: 'back' }, new AbortController().signal))).toBe('echo: back');
  });

  it('sees a server killed from outside as crashed', async () => {
    manager = new McpManager();
    await manager.start([stdioServer()]);
    process.kill(manager.pid('fx')!, 'SIGKILL');
    await until(() => manager.states()[0]!.status === 'crashed', 'the crash');
    expect(manager.states()[0]!.reason).toContain('stopped unexpectedly');
  });

  it('cancels a call with the turn\'s signal, and the server hears of it', async () => {
    manager = new McpManager();
    await manager.start([stdioServer()]);
    const controller = new AbortController();
    const call = manager.callTool('fx', 'slow', { ms: 60_000 }, controller.signal);
    await until(() => manager.log('fx').includes('slow: started'), 'the server to start the call');
    controller.abort(new Error('stopped by the user'));
    await expect(call).rejects.toThrow();
    await until(() => manager.log('fx').includes('slow: cancelled'), 'the server to see the cancellation');
    expect(manager.states()[0]!.status).toBe('running');
  });

  it('fails a call that takes longer than the timeout, naming server and tool', async () => {
    manager = new McpManager({ timeouts: { callMs: 200 } });
    await manager.start([stdioServer()]);
    await expect(manager.callTool('fx', 'slow', { ms: 60_000 }, new AbortController().signal)).rejects.toThrow('the MCP server "fx" did not answer "slow" within 0 s');
  });

  it('reports a server that cannot start as failed, with the reason', async () => {
    manager = new McpManager({ timeouts: { startMs: 5000 } });
    await manager.start([{ ...stdioServer('missing'), command: join(tmpdir(), 'no-such-mcp-server-binary') }]);
    expect(manager.states()[0]).toMatchObject({ status: 'failed', reason: expect.stringContaining('could not start') });
    expect(manager.tools()).toEqual([]);
    await expect(manager.callTool('missing', 'echo', {}, new AbortController().signal)).rejects.toThrow(/is failed/);
  });

  it('stops every server on dispose', async () => {
    manager = new McpManager();
    await manager.start([stdioServer('a'), stdioServer('b')]);
    const pids = [manager.pid('a')!, manager.pid('b')!];
    expect(pids.every(alive)).toBe(true);
    await manager.dispose();
    await until(() => !pids.some(alive), 'the processes to exit');
  });

  it('gives a server a minimal environment plus its own, never Tandem\'s key', async () => {
    process.env.OPENAI_API_KEY = TANDEM_KEY;
    try {
      manager = new McpManager();
      const prepared = await prepareServer(stdioServer('fx', { MY_SETTING: 'on', FIXTURE_FORBIDDEN_VALUE: TANDEM_KEY.slice(0, 12) }), {});
      // The check value is only a prefix of the key, so it is not itself refused.
      expect(prepared.ok).toBe(true);
      await manager.start([(prepared as { value: McpServerConfig }).value]);
      const report = JSON.parse(text(await manager.callTool('fx', 'env', {}, new AbortController().signal))) as { names: string[]; leaked: boolean };
      expect(report.leaked).toBe(false);
      expect(report.names).toContain('MY_SETTING');
      expect(report.names).not.toContain('OPENAI_API_KEY');
      expect(report.names.filter((n) => !['HOME', 'LOGNAME', 'PATH', 'SHELL', 'TERM', 'USER', 'MY_SETTING', 'FIXTURE_FORBIDDEN_VALUE'].includes(n))).toEqual([]);
    } finally {
      delete process.env.OPENAI_API_KEY;
    }
  });

  it('refuses a definition that would hand the server Tandem\'s key (env, ${env:…}, args, headers)', async () => {
    const env = { OPENAI_API_KEY: TANDEM_KEY, OTHER: `x${TANDEM_KEY}y` };
    const refused = [
      stdioServer('a', { K: TANDEM_KEY }),
      stdioServer('b', { K: '${env:OPENAI_API_KEY}' }),
      stdioServer('c', { K: '${env:OTHER}' }),
      { ...stdioServer('d'), args: [`--key=${TANDEM_KEY}`] },
      { name: 'e', source: 'workspace', origin: 't', type: 'http', url: 'https://example.com/mcp', headers: { Authorization: `Bearer ${TANDEM_KEY}` } },
    ] satisfies McpServerConfig[];
    for (const server of refused) {
      const prepared = await prepareServer(server, { env });
      expect(prepared.ok, server.name).toBe(false);
      expect((prepared as { reason: string }).reason, server.name).toMatch(/Tandem's (own )?API key/);
    }
  });

  it('reads an envFile (the definition\'s own env winning); a workspace server starts in the workspace folder (the user\'s: mcpServerCwd.test.ts)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-env-'));
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, '.env'), '# comment\nexport A="from file"\nB=file\nnot a line\n');
    const workspaceServer = { ...stdioServer('fx', { B: 'config' }), source: 'workspace' as const };
    const prepared = await prepareServer({ ...workspaceServer, envFile: '${workspaceFolder}/.env' }, { workspaceFolder: dir });
    expect(prepared).toMatchObject({ ok: true, value: { env: { A: 'from file', B: 'config' }, cwd: dir } });
    expect(await prepareServer({ ...workspaceServer, cwd: 'tools' }, { workspaceFolder: dir })).toMatchObject({ ok: true, value: { cwd: join(dir, 'tools') } });
  });
});

describe('McpManager over streamable HTTP', () => {
  let child: ChildProcess;
  let url: string;
  beforeAll(async () => {
    child = spawn(process.execPath, [FIXTURE, '--http'], { env: { ...process.env, FIXTURE_REQUIRE_AUTH: 'Bearer fixture-token' }, stdio: ['ignore', 'pipe', 'inherit'] });
    const lines = createInterface({ input: child.stdout! });
    const [line] = (await once(lines, 'line')) as [string];
    url = line.replace(/^listening /, '');
  });
  afterAll(() => {
    child.kill();
  });

  const httpServer = (headers: Record<string, string>): HttpServerConfig => ({ name: 'web', source: 'user', origin: 'test', type: 'http', url, headers });

  it('lists and calls tools with the configured headers', async () => {
    manager = new McpManager();
    await manager.start([httpServer({ Authorization: 'Bearer fixture-token' })]);
    expect(manager.states()[0]).toMatchObject({ status: 'running', type: 'http' });
    expect(manager.states()[0]!.tools.map((t) => t.exposedName)).toContain('mcp__web__status');
    expect(text(await manager.callTool('web', 'echo', { text: 'over http' }, new AbortController().signal))).toBe('echo: over http');
  });

  it('sees an HTTP server that dies in the middle of a call as crashed, and fails later calls clearly', async () => {
    const own = spawn(process.execPath, [FIXTURE, '--http'], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const [line] = (await once(createInterface({ input: own.stdout! }), 'line')) as [string];
      manager = new McpManager();
      await manager.start([{ ...httpServer({}), url: line.replace(/^listening /, '') }]);
      await expect(manager.callTool('web', 'crash', {}, new AbortController().signal)).rejects.toThrow(/"web" crashed during the call: the server stopped answering/);
      expect(manager.states()[0]).toMatchObject({ status: 'crashed' });
      await expect(manager.callTool('web', 'echo', { text: 'x' }, new AbortController().signal)).rejects.toThrow(/"web" is crashed/);
    } finally {
      own.kill();
    }
  });

  it('reports a server that refuses the credentials as failed', async () => {
    manager = new McpManager();
    await manager.start([httpServer({ Authorization: 'Bearer wrong' })]);
    expect(manager.states()[0]).toMatchObject({ status: 'failed', reason: expect.stringContaining('could not start') });
  });
});

describe('MCP tool calls in an agent turn', () => {
  let api: MockOpenAI;
  beforeAll(async () => {
    api = await startMockOpenAI();
  });
  afterAll(async () => {
    await api.close();
  });

  async function turn(policy: 'ask' | 'auto', calls: [string, unknown][], decide: (e: Extract<AgentEvent, { type: 'approval.requested' }>) => 'approve' | 'approve_session' | 'deny' | undefined) {
    api.setScript([{ steps: calls.map(([name, args], i) => mock.call(name, args, `c${i}`)) }, { steps: [mock.text('done')] }]);
    const cwd = mkdtempSync(join(tmpdir(), 'mcp-turn-'));
    const agent = testAgentSession({ baseUrl: api.baseUrl, cwd, policy, tools: [...defaultTools(), ...manager.tools()] });
    const events: AgentEvent[] = [];
    for await (const event of agent.submit({ type: 'user_turn', text: 'go' }, new AbortController().signal)) {
      events.push(event);
      if (event.type === 'approval.requested') {
        const decision = decide(event);
        if (decision) agent.submit({ type: 'approval', approvalId: event.approvalId, decision, ...(decision === 'deny' ? { note: 'not now' } : {}) });
      }
    }
    agent.dispose();
    const requestBody = JSON.stringify(api.requests.at(-1)!.body);
    return { events, requestBody, firstRequest: api.requests.at(-2)!.body as { tools: { name: string }[] } };
  }

  it('offers the tools to the model, asks before a call in ask mode, and runs it once approved', async () => {
    manager = new McpManager();
    await manager.start([stdioServer()]);
    const asked: unknown[] = [];
    const { events, requestBody, firstRequest } = await turn('ask', [['mcp__fx__echo', { text: 'approved <b>call</b>' }]], (e) => {
      asked.push(e.subject);
      return 'approve';
    });
    expect(firstRequest.tools.map((t) => t.name)).toEqual(expect.arrayContaining(['exec_command', 'mcp__fx__echo', 'mcp__fx__status']));
    expect(asked).toEqual([
      { kind: 'mcp', server: 'fx', tool: 'echo', arguments: '{\n  "text": "approved <b>call</b>"\n}', readOnlyHint: false, command: expect.stringMatching(/^mcp-server-fx-/), reason: expect.stringContaining('Ask mode') },
    ]);
    expect(events.find((e) => e.type === 'tool.ended')).toMatchObject({ status: 'ok' });
    expect(requestBody).toContain('echo: approved <b>call</b>');
  });

  it('a denied call never reaches the server, and the model is told with the note', async () => {
    manager = new McpManager();
    await manager.start([stdioServer()]);
    const { events, requestBody } = await turn('ask', [['mcp__fx__echo', { text: 'denied' }]], () => 'deny');
    expect(events.find((e) => e.type === 'tool.ended')).toMatchObject({ status: 'denied' });
    expect(requestBody).toContain('not now');
    expect(requestBody).not.toContain('echo: denied');
  });

  it('"approve for session" covers the server\'s later calls; auto runs a read-only-hinted tool unasked', async () => {
    manager = new McpManager();
    await manager.start([stdioServer()]);
    let asked = 0;
    const session = await turn('ask', [['mcp__fx__echo', { text: 'one' }], ['mcp__fx__echo', { text: 'two' }]], () => {
      asked++;
      return 'approve_session';
    });
    expect(asked).toBe(1);
    expect(session.events.filter((e) => e.type === 'tool.ended').map((e) => (e as { status: string }).status)).toEqual(['ok', 'ok']);
    asked = 0;
    const auto = await turn('auto', [['mcp__fx__status', {}], ['mcp__fx__echo', { text: 'asks' }]], () => {
      asked++;
      return 'deny';
    });
    expect(asked).toBe(1);
    expect(auto.events.filter((e) => e.type === 'tool.ended').map((e) => (e as { status: string }).status)).toEqual(['ok', 'denied']);
    expect(auto.requestBody).toContain('status: all good');
  });

  it('a crash in the middle of a call ends that call with an error the model can read, and the turn goes on', async () => {
    manager = new McpManager();
    await manager.start([stdioServer()]);
    const { events, requestBody } = await turn('auto', [['mcp__fx__crash', {}]], () => 'approve');
    expect(events.find((e) => e.type === 'tool.ended')).toMatchObject({ status: 'error' });
    expect(requestBody).toContain('crashed during the call');
    expect(events.at(-1)).toMatchObject({ type: 'turn.completed' });
  });
});
