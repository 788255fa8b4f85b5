// exec_command against real processes (node-pty) with a fake agent around it.
import { mkdtempSync, mkdirSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ProcessRunner, SandboxedProcessInfo, SpawnOptions } from '../../../../src/core/ports';
import { execCommandTool, resolveWorkdir, sandboxDenial } from '../../../../src/core/tools/execCommand';
import type { ApprovalSubject } from '../../../../src/shared/events';
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

// ---- the sandbox: escalation after a sandbox refusal, with a fake runner ---------------------------------

const SANDBOX: SandboxedProcessInfo = { network: false, writableRoots: ['/ws', '/tmp'], protectedPaths: ['/ws/.git'], hiddenPaths: ['/home/me/.ssh'] };

/** A process that prints `output`, then exits with `code`; sandboxed unless spawned unconfined. */
function scriptedRunner(runs: { output: string; code: number }[]) {
  const spawned: SpawnOptions[] = [];
  const runner: ProcessRunner = {
    shell: '/bin/bash',
    spawn(options) {
      const script = runs[spawned.length] ?? { output: '', code: 0 };
      spawned.push(options);
      const listeners = new Set<(chunk: string) => void>();
      const exited = new Promise<number>((resolve) => setTimeout(() => {
        for (const listener of listeners) listener(script.output);
        setTimeout(() => resolve(script.code), 5);
      }, 5));
      return {
        pid: 1000 + spawned.length,
        exited,
        onOutput: (listener) => (listeners.add(listener), () => listeners.delete(listener)),
        write: () => {},
        kill: () => {},
        ...(options.confinement === 'unconfined' ? {} : { sandbox: SANDBOX }),
      };
    },
  };
  return { runner, spawned };
}

describe('exec_command and the sandbox', () => {
  const subjectsOf = (answers: boolean[]) => {
    const subjects: ApprovalSubject[] = [];
    const authorize = async (subject: unknown) => {
      subjects.push(subject as ApprovalSubject);
      const allowed = answers[subjects.length - 1] ?? true;
      return allowed ? { allowed: true as const } : { allowed: false as const, reason: 'The user denied it.' };
    };
    return { subjects, authorize };
  };

  it('asks to re-run a command the sandbox refused, and re-runs it outside only when approved', async () => {
    const { runner, spawned } = scriptedRunner([
      { output: "touch: cannot touch '/etc/motd': Read-only file system\r\n", code: 1 },
      { output: 'done\r\n', code: 0 },
    ]);
    const { subjects, authorize } = subjectsOf([true, true]);
    const ctx = context({ runner, authorize });
    const result = await execCommandTool.run(parse({ cmd: 'touch /etc/motd && echo done' }), ctx);

    expect(subjects).toHaveLength(2);
    expect(subjects[1]).toEqual({
      kind: 'command',
      command: 'touch /etc/motd && echo done',
      cwd: root,
      reason: `Failed inside the sandbox: the sandbox keeps that location read-only ("touch: cannot touch '/etc/motd': Read-only file system"); run it again without the sandbox?`,
    });
    expect(spawned.map((s) => s.confinement)).toEqual(['workspace-write', 'unconfined']);
    expect(spawned[0]?.workspaceRoots).toEqual([root]);
    expect(result).toMatchObject({ status: 'ok', exitCode: 0 });
    expect(result.output).toMatch(/^Ran again outside the sandbox after the user approved it \(inside it failed: the sandbox keeps that location read-only/);
    expect(ctx.outputOf()).toContain('[Tandem: running it again outside the sandbox, as approved]');
  });

  it('keeps the failure, and says so, when the re-run is not approved', async () => {
    const { runner, spawned } = scriptedRunner([{ output: 'fatal: unable to access https://github.com/x/y: Could not resolve host: github.com\n', code: 128 }]);
    const { subjects, authorize } = subjectsOf([true, false]);
    const result = await execCommandTool.run(parse({ cmd: 'git fetch' }), context({ runner, authorize }));
    expect(subjects[1]?.reason).toMatch(/^Failed inside the sandbox: the sandbox has no network access/);
    expect(spawned).toHaveLength(1);
    expect(result).toMatchObject({ status: 'error', exitCode: 128 });
    expect(result.output).toMatch(/Running it outside the sandbox was not approved\. The user denied it\.$/);
  });

  it('hands the runner the confinement the approval chose (workspace-write when the authorizer names none)', async () => {
    for (const confinement of ['read-only', 'workspace-write', 'protected-only', 'unconfined'] as const) {
      const { runner, spawned } = scriptedRunner([{ output: 'ok\n', code: 0 }]);
      await execCommandTool.run(parse({ cmd: 'ls' }), context({ runner, authorize: async () => ({ allowed: true, confinement }) }));
      expect(spawned.map((s) => s.confinement)).toEqual([confinement]);
    }
    const { runner, spawned } = scriptedRunner([{ output: 'ok\n', code: 0 }]);
    await execCommandTool.run(parse({ cmd: 'ls' }), context({ runner }));
    expect(spawned.map((s) => s.confinement)).toEqual(['workspace-write']);
  });

  it('does not re-run outside when the escalation was allowed with a confinement short of unconfined', async () => {
    const { runner, spawned } = scriptedRunner([{ output: "touch: cannot touch '/etc/motd': Read-only file system\n", code: 1 }]);
    const answers = [{ allowed: true as const, confinement: 'read-only' as const }, { allowed: true as const, confinement: 'workspace-write' as const }];
    const result = await execCommandTool.run(parse({ cmd: 'touch /etc/motd' }), context({ runner, authorize: async () => answers.shift()! }));
    expect(spawned).toHaveLength(1);
    expect(result.output).toMatch(/Running it outside the sandbox was not approved\.$/);
  });

  it("reports the command's own wall time, not the time spent waiting for approval", async () => {
    let now = 1_000_000;
    vi.spyOn(Date, 'now').mockImplementation(() => now);
    try {
      const { runner } = scriptedRunner([{ output: 'ok\n', code: 0 }]);
      // The user takes an hour to approve; the command itself takes no (fake) time.
      const authorize = async () => ((now += 3_600_000), { allowed: true as const, confinement: 'workspace-write' as const });
      const result = await execCommandTool.run(parse({ cmd: 'npm test' }), context({ runner, authorize }));
      expect(result.output).toMatch(/^Wall time: 0(\.0+)? seconds$/m);
    } finally {
      vi.restoreAllMocks();
    }
  });

  it('does not ask when the failure has nothing to do with the sandbox, or the process was not sandboxed', async () => {
    for (const output of ['FAIL test/add.test.ts\nexpected 3, got -1\n', "rm: cannot remove '/ws/x': Permission denied\n"]) {
      const { runner, spawned } = scriptedRunner([{ output, code: 1 }]);
      const { subjects, authorize } = subjectsOf([true]);
      const result = await execCommandTool.run(parse({ cmd: 'npm test' }), context({ runner, authorize }));
      expect(subjects).toHaveLength(1);
      expect(spawned).toHaveLength(1);
      expect(result.status).toBe('error');
    }
  });
});

describe('sandboxDenial', () => {
  const why = (output: string, info: Partial<SandboxedProcessInfo> = {}) => sandboxDenial(output, { ...SANDBOX, ...info });
  it.each<[string, RegExp | undefined]>([
    ["mkdir: cannot create directory '/usr/local/x': Read-only file system", /keeps that location read-only/],
    ['Error: EROFS: read-only file system, open \'/ws/.git/index.lock\'', /keeps that location read-only/],
    ['cat: /home/me/.ssh/id_rsa: No such file or directory', /hides \/home\/me\/\.ssh\/id_rsa/],
    ["npm ERR! Error: EACCES: permission denied, mkdir '/home/me/.npm/_cacache'", /refused access outside the writable folders/],
    ["touch: cannot touch ‘/ws/.git/x’: Permission denied", /refused access outside/],
    ["rm: cannot remove '/ws/build/x': Permission denied", undefined],
    ['curl: (6) Could not resolve host: example.com', /no network access/],
    ['Error: getaddrinfo EAI_AGAIN registry.npmjs.org', /no network access/],
    ['connect ECONNREFUSED 127.0.0.1:5432', /no network access/],
    ['bash: fork: retry: Resource temporarily unavailable', /process limit/],
    ['bwrap: Can\'t chdir to /home/me/.ssh: No such file or directory', /could not start/],
    ['AssertionError: expected 1 to be 2', undefined],
  ])('%j', (output, expected) => {
    const reason = why(`Wall time: 0.1 seconds\nProcess exited with code 1\nOutput:\n${output}\n`);
    if (expected === undefined) expect(reason).toBeUndefined();
    else expect(reason).toMatch(expected);
  });

  it('blames the network only when the network is off', () => {
    expect(why('curl: (6) Could not resolve host: example.com', { network: true })).toBeUndefined();
  });
});
