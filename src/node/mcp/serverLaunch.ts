// From a parsed MCP server definition to what is started: variables resolved (core/mcp/variables.ts) with
// this process's environment, minus Tandem's own keys; an `envFile` read (capped); and a last check that no
// value Tandem would hand the server (environment, arguments, URL, headers) carries Tandem's API key. A
// stdio server gets the SDK's minimal environment (HOME, PATH, SHELL, TERM, USER, LOGNAME) plus what its
// definition sets, never the whole of Tandem's environment. Only a server the workspace defines starts in
// (and reads a relative `cwd`/`envFile` from) its workspace folder: the user's own servers start in their
// home, because the workspace is untrusted and `python -m x`, `npx pkg`, `node -r ./y` load code from the
// working directory. A workspace server is also held to core/mcp/workspaceServerRules.ts (no loader
// variables, in `env` or its envFile; no `${env:…}` in an HTTP server's URL or headers).
import { readFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import type { McpServerConfig } from '../../core/mcp/config';
import { resolveServerVariables, type Resolved } from '../../core/mcp/variables';
import { loaderEnvNames, workspaceServerRefusal } from '../../core/mcp/workspaceServerRules';
import { dropSecretsFromEnv, TANDEM_SECRET_ENV_NAMES } from '../commandSecrets';

const MAX_ENV_FILE = 64 * 1024;

export interface LaunchContext {
  workspaceFolder?: string;
  /** The value of `${input:id}`; absent (the CLI): servers that use inputs do not start. */
  input?: (id: string) => Promise<string | undefined>;
  /** Default: this process's environment. */
  env?: NodeJS.ProcessEnv;
  /** Default: os.homedir(). */
  userHome?: string;
}

/** True when `value` holds one of the keys Tandem uses (commandSecrets.ts keeps that list). */
export function carriesTandemKey(value: string): boolean {
  return !('value' in dropSecretsFromEnv({ value }));
}

/** `server` ready to start, or why it cannot. */
export async function prepareServer(server: McpServerConfig, context: LaunchContext): Promise<Resolved<McpServerConfig>> {
  // Checked again here (the hosts check before asking): whatever path led here, such a server never starts.
  const refusal = workspaceServerRefusal(server);
  if (refusal !== undefined) return { ok: false, reason: refusal };
  const env = context.env ?? process.env;
  const home = context.userHome ?? os.homedir();
  const resolved = await resolveServerVariables(server, {
    ...(context.workspaceFolder !== undefined ? { workspaceFolder: context.workspaceFolder } : {}),
    userHome: home,
    pathSeparator: path.sep,
    env: (name) => {
      if (TANDEM_SECRET_ENV_NAMES.includes(name)) throw new Error(`\${env:${name}} is Tandem's own API key variable; it is never given to an MCP server`);
      const value = env[name];
      if (value !== undefined && carriesTandemKey(value)) throw new Error(`\${env:${name}} holds Tandem's API key; it is never given to an MCP server`);
      return value;
    },
    input: context.input ?? (async (id) => {
      throw new Error(`input "${id}" can only be asked in VS Code; put the value in the environment and use \${env:NAME}`);
    }),
  });
  if (!resolved.ok) return resolved;
  let value = resolved.value;
  // Where relative paths start and where the server runs: as in VS Code, a workspace server's folder; the
  // user's own servers never start in the (untrusted) workspace, only where they say, else the home.
  const base = server.source === 'workspace' && context.workspaceFolder !== undefined ? context.workspaceFolder : home;
  if (value.type === 'stdio' && value.envFile !== undefined) {
    const fromFile = await readEnvFile(path.resolve(base, value.envFile));
    if (!fromFile.ok) return fromFile;
    // The file's contents are not part of what the user allowed (they can change later): no loader variables from it.
    const loaders = server.source === 'workspace' ? loaderEnvNames(fromFile.value) : [];
    if (loaders.length > 0) return { ok: false, reason: `envFile ${value.envFile} sets ${loaders.slice(0, 5).join(', ')}, which a server the workspace defines may not set (it changes what the program loads)` };
    value = { ...value, env: { ...fromFile.value, ...value.env } };
  }
  if (value.type === 'stdio') value = { ...value, cwd: path.resolve(base, value.cwd ?? '.') };
  const leaking = tandemKeyCarriers(value);
  if (leaking.length > 0) return { ok: false, reason: `${leaking.join(', ')} would carry Tandem's API key to the server` };
  return { ok: true, value };
}

function tandemKeyCarriers(server: McpServerConfig): string[] {
  const fields: [string, string][] =
    server.type === 'stdio'
      ? [['command', server.command], ...server.args.map((a, i): [string, string] => [`args[${i}]`, a]), ...Object.entries(server.env).map(([k, v]): [string, string] => [`env.${k}`, v])]
      : [['url', server.url], ...Object.entries(server.headers).map(([k, v]): [string, string] => [`headers.${k}`, v])];
  return fields.filter(([, v]) => carriesTandemKey(v)).map(([name]) => name);
}

/** `KEY=value` lines (comments, blank lines and `export ` prefixes allowed; quotes around a value removed). */
async function readEnvFile(absolute: string): Promise<Resolved<Record<string, string>>> {
  let text: string;
  try {
    const buffer = await readFile(absolute);
    if (buffer.length > MAX_ENV_FILE) return { ok: false, reason: `envFile ${absolute} is larger than ${MAX_ENV_FILE / 1024} KiB` };
    text = buffer.toString('utf8');
  } catch (error) {
    return { ok: false, reason: `envFile ${absolute} cannot be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}` };
  }
  const env: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim().replace(/^export\s+/, '');
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!match) continue;
    const value = match[2]!.replace(/^(['"])(.*)\1$/, '$2');
    if (!value.includes('\0')) env[match[1]!] = value;
  }
  return { ok: true, value: env };
}
