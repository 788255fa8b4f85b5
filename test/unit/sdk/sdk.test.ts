// `tandem/sdk` against the scripted mock over real HTTP: run, runStreamed, resume, the approval hook, and a
// thread without a key. Files on disk and the requests the model received are the oracles.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Tandem, type ApprovalRequest } from '../../../src/sdk';
import type { AgentEvent } from '../../../src/shared/events';
import { mock, startMockOpenAI, type MockOpenAI } from '../../fixtures/mockOpenAI';

let server: MockOpenAI;
beforeAll(async () => {
  server = await startMockOpenAI();
});
afterAll(async () => {
  await server.close();
});

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  server.setScript([]);
  server.requests.length = 0;
});

function tempDir(prefix: string): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  dirs.push(dir);
  return dir;
}

function tandem(sessionsDir = tempDir('tandem-sdk-sessions-')): Tandem {
  return new Tandem({ apiKey: 'test-key', baseUrl: server.baseUrl, sessionsDir });
}

describe('tandem/sdk', () => {
  for (const wireApi of ['responses', 'chat'] as const) {
    it(`run() on ${wireApi}: runs the command, writes the patch, returns items, final response and usage`, async () => {
      const cwd = tempDir('tandem-sdk-ws-');
      const patch = '*** Begin Patch\n*** Add File: hello.txt\n+hello from the sdk\n*** End Patch\n';
      server.setScript([
        { steps: [mock.call('exec_command', { cmd: 'echo listing' }, 'c1')], usage: { inputTokens: 100, outputTokens: 10 } },
        { steps: [wireApi === 'responses' ? mock.custom('apply_patch', patch, 'c2') : mock.call('apply_patch', { input: patch }, 'c2')], usage: { inputTokens: 120, outputTokens: 20 } },
        { steps: [mock.text('Created hello.txt.')], usage: { inputTokens: 140, outputTokens: 5 } },
      ]);
      const thread = tandem().startThread({ workingDirectory: cwd, approval: 'full-access', sandbox: 'off', model: 'gpt-test', wireApi });
      const result = await thread.run('create hello.txt');
      await thread.close();

      expect(fs.readFileSync(path.join(cwd, 'hello.txt'), 'utf8')).toBe('hello from the sdk\n');
      expect(result.status).toBe('completed');
      expect(result.finalResponse).toBe('Created hello.txt.');
      expect(result.items.map((i) => i.type)).toEqual(['command', 'file_change', 'agent_message']);
      expect(result.items[0]).toMatchObject({ type: 'command', title: 'echo listing', status: 'ok', exitCode: 0 });
      expect((result.items[0] as { output: string }).output).toContain('listing');
      expect(result.items[1]).toMatchObject({ type: 'file_change', outcome: 'applied', files: [expect.objectContaining({ kind: 'add' })] });
      expect(result.usage).toEqual({ inputTokens: 360, cachedInputTokens: 0, outputTokens: 35 });
      expect(server.requests).toHaveLength(3);
      expect(JSON.stringify(server.requests[0]!.body)).toContain('create hello.txt');
    });
  }

  it('runStreamed() yields the typed events as they happen; breaking out stops the run', async () => {
    const cwd = tempDir('tandem-sdk-ws-');
    server.setScript([{ steps: [mock.text('streamed answer', ['streamed ', 'answer'])] }, { steps: [mock.call('exec_command', { cmd: 'sleep 30' }, 'c1')] }]);
    const thread = tandem().startThread({ workingDirectory: cwd, approval: 'full-access', sandbox: 'off' });
    const { events } = await thread.runStreamed('say something');
    const seen: AgentEvent[] = [];
    for await (const event of events) seen.push(event);
    expect(seen.map((e) => e.type)).toEqual(['turn.started', 'message.delta', 'message.delta', 'message.completed', 'usage', 'turn.completed']);

    const second = await thread.runStreamed('run a long command');
    let stoppedAt: string | undefined;
    for await (const event of second.events) {
      if (event.type === 'tool.started') {
        stoppedAt = event.title;
        break;
      }
    }
    expect(stoppedAt).toBe('sleep 30');
    // The next run starts at once: the stopped one ended and did not block the thread.
    server.enqueue({ steps: [mock.text('after the stop')] });
    const after = await thread.run('still there?');
    expect(after.finalResponse).toBe('after the stop');
    await thread.close();
  });

  it('resumeThread() continues the logged conversation in its working directory', async () => {
    const sessionsDir = tempDir('tandem-sdk-sessions-');
    const cwd = tempDir('tandem-sdk-ws-');
    server.setScript([{ steps: [mock.text('The codeword is heron.')] }, { steps: [mock.text('You asked about the codeword.')] }]);
    const first = tandem(sessionsDir).startThread({ workingDirectory: cwd, approval: 'read-only' });
    await first.run('remember the codeword heron');
    await first.close();

    const resumed = await tandem(sessionsDir).resumeThread(first.id);
    expect(resumed.id).toBe(first.id);
    const result = await resumed.run('what did I ask?');
    await resumed.close();
    expect(result.finalResponse).toBe('You asked about the codeword.');
    const body = JSON.stringify(server.requests[1]!.body);
    expect(body).toContain('remember the codeword heron');
    expect(body).toContain('The codeword is heron.');
    expect(body).toContain(cwd); // the environment block names the logged workspace
    await expect(tandem(sessionsDir).resumeThread('20261207-nosuch')).rejects.toThrow(/No session 20261207-nosuch under .*nothing to resume/);
  });

  it('asks onApproval for what the policy would ask about, and denies without a hook', async () => {
    const cwd = tempDir('tandem-sdk-ws-');
    const command = `echo approved > ${JSON.stringify('out.txt')}`;
    server.setScript([
      { steps: [mock.call('exec_command', { cmd: command }, 'c1')] },
      { steps: [mock.text('done')] },
      { steps: [mock.call('exec_command', { cmd: command.replace('approved', 'denied') }, 'c2')] },
      { steps: [mock.text('could not')] },
    ]);
    const asked: ApprovalRequest[] = [];
    const withHook = tandem().startThread({ workingDirectory: cwd, approval: 'auto', sandbox: 'off', onApproval: async (request) => (asked.push(request), 'approve') });
    await withHook.run('write out.txt');
    await withHook.close();
    expect(asked).toEqual([expect.objectContaining({ threadId: withHook.id, subject: expect.objectContaining({ kind: 'command', command }) })]);
    expect(fs.readFileSync(path.join(cwd, 'out.txt'), 'utf8')).toBe('approved\n');

    const withoutHook = tandem().startThread({ workingDirectory: cwd, approval: 'auto', sandbox: 'off' });
    const result = await withoutHook.run('write it again');
    await withoutHook.close();
    expect(result.items[0]).toMatchObject({ type: 'command', status: 'denied' });
    expect(fs.readFileSync(path.join(cwd, 'out.txt'), 'utf8')).toBe('approved\n');
    expect(JSON.stringify(server.requests[3]!.body)).toContain('no onApproval hook');
  });

  it('a thread without an API key fails its first run with a clear message', async () => {
    const saved = process.env.OPENAI_API_KEY;
    delete process.env.OPENAI_API_KEY;
    try {
      const thread = new Tandem({ baseUrl: server.baseUrl, sessionsDir: tempDir('tandem-sdk-sessions-') }).startThread({ workingDirectory: tempDir('tandem-sdk-ws-') });
      await expect(thread.run('hello')).rejects.toThrow(/No API key/);
    } finally {
      if (saved !== undefined) process.env.OPENAI_API_KEY = saved;
    }
    expect(server.requests).toHaveLength(0);
  });
});
