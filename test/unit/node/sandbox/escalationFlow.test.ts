// The approval flow around the sandbox, end to end through AgentSession (real SDK against the scripted
// mock server) with a fake runner: failing closed where there is no sandbox, and the escalation card
// after a sandbox refusal, which no mode or session approval skips.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AgentSession } from '../../../../src/core/agent/agentSession';
import type { ApprovalPolicy } from '../../../../src/core/approvals/policy';
import { createModelClient } from '../../../../src/core/model/createClient';
import type { ProcessRunner, RunningProcess, SandboxStatus, SpawnOptions } from '../../../../src/core/ports';
import type { AgentEvent, ApprovalDecision } from '../../../../src/shared/events';
import { defaultTools } from '../../../../src/node/agentFactory';
import { NodeFileReader } from '../../../../src/node/nodeFileReader';
import { mock, startMockOpenAI, type MockOpenAI } from '../../../fixtures/mockOpenAI';
import { tempDir } from './sandboxTestUtils';

let server: MockOpenAI;
beforeAll(async () => {
  server = await startMockOpenAI();
});
afterAll(() => server.close());
afterEach(() => server.setScript([]));

/** Sandboxed runs print `sandboxedOutput` and exit 1; unsandboxed runs print "ran outside" and exit 0. */
function fakeRunner(status: SandboxStatus, sandboxedOutput: string) {
  const spawned: SpawnOptions[] = [];
  const runner: ProcessRunner = {
    shell: '/bin/bash',
    sandboxStatus: () => status,
    spawn(options): RunningProcess {
      spawned.push(options);
      const sandboxed = status.state === 'enforced' && !options.withoutSandbox;
      const listeners = new Set<(chunk: string) => void>();
      const exited = new Promise<number>((resolve) => setTimeout(() => {
        for (const listener of listeners) listener(sandboxed ? sandboxedOutput : 'ran outside\n');
        setTimeout(() => resolve(sandboxed ? 1 : 0), 5);
      }, 5));
      return {
        pid: 4242,
        exited,
        onOutput: (listener) => (listeners.add(listener), () => listeners.delete(listener)),
        write: () => {},
        kill: () => {},
        ...(sandboxed ? { sandbox: { network: false, writableRoots: [options.cwd, '/tmp'], protectedPaths: [`${options.cwd}/.git`], hiddenPaths: [] } } : {}),
      };
    },
  };
  return { runner, spawned };
}

function agent(runner: ProcessRunner, policy: ApprovalPolicy, cwd: string): AgentSession {
  return new AgentSession({
    sessionId: 'sess-sandbox',
    model: createModelClient({ wireApi: 'responses', baseUrl: server.baseUrl, apiKey: 'test-key' }),
    modelName: 'gpt-test',
    instructions: 'test',
    tools: defaultTools(),
    runner,
    files: new NodeFileReader(),
    cwd,
    workspaceRoots: [cwd],
    approvalPolicy: () => policy,
    environment: () => ({ cwd, os: 'Linux', shell: '/bin/bash', date: '2026-11-23', approvalPolicy: policy }),
    handleChangeSet: async () => ({ outcome: 'discarded', message: 'not used' }),
    retryDelay: async () => undefined,
  });
}

/** Runs a turn, answering approval cards in order with `answers`. */
async function turn(session: AgentSession, answers: ApprovalDecision[]): Promise<AgentEvent[]> {
  const events: AgentEvent[] = [];
  for await (const event of session.submit({ type: 'user_turn', text: 'go' })) {
    events.push(event);
    if (event.type === 'approval.requested') session.submit({ type: 'approval', approvalId: event.approvalId, decision: answers.shift() ?? 'deny' });
  }
  return events;
}

const cards = (events: AgentEvent[]) => events.flatMap((e) => (e.type === 'approval.requested' && e.subject.kind === 'command' ? [e.subject] : []));

describe('no sandbox where one was asked for', () => {
  it('asks before every command not known to be read-only, even in auto mode', async () => {
    const cwd = tempDir('tandem-esc-ws-');
    const { runner, spawned } = fakeRunner({ state: 'unavailable', reason: 'bubblewrap (bwrap) is not installed' }, '');
    server.setScript([
      { steps: [mock.call('exec_command', { cmd: 'ls' }, 'c1'), mock.call('exec_command', { cmd: 'npm test' }, 'c2')] },
      { steps: [mock.text('done')] },
    ]);
    const events = await turn(agent(runner, 'auto', cwd), ['deny']);
    expect(cards(events)).toEqual([
      { kind: 'command', command: 'npm test', cwd, reason: 'No OS sandbox (bubblewrap (bwrap) is not installed), so every command that is not known to be read-only is asked.' },
    ]);
    expect(spawned.map((s) => s.command)).toEqual(['ls']);
  });
});

describe('escalation after a sandbox refusal', () => {
  const enforced: SandboxStatus = { state: 'enforced', mode: 'workspace-write', network: false, mechanism: 'bwrap' };

  it('shows a card that says why, re-runs outside only on approval, and asks again next time', async () => {
    const cwd = tempDir('tandem-esc-ws-');
    const refusal = `error: could not lock config file ${cwd}/.git/config: Read-only file system\n`;
    const { runner, spawned } = fakeRunner(enforced, refusal);
    server.setScript([
      { steps: [mock.call('exec_command', { cmd: 'git config user.name me' }, 'c1')] },
      { steps: [mock.call('exec_command', { cmd: 'git config user.name me' }, 'c2')] },
      { steps: [mock.text('done')] },
    ]);
    // auto mode runs the command without a card; only the escalation asks. "For the session" on it
    // still covers this one re-run only.
    const events = await turn(agent(runner, 'auto', cwd), ['approve_session', 'deny']);
    const escalations = cards(events);
    expect(escalations).toHaveLength(2);
    expect(escalations[0]?.reason).toBe(
      `Failed inside the sandbox: the sandbox keeps that location read-only ("error: could not lock config file ${cwd}/.git/config: Read-only file system"); run it again without the sandbox?`,
    );
    expect(spawned.map((s) => s.withoutSandbox === true)).toEqual([false, true, false]);
    const ended = events.filter((e): e is Extract<AgentEvent, { type: 'tool.ended' }> => e.type === 'tool.ended');
    expect(ended.map((e) => e.status)).toEqual(['ok', 'error']);
    const outputs = JSON.stringify(server.requests.map((r) => r.body));
    expect(outputs).toContain('Ran again outside the sandbox after the user approved it');
    expect(outputs).toContain('Running it outside the sandbox was not approved');
  });

  it('asks for the escalation even in read-only mode, where nothing else would be asked', async () => {
    const cwd = tempDir('tandem-esc-ws-');
    const { runner, spawned } = fakeRunner({ ...enforced, mode: 'read-only' }, 'cat: /home/me/.ssh/config: Permission denied\n');
    server.setScript([{ steps: [mock.call('exec_command', { cmd: 'cat /home/me/.ssh/config' }, 'c1')] }, { steps: [mock.text('done')] }]);
    const events = await turn(agent(runner, 'read-only', cwd), ['deny']);
    expect(cards(events).map((c) => c.reason)).toEqual([expect.stringMatching(/^Failed inside the sandbox: the sandbox refused access outside the writable folders/)]);
    expect(spawned).toHaveLength(1);
  });
});
