// MCP servers for `tandem exec`: the file named by --mcp-config (the user chose it: trusted), and the
// workspace's own `.vscode/mcp.json` and `.mcp.json` only with --trust-workspace-mcp. An MCP server runs
// outside the OS sandbox with the user's permissions, and exec cannot ask for consent the way VS Code
// does, so no approval mode starts a cloned repository's servers by itself (nor ones an earlier run's
// model planted: `.mcp.json` is a protected name). exec cannot prompt, so `${input:…}` values cannot be
// given: servers that use them do not start (use `${env:NAME}`). Problems and servers that did not start
// are printed as `note:` lines.
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { ApprovalPolicy } from './core/approvals/policy';
import { mergeServers, parseMcpConfigText, type McpConfig, type McpConfigFormat, type McpConfigSource, type McpServerConfig } from './core/mcp/config';
import { MAX_CONFIG_BYTES } from './core/mcp/jsonc';
import type { Tool } from './core/tools/types';
import type * as McpManagerModule from './node/mcp/mcpManager';
import { prepareServer } from './node/mcp/serverLaunch';

// The SDK loads only when there is a server to start: `tandem exec` without MCP pays nothing for it.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberate: deferred module evaluation
const loadManager = (): typeof McpManagerModule => require('./node/mcp/mcpManager') as typeof McpManagerModule;

export interface CliMcp {
  tools: Tool[];
  dispose(): Promise<void>;
}

export interface CliMcpOptions {
  /** --mcp-config FILE, relative to the process's working directory. */
  configFile?: string;
  /** The workspace (--cd). */
  cwd: string;
  /** The run's --approval (it governs tool calls, never which servers start). */
  approval: ApprovalPolicy;
  /** --trust-workspace-mcp: the user vouches for the workspace's own MCP files (nothing else starts them). */
  trustWorkspaceMcp?: boolean;
  note(line: string): void;
}

/** The flag that lets exec start servers the workspace defines. */
export const TRUST_WORKSPACE_MCP_FLAG = '--trust-workspace-mcp';
const WORKSPACE_FILES: [string, McpConfigFormat][] = [
  ['.vscode/mcp.json', 'vscode'],
  ['.mcp.json', 'mcp-json'],
];

/** The configured servers started (undefined when none is configured). A file that cannot be read throws. */
export async function startCliMcp(options: CliMcpOptions): Promise<CliMcp | undefined> {
  const configs: McpConfig[] = [];
  if (options.configFile !== undefined) {
    const file = path.resolve(options.configFile);
    const text = await readConfig(file, true);
    configs.push(parseMcpConfigText(text!, formatOf(text!), 'cli', file));
  }
  for (const [relative, format] of WORKSPACE_FILES) {
    const file = path.join(options.cwd, relative);
    const text = await readConfig(file, false);
    if (text === undefined || text.trim() === '') continue;
    if (options.trustWorkspaceMcp !== true) {
      options.note(`${relative} not loaded: servers a workspace defines run outside the sandbox with your permissions; pass ${TRUST_WORKSPACE_MCP_FLAG} if you trust this repository's MCP files.`);
      continue;
    }
    configs.push(parseMcpConfigText(text, format, 'workspace' satisfies McpConfigSource, relative));
  }
  if (configs.length === 0) return undefined;
  const merged = mergeServers(configs);
  for (const problem of merged.problems) options.note(problem);
  const ready: McpServerConfig[] = [];
  for (const server of merged.servers) {
    const prepared = await prepareServer(server, { workspaceFolder: options.cwd });
    if (prepared.ok) ready.push(prepared.value);
    else options.note(`MCP server "${server.name}" not started: ${prepared.reason}.`);
  }
  if (ready.length === 0) return undefined;
  const manager = new (loadManager().McpManager)();
  await manager.start(ready);
  for (const state of manager.states()) if (state.status !== 'running') options.note(`MCP server "${state.name}" ${state.status}: ${state.reason ?? ''}`);
  for (const skipped of manager.skippedTools()) options.note(skipped);
  return { tools: manager.tools(), dispose: () => manager.dispose() };
}

/** `servers` is VS Code's shape, `mcpServers` everyone else's. */
function formatOf(text: string): McpConfigFormat {
  return /"mcpServers"\s*:/.test(text) && !/"servers"\s*:/.test(text) ? 'mcp-json' : 'vscode';
}

async function readConfig(file: string, required: boolean): Promise<string | undefined> {
  try {
    const buffer = await readFile(file);
    if (buffer.length > MAX_CONFIG_BYTES) throw new Error(`${file} is larger than ${MAX_CONFIG_BYTES / 1024} KiB`);
    return buffer.toString('utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (!required && (code === 'ENOENT' || code === 'ENOTDIR')) return undefined;
    throw new Error(`${required ? '--mcp-config: ' : ''}cannot read ${file}: ${code ?? (error as Error).message}`, { cause: error });
  }
}
