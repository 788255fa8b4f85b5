// The session registry with fake processes: ids, the cap, killAll and the buffer cap.
import { describe, expect, it } from 'vitest';
import type { RunningProcess } from '../../../../src/core/ports';
import { MAX_BUFFERED_CHARS, ProcessSessions, WatchedProcess } from '../../../../src/core/tools/processSessions';

class FakeProcess implements RunningProcess {
  readonly pid = 1;
  killed = false;
  written = '';
  private listeners = new Set<(chunk: string) => void>();
  private resolveExit!: (code: number) => void;
  readonly exited = new Promise<number>((resolve) => (this.resolveExit = resolve));
  onOutput(listener: (chunk: string) => void) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  emit(chunk: string) {
    for (const l of this.listeners) l(chunk);
  }
  exit(code: number) {
    this.resolveExit(code);
  }
  write(chars: string) {
    this.written += chars;
  }
  kill() {
    this.killed = true;
    this.exit(143);
  }
}

const never = new AbortController().signal;

describe('WatchedProcess', () => {
  it('buffers output until taken and reports the exit', async () => {
    const fake = new FakeProcess();
    const watched = new WatchedProcess(fake, 'cmd');
    fake.emit('a');
    fake.emit('b');
    expect(watched.take()).toEqual({ output: 'ab', omittedChars: 0 });
    expect(watched.take()).toEqual({ output: '', omittedChars: 0 });
    fake.exit(0);
    expect(await watched.wait(60_000, never)).toBe('exited');
    expect(watched.exitCode).toBe(0);
  });

  it('wakes on abort', async () => {
    const controller = new AbortController();
    const waiting = new WatchedProcess(new FakeProcess(), 'cmd').wait(60_000, controller.signal);
    controller.abort();
    expect(await waiting).toBe('aborted');
  });

  it('forwards to the live listener', () => {
    const fake = new FakeProcess();
    const watched = new WatchedProcess(fake, 'cmd');
    const seen: string[] = [];
    watched.setLiveListener((c) => seen.push(c));
    fake.emit('x');
    watched.setLiveListener(undefined);
    fake.emit('y');
    expect(seen).toEqual(['x']);
  });

  it('drops the middle beyond the buffer cap and counts it', () => {
    const fake = new FakeProcess();
    const watched = new WatchedProcess(fake, 'cmd');
    fake.emit('H'.repeat(MAX_BUFFERED_CHARS));
    fake.emit('T'.repeat(1000));
    const { output, omittedChars } = watched.take();
    expect(output.length).toBe(MAX_BUFFERED_CHARS);
    expect(omittedChars).toBe(1000);
    expect(output.startsWith('H')).toBe(true);
    expect(output.endsWith('T'.repeat(1000))).toBe(true);
  });
});

describe('ProcessSessions', () => {
  it('numbers sessions from 1 and kills them all', () => {
    const sessions = new ProcessSessions();
    const fakes = [new FakeProcess(), new FakeProcess()];
    expect(fakes.map((f) => sessions.add(new WatchedProcess(f, 'cmd'), 'call'))).toEqual([1, 2]);
    sessions.killAll();
    expect(fakes.every((f) => f.killed)).toBe(true);
    expect(sessions.size).toBe(0);
  });

  it('evicts an exited session first, else kills the oldest, beyond the cap', async () => {
    const sessions = new ProcessSessions(2);
    const [a, b, c, d] = [new FakeProcess(), new FakeProcess(), new FakeProcess(), new FakeProcess()];
    sessions.add(new WatchedProcess(a, 'a'), 'call-a');
    const idB = sessions.add(new WatchedProcess(b, 'b'), 'call-b');
    b.exit(0);
    await sessions.get(idB)!.watched.wait(60_000, never);
    sessions.add(new WatchedProcess(c, 'c'), 'call-c');
    expect(sessions.list().map((s) => s.command)).toEqual(['a', 'c']);
    expect(a.killed).toBe(false);
    sessions.add(new WatchedProcess(d, 'd'), 'call-d');
    expect(sessions.list().map((s) => s.command)).toEqual(['c', 'd']);
    expect(a.killed).toBe(true);
  });
});

describe('WatchedProcess secret redaction', () => {
  it('never shows a registered secret, also cut across chunks, to the live card or the model', async () => {
    const { SecretRegistry } = await import('../../../../src/core/secrets/knownSecrets');
    const registry = new SecretRegistry();
    const secret = 'sk-live-0123456789abcdefXYZ';
    registry.add(secret);
    const fake = new FakeProcess();
    const watched = new WatchedProcess(fake, 'cmd', Date.now, registry);
    const live: string[] = [];
    watched.setLiveListener((c) => live.push(c));
    fake.emit('key: sk-live-0123');
    expect(live.join('')).toBe('key: ');
    expect(watched.take().output).toBe('key: ');
    fake.emit('456789abcdefXYZ\nprompt sk-');
    fake.exit(0);
    expect(await watched.wait(60_000, never)).toBe('exited');
    // The held-back "sk-" is released at the exit: it never became the secret.
    expect(live.join('')).toBe('key: [REDACTED]\nprompt sk-');
    expect(watched.take().output).toBe('[REDACTED]\nprompt sk-');
  });
});
