// Red-team finding F2: the user's own MCP servers (`tandem.mcp.servers`, `tandem exec --mcp-config`) are
// trusted, the workspace is not. Started with cwd = the workspace, a definition as ordinary as
// `python3 -m mcp_server_fetch` or `node -r ./plugin.cjs server.js` runs the repository's code outside the
// sandbox, without consent, even in read-only mode. Only workspace-defined servers start in the workspace;
// the user's start where their definition says (relative: from the home directory), else in the home.
import { existsSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { McpConfigSource, StdioServerConfig } from '../../../src/core/mcp/config';
import { McpManager } from '../../../src/node/mcp/mcpManager';
import { prepareServer } from '../../../src/node/mcp/serverLaunch';

const FIXTURE = join(__dirname, '../../fixtures/mcp/fixtureServer.ts');
const dir = (prefix: string) => realpathSync(mkdtempSync(join(tmpdir(), prefix)));
const server = (source: McpConfigSource, fields: Partial<StdioServerConfig> = {}): StdioServerConfig => ({ name: 'fx', source, origin: 'test', type: 'stdio', command: process.execPath, args: [FIXTURE], env: {}, ...fields });
const hasPython = (() => {
  try {
    return require('node:child_process').spawnSync('python3', ['-c', 'pass']).status === 0;
  } catch {
    return false;
  }
})();

let manager: McpManager | undefined;
afterEach(async () => {
  await manager?.dispose();
  manager = undefined;
});

describe('where an MCP server starts', () => {
  it.each<McpConfigSource>(['user', 'cli'])('a %s server starts in the home directory, not the workspace', async (source) => {
    const ws = dir('tandem-clone-');
    const home = dir('tandem-home-');
    expect(await prepareServer(server(source), { workspaceFolder: ws, userHome: home })).toMatchObject({ ok: true, value: { cwd: home } });
    expect(await prepareServer(server(source, { cwd: 'tools' }), { workspaceFolder: ws, userHome: home })).toMatchObject({ ok: true, value: { cwd: join(home, 'tools') } });
    expect(await prepareServer(server(source, { cwd: '/opt/srv' }), { workspaceFolder: ws, userHome: home })).toMatchObject({ ok: true, value: { cwd: '/opt/srv' } });
    // The user may still name the workspace explicitly.
    expect(await prepareServer(server(source, { cwd: '${workspaceFolder}/sub' }), { workspaceFolder: ws, userHome: home })).toMatchObject({ ok: true, value: { cwd: join(ws, 'sub') } });
  });

  it('a workspace server starts in its workspace folder (relative cwd from there), as in VS Code', async () => {
    const ws = dir('tandem-clone-');
    const home = dir('tandem-home-');
    expect(await prepareServer(server('workspace'), { workspaceFolder: ws, userHome: home })).toMatchObject({ ok: true, value: { cwd: ws } });
    expect(await prepareServer(server('workspace', { cwd: 'tools' }), { workspaceFolder: ws, userHome: home })).toMatchObject({ ok: true, value: { cwd: join(ws, 'tools') } });
  });

  it('a user server\'s relative envFile is read from the home directory, never the workspace\'s', async () => {
    const ws = dir('tandem-clone-');
    const home = dir('tandem-home-');
    writeFileSync(join(ws, '.env'), 'NODE_OPTIONS=--require ./evil.cjs\n');
    writeFileSync(join(home, '.env'), 'TOKEN=mine\n');
    expect(await prepareServer(server('user', { envFile: '.env' }), { workspaceFolder: ws, userHome: home })).toMatchObject({ ok: true, value: { env: { TOKEN: 'mine' } } });
  });

  it('the repository\'s code is not loaded by the user\'s `node -r ./plugin.cjs` server', async () => {
    const ws = dir('tandem-clone-');
    const canary = join(dir('tandem-canary-'), 'ran');
    writeFileSync(join(ws, 'plugin.cjs'), `require('fs').writeFileSync(${JSON.stringify(canary)}, process.cwd())`);
    const home = dir('tandem-home-');
    const prepared = await prepareServer(server('cli', { args: ['-r', './plugin.cjs', FIXTURE] }), { workspaceFolder: ws, userHome: home });
    manager = new McpManager({ timeouts: { startMs: 10_000 } });
    await manager.start([(prepared as { value: StdioServerConfig }).value]);
    expect(existsSync(canary)).toBe(false);
    expect(manager.states()[0]).toMatchObject({ status: 'failed' });
  });

  it.skipIf(!hasPython)('the repository\'s module is not imported by the user\'s `python3 -m mcp_server_fetch` server', async () => {
    const ws = dir('tandem-clone-');
    const canary = join(dir('tandem-canary-'), 'ran');
    writeFileSync(join(ws, 'mcp_server_fetch.py'), `open(${JSON.stringify(canary)}, 'w').write('repository code ran')\n`);
    const prepared = await prepareServer(server('cli', { command: 'python3', args: ['-m', 'mcp_server_fetch'] }), { workspaceFolder: ws, userHome: dir('tandem-home-') });
    manager = new McpManager({ timeouts: { startMs: 10_000 } });
    await manager.start([(prepared as { value: StdioServerConfig }).value]);
    expect(manager.states()[0]).toMatchObject({ status: 'failed' });
    expect(existsSync(canary)).toBe(false);
  });
});
