// The MCP servers of one window or one `tandem exec`: starts them (all at once, each within its deadline),
// hands the session their tools as core Tools (core/mcp/mcpTool.ts) in a stable order, routes calls to the
// right server, restarts one on request and stops them all on dispose. The host decides which servers may
// start (trust, consent: src/vscode/mcp; the --approval rule: cliMcp.ts) and resolves their variables
// first (serverLaunch.ts); this class only runs what it is given.
import type { McpServerConfig } from '../../core/mcp/config';
import { createMcpTool, type McpCallResult, type McpToolCaller } from '../../core/mcp/mcpTool';
import { buildToolEntries } from '../../core/mcp/toolNames';
import type { Tool } from '../../core/tools/types';
import { McpConnection, type ConnectionTimeouts, type McpServerStatus } from './mcpConnection';

export interface McpManagerOptions {
  timeouts?: Partial<ConnectionTimeouts>;
  /** A server's status or tools changed (the view refreshes). */
  onChange?: () => void;
  /** "Always allow" for a server's tools (VS Code's global state). */
  isServerAllowed?: (server: string) => boolean;
}

/** One server as the view shows it. */
export interface McpServerState {
  name: string;
  source: McpServerConfig['source'];
  type: McpServerConfig['type'];
  status: McpServerStatus;
  reason?: string;
  /** Names as the model calls them, and the server's own. */
  tools: { exposedName: string; tool: string; readOnlyHint: boolean }[];
}

export const DEFAULT_TIMEOUTS: ConnectionTimeouts = { startMs: 30_000, callMs: 120_000 };

export class McpManager implements McpToolCaller {
  private readonly connections = new Map<string, McpConnection>();
  private readonly timeouts: ConnectionTimeouts;
  private disposed = false;

  constructor(private readonly options: McpManagerOptions = {}) {
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  }

  /** Starts `servers` (already allowed and resolved), waiting until each runs or failed. */
  async start(servers: readonly McpServerConfig[]): Promise<void> {
    if (this.disposed) return;
    const started: McpConnection[] = [];
    for (const config of servers) {
      if (this.connections.has(config.name)) continue;
      const connection = new McpConnection(config, this.timeouts, () => this.options.onChange?.());
      this.connections.set(config.name, connection);
      started.push(connection);
    }
    await Promise.all(started.map((c) => c.start()));
  }

  states(): McpServerState[] {
    const entries = this.entries();
    return [...this.connections.values()].map((c) => ({
      name: c.config.name,
      source: c.config.source,
      type: c.config.type,
      status: c.status,
      ...(c.reason !== undefined ? { reason: c.reason } : {}),
      tools: entries.filter((e) => e.server === c.config.name).map((e) => ({ exposedName: e.exposedName, tool: e.tool, readOnlyHint: e.readOnlyHint })),
    }));
  }

  /** Why some listed tools are not offered (bad schema, too many, duplicates). */
  skippedTools(): string[] {
    return buildToolEntries(this.runningLists()).skipped;
  }

  /**
   * The running servers' tools as the session's extra tools. A session takes them once, when it is created
   * (its request prefix stays the same); a server restarted later serves the same names again.
   */
  tools(): Tool[] {
    return this.entries().map((entry) => createMcpTool(entry, this) as Tool);
  }

  async callTool(server: string, tool: string, args: Record<string, unknown>, signal: AbortSignal): Promise<McpCallResult> {
    const connection = this.connections.get(server);
    if (!connection) throw new Error(`the MCP server "${server}" is not running in this window`);
    return connection.callTool(tool, args, signal);
  }

  isServerAllowed(server: string): boolean {
    return this.options.isServerAllowed?.(server) ?? false;
  }

  log(server: string): string {
    return this.connections.get(server)?.log.text() ?? '';
  }

  async restart(server: string): Promise<void> {
    await this.connections.get(server)?.restart();
  }

  /** A stdio server's process id while it runs (tests). */
  pid(server: string): number | undefined {
    return this.connections.get(server)?.pid();
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    const all = [...this.connections.values()];
    this.connections.clear();
    await Promise.all(all.map((c) => c.stop()));
  }

  private runningLists(): { server: string; tools: unknown[] }[] {
    return [...this.connections.values()].filter((c) => c.listedTools.length > 0).map((c) => ({ server: c.config.name, tools: c.listedTools }));
  }

  private entries() {
    return buildToolEntries(this.runningLists()).entries;
  }
}
