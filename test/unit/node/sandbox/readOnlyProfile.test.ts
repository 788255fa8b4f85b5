// The read-only profile against real commands under bubblewrap: what runs unasked because the classifier
// judged it read-only cannot write (the workspace included), reach the network (even with the network
// setting on), read editor data or histories, or make git run a malicious repository's programs.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CommandConfinement, ProcessRunner } from '../../../../src/core/ports';
import { createProcessRunner } from '../../../../src/node/createRunner';
import { describeWithBwrap, runToEnd, tempDir } from './sandboxTestUtils';

describeWithBwrap('read-only profile', () => {
  const workspace = tempDir('tandem-ro-ws-');
  const outside = tempDir('tandem-ro-outside-', true);
  const home = tempDir('tandem-ro-home-', true);
  writeFileSync(join(workspace, 'README.md'), 'hello\n');
  for (const dir of ['.config/Code/User', '.local/share/code-server/User', '.config/Cursor/User', '.vscode-server/data/User']) {
    mkdirSync(join(home, dir), { recursive: true });
    writeFileSync(join(home, dir, 'settings.json'), '{"token":"EDITOR-SECRET"}\n');
  }
  for (const file of ['.bash_history', '.zsh_history', '.python_history', '.node_repl_history', '.psql_history']) writeFileSync(join(home, file), 'export API_KEY=HISTORY-SECRET\n');

  // Network on in the settings: read-only commands still get none.
  const runner: ProcessRunner = createProcessRunner({ shell: '/bin/bash', sandbox: { settings: () => ({ mode: 'workspace-write', network: true }), homeDir: home } });
  const run = (command: string, cwd = workspace, confinement: CommandConfinement = 'read-only') =>
    runToEnd(runner, { command, cwd, workspaceRoots: [workspace], env: { HOME: home }, confinement });

  let server: Server;
  let port = 0;
  beforeAll(async () => {
    server = createServer((socket) => socket.end('hello from the host\n'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => server.close());

  it('cannot write the workspace or a canary outside it, only its private temp dir', async () => {
    const result = await run(`echo x > canary.txt; echo x >> README.md; touch ${outside}/canary; mkdir newdir; echo t > "$TMPDIR/t" && echo tmp-ok`);
    expect(result.out.match(/Read-only file system/g)?.length).toBeGreaterThanOrEqual(4);
    expect(result.out).toContain('tmp-ok');
    expect(readdirSync(workspace).filter((n) => !n.startsWith('repo'))).toEqual(['README.md']);
    expect(readdirSync(outside)).toEqual([]);
  });

  it('cannot reach a local TCP server, though the workspace-write profile can (network on)', async () => {
    const connect = `node -e "require('net').connect(${port}, '127.0.0.1').on('data', (d) => { process.stdout.write('GOT ' + d); process.exit(0); }).on('error', (e) => { console.log('ERR ' + e.code); process.exit(3); })"`;
    const blocked = await run(connect);
    expect(blocked.out).toMatch(/ERR E(CONNREFUSED|NETUNREACH)/);
    expect(blocked.code).toBe(3);
    const allowed = await run(connect, workspace, 'workspace-write');
    expect(allowed.out).toContain('GOT hello from the host');
  });

  it('shows editor data dirs and shell histories empty', async () => {
    const result = await run('for d in .config/Code .local/share/code-server .config/Cursor .vscode-server/data; do echo "$d: $(ls -A ~/$d | wc -l)"; done; cat ~/.config/Code/User/settings.json ~/.bash_history ~/.zsh_history ~/.python_history ~/.node_repl_history ~/.psql_history; echo end');
    expect(result.out).toContain('.config/Code: 0');
    expect(result.out).toContain('.local/share/code-server: 0');
    expect(result.out).toContain('.config/Cursor: 0');
    expect(result.out).toContain('.vscode-server/data: 0');
    expect(result.out).toContain('end');
    expect(result.out).not.toContain('EDITOR-SECRET');
    expect(result.out).not.toContain('HISTORY-SECRET');
  });

  it("does not run a malicious repository's fsmonitor, pager or hooks from `git status` / `git log`", async () => {
    const repo = join(workspace, 'repo');
    mkdirSync(repo);
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, env: { ...process.env, HOME: home, GIT_CONFIG_NOSYSTEM: '1' } });
    git('init', '-q');
    writeFileSync(join(repo, 'f.txt'), 'a\n');
    git('add', 'f.txt');
    git('-c', 'user.email=a@b', '-c', 'user.name=a', 'commit', '-qm', 'init');
    const evil = join(repo, 'evil.sh');
    // Inside the read-only sandbox the canary cannot be written anyway; the evidence that the program ran
    // at all is its output, so it prints a marker too.
    writeFileSync(evil, `#!/bin/sh\necho RAN-EVIL-PROGRAM >&2\necho RAN-EVIL-PROGRAM\ntouch ${outside}/fsmonitor-canary\n`);
    chmodSync(evil, 0o755);
    git('config', 'core.fsmonitor', evil);
    git('config', 'core.pager', evil);
    git('config', 'pager.status', evil);
    git('config', 'pager.log', evil);
    git('config', 'core.hooksPath', join(repo, 'hooks'));
    writeFileSync(join(repo, 'f.txt'), 'b\n');
    // Sanity: outside the sandbox, without the overrides, this repository does run its program.
    const unprotected = execFileSync('git', ['status'], { cwd: repo, env: { ...process.env, HOME: home }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(existsSync(join(outside, 'fsmonitor-canary'))).toBe(true);
    expect(unprotected).toBeDefined();
    execFileSync('rm', ['-f', join(outside, 'fsmonitor-canary')]);

    // In a terminal (so git would page), auto-approved in the read-only profile:
    const result = await run('git status; git log -1 --oneline; git -c color.ui=never status --short; echo done', repo);
    expect(result.out).toContain('done');
    expect(result.out).toMatch(/modified: +f\.txt/);
    expect(result.out).not.toContain('RAN-EVIL-PROGRAM');
    expect(existsSync(join(outside, 'fsmonitor-canary'))).toBe(false);
    // The overrides are what stops it: the workspace-write profile (no overrides) runs it, still confined.
    const writer = await run('git status; echo done', repo, 'workspace-write');
    expect(writer.out).toContain('RAN-EVIL-PROGRAM');
    expect(existsSync(join(outside, 'fsmonitor-canary'))).toBe(false);
  });
});
