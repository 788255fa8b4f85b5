// The session tells the host when each turn begins and ends (TurnHooks), whatever started the turn: a
// message, a message that waited in the queue and started a turn of its own once the running one ended,
// and /compact. Both hooks are awaited: the turn's first model request waits for `begin`, the next turn
// waits for `end`, and the session stays busy meanwhile. Real HTTP to the mock, the real SDK and the real
// PTY runner; the one wrapper is around the session's ModelClient port, to log when a request is sent.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TurnInfo } from '../../../../src/core/agent/types';
import { createModelClient } from '../../../../src/core/model/createClient';
import type { ModelClient } from '../../../../src/core/model/types';
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

const workspaces: string[] = [];
afterEach(() => {
  for (const dir of workspaces.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  server.setScript([]);
  server.requests.length = 0;
});

function workspace(): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-hooks-')));
  workspaces.push(dir);
  return dir;
}

async function drain(events: AsyncIterable<AgentEvent>): Promise<AgentEvent[]> {
  const out: AgentEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

/** A promise the test resolves when it wants. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

/** The real client, logging each request as it is sent (the log shows it against the hooks' calls). */
function loggingClient(log: string[]): ModelClient {
  const real = createModelClient({ wireApi: 'responses', baseUrl: server.baseUrl, apiKey: 'test-key' });
  return {
    stream(request, signal) {
      log.push('request');
      return real.stream(request, signal);
    },
  };
}

/** Hooks that log each call, each doing real asynchronous work (a file write) before they return. */
function loggingHooks(cwd: string, log: string[], turns: TurnInfo[], hold?: Promise<void>) {
  const n = (turn: TurnInfo) => turns.findIndex((t) => t.turnId === turn.turnId) + 1;
  return {
    begin: async (turn: TurnInfo) => {
      turns.push(turn);
      log.push(`begin ${n(turn)}`);
      if (n(turn) === 1 && hold) await hold;
      await fs.promises.writeFile(path.join(cwd, `begun-${n(turn)}.txt`), turn.turnId);
      log.push(`begun ${n(turn)}`);
    },
    end: async (turn: TurnInfo) => {
      log.push(`end ${n(turn)}`);
      await fs.promises.writeFile(path.join(cwd, `ended-${n(turn)}.txt`), turn.turnId);
      log.push(`ended ${n(turn)}`);
    },
  };
}

describe('turn hooks', () => {
  it('a queued message that starts a turn of its own gets begin and end like the first, each awaited', async () => {
    const cwd = workspace();
    // Turn 1 runs a command and pauses at its step cap (Continue) before the model could take the message
    // sent meanwhile: that message starts turn 2, inside the session, not through a new submit of the host.
    server.setScript([{ steps: [mock.call('exec_command', { cmd: 'echo one > one.txt' }, 'call-1')] }, { steps: [mock.text('Second done.')] }]);
    const log: string[] = [];
    const turns: TurnInfo[] = [];
    const firstBegun = gate();
    const session = testAgentSession({ baseUrl: server.baseUrl, cwd, model: loggingClient(log), limits: { maxSteps: 1 }, turnHooks: loggingHooks(cwd, log, turns, firstBegun.promise) });
    const first = drain(session.submit({ type: 'user_turn', text: 'write one.txt' }));
    const second = drain(session.submit({ type: 'user_turn', text: 'queued message' }));
    firstBegun.open();
    const [firstEvents, secondEvents] = await Promise.all([first, second]);

    expect(firstEvents.at(-1)).toMatchObject({ type: 'turn.failed', error: { code: 'limit' } });
    expect(secondEvents[0]).toMatchObject({ type: 'input.queued', text: 'queued message' });
    const started = secondEvents.find((e) => e.type === 'turn.started');
    expect(started).toMatchObject({ text: 'queued message' });
    expect(secondEvents.at(-1)).toMatchObject({ type: 'turn.completed', stopped: false });
    // Two turns, each told to the host with the turn id the chat shows on its user message.
    expect(turns.map((t) => t.kind)).toEqual(['user_turn', 'user_turn']);
    expect(turns[0]!.turnId).toBe(firstEvents.find((e) => e.type === 'turn.started')!.turnId);
    expect(turns[1]!.turnId).toBe(started!.turnId);
    expect(turns[1]!.submissionId).not.toBe(turns[0]!.submissionId);
    // begin returned before each turn's first request; turn 2 began only after turn 1's end returned.
    expect(log).toEqual(['begin 1', 'begun 1', 'request', 'end 1', 'ended 1', 'begin 2', 'begun 2', 'request', 'end 2', 'ended 2']);
    expect(fs.readFileSync(path.join(cwd, 'one.txt'), 'utf8')).toBe('one\n');
    session.dispose();
  });

  it('the session stays busy until the end hook returned', async () => {
    const cwd = workspace();
    server.setScript([{ steps: [mock.text('Done.')] }]);
    const ending = gate();
    const released = gate();
    const session = testAgentSession({
      baseUrl: server.baseUrl,
      cwd,
      turnHooks: {
        begin: async () => undefined,
        end: async () => {
          ending.open();
          await released.promise;
        },
      },
    });
    const events = drain(session.submit({ type: 'user_turn', text: 'hello' }));
    await ending.promise;
    expect(session.isBusy).toBe(true);
    released.open();
    expect((await events).at(-1)).toMatchObject({ type: 'turn.completed', stopped: false });
    expect(session.isBusy).toBe(false);
    session.dispose();
  });

  it('/compact is a turn with hooks too, and a hook that throws never fails the turn', async () => {
    const cwd = workspace();
    server.setScript([{ steps: [mock.text('An answer.')] }]);
    const turns: TurnInfo[] = [];
    const session = testAgentSession({
      baseUrl: server.baseUrl,
      cwd,
      turnHooks: {
        begin: async (turn) => {
          turns.push(turn);
          throw new Error('the host could not record');
        },
        end: async () => {
          throw new Error('the host could not save');
        },
      },
    });
    const answered = await drain(session.submit({ type: 'user_turn', text: 'hello' }));
    expect(answered.at(-1)).toMatchObject({ type: 'turn.completed', stopped: false });
    expect(answered.find((e) => e.type === 'message.completed')).toMatchObject({ text: 'An answer.' });
    const compacted = await drain(session.submit({ type: 'compact' }));
    expect(compacted[0]).toMatchObject({ type: 'turn.started', text: '/compact' });
    expect(turns.map((t) => t.kind)).toEqual(['user_turn', 'compact']);
    expect(turns[1]!.turnId).toBe(compacted[0]!.type === 'turn.started' ? compacted[0]!.turnId : undefined);
    session.dispose();
  });
});
