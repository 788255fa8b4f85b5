import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SessionStore } from '../../../src/node/sessionStore';

const dirs: string[] = [];
function tempStore(): SessionStore {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-sessions-'));
  dirs.push(dir);
  return new SessionStore(dir);
}
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('SessionStore (JSONL on disk)', () => {
  it('writes coalesced records and reads them back; appends after reopening', async () => {
    const store = tempStore();
    const writer = store.create({ id: 's1', createdAt: 1, workspace: '/w' });
    writer.event({ type: 'turn.started', turnId: 't', text: 'hello there', at: 1 });
    for (const delta of ['a', 'b', 'c']) writer.event({ type: 'message.delta', turnId: 't', itemId: 'm', delta });
    writer.item({ type: 'user', text: 'hello there' });
    await writer.flush();
    const lines = fs.readFileSync(path.join(store.dir, 's1.jsonl'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(4); // meta, turn.started, one merged delta, item

    const again = store.open('s1');
    again.event({ type: 'turn.completed', turnId: 't', stopped: false, at: 2 });
    await again.flush();
    const parsed = await store.load('s1');
    expect(parsed?.events.map((e) => e.type)).toEqual(['turn.started', 'message.delta', 'turn.completed']);
    expect(parsed?.items).toEqual([{ type: 'user', text: 'hello there' }]);
  });

  it('keeps a bounded head and tail of a huge command output, so the log stays small', async () => {
    const store = tempStore();
    const writer = store.create({ id: 'big', createdAt: 1 });
    writer.event({ type: 'turn.started', turnId: 't', text: 'build', at: 1 });
    writer.event({ type: 'tool.started', turnId: 't', callId: 'c', tool: 'exec_command', title: 'yes', at: 1 });
    const chunk = 'y\n'.repeat(32 * 1024); // 64 KiB
    for (let i = 0; i < 1600; i++) writer.event({ type: 'tool.output', turnId: 't', callId: 'c', chunk }); // 100 MiB
    writer.event({ type: 'tool.output', turnId: 't', callId: 'c', chunk: 'THE END\n' });
    writer.event({ type: 'tool.ended', turnId: 't', callId: 'c', status: 'ok', exitCode: 0, durationMs: 5 });
    await writer.flush();
    expect(fs.statSync(path.join(store.dir, 'big.jsonl')).size).toBeLessThan(400_000);
    const parsed = await store.load('big');
    const output = parsed!.events.filter((e) => e.type === 'tool.output').map((e) => (e.type === 'tool.output' ? e.chunk : '')).join('');
    expect(output).toMatch(/characters of output not kept in the session log/);
    expect(output.slice(-40)).toMatch(/THE END\n$/);
    expect(parsed!.events.at(-1)?.type).toBe('tool.ended');
  });

  it('survives a torn last line, lists newest first with titles, deletes', async () => {
    const store = tempStore();
    const a = store.create({ id: 'a', createdAt: 1 });
    a.event({ type: 'turn.started', turnId: 't', text: 'first chat', at: 1 });
    await a.flush();
    fs.appendFileSync(path.join(store.dir, 'a.jsonl'), '{"type":"event","ev');
    const b = store.create({ id: 'b', createdAt: 2, workspace: '/w' });
    b.event({ type: 'turn.started', turnId: 't', text: 'second chat', at: 2 });
    await b.flush();
    fs.utimesSync(path.join(store.dir, 'a.jsonl'), new Date(1000), new Date(1000));

    expect((await store.load('a'))?.skippedLines).toBe(1);
    const list = await store.list();
    expect(list.map((s) => [s.id, s.title])).toEqual([
      ['b', 'second chat'],
      ['a', 'first chat'],
    ]);
    await store.delete('a');
    expect(await store.load('a')).toBeUndefined();
  });

  it('rejects session ids that could escape the folder', () => {
    expect(() => tempStore().open('../../etc/passwd')).toThrow(/Invalid session id/);
  });
});

describe('SessionStore privacy', () => {
  const mode = (p: string) => fs.statSync(p).mode & 0o777;

  it('creates logs 0600 in a 0700 directory, whatever the umask', async () => {
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-sessions-'));
    dirs.push(parent);
    const store = new SessionStore(path.join(parent, 'nested', 'sessions'));
    const previous = process.umask(0);
    try {
      const writer = store.create({ id: 'p1', createdAt: 1 });
      await writer.flush();
    } finally {
      process.umask(previous);
    }
    expect(mode(store.dir)).toBe(0o700);
    expect(mode(path.join(parent, 'nested'))).toBe(0o700);
    expect(mode(path.join(store.dir, 'p1.jsonl'))).toBe(0o600);
  });

  it('makes logs written world-readable by older versions private when they are opened, loaded or listed', async () => {
    const store = tempStore();
    fs.chmodSync(store.dir, 0o755);
    for (const id of ['old1', 'old2']) fs.writeFileSync(path.join(store.dir, `${id}.jsonl`), '{"type":"meta","v":1,"meta":{"id":"x","createdAt":1}}\n', { mode: 0o644 });
    fs.chmodSync(path.join(store.dir, 'old1.jsonl'), 0o666);
    const writer = store.open('old1');
    writer.event({ type: 'turn.completed', turnId: 't', stopped: false, at: 2 });
    await writer.flush();
    expect(mode(path.join(store.dir, 'old1.jsonl'))).toBe(0o600);
    expect(mode(store.dir)).toBe(0o700);
    fs.chmodSync(store.dir, 0o755);
    await store.list();
    expect(mode(store.dir)).toBe(0o700);
    expect(mode(path.join(store.dir, 'old2.jsonl'))).toBe(0o600); // load() during list made it private
  });

  it('redacts known secrets from every record it writes', async () => {
    const { knownSecrets } = await import('../../../src/core/secrets/knownSecrets');
    const secret = `sk-log-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
    knownSecrets.add(secret);
    const store = tempStore();
    const writer = store.create({ id: 'r1', createdAt: 1 });
    writer.event({ type: 'turn.started', turnId: 't', text: `my key is ${secret}`, at: 1 });
    // Streamed in two deltas: only the merged text contains the whole key.
    writer.event({ type: 'message.delta', turnId: 't', itemId: 'm', delta: secret.slice(0, 10) });
    writer.event({ type: 'message.delta', turnId: 't', itemId: 'm', delta: secret.slice(10) });
    writer.item({ type: 'user', text: secret });
    await writer.flush();
    const text = fs.readFileSync(path.join(store.dir, 'r1.jsonl'), 'utf8');
    expect(text).not.toContain(secret);
    expect(text.match(/\[REDACTED\]/g)).toHaveLength(3);
  });
});
