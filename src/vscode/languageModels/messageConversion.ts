// Tandem's conversation as VS Code Language Model API messages, and the API's tools. Pure: the `vscode`
// classes (LanguageModelChatMessage, LanguageModelTextPart, …) come in through `LanguageModelParts`, so the
// conversion is tested without VS Code (test/unit/vscode/languageModels/). The API has no system role in the
// stable surface, so the instructions are the first user message; custom (grammar) tools do not exist, so
// apply_patch is sent as its `fallback` function and a call of it comes back as `{"input": …}`, as on
// Chat Completions (src/core/model/chatClient.ts).
import { ModelError } from '../../core/model/errors';
import type { ConversationItem, ModelRequest, ToolSpec } from '../../core/model/types';

/** The constructors of the API's message parts (vscode.LanguageModel*), injected. */
export interface LanguageModelParts<Message, Part> {
  text(value: string): Part;
  toolCall(callId: string, name: string, input: object): Part;
  toolResult(callId: string, content: Part[]): Part;
  user(content: Part[]): Message;
  assistant(content: Part[]): Message;
  /** Image data for a user message; absent when this VS Code or this model cannot take images. */
  image?: (data: Uint8Array, mimeType: string) => Part;
}

/** What `sendRequest` takes as `options.tools` (vscode.LanguageModelChatTool, a plain interface). */
export interface LanguageModelTool {
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
}

export interface ConversionOptions {
  /** Named in messages ("images are not supported by …"). */
  modelLabel: string;
  /** Why images cannot be sent, when `parts.image` is absent (shown to the user). */
  noImagesReason?: string;
}

/** Stands in for an empty call id (the API pairs a result with its call by id; '' would pair with anything). */
const UNNAMED_CALL_PREFIX = 'tandem_unnamed_call_';

export function toLanguageModelTools(tools: readonly ToolSpec[]): LanguageModelTool[] {
  return tools.map((tool) => {
    const { description, parameters } = tool.kind === 'function' ? tool : tool.fallback;
    return { name: tool.name, description, inputSchema: parameters };
  });
}

/**
 * The object a LanguageModelToolCallPart carries for a call of ours. Function calls carry JSON text, which a
 * model may have got wrong: anything that is not a JSON object is kept verbatim under `invalid_arguments`
 * (the model sees what it sent, and the tool output that follows says what was wrong with it).
 */
export function toolCallInput(item: Extract<ConversationItem, { type: 'function_call' | 'custom_tool_call' }>): object {
  if (item.type === 'custom_tool_call') return { input: item.input };
  try {
    const parsed: unknown = JSON.parse(item.arguments);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed;
  } catch {
    // not JSON: kept below
  }
  return { invalid_arguments: item.arguments };
}

/** The instructions, plus the answer format when the request wants structured output (the API has no such option). */
export function instructionsText(request: Pick<ModelRequest, 'instructions' | 'outputSchema'>): string {
  if (!request.outputSchema) return request.instructions;
  return `${request.instructions}\n\nAnswer with a single JSON object and nothing else (no prose, no code fence). It must match this JSON schema (${request.outputSchema.name}):\n${JSON.stringify(request.outputSchema.schema)}`;
}

interface Draft<Part> {
  role: 'user' | 'assistant';
  parts: Part[];
  /** A user message that holds tool results: further results of the same batch join it. */
  results?: boolean;
}

/**
 * The request's conversation as API messages, in order: the instructions as a user message, then each item.
 * A response's calls join the assistant message of its text; consecutive results share one user message (the
 * API wants the results of an assistant message's calls in the user message right after it). A result whose
 * call is not in the conversation (a history cut by compaction, a hostile log) goes as plain text rather than
 * as a result the provider may reject. Images of the newest user message fail the request when the model
 * cannot take them (the user is told); older ones are replaced by a note, so one image does not end the chat.
 */
export function toLanguageModelMessages<Message, Part>(
  request: Pick<ModelRequest, 'instructions' | 'input' | 'outputSchema'>,
  parts: LanguageModelParts<Message, Part>,
  options: ConversionOptions,
): Message[] {
  const drafts: Draft<Part>[] = [{ role: 'user', parts: [parts.text(instructionsText(request))] }];
  const newestUser = lastIndexOf(request.input, (item) => item.type === 'user');
  /** Call ids seen so far, as sent; an empty id gets a numbered stand-in, its result takes the oldest one unanswered. */
  const sentIds = new Set<string>();
  const unnamed: string[] = [];
  let unnamedCount = 0;
  const takenIds = new Set(request.input.flatMap((item) => ('callId' in item ? [item.callId] : [])));

  request.input.forEach((item, index) => {
    const last = drafts[drafts.length - 1];
    switch (item.type) {
      case 'compaction':
        if (item.projectInstructions) drafts.push({ role: 'user', parts: [parts.text(item.projectInstructions)] });
        drafts.push({ role: 'user', parts: [parts.text(item.text)] });
        break;
      case 'user':
        drafts.push({ role: 'user', parts: userParts(item, index === newestUser, parts, options) });
        break;
      case 'assistant':
        drafts.push({ role: 'assistant', parts: [parts.text(item.text)] });
        break;
      case 'function_call':
      case 'custom_tool_call': {
        let callId = item.callId;
        if (callId === '') {
          do callId = `${UNNAMED_CALL_PREFIX}${unnamedCount++}`;
          while (takenIds.has(callId));
          takenIds.add(callId);
          unnamed.push(callId);
        }
        sentIds.add(callId);
        const call = parts.toolCall(callId, item.name, toolCallInput(item));
        if (last?.role === 'assistant') last.parts.push(call);
        else drafts.push({ role: 'assistant', parts: [call] });
        break;
      }
      case 'tool_output': {
        const callId = item.callId === '' ? unnamed.shift() : item.callId;
        if (callId === undefined || !sentIds.has(callId)) {
          drafts.push({ role: 'user', parts: [parts.text(`Output of an earlier tool call (${item.callId || 'no id'}):\n${item.output}`)] });
          break;
        }
        const result = parts.toolResult(callId, [parts.text(item.output)]);
        if (last?.results) last.parts.push(result);
        else drafts.push({ role: 'user', parts: [result], results: true });
        break;
      }
    }
  });
  return drafts.map((draft) => (draft.role === 'user' ? parts.user(draft.parts) : parts.assistant(draft.parts)));
}

function userParts<Message, Part>(
  item: Extract<ConversationItem, { type: 'user' }>,
  newest: boolean,
  parts: LanguageModelParts<Message, Part>,
  options: ConversionOptions,
): Part[] {
  const images = item.images ?? [];
  const out = [parts.text(item.text)];
  if (!images.length) return out;
  const image = parts.image;
  if (image) {
    for (const { mediaType, dataBase64 } of images) out.push(image(new Uint8Array(Buffer.from(dataBase64, 'base64')), mediaType));
    return out;
  }
  const reason = options.noImagesReason ?? `${options.modelLabel} cannot take images`;
  if (newest) {
    throw new ModelError('bad_request', `Images are not supported by ${options.modelLabel}: ${reason}. Remove the image, or choose a model that takes images.`);
  }
  out.push(parts.text(`[${images.length === 1 ? 'An image was' : `${images.length} images were`} attached here; not shown: ${reason}.]`));
  return out;
}

function lastIndexOf<T>(items: readonly T[], test: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (test(items[i] as T)) return i;
  return -1;
}
