// The provider-neutral model interface of the agent loop. Providers (Responses API, Chat Completions)
// translate this request into their wire format with the `openai` SDK and translate the SSE stream back
// into `ModelStreamEvent`s. Nothing above this file knows which wire API is in use.
import type { Usage } from '../../shared/events';
import type { CompactionState } from '../compaction/types';

/** A conversation item, in the order the model saw or produced it. Append-only within a session. */
export type ConversationItem =
  | { type: 'user'; text: string; images?: { mediaType: string; dataBase64: string }[] }
  | { type: 'assistant'; text: string }
  /** A JSON-arguments function call (exec_command, update_plan, apply_patch on Chat Completions…). */
  | { type: 'function_call'; callId: string; name: string; arguments: string }
  /** A freeform (custom / grammar) tool call: apply_patch on the Responses API. */
  | { type: 'custom_tool_call'; callId: string; name: string; input: string }
  /** The result the agent sends back for `callId` (matches the call's type on the wire). */
  | { type: 'tool_output'; callId: string; output: string; custom?: boolean }
  /**
   * Replaces everything before it (compaction/compactor.ts): sent as two user messages, the project
   * instructions (AGENTS.md, read fresh at compaction time) and `text` (kept user messages, ledger, summary).
   * `state` is what the next compaction starts from. The session log keeps the full transcript before it.
   * `native`: the summary is the provider's own opaque compaction item (Responses API), sent after `text`
   * only to the server that made it; anywhere else `text` alone stands (it says so).
   */
  | { type: 'compaction'; projectInstructions?: string; text: string; state: CompactionState; native?: NativeCompaction };

/** A summary made by the provider's compaction endpoint: opaque, only its maker can read it. */
export interface NativeCompaction {
  /** The server's `encrypted_content`, sent back verbatim as an input item of type `compaction`. */
  encryptedContent: string;
  /** Where it was made (`compactionOrigin` of the base URL): another server cannot decrypt it. */
  origin: string;
}

export type ToolSpec =
  | { kind: 'function'; name: string; description: string; parameters: Record<string, unknown> }
  /** Freeform tool constrained by a Lark grammar (Responses API only; Chat gets `fallback` instead). */
  | { kind: 'custom'; name: string; description: string; grammar: { syntax: 'lark'; definition: string }; fallback: { description: string; parameters: Record<string, unknown> } };

export interface ModelRequest {
  model: string;
  instructions: string;
  input: ConversationItem[];
  tools: ToolSpec[];
  /** Sent as `prompt_cache_key` (the session id) so consecutive requests hit the same cache. */
  promptCacheKey?: string;
  /** Ask for a JSON answer matching this schema (structured output, strict); the agent loop never sets it. */
  outputSchema?: { name: string; schema: Record<string, unknown> };
}

export type ModelStreamEvent =
  | { type: 'text.delta'; itemId: string; delta: string }
  | { type: 'text.done'; itemId: string; text: string }
  | { type: 'function_call'; callId: string; name: string; arguments: string }
  | { type: 'custom_tool_call'; callId: string; name: string; input: string }
  | { type: 'usage'; usage: Usage }
  | { type: 'done' };

/** What goes to a provider's compaction endpoint (compaction/native.ts decides the items). */
export interface CompactRequest {
  model: string;
  instructions: string;
  input: ConversationItem[];
  promptCacheKey?: string;
}

export type NativeCompactOutcome =
  | { type: 'compacted'; compaction: NativeCompaction }
  /** The server has no such endpoint, or answered it with something unusable: summarise ourselves. */
  | { type: 'unsupported'; reason: string };

export interface ModelClient {
  /** Streams one model response. Throws `ModelError` (see errors.ts) for classified failures. */
  stream(request: ModelRequest, signal: AbortSignal): AsyncIterable<ModelStreamEvent>;
  /**
   * The provider's own compaction of `request.input`, where the wire API has one (Responses:
   * `POST /responses/compact`). Absent, or answering `unsupported`, means Tandem summarises itself. Throws
   * `ModelError` for failures a user must see (auth, quota, a server that keeps failing).
   */
  compact?(request: CompactRequest, signal: AbortSignal): Promise<NativeCompactOutcome>;
}
