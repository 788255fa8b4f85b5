// Starts code-server (npm package; a complete VS Code server + workbench) for the E2E flows, and code-server's
// embedded VS Code server (`lib/vscode/out/server-main.js`) for the extension-host suites.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT, freePort, httpStatus, log, spawnGroup, tail, waitFor } from './harness.ts';
import type { GroupProcess } from './harness.ts';

export const CODE_SERVER_VERSION = process.env.CODE_SERVER_VERSION ?? '4.139.1';

/**
 * The code-server launcher: $TANDEM_CODE_SERVER, else the cached install of scripts/install-code-server.sh
 * (`<cache>/code-server-<version>/code-server`, a script that runs it on the Node its line needs).
 */
export function codeServerBin(): string {
  const cache = process.env.TANDEM_CACHE ?? path.join(REPO_ROOT, '.vscode-test');
  const bin = process.env.TANDEM_CODE_SERVER ?? path.join(cache, `code-server-${CODE_SERVER_VERSION}`, 'code-server');
  if (!fs.existsSync(bin)) {
    throw new Error(`code-server not found at ${bin}: run 'bash scripts/install-code-server.sh' first (scripts/test.sh does)`);
  }
  return bin;
}

/** The code-server npm package folder behind the launcher (or behind node_modules/.bin/code-server). */
function codeServerPackageDir(): string {
  const bin = codeServerBin();
  const besideLauncher = path.join(path.dirname(bin), 'node_modules', 'code-server');
  if (fs.existsSync(path.join(besideLauncher, 'package.json'))) return besideLauncher;
  return path.join(path.dirname(fs.realpathSync(bin)), '..', '..'); // node_modules/.bin/code-server -> out/node/entry.js
}

/** Settings every test instance starts with: no welcome page, no tips, no built-in AI chat in the way. */
export const QUIET_SETTINGS: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'chat.commandCenter.enabled': false,
  'extensions.ignoreRecommendations': true,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
};

export interface CodeServerOptions {
  /** Directory for this instance's user data, extensions, logs. Must be fresh. */
  root: string;
  /** Folder opened in the workbench. */
  workspace: string;
  /** VSIX installed into the private extensions dir before the server starts. */
  vsix?: string;
  /** More VSIXes installed the same way (test extensions, e.g. test/fixtures/lm-test-extension). */
  extraVsixes?: string[];
  /** Written to <user-data-dir>/User/settings.json (merged over QUIET_SETTINGS). */
  settings?: Record<string, unknown>;
  /** Extra environment for the server and its extension host; `undefined` values are removed. */
  env?: Record<string, string | undefined>;
}

export interface CodeServer {
  url: string;
  /** Workbench URL opening the workspace folder. */
  workbenchUrl: string;
  userDataDir: string;
  logFile: string;
  stop(): Promise<void>;
}

function serverEnv(root: string, extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    XDG_CONFIG_HOME: path.join(root, 'xdg-config'),
    XDG_DATA_HOME: path.join(root, 'xdg-data'),
    XDG_CACHE_HOME: path.join(root, 'xdg-cache'),
    TMPDIR: path.join(root, 'tmp'),
    // code-server reads these; keep them from leaking in from a developer's shell
    PASSWORD: undefined,
    HASHED_PASSWORD: undefined,
    VSCODE_IPC_HOOK_CLI: undefined,
  };
  for (const dir of ['xdg-config', 'xdg-data', 'xdg-cache', 'tmp']) fs.mkdirSync(path.join(root, dir), { recursive: true });
  for (const [key, value] of Object.entries(extra)) env[key] = value;
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
  return env;
}

/** `code-server --install-extension <vsix>` into `extensionsDir`. */
export function installVsix(vsix: string, extensionsDir: string, root: string): void {
  const t0 = Date.now();
  execFileSync(codeServerBin(), ['--extensions-dir', extensionsDir, '--user-data-dir', path.join(root, 'user-data'), '--install-extension', vsix, '--force'], {
    env: serverEnv(root),
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 120_000,
  });
  log(`installed ${path.relative(REPO_ROOT, vsix)} into ${extensionsDir} (${Date.now() - t0} ms)`);
}

/** Starts code-server with a fresh user-data dir, `--auth none`, a private extensions dir; waits for /healthz. */
export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const { root } = options;
  const userDataDir = path.join(root, 'user-data');
  const extensionsDir = path.join(root, 'extensions');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...QUIET_SETTINGS, ...options.settings }, null, 2));
  if (options.vsix) installVsix(options.vsix, extensionsDir, root);
  for (const extra of options.extraVsixes ?? []) installVsix(extra, extensionsDir, root);

  const port = await freePort();
  const logFile = path.join(root, 'code-server.log');
  const args = [
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    options.workspace,
  ];
  log(`starting code-server on port ${port} (log: ${logFile})`);
  const proc = spawnGroup(codeServerBin(), args, { env: serverEnv(root, options.env), logFile });
  const url = `http://127.0.0.1:${port}`;
  await waitUntilUp(proc, `${url}/healthz`, logFile);
  log(`code-server up at ${url}`);
  return {
    url,
    workbenchUrl: `${url}/?folder=${encodeURIComponent(options.workspace)}`,
    userDataDir,
    logFile,
    stop: () => proc.stop(),
  };
}

async function waitUntilUp(proc: GroupProcess, probeUrl: string, logFile: string): Promise<void> {
  let exited: number | string | undefined;
  void proc.exited.then((code) => (exited = code));
  try {
    await waitFor(`${probeUrl} to answer`, async () => {
      if (exited !== undefined) throw new Error(`server exited early (${exited})`);
      return (await httpStatus(probeUrl)) !== undefined;
    }, 60_000, 200);
  } catch (err) {
    await proc.stop();
    throw new Error(`${(err as Error).message}\n--- ${logFile} (tail) ---\n${tail(logFile)}`);
  }
}

export interface VsCodeServer {
  port: number;
  url: string;
  logFile: string;
  stop(): Promise<void>;
}

/**
 * Starts code-server's embedded VS Code server directly, with `--enable-smoke-test-driver`: only then does
 * the workbench honour the `extensionDevelopmentPath` / `extensionTestsPath` URL payload (code-server's own
 * CLI rejects that flag). Used by the extension-host suites.
 */
export async function startVsCodeServer(root: string, env: Record<string, string | undefined> = {}): Promise<VsCodeServer> {
  const serverMain = path.join(codeServerPackageDir(), 'lib', 'vscode', 'out', 'server-main.js');
  if (!fs.existsSync(serverMain)) throw new Error(`VS Code server entry not found: ${serverMain}`);
  const port = await freePort();
  const logFile = path.join(root, 'vscode-server.log');
  const args = [
    serverMain,
    '--host', '127.0.0.1',
    '--port', String(port),
    '--without-connection-token',
    '--accept-server-license-terms',
    '--disable-telemetry',
    '--disable-workspace-trust',
    '--enable-smoke-test-driver',
    '--server-data-dir', path.join(root, 'server-data'),
    '--extensions-dir', path.join(root, 'extensions'),
  ];
  log(`starting VS Code server on port ${port} (log: ${logFile})`);
  const proc = spawnGroup(process.execPath, args, { env: serverEnv(root, env), logFile });
  const url = `http://127.0.0.1:${port}`;
  await waitUntilUp(proc, `${url}/version`, logFile);
  log(`VS Code server up at ${url}`);
  return { port, url, logFile, stop: () => proc.stop() };
}
