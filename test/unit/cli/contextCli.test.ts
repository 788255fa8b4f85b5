// The CLI contract of issue 13 on the bundled CLI in a child process, against the mock over real HTTP:
// `--context-window` makes a long task compact (and `--json` prints `context.compacted`), `--max-steps`
// pauses a turn with a Continue action, `--resume SESSION_ID` continues a logged conversation.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { estimateTextTokens } from '../../../src/core/compaction/tokens';
import { mock, startMockOpenAI, type MockOpenAI } from '../../fixtures/mockOpenAI';
import { AGENTS_MARKER, FINAL_ANSWER, isCompactRequest, isSummaryRequest, longSessionFiles, longSessionScript, respondToSummaries } from '../../fixtures/longSessionScript';

let cli: string;
let api: MockOpenAI;

beforeAll(async () => {
  const out = mkdtempSync(join(tmpdir(), 'tandem-cli-build-'));
  cli = join(out, 'cli.js');
  await esbuild.build({ entryPoints: ['src/cli.ts'], outfile: cli, bundle: true, platform: 'node', format: 'cjs', external: ['node-pty'], logLevel: 'silent' });
  api = await startMockOpenAI({ respond: respondToSummaries, usageFromBody: true });
});
afterAll(async () => api.close());

function tandem(args: string[], home: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: tmpdir(), env: { ...process.env, OPENAI_API_KEY: 'test-key', HOME: home } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdin.end('');
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

const parse = (stdout: string) => stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown> & { type: string });

describe('tandem exec context contract', () => {
  it.each(['responses', 'chat'] as const)('--context-window compacts a long task and --json prints context.compacted (%s)', async (wireApi) => {
    const dir = mkdtempSync(join(tmpdir(), 'tandem-cli-ctx-'));
    for (const [name, text] of Object.entries(longSessionFiles({ steps: 12, wireApi }))) writeFileSync(join(dir, name), text);
    api.requests.length = 0;
    api.setScript(longSessionScript({ steps: 12, wireApi }));
    const home = mkdtempSync(join(tmpdir(), 'tandem-cli-home-'));
    const args = ['exec', '--json', '--approval', 'full-access', '--sandbox', 'off', '--base-url', api.baseUrl, '--wire-api', wireApi, '--model', 'm'];
    const { code, stdout, stderr } = await tandem([...args, '--context-window', '10000', '--cd', dir, 'review the chunks'], home);
    expect(stderr).not.toMatch(/error:/);
    expect(code).toBe(0);
    const events = parse(stdout);
    const compacted = events.filter((e) => e.type === 'context.compacted');
    expect(compacted.length).toBeGreaterThan(0);
    expect(compacted[0]).toMatchObject({ count: 1, reason: 'auto', summary: expect.stringContaining('Summary:') });
    expect(events.at(-1)).toMatchObject({ type: 'turn.completed', stopped: false });
    expect(events.some((e) => e.type === 'message.completed' && e.text === FINAL_ANSWER)).toBe(true);
    for (const request of api.requests) expect(estimateTextTokens(request.rawBody)).toBeLessThanOrEqual(10_000);
    // This mock has no compact endpoint: a Responses session asks once (404), then summarises itself.
    expect(api.requests.filter(isCompactRequest)).toHaveLength(wireApi === 'responses' ? 1 : 0);
    for (const request of api.requests.filter((r) => !isSummaryRequest(r.body as Record<string, unknown>) && !isCompactRequest(r))) expect(request.rawBody).toContain(AGENTS_MARKER.slice(0, 20));

    // Without the override the model id's window (128k for an unknown id) holds the whole task: no compaction.
    api.setScript(longSessionScript({ steps: 12, wireApi }));
    const roomy = parse((await tandem([...args, '--cd', dir, 'review the chunks'], home)).stdout);
    expect(roomy.filter((e) => e.type === 'context.compacted')).toHaveLength(0);
  }, 30_000);

  it('--max-steps pauses the turn with a Continue action; --resume continues the logged session', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tandem-cli-ctx-'));
    writeFileSync(join(dir, 'a.txt'), 'alpha\n');
    const home = mkdtempSync(join(tmpdir(), 'tandem-cli-home-'));
    api.requests.length = 0;
    api.setScript([
      { steps: [mock.call('exec_command', { cmd: 'cat a.txt' })] },
      { steps: [mock.call('exec_command', { cmd: 'wc -l a.txt' })] },
      { steps: [mock.text('unused')] },
    ]);
    const base = ['exec', '--json', '--approval', 'full-access', '--sandbox', 'off', '--base-url', api.baseUrl, '--model', 'm'];
    const first = await tandem([...base, '--max-steps', '2', '--cd', dir, 'count the lines of a.txt'], home);
    expect(first.code).toBe(1);
    expect(parse(first.stdout).at(-1)).toMatchObject({ type: 'turn.failed', error: { code: 'limit', action: { label: 'Continue', command: 'continue' } } });
    expect(api.requests).toHaveLength(2);

    const [log] = readdirSync(join(home, '.tandem', 'sessions'));
    const sessionId = log!.replace(/\.jsonl$/, '');
    api.requests.length = 0;
    api.setScript([{ steps: [mock.text('a.txt has 1 line.')] }]);
    const resumed = await tandem(['exec', '--json', '--approval', 'full-access', '--sandbox', 'off', '--base-url', api.baseUrl, '--resume', sessionId, 'continue'], home);
    expect(resumed.code).toBe(0);
    const body = api.requests[0]!.rawBody;
    expect(body).toContain('count the lines of a.txt'); // the earlier turn is in the context
    expect(body).toContain('alpha'); // and its tool output
    expect((api.requests[0]!.body as { model: string }).model).toBe('m'); // the logged model
    expect(readdirSync(join(home, '.tandem', 'sessions'))).toEqual([log]); // appended to the same log

    const missing = await tandem(['exec', '--base-url', api.baseUrl, '--resume', 'no-such-session', 'hi'], home);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--resume: no session no-such-session/);
    const bad = await tandem(['exec', '--base-url', api.baseUrl, '--resume', '../etc/passwd', 'hi'], home);
    expect(bad.code).toBe(2);
    expect((await tandem(['exec', '--max-steps', '0', 'hi'], home)).code).toBe(2);
  }, 30_000);
});
