// write_stdin on sessions yielded by exec_command, with real processes.
import { realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { execCommandTool } from '../../../../src/core/tools/execCommand';
import type { ProcessSessions } from '../../../../src/core/tools/processSessions';
import { ToolInputError } from '../../../../src/core/tools/types';
import { writeStdinTool } from '../../../../src/core/tools/writeStdin';
import { isAlive, makeContext, waitFor, type TestContext } from './toolContext';

const root = realpathSync(tmpdir());
const exec = (args: object) => execCommandTool.parse(JSON.stringify(args));
const write = (args: unknown) => writeStdinTool.parse(typeof args === 'string' ? args : JSON.stringify(args));

const registries: ProcessSessions[] = [];
function context(): TestContext {
  const ctx = makeContext({ cwd: root });
  registries.push(ctx.sessions);
  return ctx;
}
afterEach(() => {
  for (const sessions of registries.splice(0)) sessions.killAll();
});

describe('write_stdin arguments', () => {
  it('defaults to a short wait after input and a longer one for polls', () => {
    expect(write({ session_id: 2, chars: 'y\n' })).toEqual({ sessionId: 2, chars: 'y\n', yieldTimeMs: 250, maxOutputTokens: 10_000 });
    expect(write({ session_id: '2' })).toMatchObject({ sessionId: 2, chars: '', yieldTimeMs: 5_000 });
    expect(write({ session_id: 2, chars: '', yield_time_ms: 300 }).yieldTimeMs).toBe(5_000);
    expect(write({ session_id: 2, chars: 'q', yield_time_ms: 99_999 }).yieldTimeMs).toBe(30_000);
  });

  it('rejects malformed input with a fixable message', () => {
    expect(() => write('nope')).toThrow(ToolInputError);
    expect(() => write({ chars: 'x' })).toThrow(/needs "session_id"/);
    expect(() => write({ session_id: 1.5 })).toThrow(/needs "session_id"/);
    expect(() => write({ session_id: 1, chars: 5 })).toThrow(/"chars" must be a string/);
  });

  it('describes input and polls', () => {
    expect(writeStdinTool.describe(write({ session_id: 3 }), { cwd: root }).title).toBe('Poll session 3');
    expect(writeStdinTool.describe(write({ session_id: 3, chars: 'yes\n' }), { cwd: root }).title).toBe('Send "yes\\n" to session 3');
  });
});

describe('write_stdin run', () => {
  it('answers a prompt of a yielded command and reports its exit', async () => {
    const ctx = context();
    const first = await execCommandTool.run(exec({ cmd: 'echo "name?"; read x; echo "got $x"', yield_time_ms: 250 }), ctx);
    expect(first.status).toBe('running');
    // The card of the write_stdin call receives the new output live.
    const second = ctx.next('call-2');
    let result = await writeStdinTool.run(write({ session_id: first.sessionId, chars: 'banana\n', yield_time_ms: 5_000 }), second);
    // A slow machine may not have finished within the yield; poll until it has.
    while (result.status === 'running') result = await writeStdinTool.run(write({ session_id: first.sessionId }), second);
    expect(result).toMatchObject({ status: 'ok', exitCode: 0 });
    expect(`${first.output}${result.output}`).toContain('got banana');
    expect(second.outputOf('call-2')).toContain('got banana');
    expect(ctx.sessions.size).toBe(0);
  });

  it('polls a session to completion without losing output printed between calls', async () => {
    const ctx = context();
    const first = await execCommandTool.run(exec({ cmd: 'echo start; sleep 0.5; echo middle; sleep 0.5; echo end; exit 4', yield_time_ms: 250 }), ctx);
    expect(first).toMatchObject({ status: 'running', sessionId: 1 });
    const outputs = [first.output];
    let result = first;
    while (result.status === 'running') {
      result = await writeStdinTool.run(write({ session_id: 1 }), ctx.next('poll'));
      outputs.push(result.output);
    }
    expect(result).toMatchObject({ status: 'error', exitCode: 4 });
    expect(result.output).toContain('Process exited with code 4');
    const all = outputs.join('');
    expect(all.indexOf('start')).toBeLessThan(all.indexOf('middle'));
    expect(all.indexOf('middle')).toBeLessThan(all.indexOf('end'));
    expect(all.match(/middle/g)).toHaveLength(1);
    // The exit was reported, so the session is gone.
    const again = await writeStdinTool.run(write({ session_id: 1 }), ctx.next('poll-2'));
    expect(again.status).toBe('error');
    expect(again.output).toContain('No running session 1');
  });

  it('interrupts a session with Ctrl-C', async () => {
    const ctx = context();
    const first = await execCommandTool.run(exec({ cmd: 'echo ready; sleep 100', yield_time_ms: 250 }), ctx);
    expect(first.status).toBe('running');
    let result = await writeStdinTool.run(write({ session_id: first.sessionId, chars: '\u0003', yield_time_ms: 5_000 }), ctx.next('c'));
    while (result.status === 'running') result = await writeStdinTool.run(write({ session_id: first.sessionId }), ctx.next('c'));
    expect(result.exitCode).toBe(130);
  });

  it('explains an unknown session id', async () => {
    const result = await writeStdinTool.run(write({ session_id: 7, chars: 'x' }), context());
    expect(result.status).toBe('error');
    expect(result.output).toContain('No running session 7; it may have exited');
  });

  it('kills the session when the turn is stopped while polling', async () => {
    const ctx = context();
    const first = await execCommandTool.run(exec({ cmd: 'echo "pid:$$"; sleep 100', yield_time_ms: 250 }), ctx);
    await waitFor(() => /pid:\d+/.test(ctx.outputOf()), 'the pid');
    const pid = Number(/pid:(\d+)/.exec(ctx.outputOf())![1]);
    const poll = ctx.next('poll');
    const polling = writeStdinTool.run(write({ session_id: first.sessionId, yield_time_ms: 30_000 }), poll);
    poll.controller.abort(new Error('stop'));
    expect((await polling).status).toBe('cancelled');
    await waitFor(() => !isAlive(pid), 'the shell to die');
    expect(ctx.sessions.size).toBe(0);
  });
});

describe('write_stdin input is re-checked with the current policy', () => {
  it('asks authorize about the running command with its confinement, and sends nothing when refused', async () => {
    const asked: { subject: unknown; options: unknown }[] = [];
    let refuse = false;
    const ctx = makeContext({
      cwd: root,
      authorize: async (subject: unknown, options?: unknown) => {
        asked.push({ subject, options });
        if (asked.length === 1) return { allowed: true, confinement: 'workspace-write' };
        return refuse ? { allowed: false, reason: 'Read-only mode: no.' } : { allowed: true };
      },
    });
    registries.push(ctx.sessions);
    const first = await execCommandTool.run(exec({ cmd: 'read x; echo "got $x"', yield_time_ms: 250 }), ctx);
    expect(first.status).toBe('running');

    refuse = true;
    const denied = await writeStdinTool.run(write({ session_id: first.sessionId, chars: 'banana\n' }), ctx.next('call-2'));
    expect(denied).toEqual({ status: 'denied', output: `The input was not sent; session ${first.sessionId} keeps running. Read-only mode: no.` });
    expect(asked[1]).toEqual({
      subject: { kind: 'command', command: 'read x; echo "got $x"', cwd: root, reason: 'The agent wants to send "banana\\n" to this running command.' },
      options: { running: 'workspace-write' },
    });

    // A poll is not input: never asked. The process is still waiting for its line.
    const poll = await writeStdinTool.run(write({ session_id: first.sessionId, yield_time_ms: 250 }), ctx.next('call-3'));
    expect(asked).toHaveLength(2);
    expect(poll.status).toBe('running');
    expect(poll.output).not.toContain('got');

    refuse = false;
    let result = await writeStdinTool.run(write({ session_id: first.sessionId, chars: 'cherry\n', yield_time_ms: 5_000 }), ctx.next('call-4'));
    while (result.status === 'running') result = await writeStdinTool.run(write({ session_id: first.sessionId }), ctx.next('call-5'));
    expect(result.output).toContain('got cherry');
    expect(result.output).not.toContain('banana');
  });
});
