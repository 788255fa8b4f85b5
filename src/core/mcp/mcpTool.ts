// An MCP server's tool as one of the agent's tools: the model calls `mcp__<server>__<tool>` with JSON
// arguments, the call goes through the approval policy (an `mcp` approval subject, decided in
// approvals/policy.ts), then to the server through the host's client (src/node/mcp), with the turn's abort
// signal. What comes back is the server's text (untrusted): known secrets redacted, cut to a budget like
// command output, and shown on the tool card.
import { knownSecrets } from '../secrets/knownSecrets';
import { parseJsonObject } from '../tools/execCommand';
import { truncateMiddle } from '../tools/outputFormat';
import { ToolInputError, type Tool, type ToolResult } from '../tools/types';
import type { McpToolEntry } from './toolNames';
import { sanitizeNamePart, shortHash } from './toolNames';

/** Output budget of one MCP call, in tokens (same scale as a command's default). */
export const MCP_OUTPUT_TOKENS = 10_000;
/** Arguments larger than this are refused before anything is asked or sent. */
export const MAX_MCP_ARGUMENTS = 256 * 1024;
/** What the approval card shows of the arguments. */
export const MAX_SHOWN_ARGUMENTS = 4000;

/** One content block of a tools/call result (the fields Tandem reads). */
export interface McpContentBlock {
  type: string;
  text?: unknown;
  mimeType?: unknown;
  uri?: unknown;
  name?: unknown;
  resource?: { uri?: unknown; text?: unknown; mimeType?: unknown };
}

export interface McpCallResult {
  content?: unknown;
  structuredContent?: unknown;
  isError?: boolean;
}

/** The host's side: calls a tool on a running server (throws with a message the user can read on failure). */
export interface McpToolCaller {
  callTool(server: string, tool: string, args: Record<string, unknown>, signal: AbortSignal): Promise<McpCallResult>;
  /** The user chose "always allow" for this server's tools (VS Code's global state); absent: never. */
  isServerAllowed?(server: string): boolean;
}

/** The key "approve for session" remembers for a server: shell-literal, one per server name. */
export function mcpSessionKey(server: string): string {
  return `mcp-server-${sanitizeNamePart(server).slice(0, 40)}-${shortHash(server)}`;
}

export function createMcpTool(entry: McpToolEntry, caller: McpToolCaller): Tool<Record<string, unknown>> {
  return {
    name: entry.exposedName,
    spec: entry.spec,
    parse(input) {
      if (input.length > MAX_MCP_ARGUMENTS) throw new ToolInputError(`The arguments are larger than ${MAX_MCP_ARGUMENTS / 1024} KiB.`);
      return input.trim() === '' ? {} : parseJsonObject(input, entry.exposedName, '{}');
    },
    describe() {
      return { title: `${entry.server} · ${entry.tool}` };
    },
    async run(args, ctx): Promise<ToolResult> {
      const auth = await ctx.authorize({
        kind: 'mcp',
        server: entry.server,
        tool: entry.tool,
        arguments: shownArguments(args),
        readOnlyHint: entry.readOnlyHint,
        ...(caller.isServerAllowed?.(entry.server) ? { serverAllowed: true } : {}),
        command: mcpSessionKey(entry.server),
        reason: '',
      });
      if (!auth.allowed) {
        return { status: 'denied', output: `The MCP tool was not called. ${auth.reason}\nDo not retry it unchanged; adjust your approach or ask the user.` };
      }
      let result: McpCallResult;
      try {
        result = await caller.callTool(entry.server, entry.tool, args, ctx.signal);
      } catch (error) {
        if (ctx.signal.aborted) return { status: 'cancelled', output: 'The MCP tool call was cancelled.' };
        // The server's error text is untrusted and may be huge: redacted and cut like any output.
        const message = truncateMiddle(knownSecrets.redact(error instanceof Error ? error.message : String(error)), 500);
        ctx.emit({ type: 'tool.output', turnId: ctx.turnId, callId: ctx.callId, chunk: message });
        return { status: 'error', output: `The MCP tool call failed: ${message}` };
      }
      const text = truncateMiddle(knownSecrets.redact(resultText(result)), MCP_OUTPUT_TOKENS);
      if (text) ctx.emit({ type: 'tool.output', turnId: ctx.turnId, callId: ctx.callId, chunk: text });
      return { status: result.isError === true ? 'error' : 'ok', output: text || '(no output)' };
    },
  };
}

/** The arguments as the user sees them on the card: indented JSON, cut at MAX_SHOWN_ARGUMENTS. */
export function shownArguments(args: Record<string, unknown>): string {
  const text = JSON.stringify(args, null, 2);
  return text.length > MAX_SHOWN_ARGUMENTS ? `${text.slice(0, MAX_SHOWN_ARGUMENTS)}\n… (${text.length - MAX_SHOWN_ARGUMENTS} more characters)` : text;
}

/** A tools/call result as text: text blocks verbatim, embedded resources' text, the rest named. */
export function resultText(result: McpCallResult): string {
  const blocks = Array.isArray(result.content) ? (result.content as unknown[]) : [];
  const parts: string[] = [];
  for (const raw of blocks) {
    if (typeof raw !== 'object' || raw === null) continue;
    const block = raw as McpContentBlock;
    if (block.type === 'text' && typeof block.text === 'string') parts.push(block.text);
    else if (block.type === 'resource' && typeof block.resource?.text === 'string') parts.push(block.resource.text);
    else if (block.type === 'resource_link' && typeof block.uri === 'string') parts.push(`[resource ${block.uri.slice(0, 500)}]`);
    else if (block.type === 'image' || block.type === 'audio') parts.push(`[${block.type}${typeof block.mimeType === 'string' ? ` ${block.mimeType.slice(0, 60)}` : ''} omitted]`);
    else parts.push(`[${String(block.type).slice(0, 40)} content omitted]`);
  }
  if (parts.length === 0 && result.structuredContent !== undefined) {
    try {
      parts.push(JSON.stringify(result.structuredContent));
    } catch {
      /* not serialisable: nothing to show */
    }
  }
  return parts.join('\n');
}
