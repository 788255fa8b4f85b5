// exec_command against real processes (node-pty) with a fake agent around it.
import { mkdtempSync, mkdirSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { execCommandTool, resolveWorkdir } from '../../../../src/core/tools/execCommand';
import type { ProcessSessions } from '../../../../src/core/tools/processSessions';
import { ToolInputError } from '../../../../src/core/tools/types';
import { isAlive, makeContext, waitFor } from './toolContext';

const root = realpathSync(mkdtempSync(join(tmpdir(), 'tandem-exec-')));
mkdirSync(join(root, 'sub'), { recursive: true });
const parse = (args: unknown) => execCommandTool.parse(typeof args === 'string' ? args : JSON.stringify(args));

const registries: ProcessSessions[] = [];
function context(options: Omit<Parameters<typeof makeContext>[0], 'cwd'> = {}) {
  const ctx = makeContext({ cwd: root, ...options });
  registries.push(ctx.sessions);
  return ctx;
}
afterEach(() => {
  for (const sessions of registries.splice(0)) sessions.killAll();
});

describe('exec_command arguments', () => {
  it('parses and applies defaults', () => {
    expect(parse({ cmd: 'ls' })).toEqual({ cmd: 'ls', yieldTimeMs: 10_000, maxOutputTokens: 10_000, login: false });
    expect(parse({ cmd: 'ls', workdir: 'sub', yield_time_ms: '500', max_output_tokens: 300, login: true })).toEqual({
      cmd: 'ls',
      workdir: 'sub',
      yieldTimeMs: 500,
      maxOutputTokens: 300,
      login: true,
    });
  });

  it('clamps the yield time to 250..30000', () => {
    expect(parse({ cmd: 'ls', yield_time_ms: 1 }).yieldTimeMs).toBe(250);
    expect(parse({ cmd: 'ls', yield_time_ms: 10_000_000 }).yieldTimeMs).toBe(30_000);
  });

  it('rejects malformed input with a fixable message', () => {
    expect(() => parse('{"cmd": ')).toThrow(ToolInputError);
    expect(() => parse('{"cmd": ')).toThrow(/JSON object/);
    expect(() => parse({})).toThrow(/needs "cmd"/);
    expect(() => parse({ cmd: '  ' })).toThrow(/needs "cmd"/);
    expect(() => parse({ cmd: ['ls'] })).toThrow(ToolInputError);
    expect(() => parse({ cmd: 'ls', yield_time_ms: 'soon' })).toThrow(/"yield_time_ms" must be a number/);
    expect(() => parse({ cmd: 'ls', workdir: 3 })).toThrow(/workdir/);
    expect(() => parse({ cmd: 'ls', login: 'yes' })).toThrow(/login/);
    expect(() => parse('[1]')).toThrow(ToolInputError);
  });

  it('describes the call by its command line and resolved directory', () => {
    expect(execCommandTool.describe(parse({ cmd: 'npm test', workdir: 'sub/../pkg' }), { cwd: '/w' })).toEqual({ title: 'npm test', cwd: '/w/pkg' });
    expect(execCommandTool.describe(parse({ cmd: 'ls' }), { cwd: '/w' })).toEqual({ title: 'ls', cwd: '/w' });
  });

  it('resolves workdirs with posix semantics', () => {
    expect(resolveWorkdir('/a/b', undefined)).toBe('/a/b');
    expect(resolveWorkdir('/a/b', './c/')).toBe('/a/b/c');
    expect(resolveWorkdir('/a/b', '../../../x')).toBe('/x');
    expect(resolveWorkdir('/a/b', '/etc//nginx/.')).toBe('/etc/nginx');
  });

  it('keeps its schema small', () => {
    expect(JSON.stringify(execCommandTool.spec).length).toBeLessThan(1000);
  });
});

describe('exec_command run', () => {
  it('runs a command, streams its output and frames the result', async () => {
    const ctx = context();
    const result = await execCommandTool.run(parse({ cmd: 'echo hello; printf "\\033[32mgreen\\033[0m\\n"' }), ctx);
    expect(result.status).toBe('ok');
    expect(result.exitCode).toBe(0);
    expect(result.output).toMatch(/^Wall time: \d+\.\d seconds\nProcess exited with code 0\nOutput:\nhello\ngreen\n$/);
    // The live stream keeps the raw terminal bytes (the card renders colours).
    expect(ctx.outputOf()).toContain('\x1b[32mgreen');
    expect(ctx.events.every((e) => e.type === 'tool.output' && e.turnId === 'turn-1' && e.callId === 'call-1')).toBe(true);
    expect(ctx.sessions.size).toBe(0);
  });

  it('reports a nonzero exit as status error with normal output', async () => {
    const result = await execCommandTool.run(parse({ cmd: 'echo oops; exit 3' }), context());
    expect(result).toMatchObject({ status: 'error', exitCode: 3 });
    expect(result.output).toContain('Process exited with code 3\nOutput:\noops\n');
  });

  it('runs in the resolved workdir', async () => {
    const result = await execCommandTool.run(parse({ cmd: 'pwd', workdir: 'sub' }), context());
    expect(result.output).toContain(`Output:\n${root}/sub\n`);
  });

  it('refuses a workdir that does not exist, before asking for approval', async () => {
    let asked = false;
    const result = await execCommandTool.run(parse({ cmd: 'pwd', workdir: 'missing' }), context({ authorize: async () => ((asked = true), { allowed: true }) }));
    expect(result.status).toBe('error');
    expect(result.output).toContain(`${root}/missing is not an existing directory`);
    expect(asked).toBe(false);
  });

  it('does not run a denied command and tells the model why', async () => {
    const subjects: unknown[] = [];
    const runner = { shell: '/bin/bash', spawn: () => { throw new Error('must not spawn'); } };
    const ctx = context({ runner, authorize: async (subject) => (subjects.push(subject), { allowed: false, reason: 'The user denied it: use the test script instead.' }) });
    const result = await execCommandTool.run(parse({ cmd: 'rm -rf build' }), ctx);
    expect(result.status).toBe('denied');
    expect(result.output).toContain('use the test script instead');
    expect(subjects).toEqual([{ kind: 'command', command: 'rm -rf build', cwd: root, reason: expect.any(String) }]);
  });

  it('kills the process tree when the turn is stopped', async () => {
    const ctx = context();
    const running = execCommandTool.run(parse({ cmd: 'sleep 100 & echo "pid:$!"; sleep 100', yield_time_ms: 30_000 }), ctx);
    await waitFor(() => /pid:\d+/.test(ctx.outputOf()), 'the background pid');
    const pid = Number(/pid:(\d+)/.exec(ctx.outputOf())![1]);
    ctx.controller.abort(new Error('stop'));
    const result = await running;
    expect(result.status).toBe('cancelled');
    expect(result.output).toContain('Process killed');
    await waitFor(() => !isAlive(pid), 'the background sleep to die');
    expect(ctx.sessions.size).toBe(0);
  });

  it('yields a session for a command still running', async () => {
    const ctx = context();
    const result = await execCommandTool.run(parse({ cmd: 'echo waiting; read x; echo "got $x"', yield_time_ms: 250 }), ctx);
    expect(result.status).toBe('running');
    expect(result.sessionId).toBe(1);
    expect(result.output).toContain('Process running with session ID 1\nOutput:\n');
    expect(ctx.sessions.get(1)?.callId).toBe('call-1');
  });

  it('truncates long output in the middle within max_output_tokens', async () => {
    const result = await execCommandTool.run(parse({ cmd: 'seq 1 100000', max_output_tokens: 200 }), context());
    expect(result.status).toBe('ok');
    const body = result.output.slice(result.output.indexOf('Output:\n') + 'Output:\n'.length);
    expect(body.startsWith('1\n2\n3\n')).toBe(true);
    expect(body.endsWith('99999\n100000\n')).toBe(true);
    expect(body).toMatch(/\n…\d+ tokens truncated…\n/);
    expect(Math.ceil(body.length / 4)).toBeLessThanOrEqual(200);
  });

  it('reports a runner that cannot start the command', async () => {
    const runner = { shell: '/bin/bash', spawn: () => { throw new Error('fork failed'); } };
    const result = await execCommandTool.run(parse({ cmd: 'ls' }), context({ runner }));
    expect(result).toMatchObject({ status: 'error' });
    expect(result.output).toContain('fork failed');
  });
});
