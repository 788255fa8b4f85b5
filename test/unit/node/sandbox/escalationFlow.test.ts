// The approval flow around the sandbox, end to end through AgentSession (real SDK against the scripted
// mock server) with a fake runner: failing closed where there is no sandbox, and the escalation card
// after a sandbox refusal, which no mode or session approval skips and read-only mode never offers, and
// the confinement each approval hands the runner.
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
      const sandboxed = status.state === 'enforced' && options.confinement !== 'unconfined';
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

function agent(runner: ProcessRunner, policy: ApprovalPolicy | (() => ApprovalPolicy), cwd: string): AgentSession {
  const current = typeof policy === 'function' ? policy : () => policy;
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
    approvalPolicy: current,
    environment: () => ({ cwd, os: 'Linux', shell: '/bin/bash', date: '2026-11-23', approvalPolicy: current() }),
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
      { kind: 'command', command: 'npm test', cwd, reason: 'No OS sandbox (bubblewrap (bwrap) is not installed), so every command not on the strict read-only allowlist is asked.' },
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
    expect(spawned.map((s) => s.confinement)).toEqual(['workspace-write', 'unconfined', 'workspace-write']);
    const ended = events.filter((e): e is Extract<AgentEvent, { type: 'tool.ended' }> => e.type === 'tool.ended');
    expect(ended.map((e) => e.status)).toEqual(['ok', 'error']);
    const outputs = JSON.stringify(server.requests.map((r) => r.body));
    expect(outputs).toContain('Ran again outside the sandbox after the user approved it');
    expect(outputs).toContain('Running it outside the sandbox was not approved');
  });

  it('never offers the escalation in read-only mode, and says so to the model', async () => {
    const cwd = tempDir('tandem-esc-ws-');
    const { runner, spawned } = fakeRunner({ ...enforced, mode: 'read-only' }, 'cat: /home/me/.ssh/config: Permission denied\n');
    server.setScript([{ steps: [mock.call('exec_command', { cmd: 'cat /home/me/.ssh/config' }, 'c1')] }, { steps: [mock.text('done')] }]);
    const events = await turn(agent(runner, 'read-only', cwd), ['approve']);
    expect(cards(events)).toEqual([]);
    expect(spawned.map((s) => s.confinement)).toEqual(['read-only']);
    expect(JSON.stringify(server.requests.at(-1)?.body)).toContain('Running it outside the sandbox was not approved. Read-only mode never runs a command outside the sandbox.');
  });

  it('hands the runner the confinement each approval chose', async () => {
    const cwd = tempDir('tandem-esc-ws-');
    const { runner, spawned } = fakeRunner(enforced, 'all good\n');
    const script = [
      { steps: [mock.call('exec_command', { cmd: 'ls' }, 'c1'), mock.call('exec_command', { cmd: 'npm test' }, 'c2'), mock.call('exec_command', { cmd: 'echo x > .git/config' }, 'c3')] },
      { steps: [mock.text('done')] },
    ];
    const run = async (policy: ApprovalPolicy) => {
      spawned.length = 0;
      server.setScript(script);
      const events = await turn(agent(runner, policy, cwd), ['approve', 'approve', 'approve']);
      return { confinements: spawned.map((s) => `${s.command}: ${s.confinement}`), asked: cards(events).map((c) => c.command) };
    };
    expect(await run('ask')).toEqual({ confinements: ['ls: read-only', 'npm test: workspace-write', 'echo x > .git/config: workspace-write'], asked: ['npm test', 'echo x > .git/config'] });
    expect(await run('auto')).toEqual({ confinements: ['ls: read-only', 'npm test: workspace-write', 'echo x > .git/config: workspace-write'], asked: ['echo x > .git/config'] });
    expect(await run('full-access')).toEqual({ confinements: ['ls: protected-only', 'npm test: protected-only', 'echo x > .git/config: unconfined'], asked: ['echo x > .git/config'] });
    expect(await run('read-only')).toEqual({ confinements: ['ls: read-only'], asked: [] });
  });
});

describe('write_stdin after the mode changed', () => {
  /** A dev server that runs until killed and records its input. */
  function serverRunner() {
    const input: string[] = [];
    const spawned: SpawnOptions[] = [];
    const runner: ProcessRunner = {
      shell: '/bin/bash',
      sandboxStatus: () => ({ state: 'enforced', mode: 'workspace-write', network: false, mechanism: 'bwrap' }),
      spawn(options): RunningProcess {
        spawned.push(options);
        let finish: (code: number) => void = () => {};
        const exited = new Promise<number>((resolve) => (finish = resolve));
        return { pid: 4343, exited, onOutput: () => () => {}, write: (chars) => input.push(chars), kill: () => finish(143) };
      },
    };
    return { runner, input, spawned };
  }

  it('refuses input in read-only mode without a card, and asks in ask mode, for a process started in auto', async () => {
    const cwd = tempDir('tandem-esc-ws-');
    const { runner, input, spawned } = serverRunner();
    let policy: ApprovalPolicy = 'auto';
    const session = agent(runner, () => policy, cwd);
    server.setScript([{ steps: [mock.call('exec_command', { cmd: 'npm run dev', yield_time_ms: 250 }, 'c1')] }, { steps: [mock.text('started')] }]);
    expect(cards(await turn(session, []))).toEqual([]);
    expect(spawned.map((s) => s.confinement)).toEqual(['workspace-write']);

    policy = 'read-only';
    server.setScript([{ steps: [mock.call('write_stdin', { session_id: 1, chars: 'rs\n' }, 'c2')] }, { steps: [mock.text('ok')] }]);
    expect(cards(await turn(session, ['approve']))).toEqual([]);
    expect(input).toEqual([]);
    expect(JSON.stringify(server.requests.at(-1)?.body)).toContain('The input was not sent; session 1 keeps running. Read-only mode only runs known read-only commands');

    policy = 'ask';
    server.setScript([{ steps: [mock.call('write_stdin', { session_id: 1, chars: 'rs\n' }, 'c3')] }, { steps: [mock.text('ok')] }]);
    const asked = cards(await turn(session, ['approve']));
    expect(asked.map((c) => c.reason)).toEqual([expect.stringMatching(/^The agent wants to send "rs\\n" to this running command\. Not a known read-only command: /)]);
    expect(input).toEqual(['rs\n']);

    policy = 'auto';
    server.setScript([{ steps: [mock.call('write_stdin', { session_id: 1, chars: 'q\n' }, 'c4')] }, { steps: [mock.text('ok')] }]);
    expect(cards(await turn(session, []))).toEqual([]);
    expect(input).toEqual(['rs\n', 'q\n']);
    session.dispose();
  });
});
