// The open chats' recorders (chatRecorders.ts), wired to a real agent session the way a chat wires them
// (its runner through runnerFor, its turn hooks to beginTurn / endTurn): a message that waited in the queue
// and started a turn of its own has a checkpoint of its own, and restoring it gives back exactly what that
// turn changed. A closed chat's recorder goes (and a worktree's snapshot with it) while its checkpoints
// stay: a restore after the chat is reopened still works, and the reopened chat's next turns are recorded.
// Real HTTP to the mock, the real SDK, real shell commands in a temp folder.
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AgentSession } from '../../../../src/core/agent/agentSession';
import { ChatRecorders } from '../../../../src/node/checkpoints/chatRecorders';
import { CheckpointStore } from '../../../../src/node/checkpoints/checkpointStore';
import { applyRestore, planRestore } from '../../../../src/node/checkpoints/restorePlan';
import { WorkspaceSnapshot } from '../../../../src/node/checkpoints/workspaceSnapshot';
import { PipeRunner } from '../../../../src/node/pipeRunner';
import type { AgentEvent } from '../../../../src/shared/events';
import { testAgentSession } from '../../../fixtures/agentSessionFixture';
import { mock, startMockOpenAI, type MockOpenAI } from '../../../fixtures/mockOpenAI';

let server: MockOpenAI;
beforeAll(async () => {
  server = await startMockOpenAI();
});
afterAll(async () => {
  await server.close();
});

let base: string;
let workspace: string;
let storeDir: string;
let store: CheckpointStore;
let recorders: ChatRecorders;

beforeEach(() => {
  base = realpathSync(mkdtempSync(join(tmpdir(), 'tandem-ckpt-recorders-')));
  workspace = join(base, 'ws');
  mkdirSync(workspace);
  storeDir = join(base, 'store');
  store = new CheckpointStore(storeDir);
  recorders = new ChatRecorders(store, new WorkspaceSnapshot(store, () => [workspace]));
});
afterEach(() => {
  rmSync(base, { recursive: true, force: true });
  server.setScript([]);
  server.requests.length = 0;
});

const at = (relative: string) => join(workspace, relative);
const command = (cmd: string, callId: string) => mock.call('exec_command', { cmd }, callId);

async function drain(events: AsyncIterable<AgentEvent>): Promise<AgentEvent[]> {
  const out: AgentEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

/** Chat `chatId`'s agent as the extension makes it: its commands through its recorder's runner, its turns through the hooks. */
function chatAgent(chatId: string, limits?: { maxSteps: number }): AgentSession {
  return testAgentSession({
    ...(limits ? { limits } : {}),
    baseUrl: server.baseUrl,
    cwd: workspace,
    sessionId: chatId,
    runner: recorders.runnerFor(chatId, new PipeRunner('/bin/bash')),
    turnHooks: {
      begin: async ({ turnId }) => void (await recorders.beginTurn(chatId, turnId)),
      end: async () => void (await recorders.endTurn(chatId)),
    },
  });
}

const turnIdOf = (events: AgentEvent[]) => events.find((e): e is Extract<AgentEvent, { type: 'turn.started' }> => e.type === 'turn.started')!.turnId;

describe('a queued message that starts a turn of its own', () => {
  it('has its own checkpoint, and restoring it gives back exactly what that turn changed', async () => {
    writeFileSync(at('notes.txt'), 'alpha\r\nsecond\r\n');
    // Turn 1 runs a command and pauses at its step cap (Continue) before the model could take the message
    // sent meanwhile; that message starts turn 2 inside the session, which runs a command of its own.
    server.setScript([{ steps: [command("printf 'one\\n' > one.txt", 'c1')] }, { steps: [command("sed -i 's/alpha/beta/' notes.txt && printf 'two\\n' > two.txt", 'c2')] }]);
    const agent = chatAgent('chat-a', { maxSteps: 1 });
    const firstSubmission = agent.submit({ type: 'user_turn', text: 'write one.txt' });
    const queuedSubmission = agent.submit({ type: 'user_turn', text: 'then edit notes.txt' });
    const [first, queued] = await Promise.all([drain(firstSubmission), drain(queuedSubmission)]);
    expect(first.at(-1)).toMatchObject({ type: 'turn.failed', error: { code: 'limit' } });
    expect(queued[0]).toMatchObject({ type: 'input.queued' });
    expect(queued.find((e) => e.type === 'turn.started')).toMatchObject({ text: 'then edit notes.txt' });
    expect(queued.find((e) => e.type === 'tool.ended')).toMatchObject({ exitCode: 0 });
    const [turn1, turn2] = [turnIdOf(first), turnIdOf(queued)];

    // The restore button on the queued message's row asks for its own turn id (chatState.ts: `user-<turnId>`).
    expect(store.load('chat-a').checkpoints.map((c) => [c.turnId, c.files.map((f) => f.path.slice(workspace.length + 1))])).toEqual([
      [turn1, ['one.txt']],
      [turn2, ['notes.txt', 'two.txt']],
    ]);
    const plan = await planRestore(store, 'chat-a', turn2);
    expect(plan?.items.map((i) => [i.path.slice(workspace.length + 1), i.status])).toEqual([
      ['notes.txt', 'restore'],
      ['two.txt', 'restore'],
    ]);
    expect(applyRestore(plan!, [workspace]).failed).toEqual([]);
    expect(readFileSync(at('notes.txt'), 'utf8')).toBe('alpha\r\nsecond\r\n');
    expect(existsSync(at('two.txt'))).toBe(false);
    expect(readFileSync(at('one.txt'), 'utf8')).toBe('one\n'); // turn 1's file is not this message's
    agent.dispose();
  });
});

describe('a closed chat', () => {
  it("drops its recorder but keeps its checkpoints: a restore after reopening works, and its next turns are recorded", async () => {
    writeFileSync(at('a.txt'), 'original a\n');
    server.setScript([{ steps: [command("printf 'changed\\n' > a.txt", 'c1')] }, { steps: [mock.text('Done.')] }]);
    const agent = chatAgent('chat-a');
    const turn1 = turnIdOf(await drain(agent.submit({ type: 'user_turn', text: 'change a' })));
    agent.dispose();
    recorders.drop('chat-a');
    expect(recorders.counts).toEqual({ recorders: 0, otherSnapshots: 0 });

    // Reopened from the history (in a new window too: a store read from disk), then a turn of the reopened chat.
    store = new CheckpointStore(storeDir);
    recorders = new ChatRecorders(store, new WorkspaceSnapshot(store, () => [workspace]));
    expect((await planRestore(store, 'chat-a', turn1))?.items.map((i) => i.status)).toEqual(['restore']);
    server.setScript([{ steps: [command("printf 'new\\n' > b.txt", 'c2')] }, { steps: [mock.text('Done.')] }]);
    const reopened = chatAgent('chat-a');
    const turn2 = turnIdOf(await drain(reopened.submit({ type: 'user_turn', text: 'make b' })));
    expect(store.load('chat-a').checkpoints.map((c) => c.turnId)).toEqual([turn1, turn2]);
    const plan = await planRestore(store, 'chat-a', turn1);
    expect(applyRestore(plan!, [workspace]).failed).toEqual([]);
    expect(readFileSync(at('a.txt'), 'utf8')).toBe('original a\n');
    expect(existsSync(at('b.txt'))).toBe(false);
    reopened.dispose();
  });

  it('closed while its turn runs: the turn is still saved, then the recorder goes', async () => {
    const turn = await recorders.beginTurn('chat-a', 't1');
    expect(turn.activeTurn).toBe(true);
    const runner = recorders.runnerFor('chat-a', new PipeRunner('/bin/bash'));
    recorders.drop('chat-a');
    expect(recorders.counts.recorders).toBe(1); // its open turn still records
    await runner.spawn({ command: "printf 'late\\n' > late.txt", cwd: workspace }).exited;
    expect((await recorders.endTurn('chat-a'))?.files.map((f) => f.path)).toEqual([at('late.txt')]);
    expect(recorders.counts.recorders).toBe(0);
    expect(store.load('chat-a').checkpoints.map((c) => c.turnId)).toEqual(['t1']);
  });

  it("in a worktree: its folders' snapshot goes with it, while another chat's stays", async () => {
    const worktree = join(base, 'worktree');
    const other = join(base, 'other-worktree');
    for (const dir of [worktree, other]) mkdirSync(dir);
    writeFileSync(join(worktree, 'w.txt'), 'in the worktree\n');
    for (const [chatId, dir] of [['chat-w', worktree], ['chat-o', other]] as const) {
      const runner = recorders.runnerFor(chatId, new PipeRunner('/bin/bash'), [dir]);
      await recorders.beginTurn(chatId, `${chatId}-t1`);
      await runner.spawn({ command: "printf 'edited\\n' > w.txt", cwd: dir }).exited;
      await recorders.endTurn(chatId);
    }
    expect(recorders.counts).toEqual({ recorders: 2, otherSnapshots: 2 });
    recorders.drop('chat-w');
    expect(recorders.counts).toEqual({ recorders: 1, otherSnapshots: 1 });
    recorders.drop('chat-o');
    expect(recorders.counts).toEqual({ recorders: 0, otherSnapshots: 0 });
    // Its checkpoint stays, with the worktree's path.
    const plan = await planRestore(store, 'chat-w', 'chat-w-t1');
    expect(plan?.items.map((i) => [i.path, i.status])).toEqual([[join(worktree, 'w.txt'), 'restore']]);
  });
});
