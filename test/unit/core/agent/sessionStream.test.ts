// The session's one event stream (issue 15): submissions with ids, input queued during a turn and given to
// the model when it can take it, Stop withdrawing what waits, a reader breaking out stopping its turn,
// review outcomes as operations, and two sessions' approvals answered out of order. Real HTTP to the mock,
// the real SDK and the real PTY runner; every wait is on an event, never on time.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AgentSession } from '../../../../src/core/agent/agentSession';
import type { SessionEvent } from '../../../../src/core/agent/sessionStream';
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
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-stream-')));
  workspaces.push(dir);
  return dir;
}

/** Reads the whole session stream into an array; `until` resolves once an event matching it has arrived. */
function record(session: AgentSession) {
  const seen: SessionEvent[] = [];
  const waiters: { match: (e: SessionEvent) => boolean; resolve: (e: SessionEvent) => void }[] = [];
  const done = (async () => {
    for await (const tagged of session.events()) {
      seen.push(tagged);
      for (const waiter of [...waiters]) {
        if (waiter.match(tagged)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(tagged);
        }
      }
    }
  })();
  const until = (match: (e: SessionEvent) => boolean): Promise<SessionEvent> => {
    const found = seen.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve) => waiters.push({ match, resolve }));
  };
  return { seen, until, done };
}

async function drain(events: AsyncIterable<AgentEvent>): Promise<AgentEvent[]> {
  const out: AgentEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

/** The user message texts of one recorded request body (both wire APIs put them in `input` / `messages`). */
function userTexts(body: unknown): string[] {
  const items = ((body as { input?: unknown[] }).input ?? []) as { role?: string; content?: unknown }[];
  return items
    .filter((item) => item.role === 'user')
    .map((item) => (typeof item.content === 'string' ? item.content : JSON.stringify(item.content)));
}

const writeCommand = (file: string) => mock.call('exec_command', { cmd: `echo made > ${file}` }, 'call-1');

describe('one session stream', () => {
  it('delivers a message sent during a turn with the next tool result, inside the same turn', async () => {
    const cwd = workspace();
    server.setScript([{ steps: [writeCommand('out.txt')] }, { steps: [mock.text('Done, and noted.')] }]);
    const session = testAgentSession({ baseUrl: server.baseUrl, cwd, policy: 'ask' });
    const stream = record(session);

    const first = session.submit({ type: 'user_turn', text: 'write out.txt' });
    const firstEvents = drain(first);
    const approval = (await stream.until((e) => e.event.type === 'approval.requested')).event as Extract<AgentEvent, { type: 'approval.requested' }>;

    // Sent while the command waits for approval: queued, not refused and not a second turn.
    const second = session.submit({ type: 'user_turn', text: 'and use UTF-8 please' });
    expect(second.id).not.toBe(first.id);
    const secondEvents = drain(second);
    const queued = await stream.until((e) => e.event.type === 'input.queued');
    expect(queued.submissionId).toBe(second.id);
    expect(session.isBusy).toBe(true);

    session.submit({ type: 'approval', approvalId: approval.approvalId, decision: 'approve' });
    const [mine, theirs] = await Promise.all([firstEvents, secondEvents]);

    expect(server.requests).toHaveLength(2); // one turn: the queued message went with the tool result
    const secondRequest = JSON.stringify(server.requests[1]!.body);
    expect(secondRequest.indexOf('function_call_output')).toBeGreaterThan(0);
    expect(secondRequest.indexOf('and use UTF-8 please')).toBeGreaterThan(secondRequest.indexOf('function_call_output'));
    expect(userTexts(server.requests[0]!.body).join()).not.toContain('UTF-8');

    const turnStarted = mine.find((e) => e.type === 'turn.started')!;
    expect(turnStarted).toMatchObject({ submissionId: first.id });
    const delivered = theirs.find((e) => e.type === 'input.delivered');
    expect(delivered).toMatchObject({ turnId: turnStarted.turnId, submissionId: second.id, text: 'and use UTF-8 please' });
    // The queued message's reader follows the turn from then on, to its end.
    expect(theirs.at(-1)).toMatchObject({ type: 'turn.completed', stopped: false, turnId: turnStarted.turnId });
    expect(mine.at(-1)).toMatchObject({ type: 'turn.completed', stopped: false });
    expect(fs.readFileSync(path.join(cwd, 'out.txt'), 'utf8')).toBe('made\n');
    expect(session.isBusy).toBe(false);
    session.dispose();
    await stream.done;
  });

  it('keeps the turn going when a message arrives while the model writes its final answer', async () => {
    const cwd = workspace();
    server.setScript([{ steps: [mock.text('First answer.')] }, { steps: [mock.text('Second answer, with the follow-up.')] }]);
    let second: ReturnType<AgentSession['submit']> | undefined;
    // The recorder sees each event synchronously as the session emits it: the follow-up is submitted while
    // the first answer is still streaming, with no timing involved.
    const session: AgentSession = testAgentSession({
      baseUrl: server.baseUrl,
      cwd,
      recorder: {
        item: () => undefined,
        event: (event) => {
          if (event.type === 'message.delta' && !second) second = session.submit({ type: 'user_turn', text: 'follow-up question' });
        },
      },
    });
    const events = await drain(session.submit({ type: 'user_turn', text: 'first question' }));

    expect(second).toBeDefined();
    expect(events.filter((e) => e.type === 'turn.started')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'input.delivered')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'message.completed').map((e) => (e as { text: string }).text)).toEqual(['First answer.', 'Second answer, with the follow-up.']);
    expect(server.requests).toHaveLength(2);
    const followUp = JSON.stringify(server.requests[1]!.body);
    expect(followUp.indexOf('follow-up question')).toBeGreaterThan(followUp.indexOf('First answer.'));
    session.dispose();
  });

  it('Stop withdraws what waits: nothing starts by itself after it, and the text goes back', async () => {
    const cwd = workspace();
    server.setScript([{ steps: [writeCommand('never.txt')] }]);
    const session = testAgentSession({ baseUrl: server.baseUrl, cwd, policy: 'ask' });
    const stream = record(session);
    const first = drain(session.submit({ type: 'user_turn', text: 'write never.txt' }));
    await stream.until((e) => e.event.type === 'approval.requested');
    const queued = drain(session.submit({ type: 'user_turn', text: 'then this' }));
    const compact = drain(session.submit({ type: 'compact' }));

    session.submit({ type: 'interrupt' });
    expect((await first).at(-1)).toMatchObject({ type: 'turn.completed', stopped: true });
    expect(await queued).toEqual([expect.objectContaining({ type: 'input.queued' }), expect.objectContaining({ type: 'input.withdrawn', text: 'then this' })]);
    expect(await compact).toEqual([]);
    expect(server.requests).toHaveLength(1);
    expect(session.isBusy).toBe(false);
    expect(fs.existsSync(path.join(cwd, 'never.txt'))).toBe(false);
    session.dispose();
    await stream.done;
  });

  it('breaking out of a submission stops its turn; aborting a queued one withdraws only that one', async () => {
    const cwd = workspace();
    server.setScript([{ steps: [writeCommand('a.txt')] }, { steps: [mock.text('Second turn done.')] }]);
    const session = testAgentSession({ baseUrl: server.baseUrl, cwd, policy: 'ask' });
    const stream = record(session);
    const first = session.submit({ type: 'user_turn', text: 'write a.txt' });

    const giveUp = new AbortController();
    let abandoned: Promise<AgentEvent[]> | undefined;
    let nextTurn: Promise<AgentEvent[]> | undefined;
    for await (const event of first) {
      if (event.type !== 'approval.requested') continue;
      abandoned = drain(session.submit({ type: 'user_turn', text: 'withdrawn one' }, giveUp.signal));
      nextTurn = drain(session.submit({ type: 'user_turn', text: 'kept one' }));
      giveUp.abort();
      break; // the reader of the first turn stops listening: the turn stops
    }
    expect(await abandoned).toEqual([expect.objectContaining({ type: 'input.queued' }), expect.objectContaining({ type: 'input.withdrawn', text: 'withdrawn one' })]);
    const stopped = await stream.until((e) => e.submissionId === first.id && e.event.type === 'turn.completed');
    expect(stopped.event).toMatchObject({ stopped: true });
    // What was still queued starts as the next turn of its own.
    const kept = await nextTurn!;
    expect(kept.find((e) => e.type === 'turn.started')).toMatchObject({ text: 'kept one' });
    expect(kept.at(-1)).toMatchObject({ type: 'turn.completed', stopped: false });
    expect(JSON.stringify(server.requests.at(-1)!.body)).not.toContain('withdrawn one');
    expect(fs.existsSync(path.join(cwd, 'a.txt'))).toBe(false);
    session.dispose();
    await stream.done;
  });

  it('a review outcome is an operation: it reaches every reader of the stream and the session log', async () => {
    const logged: AgentEvent[] = [];
    const session = testAgentSession({ baseUrl: server.baseUrl, cwd: workspace(), recorder: { item: () => undefined, event: (e) => logged.push(e) } });
    const stream = record(session);
    const other = record(session);
    const hunk = { type: 'patch.hunk', turnId: 't-1', changeSetId: 'cs-1', hunkId: 'h-1', state: 'accepted' } as const;
    const submission = session.submit({ type: 'review_update', event: hunk });
    expect(await drain(submission)).toEqual([hunk]);
    for (const reader of [stream, other]) expect((await reader.until((e) => e.event.type === 'patch.hunk'))).toEqual({ submissionId: submission.id, event: hunk });
    expect(logged).toEqual([hunk]);
    session.dispose();
    await Promise.all([stream.done, other.done]);
  });

  it('two sessions wait for approval at once; answering them out of order runs each with its own answer', async () => {
    const [cwdA, cwdB] = [workspace(), workspace()];
    server.setScript([{ steps: [writeCommand('a.txt')] }, { steps: [writeCommand('b.txt')] }, { steps: [mock.text('A or B done.')] }, { steps: [mock.text('A or B done.')] }]);
    const a = testAgentSession({ baseUrl: server.baseUrl, cwd: cwdA, policy: 'ask', sessionId: 'session-a' });
    const b = testAgentSession({ baseUrl: server.baseUrl, cwd: cwdB, policy: 'ask', sessionId: 'session-b' });
    const [streamA, streamB] = [record(a), record(b)];
    const turnA = drain(a.submit({ type: 'user_turn', text: 'A' }));
    const approvalA = (await streamA.until((e) => e.event.type === 'approval.requested')).event as Extract<AgentEvent, { type: 'approval.requested' }>;
    const turnB = drain(b.submit({ type: 'user_turn', text: 'B' }));
    const approvalB = (await streamB.until((e) => e.event.type === 'approval.requested')).event as Extract<AgentEvent, { type: 'approval.requested' }>;

    // An answer sent to the wrong session finds nothing there.
    a.submit({ type: 'approval', approvalId: approvalB.approvalId, decision: 'approve' });
    b.submit({ type: 'approval', approvalId: approvalB.approvalId, decision: 'deny', note: 'not B' });
    expect((await turnB).at(-1)).toMatchObject({ type: 'turn.completed', stopped: false });
    expect(a.isBusy).toBe(true);
    a.submit({ type: 'approval', approvalId: approvalA.approvalId, decision: 'approve' });
    expect((await turnA).at(-1)).toMatchObject({ type: 'turn.completed', stopped: false });

    expect(fs.readFileSync(path.join(cwdA, 'a.txt'), 'utf8')).toBe('made\n');
    expect(fs.existsSync(path.join(cwdB, 'b.txt'))).toBe(false);
    expect(streamB.seen.find((e) => e.event.type === 'tool.ended')?.event).toMatchObject({ status: 'denied' });
    for (const s of [a, b]) s.dispose();
    await Promise.all([streamA.done, streamB.done]);
  });
});
