// `tandem exec --mcp-config FILE` as a user runs it: the bundled CLI in a child process, the mock model
// calling the fixture MCP server's tools (test/fixtures/mcp/fixtureServer.ts). The workspace's own MCP
// files load only with --trust-workspace-mcp (never because of --approval: mcpWorkspaceTrust.test.ts);
// exec cannot ask, so calls that need approval are denied.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mock, startMockOpenAI, type MockOpenAI } from '../../fixtures/mockOpenAI';

const FIXTURE = join(__dirname, '../../fixtures/mcp/fixtureServer.ts');
let cli: string;
let api: MockOpenAI;

beforeAll(async () => {
  const out = mkdtempSync(join(tmpdir(), 'tandem-cli-mcp-build-'));
  cli = join(out, 'cli.js');
  await esbuild.build({ entryPoints: ['src/cli.ts'], outfile: cli, bundle: true, platform: 'node', format: 'cjs', external: ['node-pty'], logLevel: 'silent' });
  api = await startMockOpenAI();
});
afterAll(async () => api.close());

function tandem(args: string[], cwd: string): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd, env: { ...process.env, OPENAI_API_KEY: 'test-key-for-mcp-cli', HOME: cwd } });
    let stderr = '';
    child.stdin.end('');
    child.stdout.resume();
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stderr }));
  });
}

function workspace(files: Record<string, unknown>): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'tandem-cli-mcp-')));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), JSON.stringify(content));
  }
  return dir;
}

const fixture = { command: process.execPath, args: [FIXTURE] };
const outputs = () => JSON.stringify(api.requests.at(-1)?.body);

describe('tandem exec --mcp-config', () => {
  it('offers the servers\' tools and runs a call --approval full-access allows', async () => {
    const ws = workspace({ 'mcp.json': { servers: { fx: { type: 'stdio', ...fixture } } } });
    api.requests.length = 0;
    api.setScript([{ steps: [mock.call('mcp__fx__echo', { text: 'from the cli' }, 'c1')] }, { steps: [mock.text('done')] }]);
    const { code } = await tandem(['exec', '--base-url', api.baseUrl, '--model', 'm', '--approval', 'full-access', '--mcp-config', 'mcp.json', '--cd', ws, 'go'], ws);
    expect(code).toBe(0);
    const tools = (api.requests[0]!.body as { tools: { name: string }[] }).tools.map((t) => t.name);
    expect(tools).toEqual(expect.arrayContaining(['mcp__fx__echo', 'mcp__fx__status', 'mcp__fx__slow']));
    expect(outputs()).toContain('echo: from the cli');
  });

  it('in read-only mode loads the named file, denies calls that need approval, and leaves the workspace files alone', async () => {
    const ws = workspace({ 'given.json': { mcpServers: { fx: fixture } }, '.vscode/mcp.json': { servers: { evil: { type: 'stdio', command: 'touch', args: ['pwned'] } } } });
    api.requests.length = 0;
    api.setScript([{ steps: [mock.call('mcp__fx__echo', { text: 'should not run' }, 'c1')] }, { steps: [mock.text('done')] }]);
    const { code, stderr } = await tandem(['exec', '--base-url', api.baseUrl, '--model', 'm', '--mcp-config', join(ws, 'given.json'), '--cd', ws, 'go'], ws);
    expect(code).toBe(0);
    expect(stderr).toContain('.vscode/mcp.json not loaded: servers a workspace defines run outside the sandbox with your permissions; pass --trust-workspace-mcp');
    const tools = (api.requests[0]!.body as { tools: { name: string }[] }).tools.map((t) => t.name);
    expect(tools.some((t) => t.startsWith('mcp__evil'))).toBe(false);
    expect(existsSync(join(ws, 'pwned'))).toBe(false);
    expect(outputs()).toContain('tandem exec cannot ask for approval');
    expect(outputs()).not.toContain('echo: should not run');
  });

  it('loads the workspace\'s .mcp.json only with --trust-workspace-mcp, and runs its read-only-hinted tool in auto', async () => {
    const ws = workspace({ '.mcp.json': { mcpServers: { local: fixture } } });
    api.requests.length = 0;
    api.setScript([{ steps: [mock.text('done')] }]);
    const refused = await tandem(['exec', '--base-url', api.baseUrl, '--model', 'm', '--approval', 'auto', '--cd', ws, 'go'], ws);
    expect(refused.code).toBe(0);
    expect(refused.stderr).toContain('.mcp.json not loaded');
    expect((api.requests[0]!.body as { tools: { name: string }[] }).tools.some((t) => t.name.startsWith('mcp__local'))).toBe(false);
    api.requests.length = 0;
    api.setScript([{ steps: [mock.call('mcp__local__status', {}, 'c1')] }, { steps: [mock.text('done')] }]);
    const { code, stderr } = await tandem(['exec', '--base-url', api.baseUrl, '--model', 'm', '--approval', 'auto', '--trust-workspace-mcp', '--cd', ws, 'go'], ws);
    expect(code).toBe(0);
    expect(stderr).not.toContain('not loaded');
    expect(outputs()).toContain('status: all good');
  });

  it('notes servers that cannot start (an input exec cannot ask for, an unknown type) and still runs the turn', async () => {
    const ws = workspace({ 'mcp.json': { inputs: [{ id: 'tok', type: 'promptString', password: true }], servers: { needs: { ...fixture, env: { T: '${input:tok}' } }, odd: { type: 'carrier-pigeon' } } } });
    api.requests.length = 0;
    api.setScript([{ steps: [mock.text('done')] }]);
    const { code, stderr } = await tandem(['exec', '--base-url', api.baseUrl, '--model', 'm', '--mcp-config', 'mcp.json', '--cd', ws, 'go'], ws);
    expect(code).toBe(0);
    expect(stderr).toContain('MCP server "needs" not started: input "tok" can only be asked in VS Code');
    expect(stderr).toContain('unknown type "carrier-pigeon"');
  });

  it('fails with a clear message when the named file cannot be read', async () => {
    const ws = workspace({});
    const { code, stderr } = await tandem(['exec', '--base-url', api.baseUrl, '--model', 'm', '--mcp-config', 'missing.json', '--cd', ws, 'go'], ws);
    expect(code).toBe(1);
    expect(stderr).toMatch(/--mcp-config: cannot read .*missing\.json: ENOENT/);
  });
});
