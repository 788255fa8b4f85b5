// The Linux sandbox against real processes under bubblewrap: a normal build inside the workspace works,
// everything else is refused: writes outside the writable roots and into .git, reading a credential
// store, the network, escaping the PID namespace.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { CommandConfinement, ProcessRunner, RunningProcess, SandboxMode } from '../../../../src/core/ports';
import { createProcessRunner } from '../../../../src/node/createRunner';
import { describeWithBwrap, hostPidsRunning, runToEnd, start, tempDir, waitFor } from './sandboxTestUtils';

describeWithBwrap('bwrap sandbox', () => {
  const workspace = tempDir('tandem-sb-ws-');
  const outside = tempDir('tandem-sb-outside-', true);
  const home = tempDir('tandem-sb-home-', true);
  mkdirSync(join(workspace, '.git'));
  writeFileSync(join(workspace, '.git', 'config'), '[core]\n');
  mkdirSync(join(home, '.ssh'));
  writeFileSync(join(home, '.ssh', 'id_ed25519'), 'PRIVATE-KEY-MATERIAL\n');
  writeFileSync(join(home, '.netrc'), 'machine example.com password NETRC-SECRET\n');

  let settings: { mode: SandboxMode; network: boolean } = { mode: 'workspace-write', network: false };
  const runner: ProcessRunner = createProcessRunner({
    shell: '/bin/bash',
    sandbox: { settings: () => settings, approvalPolicy: () => 'auto', homeDir: home },
  });
  const run = (command: string, extra: { confinement?: CommandConfinement } = {}) =>
    runToEnd(runner, { command, cwd: workspace, workspaceRoots: [workspace], env: { HOME: home }, ...extra });

  let server: Server;
  let port = 0;
  beforeAll(async () => {
    server = createServer((socket) => socket.end('hello from the host\n'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => server.close());
  const started: RunningProcess[] = [];
  afterEach(() => {
    settings = { mode: 'workspace-write', network: false };
    for (const proc of started.splice(0)) proc.kill();
  });

  it('reports itself as enforced', () => {
    expect(runner.sandboxStatus?.()).toEqual({ state: 'enforced', mode: 'workspace-write', network: false, mechanism: 'bwrap' });
  });

  it('lets a normal build write in the workspace and in its private TMPDIR', async () => {
    const script = [
      'set -e',
      'mkdir -p build/gen',
      'echo "export const x = 1;" > build/gen/x.js',
      `node -e "const fs = require('fs'); fs.writeFileSync('build/out.txt', 'built'); fs.writeFileSync(process.env.TMPDIR + '/scratch.txt', 'tmp ok')"`,
      'cat "$TMPDIR/scratch.txt"; echo',
      'echo "tmpdir=$TMPDIR"',
      'echo hi > /tmp/plain-tmp.txt && cat /tmp/plain-tmp.txt',
    ].join('\n');
    writeFileSync(join(workspace, 'build.sh'), script);
    const result = await run('sh ./build.sh');
    expect(result.out).toContain('tmp ok');
    expect(result.out).toContain('tmpdir=/tmp');
    expect(result.code).toBe(0);
    expect(readFileSync(join(workspace, 'build', 'out.txt'), 'utf8')).toBe('built');
    expect(existsSync(join(workspace, 'build', 'gen', 'x.js'))).toBe(true);
  });

  it('refuses writes outside the writable roots', async () => {
    const result = await run(`touch ${outside}/escaped; echo data > $HOME/escaped`);
    expect(result.code).not.toBe(0);
    expect(result.out).toMatch(/Read-only file system/);
    expect(existsSync(join(outside, 'escaped'))).toBe(false);
    expect(existsSync(join(home, 'escaped'))).toBe(false);
  });

  it('keeps .git read-only inside the workspace', async () => {
    const result = await run('echo "[evil]" >> .git/config; touch .git/hooks-pre-commit; echo fine > notes.txt');
    expect(result.out).toMatch(/\.git\/config: Read-only file system/);
    expect(readFileSync(join(workspace, '.git', 'config'), 'utf8')).toBe('[core]\n');
    expect(existsSync(join(workspace, '.git', 'hooks-pre-commit'))).toBe(false);
    expect(readFileSync(join(workspace, 'notes.txt'), 'utf8')).toBe('fine\n');
  });

  it('hides credential stores under $HOME', async () => {
    const result = await run('ls -A ~/.ssh | wc -l; cat ~/.ssh/id_ed25519; cat ~/.netrc; echo listed');
    expect(result.out).toContain('listed');
    expect(result.out.split('\n')[0]).toBe('0');
    expect(result.out).toMatch(/id_ed25519: No such file or directory/);
    expect(result.out).not.toContain('PRIVATE-KEY-MATERIAL');
    expect(result.out).not.toContain('NETRC-SECRET');
    // and they cannot be planted either
    expect((await run('echo key >> ~/.ssh/authorized_keys')).out).toMatch(/Read-only file system/);
  });

  const connect = `node -e "require('net').connect(${'PORT'}, '127.0.0.1').on('data', (d) => { process.stdout.write('GOT ' + d); process.exit(0); }).on('error', (e) => { console.log('ERR ' + e.code); process.exit(3); })"`;

  it('has no network unless it is turned on', async () => {
    const command = connect.replace('PORT', String(port));
    const blocked = await run(command);
    expect(blocked.out).toMatch(/ERR E(CONNREFUSED|NETUNREACH)/);
    expect(blocked.code).toBe(3);
    settings = { mode: 'workspace-write', network: true };
    const allowed = await run(command);
    expect(allowed.out).toContain('GOT hello from the host');
    expect(allowed.code).toBe(0);
  });

  it('kills everything it started with the session, even a process that left the process group', async () => {
    const { proc, out } = start(runner, { command: 'setsid sleep 987654 & echo started; sleep 1000', cwd: workspace, workspaceRoots: [workspace] });
    started.push(proc);
    await waitFor(() => out().includes('started') && hostPidsRunning(['sleep', '987654']).length > 0, 'the detached sleep');
    proc.kill();
    expect(await proc.exited).toBeGreaterThanOrEqual(128);
    await waitFor(() => hostPidsRunning(['sleep', '987654']).length === 0, 'the detached sleep to die with the sandbox');
  });

  it('delivers Ctrl-C to the command (which may handle it), not to bwrap', async () => {
    const { proc, out } = start(runner, { command: `trap 'echo caught' INT; echo ready; sleep 5 & wait; echo still-running`, cwd: workspace, workspaceRoots: [workspace] });
    started.push(proc);
    await waitFor(() => out().includes('ready'), 'ready');
    proc.write('\u0003');
    expect(await proc.exited).toBe(0);
    expect(out()).toMatch(/caught\nstill-running\n/);
    const plain = start(runner, { command: 'echo ready; sleep 100', cwd: workspace, workspaceRoots: [workspace] });
    started.push(plain.proc);
    await waitFor(() => plain.out().includes('ready'), 'ready');
    plain.proc.write('\u0003');
    expect(await plain.proc.exited).toBe(128 + 2);
  });

  it('in read-only mode writes nothing but its temp dir', async () => {
    settings = { mode: 'read-only', network: false };
    const result = await run('echo tmp > "$TMPDIR/ok" && cat "$TMPDIR/ok"; echo nope > ro.txt');
    expect(result.out).toContain('tmp');
    expect(result.out).toMatch(/ro\.txt: Read-only file system/);
    expect(existsSync(join(workspace, 'ro.txt'))).toBe(false);
  });

  it('confines commands the same way through pipes, where node-pty cannot load', async () => {
    const pipes = createProcessRunner({
      shell: '/bin/bash',
      loadPty: () => {
        throw new Error('no pty');
      },
      sandbox: { settings: () => settings, approvalPolicy: () => 'auto', homeDir: home },
    });
    const result = await runToEnd(pipes, { command: `echo ok > piped.txt; cat ~/.ssh/id_ed25519; touch ${outside}/piped; echo "tty: $(tty)"`, cwd: workspace, workspaceRoots: [workspace], env: { HOME: home } });
    expect(readFileSync(join(workspace, 'piped.txt'), 'utf8')).toBe('ok\n');
    expect(result.out).toMatch(/Read-only file system/);
    expect(result.out).toContain('tty: not a tty');
    expect(result.out).not.toContain('PRIVATE-KEY-MATERIAL');
    expect(existsSync(join(outside, 'piped'))).toBe(false);
  });

  it('runs outside the sandbox only when asked to (after an approved escalation)', async () => {
    // (prints something: node-pty sometimes reports SIGHUP for a command that exits at once, silently)
    const result = await run(`touch ${outside}/approved && echo approved-run`, { confinement: 'unconfined' });
    expect(result).toEqual({ code: 0, out: 'approved-run\n' });
    expect(existsSync(join(outside, 'approved'))).toBe(true);
  });
});
