// A sub-agent's turns happen inside its parent's turn, so they are in the parent's checkpoint: the session
// factory gives the parent's turn hooks (the chat's checkpoints) to the parent only, never to the children
// it makes from the parent's options. Otherwise a child's turn would open and save the parent chat's
// checkpoint in the middle of the parent's turn. Real HTTP to the mock (answering by what each request
// holds), the real SDK.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { TurnInfo } from '../../../../src/core/agent/types';
import { createAgentSession } from '../../../../src/node/agentFactory';
import { createProcessRunner } from '../../../../src/node/createRunner';
import { NodeFileReader } from '../../../../src/node/nodeFileReader';
import type { AgentEvent } from '../../../../src/shared/events';
import { mock, startMockOpenAI, type MockOpenAI } from '../../../fixtures/mockOpenAI';

let server: MockOpenAI;
beforeAll(async () => {
  // The parent spawns a child, the child answers, then the parent answers.
  server = await startMockOpenAI({
    respond: (body) => {
      const text = JSON.stringify(body);
      if (!text.includes('PARENT TASK')) return { steps: [mock.text('child done')] };
      return text.includes('function_call_output') ? { steps: [mock.text('parent done')] } : { steps: [mock.call('spawn_agent', { task: 'child task' }, 'spawn-1')] };
    },
  });
});
afterAll(async () => {
  await server.close();
});

let cwd: string;
afterEach(() => fs.rmSync(cwd, { recursive: true, force: true }));

it("a sub-agent's turn does not call its parent's turn hooks", async () => {
  cwd = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-subagent-hooks-')));
  const calls: string[] = [];
  const session = await createAgentSession({
    sessionId: 'parent',
    apiKey: 'test-key',
    baseUrl: server.baseUrl,
    wireApi: 'responses',
    model: 'gpt-test',
    cwd,
    workspaceRoots: [cwd],
    approvalPolicy: () => 'auto',
    runner: createProcessRunner(),
    files: new NodeFileReader(),
    loadProjectInstructions: false,
    userHome: cwd,
    handleChangeSet: async () => ({ outcome: 'discarded', message: 'not used' }),
    subagents: { worktrees: false },
    turnHooks: {
      begin: async (turn: TurnInfo) => void calls.push(`begin ${turn.turnId}`),
      end: async (turn: TurnInfo) => void calls.push(`end ${turn.turnId}`),
    },
  });
  const events: AgentEvent[] = [];
  for await (const event of session.submit({ type: 'user_turn', text: 'PARENT TASK: delegate' })) events.push(event);
  session.dispose();
  expect(events.find((e) => e.type === 'tool.ended' && e.callId === 'spawn-1')).toMatchObject({ status: 'ok' });
  expect(events.at(-1)).toMatchObject({ type: 'turn.completed', stopped: false });
  expect(server.requests.filter((r) => !JSON.stringify(r.body).includes('PARENT TASK'))).toHaveLength(1); // the child ran a turn
  const parentTurn = events.find((e): e is Extract<AgentEvent, { type: 'turn.started' }> => e.type === 'turn.started')!.turnId;
  expect(calls).toEqual([`begin ${parentTurn}`, `end ${parentTurn}`]);
});
