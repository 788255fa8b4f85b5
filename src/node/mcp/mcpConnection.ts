// One running MCP server, through the official SDK's client: stdio (the SDK spawns the process without a
// shell) or streamable HTTP. Starting connects and lists the tools within a deadline; a call carries the
// turn's abort signal and a timeout; a server whose process exits or whose connection drops while we did
// not ask it to is `crashed`: pending calls fail at once with a message naming the server and the last
// lines of its stderr, later calls fail until it is restarted. Nothing waits on a dead server, nor longer
// than `startMs` in total on one that is slow to start (connect and every tools/list page share that
// deadline). An HTTP server's responses are capped like a stdio server's lines (boundedFetch.ts).
// A server that announces `notifications/tools/list_changed` is listed again (debounced, one listing at a
// time however often it announces, within the same deadline as at start); chats pick the new tools up at
// their next turn (their agent is rebuilt when the tool names change).
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { McpServerConfig } from '../../core/mcp/config';
import type { McpCallResult } from '../../core/mcp/mcpTool';
import { boundedFetch } from './boundedFetch';
import { BoundedLog } from './boundedLog';

export type McpServerStatus = 'starting' | 'running' | 'stopped' | 'crashed' | 'failed';

export interface ConnectionTimeouts {
  /** Connecting plus listing the tools, in total. */
  startMs: number;
  /** One tool call without progress notifications. */
  callMs: number;
}

/** A stdio server's stdout line may not exceed this (the SDK's read buffer): a hostile server cannot fill memory. */
const MAX_MESSAGE_BYTES = 8 * 1024 * 1024;
/** tools/list pages read at most (a server that pages forever is cut off). */
const MAX_LIST_PAGES = 20;
/** tools/list_changed notifications within this time make one listing. */
const RELIST_DEBOUNCE_MS = 200;

export class McpConnection {
  readonly log = new BoundedLog();
  status: McpServerStatus = 'stopped';
  /** Why it failed or crashed, for the view and the tool result. */
  reason: string | undefined;
  /** The tools as the server listed them (checked later by core/mcp/toolNames.ts). */
  listedTools: unknown[] = [];
  private client: Client | undefined;
  private stopping = false;
  /** A re-listing after tools/list_changed runs; another notification meanwhile asks for one more after it. */
  private relisting: Promise<void> | undefined;
  private relistAgain = false;

  constructor(
    readonly config: McpServerConfig,
    private readonly timeouts: ConnectionTimeouts,
    private readonly onChange: () => void,
  ) {}

  async start(): Promise<void> {
    if (this.status === 'starting' || this.status === 'running') return;
    this.stopping = false;
    this.setStatus('starting', undefined);
    this.log.note(`starting ${this.describe()}`);
    const client: Client = new Client(
      { name: 'tandem', version: '0.1.0' },
      // Our own listing (paged, bounded) rather than the SDK's auto-refresh, which reads one page only.
      { capabilities: {}, listChanged: { tools: { autoRefresh: false, debounceMs: RELIST_DEBOUNCE_MS, onChanged: () => this.toolsChanged(client) } } },
    );
    this.client = client;
    const transport = this.transport();
    client.onclose = () => this.closed(client);
    client.onerror = (error) => this.log.note(`error: ${error.message}`);
    const deadline = Date.now() + this.timeouts.startMs;
    try {
      await client.connect(transport, { timeout: this.timeouts.startMs });
      this.listedTools = await this.listTools(client, deadline);
      if (this.client !== client) return;
      this.log.note(`running: ${this.listedTools.length} tool(s)`);
      this.setStatus('running', undefined);
    } catch (error) {
      if (this.client !== client) return;
      const late = (error as { code?: unknown }).code === -32001 || Date.now() >= deadline;
      const why = late ? `did not finish starting within ${formatSeconds(this.timeouts.startMs)}` : message(error);
      const reason = `could not start: ${why}${this.stderrHint()}`;
      this.log.note(reason);
      this.client = undefined;
      this.stopping = true;
      await client.close().catch(() => undefined);
      this.setStatus('failed', reason);
    }
  }

  async callTool(tool: string, args: Record<string, unknown>, signal: AbortSignal): Promise<McpCallResult> {
    const client = this.client;
    if (!client || this.status !== 'running') {
      throw new Error(`the MCP server "${this.config.name}" is ${this.status}${this.reason ? ` (${this.reason})` : ''}; restart it from the Tandem MCP Servers view or fix its configuration`);
    }
    try {
      return (await client.callTool({ name: tool, arguments: args }, undefined, {
        signal,
        timeout: this.timeouts.callMs,
        resetTimeoutOnProgress: true,
        maxTotalTimeout: this.timeouts.callMs * 10,
      })) as McpCallResult;
    } catch (error) {
      if (signal.aborted) throw error;
      const code = (error as { code?: unknown }).code;
      if (code === -32001) throw new Error(`the MCP server "${this.config.name}" did not answer "${tool}" within ${Math.round(this.timeouts.callMs / 1000)} s`);
      // Wait for the close to be seen: a connection lost mid-call is a crash, reported as such.
      if (code === -32000 || this.currentStatus() === 'crashed') {
        await new Promise((resolve) => setImmediate(resolve));
        if (this.currentStatus() === 'crashed') throw new Error(`the MCP server "${this.config.name}" crashed during the call${this.stderrHint()}`);
      }
      // Over HTTP there is no process to watch: a server that stops answering at the socket level has crashed too.
      const network = this.config.type === 'http' ? networkFailure(error) : undefined;
      if (network !== undefined) {
        const reason = `the server stopped answering (${network})`;
        this.log.note(reason);
        this.client = undefined;
        this.stopping = true;
        void client.close().catch(() => undefined);
        this.setStatus('crashed', reason);
        throw new Error(`the MCP server "${this.config.name}" crashed during the call: ${reason}`);
      }
      throw new Error(`the MCP server "${this.config.name}" answered "${tool}" with an error: ${message(error)}`);
    }
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.stopping = true;
    this.client = undefined;
    if (client) {
      this.log.note('stopping');
      await client.close().catch(() => undefined);
    }
    if (this.status !== 'failed' && this.status !== 'crashed') this.setStatus('stopped', undefined);
  }

  async restart(): Promise<void> {
    await this.stop();
    this.status = 'stopped';
    this.reason = undefined;
    await this.start();
  }

  /** The process id of a stdio server while it runs (tests kill it from outside). */
  pid(): number | undefined {
    const transport = (this.client as { transport?: unknown } | undefined)?.transport;
    return transport instanceof StdioClientTransport ? (transport.pid ?? undefined) : undefined;
  }

  private transport(): Transport {
    const config = this.config;
    if (config.type === 'http') {
      return new StreamableHTTPClientTransport(new URL(config.url), { requestInit: { headers: config.headers }, fetch: boundedFetch(MAX_MESSAGE_BYTES) });
    }
    const transport = new StdioClientTransport({
      command: config.command,
      args: config.args,
      env: config.env,
      ...(config.cwd !== undefined ? { cwd: config.cwd } : {}),
      stderr: 'pipe',
      maxBufferSize: MAX_MESSAGE_BYTES,
    });
    transport.stderr?.on('data', (chunk: Buffer) => this.log.append(chunk.toString('utf8')));
    return transport;
  }

  private async listTools(client: Client, deadline: number): Promise<unknown[]> {
    const tools: unknown[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_LIST_PAGES; page++) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('deadline passed');
      const result = await client.listTools(cursor !== undefined ? { cursor } : {}, { timeout: left });
      tools.push(...result.tools);
      cursor = result.nextCursor;
      if (!cursor) break;
    }
    return tools;
  }

  /** The server said its tools changed: list them again (never two listings at once, never unbounded). */
  private toolsChanged(client: Client): void {
    if (this.client !== client || this.status !== 'running') return;
    if (this.relisting) {
      this.relistAgain = true;
      return;
    }
    this.relisting = (async () => {
      do {
        this.relistAgain = false;
        try {
          const tools = await this.listTools(client, Date.now() + this.timeouts.startMs);
          if (this.client !== client) return;
          this.listedTools = tools;
          this.log.note(`tools changed: ${tools.length} tool(s)`);
          this.onChange();
        } catch (error) {
          if (this.client === client) this.log.note(`could not list the changed tools (keeping the previous list): ${message(error)}`);
          return;
        }
      } while (this.relistAgain);
    })().finally(() => (this.relisting = undefined));
  }

  /** The connection ended: a crash unless we closed it. */
  private closed(client: Client): void {
    // While starting, connect() or tools/list fails too, and start() reports why.
    if (this.client !== client || this.stopping || this.status === 'starting') return;
    this.client = undefined;
    const reason = `the server stopped unexpectedly${this.stderrHint()}`;
    this.log.note(reason);
    this.setStatus('crashed', reason);
  }

  private stderrHint(): string {
    const tail = this.log.tail(3).split('\n').filter((l) => l && !l.startsWith('[tandem]')).join(' | ');
    return tail ? `; its last output: ${tail.slice(0, 500)}` : '';
  }

  private describe(): string {
    return this.config.type === 'stdio' ? `${this.config.command} ${this.config.args.join(' ')}`.trim() : this.config.url;
  }

  /** Read through a call: the status changes behind an await (the close handler), which narrowing cannot see. */
  private currentStatus(): McpServerStatus {
    return this.status;
  }

  private setStatus(status: McpServerStatus, reason: string | undefined): void {
    this.status = status;
    this.reason = reason;
    this.onChange();
  }
}

function formatSeconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'ENOTFOUND', 'EHOSTUNREACH']);

/** The socket-level reason when `error` (or an error it wraps) is a failed fetch, else undefined. */
function networkFailure(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return code;
    if (current instanceof TypeError && current.message === 'fetch failed') {
      const cause = (current as { cause?: { code?: unknown } }).cause?.code;
      return typeof cause === 'string' ? `fetch failed: ${cause}` : 'fetch failed';
    }
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
