// Host Unix sockets from inside the sandbox, with real bwrap and real listeners. A new network namespace
// does not cut Unix sockets on the file system: the red team's `git status` filter driver, running in the
// read-only profile, sent data to a listener under /run (where the D-Bus system bus, containerd and snapd
// listen). Profiles without network must reach none of them; with the network on, the user's runtime dir
// (/run/user/<uid>, also when XDG_RUNTIME_DIR is unset) and the D-Bus directory stay out of reach.
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createProcessRunner } from '../../../../src/node/createRunner';
import type { CommandConfinement } from '../../../../src/core/ports';
import { describeWithBwrap, runToEnd, tempDir } from './sandboxTestUtils';

interface Listener {
  path: string;
  server: Server;
  /** Bytes received over every connection so far. */
  received: () => string;
}

const created: string[] = [];
const listeners: Listener[] = [];

async function listen(socketPath: string): Promise<Listener> {
  let data = '';
  const server = createServer((socket) => socket.on('data', (chunk) => (data += chunk.toString())));
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(socketPath, resolve));
  const listener = { path: socketPath, server, received: () => data };
  listeners.push(listener);
  return listener;
}

/** `dir` made for the test (with its missing parents), removed afterwards; false when we may not. */
function makeDir(dir: string): boolean {
  let top: string | undefined;
  for (let d = dir; !existsSync(d); d = join(d, '..')) top = d;
  try {
    mkdirSync(dir, { recursive: true });
  } catch {
    return false;
  }
  if (top) created.push(top);
  return true;
}

const uid = process.getuid!();
const tag = `tandem-test-${process.pid}`;
let top: Listener | undefined; // /run/<tag>.sock (root only)
let nested: Listener | undefined; // /run/<tag>/bus/socket, shaped like /run/dbus/system_bus_socket
let userRun: Listener | undefined; // /run/user/<uid>/<tag>.sock

beforeAll(async () => {
  if (makeDir(`/run/${tag}/bus`)) {
    top = await listen(`/run/${tag}.sock`);
    nested = await listen(`/run/${tag}/bus/socket`);
  }
  if (makeDir(`/run/user/${uid}`)) userRun = await listen(`/run/user/${uid}/${tag}.sock`);
});

afterAll(async () => {
  for (const listener of listeners.splice(0)) await new Promise((resolve) => listener.server.close(resolve));
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
  rmSync(`/run/${tag}.sock`, { force: true });
});

/** A node one-liner that connects to `socketPath`, sends a line and prints CONNECTED or the error code. */
function connectCommand(socketPath: string): string {
  const script = 'const s=require("net").connect(process.argv[1]);s.on("connect",()=>{s.end("sent-from-sandbox");console.log("CONNECTED")});s.on("error",e=>{console.log("REFUSED "+e.code);process.exitCode=3})';
  return `'${process.execPath}' -e '${script}' '${socketPath}'`;
}

describeWithBwrap('host Unix sockets under /run', () => {
  const ws = tempDir('tandem-sockets-ws-');
  const runner = (network: boolean) => createProcessRunner({ shell: '/bin/bash', sandbox: { settings: () => ({ mode: 'workspace-write', network }), tempDir: tempDir('tandem-sockets-tmp-') } });
  const run = (confinement: CommandConfinement, command: string, network = false) => runToEnd(runner(network), { command, cwd: ws, workspaceRoots: [ws], confinement });
  const available = () => [top, nested, userRun].filter((l): l is Listener => l !== undefined);

  it('has listeners to aim at, reachable from full access (the control: each one works)', async () => {
    // /run/user/<uid> can be made by root or exists for a logged-in user; /run itself needs root.
    expect(available().length).toBeGreaterThan(0);
    for (const listener of available()) {
      const result = await run('protected-only', connectCommand(listener.path));
      expect(result.out, listener.path).toMatch(/^CONNECTED$/m);
    }
  });

  it.each<[CommandConfinement, boolean]>([
    ['read-only', false],
    ['read-only', true], // the setting is ignored: read-only never has the network
    ['workspace-write', false],
  ])('%s (network setting %s) reaches none of them, and basic commands still work', async (confinement, network) => {
    const before = available().map((l) => l.received());
    for (const listener of available()) {
      const result = await run(confinement, connectCommand(listener.path), network);
      expect(result.out, listener.path).toMatch(/^REFUSED (ENOENT|EACCES|ECONNREFUSED)$/m);
      expect(result.out).not.toMatch(/^CONNECTED$/m);
    }
    expect(available().map((l) => l.received())).toEqual(before);
    const basics = await run(confinement, 'getent hosts localhost && ls /run && echo ok', network);
    expect(basics.out).toMatch(/127\.0\.0\.1|::1/);
    expect(basics.out).toContain('ok');
    expect(basics.out).not.toContain(tag);
  });

  it('with the network on, still hides /run/user/<uid> whatever XDG_RUNTIME_DIR says', async () => {
    if (!userRun) throw new Error(`could not make /run/user/${uid} for the test`);
    const before = userRun.received();
    const saved = process.env.XDG_RUNTIME_DIR;
    delete process.env.XDG_RUNTIME_DIR;
    try {
      const result = await run('workspace-write', connectCommand(userRun.path), true);
      expect(result.out).toMatch(/^REFUSED \w+$/m);
    } finally {
      if (saved !== undefined) process.env.XDG_RUNTIME_DIR = saved;
    }
    expect(userRun.received()).toBe(before);
  });
});
