// `tandem review` as CI runs it: the bundled CLI in a child process, real git repositories, the scripted
// mock server over real HTTP. Each scope, the --json schema, exit codes, the structured-output request,
// the retry of a malformed answer, and model text that tries to reach the terminal.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mock, startMockOpenAI, type MockOpenAI } from '../../fixtures/mockOpenAI';

let cli: string;
let api: MockOpenAI;

beforeAll(async () => {
  const out = mkdtempSync(join(tmpdir(), 'tandem-review-build-'));
  cli = join(out, 'cli.js');
  await esbuild.build({ entryPoints: ['src/cli.ts'], outfile: cli, bundle: true, platform: 'node', format: 'cjs', external: ['node-pty'], logLevel: 'silent' });
  api = await startMockOpenAI();
});
afterAll(async () => api.close());

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'init.defaultBranch=main', ...args], { cwd, encoding: 'utf8' });
}

const ORIGINAL = 'export function last(items: number[]): number {\n  return items[items.length - 1];\n}\n';
const BUGGY = 'export function last(items: number[]): number {\n  return items[items.length];\n}\n';

/** A repository with one commit of `src/last.ts`. */
function repository(): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'tandem-review-cli-')));
  git(dir, 'init', '-q');
  git(dir, 'config', 'commit.gpgsign', 'false');
  execFileSync('mkdir', ['-p', join(dir, 'src')]);
  writeFileSync(join(dir, 'src', 'last.ts'), ORIGINAL);
  git(dir, 'add', '.');
  git(dir, 'commit', '-qm', 'first');
  return dir;
}

function tandem(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'review', '--base-url', api.baseUrl, '--model', 'm', ...args], {
      cwd,
      env: { ...process.env, OPENAI_API_KEY: 'test-key', HOME: mkdtempSync(join(tmpdir(), 'tandem-review-home-')) },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdin.end();
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

const finding = (root: string, over: Record<string, unknown> = {}) => ({
  title: '[P1] Reads past the end of the array',
  body: '`items[items.length]` is always undefined.',
  confidence_score: 0.9,
  priority: 1,
  code_location: { absolute_file_path: `${root}/src/last.ts`, line_range: { start: 2, end: 2 } },
  ...over,
});
const answer = (findings: unknown[]) =>
  JSON.stringify({ findings, overall_correctness: findings.length ? 'patch is incorrect' : 'patch is correct', overall_explanation: 'Checked.', overall_confidence_score: 0.8 });

/** The text of the last request's user message (either wire API). */
function lastPrompt(): string {
  const body = api.requests.at(-1)?.body as { input?: { content: { text: string }[] }[]; messages?: { content: string }[] };
  return body.input ? (body.input[0]?.content[0]?.text ?? '') : (body.messages?.[1]?.content ?? '');
}

describe('tandem review', () => {
  it('--uncommitted (the default) reviews the working tree and prints Codex JSON with --json', async () => {
    const dir = repository();
    writeFileSync(join(dir, 'src', 'last.ts'), BUGGY);
    api.setScript([{ steps: [mock.text(answer([finding(dir)]))] }]);
    const { code, stdout } = await tandem(['--json'], dir);
    expect(code).toBe(0);
    const json = JSON.parse(stdout) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(['findings', 'overall_correctness', 'overall_explanation', 'overall_confidence_score']);
    expect(json.findings).toEqual([finding(dir)]);
    expect(Object.keys((json.findings as Record<string, unknown>[])[0]!)).toEqual(['title', 'body', 'confidence_score', 'priority', 'code_location']);
    expect(lastPrompt()).toContain('Review the uncommitted changes.');
    expect(lastPrompt()).toContain('    2 +   return items[items.length];');
  });

  it.each(['responses', 'chat'] as const)('asks for structured output in the findings schema (%s API)', async (wireApi) => {
    const dir = repository();
    writeFileSync(join(dir, 'src', 'last.ts'), BUGGY);
    api.setScript([{ steps: [mock.text(answer([]))] }]);
    const { code } = await tandem(['--wire-api', wireApi], dir);
    expect(code).toBe(0);
    type Format = { type?: string; name?: string; strict?: boolean; schema: { properties: object } };
    const body = api.requests.at(-1)?.body as { text?: { format: Format }; response_format?: { type: string; json_schema: Format }; tools?: unknown[] };
    const format = wireApi === 'responses' ? body.text?.format : { type: body.response_format?.type, ...body.response_format?.json_schema };
    expect(format).toMatchObject({ type: 'json_schema', name: 'code_review', strict: true });
    expect(Object.keys(format?.schema?.properties ?? {})).toEqual(['findings', 'overall_correctness', 'overall_explanation', 'overall_confidence_score']);
    expect(body.tools ?? []).toEqual([]);
  });

  it('--staged reviews only the index', async () => {
    const dir = repository();
    writeFileSync(join(dir, 'src', 'last.ts'), BUGGY);
    writeFileSync(join(dir, 'staged.ts'), 'export const x = 1;\n');
    git(dir, 'add', 'staged.ts');
    api.setScript([{ steps: [mock.text(answer([]))] }]);
    const { code, stdout } = await tandem(['--staged'], dir);
    expect(code).toBe(0);
    expect(stdout).toContain('Reviewed staged changes: 1 file changed.');
    expect(lastPrompt()).toContain('### staged.ts (added)');
    expect(lastPrompt()).not.toContain('last.ts');
  });

  it('--base BRANCH reviews the branch since it left BRANCH; --fail-on P1 exits 1 on a P1 finding', async () => {
    const dir = repository();
    git(dir, 'checkout', '-qb', 'feature');
    writeFileSync(join(dir, 'src', 'last.ts'), BUGGY);
    git(dir, 'commit', '-qam', 'break it');
    api.setScript([{ steps: [mock.text(answer([finding(dir)]))] }]);
    const { code, stdout } = await tandem(['--base', 'main', '--fail-on', 'P1'], dir);
    expect(code).toBe(1);
    expect(lastPrompt()).toMatch(/Review the changes against main \(merge base [0-9a-f]{7}\)\./);
    expect(stdout).toContain('[P1] Reads past the end of the array');
    expect(stdout).toContain('  src/last.ts:2  (confidence 0.90)');
    expect(stdout).toContain('Verdict: patch is incorrect');
  });

  it('--commit SHA reviews one commit; --fail-on P0 passes a P1 finding (exit 0)', async () => {
    const dir = repository();
    writeFileSync(join(dir, 'src', 'last.ts'), BUGGY);
    git(dir, 'commit', '-qam', 'break it');
    const sha = git(dir, 'rev-parse', 'HEAD').trim();
    writeFileSync(join(dir, 'src', 'last.ts'), ORIGINAL); // uncommitted fix: not part of the commit's review
    api.setScript([{ steps: [mock.text(answer([finding(dir)]))] }]);
    const { code, stdout } = await tandem(['--commit', sha.slice(0, 10), '--fail-on', 'P0'], dir);
    expect(code).toBe(0);
    expect(lastPrompt()).toContain(`Review the commit ${sha.slice(0, 7)}.`);
    expect(lastPrompt()).toContain('    2 +   return items[items.length];');
    expect(stdout).toContain('[P1] Reads past the end of the array');
  });

  it('drops findings off the changed lines or below the threshold and says how many', async () => {
    const dir = repository();
    writeFileSync(join(dir, 'src', 'last.ts'), BUGGY);
    const offLines = finding(dir, { title: 'Not changed here', code_location: { absolute_file_path: `${dir}/src/last.ts`, line_range: { start: 1, end: 1 } } });
    const elsewhere = finding(dir, { title: 'Some other file', code_location: { absolute_file_path: '/etc/passwd', line_range: { start: 1, end: 1 } } });
    const minor = finding(dir, { title: '[P3] Name it better', priority: 3 });
    api.setScript([{ steps: [mock.text(answer([offLines, elsewhere, minor, finding(dir)]))] }]);
    const { code, stdout, stderr } = await tandem(['--json', '--fail-on', 'P3'], dir);
    expect(code).toBe(1);
    expect((JSON.parse(stdout) as { findings: { title: string }[] }).findings.map((f) => f.title)).toEqual(['[P1] Reads past the end of the array']);
    expect(stderr).toContain('3 findings not shown: 2 outside the changed lines, 1 below P2.');
  });

  it('retries a malformed answer once, telling the model why', async () => {
    const dir = repository();
    writeFileSync(join(dir, 'src', 'last.ts'), BUGGY);
    api.setScript([{ steps: [mock.text('Looks fine to me!')] }, { steps: [mock.text(answer([finding(dir)]))] }]);
    const before = api.requests.length;
    const { code, stdout } = await tandem(['--json', '--fail-on', 'P1'], dir);
    expect(code).toBe(1);
    expect(api.requests.length - before).toBe(2);
    expect(JSON.stringify(api.requests.at(-1)?.body)).toContain('That answer is not a valid review: the answer is not JSON');
    expect((JSON.parse(stdout) as { findings: unknown[] }).findings).toHaveLength(1);
  });

  it('reports a review that is malformed twice (exit 3, nothing on stdout)', async () => {
    const dir = repository();
    writeFileSync(join(dir, 'src', 'last.ts'), BUGGY);
    api.setScript([{ steps: [mock.text('{"findings": "none"}')] }, { steps: [mock.text('{"findings": []}')] }]);
    const { code, stdout, stderr } = await tandem(['--json'], dir);
    expect(code).toBe(3);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/malformed twice \(overall_correctness is not a string\)/);
  });

  it('does not ask the model when there is nothing to review', async () => {
    const dir = repository();
    const before = api.requests.length;
    const { code, stdout } = await tandem(['--json'], dir);
    expect(code).toBe(0);
    expect(api.requests.length).toBe(before);
    expect(JSON.parse(stdout)).toMatchObject({ findings: [], overall_correctness: 'patch is correct' });
  });

  it('keeps terminal control sequences in model text away from the terminal', async () => {
    const dir = repository();
    writeFileSync(join(dir, 'src', 'last.ts'), BUGGY);
    api.setScript([{ steps: [mock.text(answer([finding(dir, { title: '[P1] Bug\u001b]0;owned\u0007\u001b[2J', body: 'x\u001b[31mred' })]))] }]);
    const { stdout } = await tandem([], dir);
    expect(stdout).toContain('[P1] Bug');
    expect(stdout).not.toContain('\u001b');
    expect(stdout).not.toContain('\u0007');
  });

  it.each([
    [['--staged', '--base', 'main'], /choose one of/],
    [['--base', '--output=/tmp/x'], /ambiguous/],
    [['--base=--output=/tmp/x'], /--base: "--output=\/tmp\/x" is not a branch/],
    [['--commit', 'a..b'], /is a range/],
    [['--fail-on', 'P9'], /--fail-on must be P0, P1, P2 or P3/],
    [['--max-findings', '0'], /--max-findings/],
    [['stray'], /positional/i],
  ])('usage errors exit 2: %j', async (args, message) => {
    const { code, stderr } = await tandem(args, repository());
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });

  it('outside a repository or with an unknown base: exit 3 with the reason', async () => {
    const outside = realpathSync(mkdtempSync(join(tmpdir(), 'tandem-review-norepo-')));
    const notRepo = await tandem([], outside);
    expect(notRepo.code).toBe(3);
    expect(notRepo.stderr).toMatch(/not inside a git repository/);
    const unknown = await tandem(['--base', 'nope'], repository());
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toMatch(/no commit named "nope"/);
  });

  it('an API failure is exit 3 with an actionable message', async () => {
    const dir = repository();
    writeFileSync(join(dir, 'src', 'last.ts'), BUGGY);
    api.setScript([mock.error(401, { code: 'invalid_api_key', message: 'Incorrect API key provided: test-key.' })]);
    const { code, stderr } = await tandem([], dir);
    expect(code).toBe(3);
    expect(stderr).toMatch(/API key/);
    expect(stderr).not.toContain('test-key');
  });
});
