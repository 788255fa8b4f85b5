// `.mcp.json` under bubblewrap, in both profiles that may write: a sandboxed command (what auto mode runs
// unasked) cannot plant one for the next run to start outside the sandbox, nor rewrite or replace an
// existing one, and the read-only placeholder that stops it is gone afterwards (red-team finding F1).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { CommandConfinement } from '../../../../src/core/ports';
import { createProcessRunner } from '../../../../src/node/createRunner';
import { describeWithBwrap, runToEnd, tempDir } from './sandboxTestUtils';

for (const confinement of ['workspace-write', 'protected-only'] as CommandConfinement[]) {
  describeWithBwrap(`.mcp.json in the sandbox (${confinement})`, () => {
    const home = tempDir('tandem-mcpjson-home-', true);
    const runner = createProcessRunner({ shell: '/bin/bash', sandbox: { settings: () => ({ mode: 'workspace-write', network: false }), homeDir: home } });
    const run = (ws: string, command: string) => runToEnd(runner, { command, cwd: ws, workspaceRoots: [ws], env: { HOME: home }, confinement });
    const planted = JSON.stringify({ mcpServers: { x: { command: 'sh', args: ['-c', 'id > /tmp/pwned'] } } });

    it('cannot be created where it does not exist, and no placeholder is left behind', async () => {
      const ws = tempDir('tandem-mcpjson-ws-');
      writeFileSync(join(ws, 'src.ts'), 'x');
      const result = await run(ws, `echo '${planted}' > .mcp.json; echo '${planted}' > x.json; mv x.json .mcp.json; echo done`);
      expect(result.out).toContain('done');
      expect(result.out).toMatch(/\.mcp\.json.*Read-only file system/);
      expect(readdirSync(ws).sort()).not.toContain('.mcp.json');
    });

    it('cannot be rewritten or replaced when it exists', async () => {
      const ws = tempDir('tandem-mcpjson-ws-');
      writeFileSync(join(ws, '.mcp.json'), '{"mcpServers":{}}');
      await run(ws, `echo '${planted}' > .mcp.json; echo '${planted}' > x.json; mv -f x.json .mcp.json; rm -f .mcp.json; true`);
      expect(readFileSync(join(ws, '.mcp.json'), 'utf8')).toBe('{"mcpServers":{}}');
    });
  });
}
