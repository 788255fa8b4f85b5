// Shared plumbing for the E2E flows and the extension-host runners: repo paths, a temp root that keeps
// every profile, socket and log out of $HOME, process groups that are always killed, condition waits.
import { spawn } from 'node:child_process';
import type { ChildProcess, SpawnOptions } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');
export const RESULTS_DIR = path.join(REPO_ROOT, 'test-results');

const started = Date.now();
/** `[12.3s] message`: elapsed time since this process started. */
export function log(...parts: unknown[]): void {
  console.log(`[${((Date.now() - started) / 1000).toFixed(1)}s]`, ...parts);
}

/**
 * A fresh directory for this run. Under $TANDEM_TMP_ROOT when scripts/test.sh set it, else the OS temp dir.
 * Also points XDG_CONFIG_HOME / XDG_DATA_HOME / XDG_CACHE_HOME / TMPDIR into it (unless already set by
 * scripts/test.sh), so code-server, Chromium and their children never write into $HOME.
 */
export function createTempRoot(name: string): string {
  const base = process.env.TANDEM_TMP_ROOT ?? os.tmpdir();
  fs.mkdirSync(base, { recursive: true });
  const root = fs.mkdtempSync(path.join(base, `${name}-`));
  const defaults: Record<string, string> = {
    XDG_CONFIG_HOME: path.join(root, 'xdg-config'),
    XDG_DATA_HOME: path.join(root, 'xdg-data'),
    XDG_CACHE_HOME: path.join(root, 'xdg-cache'),
    TMPDIR: path.join(root, 'tmp'),
  };
  for (const [key, value] of Object.entries(defaults)) {
    if (!process.env.TANDEM_TMP_ROOT || !process.env[key]) {
      fs.mkdirSync(value, { recursive: true });
      process.env[key] = value;
    }
  }
  return root;
}

/**
 * Removes a temp root made by createTempRoot after a passing run (kept on failure for its logs, and when
 * TANDEM_KEEP_TMP=1). Under scripts/test.sh the script cleans its whole temp root itself.
 */
export function finishTempRoot(root: string, ok: boolean): void {
  if (ok && !process.env.TANDEM_KEEP_TMP && !process.env.TANDEM_TMP_ROOT) fs.rmSync(root, { recursive: true, force: true });
  else if (!ok) log(`logs kept in ${root}`);
}

// Every detached child (its own process group) we started; killed on exit, whatever the reason.
const groups = new Set<ChildProcess>();

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

process.on('exit', () => {
  for (const child of groups) killGroup(child, 'SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    log(`received ${signal}, stopping child processes`);
    process.exit(130);
  });
}

export interface GroupProcess {
  child: ChildProcess;
  /** Resolves with the exit code (or signal name) once the process has exited. */
  exited: Promise<number | string>;
  /** SIGTERM to the whole group, SIGKILL after `graceMs`; resolves when the leader has exited. */
  stop(graceMs?: number): Promise<void>;
}

/** Spawns `command` as the leader of a new process group, stdout+stderr appended to `logFile`. */
export function spawnGroup(command: string, args: string[], options: SpawnOptions & { logFile: string }): GroupProcess {
  fs.mkdirSync(path.dirname(options.logFile), { recursive: true });
  const out = fs.openSync(options.logFile, 'a');
  const { logFile: _logFile, ...spawnOptions } = options;
  const child = spawn(command, args, { ...spawnOptions, stdio: ['ignore', out, out], detached: true });
  fs.closeSync(out);
  groups.add(child);
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => {
      groups.delete(child);
      resolve(code ?? signal ?? 'unknown');
    });
    child.once('error', (err) => {
      groups.delete(child);
      resolve(`spawn error: ${err.message}`);
    });
  });
  return {
    child,
    exited,
    async stop(graceMs = 5000) {
      if (child.exitCode !== null || child.signalCode !== null) {
        killGroup(child, 'SIGKILL'); // leftovers of a group whose leader already exited
        return;
      }
      killGroup(child, 'SIGTERM');
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
      killGroup(child, 'SIGKILL');
    },
  };
}

/** Polls `check` until it returns a truthy value; throws `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 30_000, intervalMs = 100): Promise<T> {
  const end = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > end) {
      const detail = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${detail}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Resolves with the status code of the first successful GET of `url`. */
export function httpStatus(url: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const req = http.get(url, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('error', () => resolve(undefined));
    req.setTimeout(5000, () => {
      req.destroy();
      resolve(undefined);
    });
  });
}

/** A TCP port that was free a moment ago (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Last `lines` lines of a log file, for failure messages. */
export function tail(file: string, lines = 40): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return `(no log at ${file})`;
  }
}
