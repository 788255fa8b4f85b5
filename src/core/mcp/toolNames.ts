// What the model sees of an MCP server's tools: a name `mcp__<server>__<tool>` the APIs accept (at most 64
// characters of [a-zA-Z0-9_-]), unique across every server, and the tool's own description and JSON
// schema, checked and capped (a server is untrusted input: a 5 MB schema or a non-object would break every
// request of the session). Names are stable for the same servers and tools, so the request prefix (and the
// provider's prompt cache) stays the same from one request to the next. Pure: no node imports.
import type { ToolSpec } from '../model/types';
import { BIDI } from './config';

export const MAX_TOOL_NAME = 64;
export const MAX_TOOL_DESCRIPTION = 2000;
export const MAX_TOOL_SCHEMA_BYTES = 32 * 1024;
/** Tools per server the model is offered; a server listing more has the rest left out (and noted). */
export const MAX_TOOLS_PER_SERVER = 128;

/** One tool as the server listed it (the SDK's `Tool`, the fields Tandem reads). */
export interface McpListedTool {
  name: string;
  description?: string;
  inputSchema?: unknown;
  annotations?: { readOnlyHint?: unknown; destructiveHint?: unknown; title?: unknown };
}

/** A tool that passed the checks, under the name the model calls it by. */
export interface McpToolEntry {
  /** `mcp__<server>__<tool>`, sanitised and unique. */
  exposedName: string;
  server: string;
  /** The name the server knows it by (sent back in tools/call). */
  tool: string;
  spec: Extract<ToolSpec, { kind: 'function' }>;
  /** The server says the tool does not change anything (a hint, trusted only as far as the policy lets it). */
  readOnlyHint: boolean;
}

/** `[a-zA-Z0-9_-]` only; everything else becomes `_`. */
export function sanitizeNamePart(text: string): string {
  return text.replace(/[^a-zA-Z0-9_-]/g, '_');
}

/** FNV-1a, 32 bits, base 36: a short stable suffix that tells two truncated names apart. */
export function shortHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(36).padStart(7, '0');
}

/** The name for `tool` of `server` before collisions are settled: truncated with a hash when too long. */
export function exposedToolName(server: string, tool: string): string {
  const name = `mcp__${sanitizeNamePart(server)}__${sanitizeNamePart(tool)}`;
  if (name.length <= MAX_TOOL_NAME) return name;
  const suffix = `_${shortHash(`${server}\0${tool}`)}`;
  return name.slice(0, MAX_TOOL_NAME - suffix.length) + suffix;
}

/**
 * The model-facing names for every server's tools, in the order given. A name already taken (two tools
 * whose names differ only in characters that were replaced, or truncated alike) gets `_2`, `_3`…
 */
export function assignToolNames(tools: readonly { server: string; tool: string }[]): string[] {
  const taken = new Set<string>();
  return tools.map(({ server, tool }) => {
    const base = exposedToolName(server, tool);
    let name = base;
    for (let n = 2; taken.has(name); n++) {
      const suffix = `_${n}`;
      name = base.slice(0, MAX_TOOL_NAME - suffix.length) + suffix;
    }
    taken.add(name);
    return name;
  });
}

export type ToolCheck = { ok: true; description: string; parameters: Record<string, unknown>; readOnlyHint: boolean } | { ok: false; reason: string };

/** Validates one listed tool: a name, a JSON object schema of `type: "object"` within the size cap. */
export function checkListedTool(listed: unknown): ToolCheck {
  if (typeof listed !== 'object' || listed === null) return { ok: false, reason: 'not an object' };
  const tool = listed as McpListedTool;
  // The name is shown on the approval card: no control characters or direction overrides.
  // eslint-disable-next-line no-control-regex
  if (typeof tool.name !== 'string' || tool.name.length === 0 || tool.name.length > 256 || /[\x00-\x1f\x7f]/.test(tool.name) || BIDI.test(tool.name)) return { ok: false, reason: 'no valid name' };
  const schema = tool.inputSchema ?? { type: 'object', properties: {} };
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return { ok: false, reason: 'its input schema is not a JSON object' };
  let text: string;
  try {
    text = JSON.stringify(schema);
  } catch {
    return { ok: false, reason: 'its input schema cannot be serialised' };
  }
  if (text.length > MAX_TOOL_SCHEMA_BYTES) return { ok: false, reason: `its input schema is ${Math.round(text.length / 1024)} KiB (at most ${MAX_TOOL_SCHEMA_BYTES / 1024} KiB)` };
  const parameters = JSON.parse(text) as Record<string, unknown>;
  if (parameters.type !== undefined && parameters.type !== 'object') return { ok: false, reason: 'its input schema is not of type "object"' };
  parameters.type = 'object';
  if (parameters.properties === undefined) parameters.properties = {};
  const raw = typeof tool.description === 'string' ? tool.description : '';
  const description = raw.length > MAX_TOOL_DESCRIPTION ? `${raw.slice(0, MAX_TOOL_DESCRIPTION)}…` : raw;
  return { ok: true, description, parameters, readOnlyHint: tool.annotations?.readOnlyHint === true };
}

/** Every server's listed tools as entries, with what was left out and why. */
export function buildToolEntries(servers: readonly { server: string; tools: readonly unknown[] }[]): { entries: McpToolEntry[]; skipped: string[] } {
  const skipped: string[] = [];
  const accepted: { server: string; tool: string; check: Extract<ToolCheck, { ok: true }> }[] = [];
  for (const { server, tools } of servers) {
    if (tools.length > MAX_TOOLS_PER_SERVER) skipped.push(`${server}: lists ${tools.length} tools; only the first ${MAX_TOOLS_PER_SERVER} are offered.`);
    const seen = new Set<string>();
    for (const listed of tools.slice(0, MAX_TOOLS_PER_SERVER)) {
      const check = checkListedTool(listed);
      const name = (listed as { name?: unknown } | null)?.name;
      const label = typeof name === 'string' ? name.slice(0, 80) : '?';
      if (!check.ok) skipped.push(`${server}: tool "${label}" left out: ${check.reason}.`);
      else if (seen.has((listed as McpListedTool).name)) skipped.push(`${server}: tool "${label}" listed twice; the first is kept.`);
      else {
        seen.add((listed as McpListedTool).name);
        accepted.push({ server, tool: (listed as McpListedTool).name, check });
      }
    }
  }
  const names = assignToolNames(accepted);
  const entries = accepted.map(({ server, tool, check }, i): McpToolEntry => ({
    exposedName: names[i]!,
    server,
    tool,
    readOnlyHint: check.readOnlyHint,
    spec: { kind: 'function', name: names[i]!, description: check.description || `Tool "${tool}" of the MCP server "${server}".`, parameters: check.parameters },
  }));
  return { entries, skipped };
}
