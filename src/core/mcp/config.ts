// MCP server definitions from the three places users keep them: VS Code's `.vscode/mcp.json` (`servers`,
// `inputs`), the `.mcp.json` other agents read (`mcpServers`), and Tandem's `tandem.mcp.servers` setting
// (VS Code's server shape). Workspace files are untrusted input: every field is checked for type and size,
// a server of an unknown type is rejected with the reason, and nothing here starts anything or resolves a
// variable (variables.ts does that, once the host decided the server may start). Pure: no node imports.
import { MAX_CONFIG_BYTES, parseJsonc } from './jsonc';

/** Where a definition came from: workspace sources need the user's consent before they start. */
export type McpConfigSource = 'workspace' | 'user' | 'cli';

interface ServerBase {
  /** The key in the file (unique per source; later sources do not replace earlier ones, see mergeServers). */
  name: string;
  source: McpConfigSource;
  /** The file or setting it came from, for messages. */
  origin: string;
}

export interface StdioServerConfig extends ServerBase {
  type: 'stdio';
  command: string;
  args: string[];
  env: Record<string, string>;
  envFile?: string;
  cwd?: string;
}

export interface HttpServerConfig extends ServerBase {
  type: 'http';
  url: string;
  headers: Record<string, string>;
}

export type McpServerConfig = StdioServerConfig | HttpServerConfig;

/** VS Code's `inputs`: values asked from the user once (`${input:id}`), kept in SecretStorage. */
export interface McpInput {
  id: string;
  type: 'promptString' | 'pickString';
  description: string;
  password: boolean;
  default?: string;
  options?: string[];
}

export interface McpConfig {
  servers: McpServerConfig[];
  inputs: McpInput[];
  /** What was rejected or ignored, one sentence each (shown in the log / the servers view / stderr). */
  problems: string[];
}

export type McpConfigFormat = 'vscode' | 'mcp-json' | 'settings';

export const MCP_LIMITS = {
  servers: 50,
  inputs: 64,
  nameLength: 128,
  commandLength: 4096,
  args: 256,
  argLength: 8192,
  envEntries: 256,
  envValueLength: 32 * 1024,
  urlLength: 2048,
  headers: 64,
  headerValueLength: 8192,
  pathLength: 4096,
  descriptionLength: 500,
} as const;

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}$/;
const INPUT_ID = /^[A-Za-z0-9_.-]{1,64}$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f]/;
// eslint-disable-next-line no-control-regex
const ANY_CONTROL = /[\x00-\x1f\x7f]/;
/** Direction overrides and isolates: a name shown on an approval card must read as it is. */
export const BIDI = /[\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const STDIO_KEYS = new Set(['type', 'command', 'args', 'env', 'envFile', 'cwd']);
const HTTP_KEYS = new Set(['type', 'url', 'headers']);
/** Keys VS Code or other agents write that mean nothing to Tandem: ignored without a note. */
const QUIET_KEYS = new Set(['dev', 'gallery', 'version', 'description', 'disabled', 'autoApprove', 'alwaysAllow', 'timeout', 'sandbox', 'sandboxEnabled']);

/** Parses one file's or setting's text. Never throws: what cannot be used is in `problems`. */
export function parseMcpConfigText(text: string, format: McpConfigFormat, source: McpConfigSource, origin: string): McpConfig {
  // An empty file defines nothing: it is what the Linux sandbox's read-only placeholder for a missing
  // `.mcp.json` looks like while a command runs (node/sandbox/placeholders.ts).
  if (text.length <= MAX_CONFIG_BYTES && text.trim() === '') return { servers: [], inputs: [], problems: [] };
  let value: unknown;
  try {
    value = parseJsonc(text);
  } catch (error) {
    return { servers: [], inputs: [], problems: [`${origin}: ${error instanceof Error ? error.message : String(error)}.`] };
  }
  return parseMcpConfigValue(value, format, source, origin);
}

/** Parses an already-parsed value (a VS Code setting arrives as one). */
export function parseMcpConfigValue(value: unknown, format: McpConfigFormat, source: McpConfigSource, origin: string): McpConfig {
  const problems: string[] = [];
  const result: McpConfig = { servers: [], inputs: [], problems };
  if (!isPlainObject(value)) {
    problems.push(`${origin}: expected a JSON object.`);
    return result;
  }
  // The setting is the `servers` object itself; the files wrap it (`servers` for VS Code, `mcpServers` for others).
  const key = format === 'vscode' ? 'servers' : format === 'mcp-json' ? 'mcpServers' : undefined;
  const servers = key === undefined ? value : value[key];
  if (servers === undefined) {
    if (format === 'vscode' && isPlainObject(value.mcpServers)) problems.push(`${origin}: "mcpServers" is the .mcp.json key; VS Code's file uses "servers".`);
    else if (key !== undefined) problems.push(`${origin}: no "${key}" object.`);
  } else if (!isPlainObject(servers)) {
    problems.push(`${origin}: "${key ?? 'tandem.mcp.servers'}" must be an object of servers by name.`);
  } else {
    const entries = Object.entries(servers);
    if (entries.length > MCP_LIMITS.servers) problems.push(`${origin}: ${entries.length} servers; only the first ${MCP_LIMITS.servers} are read.`);
    for (const [name, raw] of entries.slice(0, MCP_LIMITS.servers)) {
      const parsed = parseServer(name, raw, source, origin);
      if (typeof parsed === 'string') problems.push(`${origin}: server "${printable(name)}" ignored: ${parsed}.`);
      else {
        result.servers.push(parsed.server);
        for (const note of parsed.notes) problems.push(`${origin}: server "${printable(name)}": ${note}.`);
      }
    }
  }
  if (format === 'vscode' && value.inputs !== undefined) result.inputs = parseInputs(value.inputs, origin, problems);
  return result;
}

/**
 * Servers from several sources, first source winning a name (user settings before workspace files, so a
 * workspace cannot replace a server the user defined by reusing its name; the shadowed one is noted).
 */
export function mergeServers(configs: readonly McpConfig[]): McpConfig {
  const byName = new Map<string, McpServerConfig>();
  const inputs = new Map<string, McpInput>();
  const problems: string[] = [];
  for (const config of configs) {
    problems.push(...config.problems);
    for (const server of config.servers) {
      const taken = byName.get(server.name);
      if (taken) problems.push(`${server.origin}: server "${printable(server.name)}" ignored: ${taken.origin} already defines a server by that name.`);
      else byName.set(server.name, server);
    }
    for (const input of config.inputs) if (!inputs.has(input.id)) inputs.set(input.id, input);
  }
  return { servers: [...byName.values()], inputs: [...inputs.values()], problems };
}

function parseServer(name: string, raw: unknown, source: McpConfigSource, origin: string): string | { server: McpServerConfig; notes: string[] } {
  if (name.length === 0 || name.length > MCP_LIMITS.nameLength || ANY_CONTROL.test(name) || BIDI.test(name)) return `a server name must be 1–${MCP_LIMITS.nameLength} printable characters (no direction overrides)`;
  if (!isPlainObject(raw)) return 'a server must be an object';
  const declared = raw.type;
  // Without a type, `command` means stdio and `url` means http (how .mcp.json files are usually written).
  const type = declared === undefined ? (raw.command !== undefined ? 'stdio' : raw.url !== undefined ? 'http' : undefined) : declared;
  if (type === 'sse') return 'type "sse" (the deprecated HTTP+SSE transport) is not supported; use "http" (streamable HTTP)';
  if (type === 'streamable-http' || type === 'streamableHttp') return parseHttp(name, raw, source, origin);
  if (type === 'stdio') return parseStdio(name, raw, source, origin);
  if (type === 'http') return parseHttp(name, raw, source, origin);
  if (type === undefined) return 'no "type", "command" or "url"';
  return `unknown type ${JSON.stringify(typeof type === 'string' ? printable(type).slice(0, 40) : type)} (expected "stdio" or "http")`;
}

function unknownKeyNotes(raw: Record<string, unknown>, known: Set<string>): string[] {
  const unknown = Object.keys(raw).filter((k) => !known.has(k) && !QUIET_KEYS.has(k));
  return unknown.length === 0 ? [] : [`ignored unknown field${unknown.length === 1 ? '' : 's'} ${unknown.slice(0, 5).map((k) => JSON.stringify(printable(k).slice(0, 40))).join(', ')}`];
}

function parseStdio(name: string, raw: Record<string, unknown>, source: McpConfigSource, origin: string): string | { server: StdioServerConfig; notes: string[] } {
  const command = raw.command;
  if (typeof command !== 'string' || command.trim() === '') return 'a stdio server needs "command": a non-empty string';
  if (command.length > MCP_LIMITS.commandLength || ANY_CONTROL.test(command)) return `"command" must be at most ${MCP_LIMITS.commandLength} printable characters`;
  const args = raw.args ?? [];
  if (!Array.isArray(args) || args.length > MCP_LIMITS.args) return `"args" must be an array of at most ${MCP_LIMITS.args} strings`;
  for (const arg of args) {
    if (typeof arg !== 'string' || arg.length > MCP_LIMITS.argLength || arg.includes('\0')) return `every entry of "args" must be a string of at most ${MCP_LIMITS.argLength} characters`;
  }
  const env = parseStringMap(raw.env, 'env', MCP_LIMITS.envEntries, MCP_LIMITS.envValueLength, ENV_NAME, (v) => v.includes('\0'));
  if (typeof env === 'string') return env;
  const server: StdioServerConfig = { name, source, origin, type: 'stdio', command, args: args as string[], env };
  for (const key of ['envFile', 'cwd'] as const) {
    const value = raw[key];
    if (value === undefined) continue;
    if (typeof value !== 'string' || value === '' || value.length > MCP_LIMITS.pathLength || ANY_CONTROL.test(value)) return `"${key}" must be a path of at most ${MCP_LIMITS.pathLength} printable characters`;
    server[key] = value;
  }
  return { server, notes: unknownKeyNotes(raw, STDIO_KEYS) };
}

function parseHttp(name: string, raw: Record<string, unknown>, source: McpConfigSource, origin: string): string | { server: HttpServerConfig; notes: string[] } {
  const url = raw.url;
  if (typeof url !== 'string' || url.length === 0 || url.length > MCP_LIMITS.urlLength || ANY_CONTROL.test(url)) return `an http server needs "url": a string of at most ${MCP_LIMITS.urlLength} characters`;
  // A variable may stand for the whole URL; otherwise it must already be http(s).
  if (!/^https?:\/\//i.test(url) && !url.startsWith('${')) return '"url" must start with http:// or https://';
  const headers = parseStringMap(raw.headers, 'headers', MCP_LIMITS.headers, MCP_LIMITS.headerValueLength, HEADER_NAME, (v) => CONTROL.test(v) || /[\r\n]/.test(v));
  if (typeof headers === 'string') return headers;
  return { server: { name, source, origin, type: 'http', url, headers }, notes: unknownKeyNotes(raw, HTTP_KEYS) };
}

function parseStringMap(
  raw: unknown,
  field: string,
  maxEntries: number,
  maxValue: number,
  namePattern: RegExp,
  badValue: (value: string) => boolean,
): string | Record<string, string> {
  if (raw === undefined) return {};
  if (!isPlainObject(raw)) return `"${field}" must be an object of strings`;
  const entries = Object.entries(raw);
  if (entries.length > maxEntries) return `"${field}" has ${entries.length} entries (at most ${maxEntries})`;
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [key, value] of entries) {
    if (!namePattern.test(key)) return `"${field}" has an invalid name ${JSON.stringify(printable(key).slice(0, 40))}`;
    // Numbers and booleans are written unquoted often enough; they mean their text.
    const text = typeof value === 'number' || typeof value === 'boolean' ? String(value) : value;
    if (typeof text !== 'string' || text.length > maxValue || badValue(text)) return `"${field}.${key}" must be a string of at most ${maxValue} characters without control characters`;
    out[key] = text;
  }
  return { ...out };
}

function parseInputs(raw: unknown, origin: string, problems: string[]): McpInput[] {
  if (!Array.isArray(raw)) {
    problems.push(`${origin}: "inputs" must be an array.`);
    return [];
  }
  const inputs: McpInput[] = [];
  for (const entry of raw.slice(0, MCP_LIMITS.inputs)) {
    if (!isPlainObject(entry) || typeof entry.id !== 'string' || !INPUT_ID.test(entry.id)) {
      problems.push(`${origin}: an input without a valid "id" (letters, digits, _ . -) ignored.`);
      continue;
    }
    const type = entry.type ?? 'promptString';
    if (type !== 'promptString' && type !== 'pickString') {
      problems.push(`${origin}: input "${entry.id}" ignored: type ${JSON.stringify(String(type).slice(0, 40))} is not supported (promptString, pickString).`);
      continue;
    }
    const description = typeof entry.description === 'string' ? printable(entry.description).slice(0, MCP_LIMITS.descriptionLength) : entry.id;
    const input: McpInput = { id: entry.id, type, description, password: entry.password === true };
    if (typeof entry.default === 'string' && entry.default.length <= MCP_LIMITS.envValueLength) input.default = entry.default;
    if (type === 'pickString') {
      const options = Array.isArray(entry.options) ? entry.options.filter((o): o is string => typeof o === 'string' && o.length <= MCP_LIMITS.argLength).slice(0, 100) : [];
      if (options.length === 0) {
        problems.push(`${origin}: input "${entry.id}" ignored: a pickString needs "options".`);
        continue;
      }
      input.options = options;
    }
    inputs.push(input);
  }
  if (raw.length > MCP_LIMITS.inputs) problems.push(`${origin}: only the first ${MCP_LIMITS.inputs} inputs are read.`);
  return inputs;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Text safe to put in a one-line message: control characters shown as `?`. */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\x00-\x1f\x7f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, '?');
}
