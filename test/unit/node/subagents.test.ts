// spawn_agent against the mock over real HTTP (issue 15): two children run at the same time, the depth
// limit holds, a child never gets more than its parent's policy, a failing child is reported to the parent,
// and a child's edit is the parent's to review. Children answer by what their request holds (they run
// concurrently, so the order of requests is not fixed); every wait is on an event, never on time.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AgentSession } from '../../../src/core/agent/agentSession';
import type { SessionEvent } from '../../../src/core/agent/sessionStream';
import type { ChangeSet } from '../../../src/core/patch/types';
import type { ApprovalPolicy } from '../../../src/core/approvals/policy';
import { createAgentSession } from '../../../src/node/agentFactory';
import { createProcessRunner } from '../../../src/node/createRunner';
import { writeChangeSetAtomically } from '../../../src/node/fsChangeSetWriter';
import { NodeFileReader } from '../../../src/node/nodeFileReader';
import type { AgentEvent } from '../../../src/shared/events';
import { mock, startMockOpenAI, type MockOpenAI, type MockResponse } from '../../fixtures/mockOpenAI';

let server: MockOpenAI;
/** Answers each request from its body; set per test. */
let answer: (body: string) => MockResponse = () => ({ steps: [mock.text('unscripted')] });
beforeAll(async () => {
  server = await startMockOpenAI({ respond: (body) => answer(JSON.stringify(body)) });
});
afterAll(async () => {
  await server.close();
});

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  server.requests.length = 0;
});

function workspace(): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-subagents-')));
  dirs.push(dir);
  return dir;
}

const answered = (body: string) => body.includes('function_call_output');
const isParent = (body: string) => body.includes('PARENT TASK');
const spawn = (task: string, callId: string) => mock.call('spawn_agent', { task }, callId);

async function parentSession(cwd: string, policy: ApprovalPolicy, changeSets: ChangeSet[] = []): Promise<AgentSession> {
  return createAgentSession({
    sessionId: 'parent',
    apiKey: 'test-key',
    baseUrl: server.baseUrl,
    wireApi: 'responses',
    model: 'gpt-test',
    cwd,
    workspaceRoots: [cwd],
    approvalPolicy: () => policy,
    runner: createProcessRunner(),
    files: new NodeFileReader(),
    loadProjectInstructions: false,
    userHome: cwd,
    handleChangeSet: async (changeSet) => {
      changeSets.push(changeSet);
      await writeChangeSetAtomically(changeSet);
      return { outcome: 'applied', message: 'Applied.' };
    },
  });
}

/** Runs one parent turn; `onEvent` sees each event of the session's stream as it comes. */
async function runParent(session: AgentSession, onEvent: (e: SessionEvent) => void = () => undefined): Promise<AgentEvent[]> {
  const reading = (async () => {
    for await (const tagged of session.events()) onEvent(tagged);
  })();
  const events: AgentEvent[] = [];
  for await (const event of session.submit({ type: 'user_turn', text: 'PARENT TASK: split the work' })) events.push(event);
  session.dispose();
  await reading;
  return events;
}

const toolNames = (body: unknown) => ((body as { tools?: { name?: string }[] }).tools ?? []).map((t) => t.name);

describe('spawn_agent', () => {
  it('runs two children at the same time: both wait for approval at once, each writes its file, the parent gets both answers', async () => {
    const cwd = workspace();
    answer = (body) => {
      if (isParent(body)) return answered(body) ? { steps: [mock.text('Both halves done.')] } : { steps: [spawn('child task alpha', 'spawn-a'), spawn('child task beta', 'spawn-b')] };
      const name = body.includes('child task alpha') ? 'alpha' : 'beta';
      return answered(body) ? { steps: [mock.text(`${name} written`)] } : { steps: [mock.call('exec_command', { cmd: `echo ${name} > ${name}.txt` })] };
    };
    const session = await parentSession(cwd, 'ask');
    const waiting = new Map<string, string>();
    let mostWaitingAtOnce = 0;
    const events = await runParent(session, ({ event }) => {
      if (event.type === 'approval.requested' && event.subject.kind === 'command') {
        waiting.set(event.approvalId, event.subject.command);
        mostWaitingAtOnce = Math.max(mostWaitingAtOnce, waiting.size);
        // Answer only once both children are waiting: run one after the other, the second would never ask.
        if (waiting.size === 2) for (const id of waiting.keys()) session.submit({ type: 'approval', approvalId: id, decision: 'approve' });
      }
      if (event.type === 'approval.resolved') waiting.delete(event.approvalId);
    });

    expect(mostWaitingAtOnce).toBe(2);
    expect(fs.readFileSync(path.join(cwd, 'alpha.txt'), 'utf8')).toBe('alpha\n');
    expect(fs.readFileSync(path.join(cwd, 'beta.txt'), 'utf8')).toBe('beta\n');
    const ended = events.filter((e) => e.type === 'tool.ended' && (e.callId === 'spawn-a' || e.callId === 'spawn-b'));
    expect(ended.map((e) => (e as { status: string }).status)).toEqual(['ok', 'ok']);
    // Each child's progress is on its own card: its command and its answer.
    const outputOf = (callId: string) => events.filter((e): e is Extract<AgentEvent, { type: 'tool.output' }> => e.type === 'tool.output' && e.callId === callId).map((e) => e.chunk).join('');
    expect(outputOf('spawn-a')).toBe('› echo alpha > alpha.txt\nalpha written\n');
    expect(outputOf('spawn-b')).toBe('› echo beta > beta.txt\nbeta written\n');
    // The parent's next request carries both answers, in the order of the calls.
    const last = JSON.stringify(server.requests.at(-1)!.body);
    expect(last.indexOf('alpha written')).toBeGreaterThan(0);
    expect(last.indexOf('beta written')).toBeGreaterThan(last.indexOf('alpha written'));
    expect(events.at(-1)).toMatchObject({ type: 'turn.completed', stopped: false });
    // Depth 1: the parent offers spawn_agent, its children do not.
    const parentRequest = server.requests.find((r) => isParent(JSON.stringify(r.body)))!;
    const childRequest = server.requests.find((r) => !isParent(JSON.stringify(r.body)))!;
    expect(toolNames(parentRequest.body)).toContain('spawn_agent');
    expect(toolNames(childRequest.body)).not.toContain('spawn_agent');
    expect(toolNames(childRequest.body)).toContain('exec_command');
  });

  it('never gives a child more than its parent: under read-only the child cannot write, and nobody is asked', async () => {
    const cwd = workspace();
    answer = (body) => {
      if (isParent(body)) return answered(body) ? { steps: [mock.text('Reported.')] } : { steps: [spawn('child task: write a file', 'spawn-1')] };
      return answered(body) ? { steps: [mock.text('I could not write it.')] } : { steps: [mock.call('exec_command', { cmd: 'echo x > forbidden.txt' })] };
    };
    const events = await runParent(await parentSession(cwd, 'read-only'));
    expect(fs.existsSync(path.join(cwd, 'forbidden.txt'))).toBe(false);
    expect(events.some((e) => e.type === 'approval.requested')).toBe(false);
    const card = events.filter((e) => e.type === 'tool.output' && e.callId === 'spawn-1').map((e) => (e as { chunk: string }).chunk).join('');
    expect(card).toContain('(denied)');
    expect(JSON.stringify(server.requests.at(-1)!.body)).toContain('I could not write it.');
  });

  it('reports a failing child to the parent, which goes on', async () => {
    const cwd = workspace();
    answer = (body) => {
      if (isParent(body)) return answered(body) ? { steps: [mock.text('The helper failed; I will do it myself.')] } : { steps: [spawn('child task that fails', 'spawn-1')] };
      return mock.error(401, { code: 'invalid_api_key', message: 'Incorrect API key provided.' });
    };
    const events = await runParent(await parentSession(cwd, 'auto'));
    expect(events.find((e) => e.type === 'tool.ended' && e.callId === 'spawn-1')).toMatchObject({ status: 'error' });
    const sent = JSON.stringify(server.requests.at(-1)!.body);
    expect(sent).toContain('The sub-agent failed');
    expect(events.at(-1)).toMatchObject({ type: 'turn.completed', stopped: false });
  });

  it("a child's edit is the parent's to review: its change set reaches the parent's handler, shown on the sub-agent card", async () => {
    const cwd = workspace();
    const patch = '*** Begin Patch\n*** Add File: from-child.txt\n+written by a sub-agent\n*** End Patch\n';
    answer = (body) => {
      if (isParent(body)) return answered(body) ? { steps: [mock.text('Done.')] } : { steps: [spawn('child task: add from-child.txt', 'spawn-1')] };
      return answered(body) ? { steps: [mock.text('Added.')] } : { steps: [mock.custom('apply_patch', patch)] };
    };
    const changeSets: ChangeSet[] = [];
    const events = await runParent(await parentSession(cwd, 'auto', changeSets));
    expect(changeSets).toHaveLength(1);
    expect(fs.readFileSync(path.join(cwd, 'from-child.txt'), 'utf8')).toBe('written by a sub-agent\n');
    const proposed = events.find((e) => e.type === 'patch.proposed');
    expect(proposed).toMatchObject({ callId: 'spawn-1', changeSetId: changeSets[0]!.id, files: [expect.objectContaining({ kind: 'add' })] });
    expect(events.find((e) => e.type === 'patch.resolved')).toMatchObject({ outcome: 'applied' });
  });
});
