// The headless runner as a user runs it: the bundled dist/cli.js in a child process, against the scripted
// mock server over real HTTP, in a temp workspace.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mock, startMockOpenAI, type MockOpenAI } from '../../fixtures/mockOpenAI';

let cli: string;
let api: MockOpenAI;

beforeAll(async () => {
  const out = mkdtempSync(join(tmpdir(), 'tandem-cli-build-'));
  cli = join(out, 'cli.js');
  await esbuild.build({ entryPoints: ['src/cli.ts'], outfile: cli, bundle: true, platform: 'node', format: 'cjs', external: ['node-pty'], logLevel: 'silent' });
  api = await startMockOpenAI();
});
afterAll(async () => api.close());

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-cli-ws-'));
  writeFileSync(join(dir, 'hello.txt'), 'hello\n');
  return dir;
}

/** Runs the CLI to completion: exit code and output. `input` goes to stdin (closed either way). */
function tandem(args: string[], options: { cwd?: string; env?: Record<string, string>; input?: string } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], {
      cwd: options.cwd ?? tmpdir(),
      env: { ...process.env, OPENAI_API_KEY: 'test-key', HOME: mkdtempSync(join(tmpdir(), 'tandem-cli-home-')), ...options.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdin.end(options.input ?? '');
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

const PATCH = '*** Begin Patch\n*** Update File: hello.txt\n-hello\n+hello, world\n*** End Patch\n';

describe('tandem exec', () => {
  it.each(['responses', 'chat'] as const)('runs a shell command, applies a patch and answers (%s API), one JSON event per line', async (wireApi) => {
    const dir = workspace();
    api.setScript([
      { steps: [mock.call('exec_command', { cmd: 'cat hello.txt' })] },
      { steps: [wireApi === 'responses' ? mock.custom('apply_patch', PATCH) : mock.call('apply_patch', { input: PATCH })] },
      { steps: [mock.text('Done.')] },
    ]);
    const { code, stdout } = await tandem(['exec', '--json', '--approval', 'full-access', '--base-url', api.baseUrl, '--wire-api', wireApi, '--model', 'm', '--cd', dir, 'fix the greeting']);
    expect(code).toBe(0);
    const events = stdout.trim().split('\n').map((line) => JSON.parse(line) as { type: string; outcome?: string; chunk?: string });
    expect(events[0]?.type).toBe('turn.started');
    expect(events.at(-1)?.type).toBe('turn.completed');
    expect(events.some((e) => e.type === 'tool.output' && e.chunk?.includes('hello'))).toBe(true);
    expect(events.find((e) => e.type === 'patch.resolved')?.outcome).toBe('applied');
    expect(readFileSync(join(dir, 'hello.txt'), 'utf8')).toBe('hello, world\n');
  });

  it('writes nothing in its default read-only mode and says why', async () => {
    const dir = workspace();
    api.setScript([{ steps: [mock.custom('apply_patch', PATCH)] }, { steps: [mock.text('Could not.')] }]);
    const { code, stdout } = await tandem(['exec', '--base-url', api.baseUrl, '--cd', dir, 'fix it']);
    expect(code).toBe(0);
    expect(stdout).toContain('Could not.');
    expect(readFileSync(join(dir, 'hello.txt'), 'utf8')).toBe('hello\n');
    expect(JSON.stringify(api.requests.at(-1)?.body)).toMatch(/Read-only mode/);
  });

  it('exits non-zero with an actionable message when the key is rejected', async () => {
    api.setScript([mock.error(401, { code: 'invalid_api_key', message: 'Incorrect API key provided: test-key.' })]);
    const { code, stderr } = await tandem(['exec', '--base-url', api.baseUrl, '--cd', workspace(), 'hi']);
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/API key/);
    expect(stderr).not.toContain('test-key');
  });

  it('rejects unknown options with usage', async () => {
    const { code, stderr } = await tandem(['exec', '--frobnicate', 'x']);
    expect(code).toBe(2);
    expect(stderr).toContain('Usage:');
  });
});

describe('tandem apply-patch', () => {
  it('applies a patch from stdin and lists what changed', async () => {
    const dir = workspace();
    const { code, stdout } = await tandem(['apply-patch'], { cwd: dir, input: PATCH });
    expect(code).toBe(0);
    expect(stdout).toBe('M hello.txt\n');
    expect(readFileSync(join(dir, 'hello.txt'), 'utf8')).toBe('hello, world\n');
  });

  it('is all-or-nothing: a failing second file leaves the first untouched, exit 1', async () => {
    const dir = workspace();
    const bad = '*** Begin Patch\n*** Update File: hello.txt\n-hello\n+changed\n*** Update File: missing.txt\n-x\n+y\n*** End Patch\n';
    const { code, stderr } = await tandem(['apply-patch', bad], { cwd: dir });
    expect(code).toBe(1);
    expect(stderr).toMatch(/missing\.txt/);
    expect(readFileSync(join(dir, 'hello.txt'), 'utf8')).toBe('hello\n');
  });
});

describe('tandem apply-patch stays in the current directory (as git apply does)', () => {
  const add = (path: string) => `*** Begin Patch\n*** Add File: ${path}\n+escaped\n*** End Patch\n`;

  it.each([
    ['a ../ path', () => add('../escape-REPLACE.txt')],
    ['a path climbing out through a subdirectory', () => add('sub/../../escape-REPLACE.txt')],
    ['an absolute path', () => add(join(tmpdir(), 'escape-REPLACE.txt'))],
    ['a move to ../', () => '*** Begin Patch\n*** Update File: hello.txt\n*** Move to: ../escape-REPLACE.txt\n-hello\n+moved\n*** End Patch\n'],
  ])('refuses %s without --allow-outside, and writes nothing', async (_name, patch) => {
    const dir = workspace();
    const marker = `escape-${Math.random().toString(36).slice(2)}`;
    const { code, stderr } = await tandem(['apply-patch', patch().replace('escape-REPLACE', marker)], { cwd: dir });
    expect(code).toBe(1);
    expect(stderr).toMatch(/refusing to touch .*outside the current directory.*--allow-outside/);
    expect(existsSync(join(dir, '..', `${marker}.txt`))).toBe(false);
    expect(existsSync(join(tmpdir(), `${marker}.txt`))).toBe(false);
    expect(readFileSync(join(dir, 'hello.txt'), 'utf8')).toBe('hello\n');
  });

  it('refuses a write through a symlinked directory that leads out', async () => {
    const dir = workspace();
    const outside = mkdtempSync(join(tmpdir(), 'tandem-cli-outside-'));
    symlinkSync(outside, join(dir, 'link'));
    const { code, stderr } = await tandem(['apply-patch', add('link/new.txt')], { cwd: dir });
    expect(code).toBe(1);
    expect(stderr).toMatch(/outside the workspace/);
    expect(readdirSync(outside)).toEqual([]);
  });

  it('writes outside with --allow-outside', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'tandem-cli-parent-'));
    const dir = join(parent, 'ws');
    mkdirSync(dir);
    const { code, stdout } = await tandem(['apply-patch', '--allow-outside', add('../allowed.txt')], { cwd: dir });
    expect(code).toBe(0);
    expect(stdout).toBe('A ../allowed.txt\n');
    expect(readFileSync(join(parent, 'allowed.txt'), 'utf8')).toBe('escaped\n');
  });
});
