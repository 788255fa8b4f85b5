// `${…}` variables in an MCP server definition, resolved the way VS Code does for `.vscode/mcp.json`:
// `${workspaceFolder}`, `${workspaceFolderBasename}`, `${userHome}`, `${pathSeparator}`, `${env:NAME}` and
// `${input:id}` (asked from the user by the host). One pass, left to right: a resolved value is never
// scanned again, so an environment variable or an input holding `${env:…}` stays literal text. Anything
// else (`${command:…}`, `${config:…}`) cannot be resolved here and keeps the server from starting, with the
// reason. Pure: the host supplies the environment and the inputs.
import type { McpServerConfig } from './config';

export interface VariableContext {
  workspaceFolder?: string;
  userHome?: string;
  pathSeparator?: string;
  /**
   * An environment variable's value (unset: `undefined`, which resolves to '' as in VS Code). Throws, with
   * the reason as message, for variables a server must never get (Tandem's own keys).
   */
  env(name: string): string | undefined;
  /** The value of input `id`; `undefined` when the user gave none (the server then does not start). */
  input(id: string): Promise<string | undefined>;
}

export type Resolved<T> = { ok: true; value: T } | { ok: false; reason: string };

const VARIABLE = /\$\{([^{}]{1,200})\}/g;
const MAX_RESOLVED = 64 * 1024;

/** The `${input:id}` ids a server uses, in order of first use (the host asks for these before starting it). */
export function inputsUsed(server: McpServerConfig): string[] {
  const ids = new Set<string>();
  for (const text of serverStrings(server)) for (const match of text.matchAll(VARIABLE)) if (match[1]!.startsWith('input:')) ids.add(match[1]!.slice('input:'.length));
  return [...ids];
}

/** A copy of `server` with every variable replaced, or why it cannot start. */
export async function resolveServerVariables(server: McpServerConfig, context: VariableContext): Promise<Resolved<McpServerConfig>> {
  try {
    const text = (value: string) => resolveText(value, context);
    const map = async (record: Record<string, string>) => Object.fromEntries(await Promise.all(Object.entries(record).map(async ([k, v]) => [k, await text(v)] as const)));
    if (server.type === 'stdio') {
      const resolved = { ...server, command: await text(server.command), args: await Promise.all(server.args.map(text)), env: await map(server.env) };
      if (server.cwd !== undefined) resolved.cwd = await text(server.cwd);
      if (server.envFile !== undefined) resolved.envFile = await text(server.envFile);
      return { ok: true, value: resolved };
    }
    const url = await text(server.url);
    if (!/^https?:\/\//i.test(url)) return { ok: false, reason: '"url" does not resolve to an http:// or https:// address' };
    return { ok: true, value: { ...server, url, headers: await map(server.headers) } };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

async function resolveText(value: string, context: VariableContext): Promise<string> {
  let out = '';
  let last = 0;
  for (const match of value.matchAll(VARIABLE)) {
    out += value.slice(last, match.index);
    out += await resolveOne(match[1]!, context);
    last = match.index + match[0].length;
    if (out.length > MAX_RESOLVED) throw new Error(`a value grows past ${MAX_RESOLVED / 1024} KiB once its variables are resolved`);
  }
  return out + value.slice(last);
}

async function resolveOne(name: string, context: VariableContext): Promise<string> {
  if (name === 'workspaceFolder' || name === 'workspaceRoot') return need(context.workspaceFolder, name);
  if (name === 'workspaceFolderBasename') return need(context.workspaceFolder, name).replace(/[\\/]+$/, '').split(/[\\/]/).pop() ?? '';
  if (name === 'userHome') return need(context.userHome, name);
  if (name === 'pathSeparator' || name === '/') return context.pathSeparator ?? '/';
  if (name.startsWith('env:')) return context.env(name.slice(4)) ?? '';
  if (name.startsWith('input:')) {
    const id = name.slice(6);
    const value = await context.input(id);
    if (value === undefined) throw new Error(`no value was given for input "${id}"`);
    return value;
  }
  throw new Error(`\${${name.slice(0, 60)}} cannot be resolved by Tandem (supported: workspaceFolder, userHome, env:NAME, input:ID)`);
}

function need(value: string | undefined, name: string): string {
  if (value === undefined) throw new Error(`\${${name}} is used but is not known here (no workspace folder or home)`);
  return value;
}

function serverStrings(server: McpServerConfig): string[] {
  if (server.type === 'stdio') return [server.command, ...server.args, ...Object.values(server.env), server.cwd ?? '', server.envFile ?? ''];
  return [server.url, ...Object.values(server.headers)];
}
