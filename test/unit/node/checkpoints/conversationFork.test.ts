// "Restore conversation": the session log cut right before a turn, written as a new session whose
// events rebuild the chat and whose items rebuild the agent's history as they were before the message.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { forkSessionBefore } from '../../../../src/node/checkpoints/conversationFork';
import { SessionStore } from '../../../../src/node/sessionStore';
import { chatStateFromEvents } from '../../../../src/shared/chatState';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tandem-fork-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function writeSession(store: SessionStore): Promise<void> {
  const writer = store.create({ id: 'orig', createdAt: 1, workspace: '/ws' });
  writer.item({ type: 'user', text: 'AGENTS.md instructions' });
  for (const [turnId, text, answer] of [['t1', 'first question', 'first answer'], ['t2', 'second question', 'second answer']] as const) {
    writer.event({ type: 'turn.started', turnId, text, at: 1 });
    writer.item({ type: 'user', text });
    writer.event({ type: 'message.delta', turnId, itemId: `${turnId}-m`, delta: answer });
    writer.event({ type: 'message.completed', turnId, itemId: `${turnId}-m`, text: answer });
    writer.item({ type: 'assistant', text: answer });
    writer.event({ type: 'turn.completed', turnId, stopped: false, at: 2 });
  }
  await writer.flush();
}

describe('forkSessionBefore', () => {
  it('keeps exactly the conversation before the message, under a new id, and leaves the original', async () => {
    const store = new SessionStore(dir);
    await writeSession(store);
    const original = readFileSync(join(dir, 'orig.jsonl'), 'utf8');
    expect(await forkSessionBefore(dir, 'orig', 'fork', 't2')).toBe(true);
    const fork = (await store.load('fork'))!;
    expect(fork.meta?.id).toBe('fork');
    expect(fork.items.map((i) => ('text' in i ? i.text : ''))).toEqual(['AGENTS.md instructions', 'first question', 'first answer']);
    const state = chatStateFromEvents(fork.events);
    expect(state.entries.filter((e) => e.kind === 'user').map((e) => e.turnId)).toEqual(['t1']);
    expect(readFileSync(join(dir, 'orig.jsonl'), 'utf8')).toBe(original);
    expect(statSync(join(dir, 'fork.jsonl')).mode & 0o777).toBe(0o600);
  });

  it('cuts before the first message to an empty conversation that still has the project instructions', async () => {
    const store = new SessionStore(dir);
    await writeSession(store);
    expect(await forkSessionBefore(dir, 'orig', 'fork', 't1')).toBe(true);
    const fork = (await store.load('fork'))!;
    expect(fork.events).toEqual([]);
    expect(fork.items).toHaveLength(1);
  });

  it('refuses unknown turns, existing targets and ids that leave the folder', async () => {
    const store = new SessionStore(dir);
    await writeSession(store);
    expect(await forkSessionBefore(dir, 'orig', 'fork', 'nope')).toBe(false);
    writeFileSync(join(dir, 'taken.jsonl'), 'x');
    await expect(forkSessionBefore(dir, 'orig', 'taken', 't1')).rejects.toThrow(/EEXIST/);
    await expect(forkSessionBefore(dir, 'orig', '../out', 't1')).rejects.toThrow(/Invalid session id/);
  });
});
