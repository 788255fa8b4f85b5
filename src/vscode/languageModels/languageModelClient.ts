// Tandem's ModelClient over VS Code's Language Model API: any chat model VS Code offers (Copilot's, another
// extension's LanguageModelChatProvider) answers the agent, with tool calling, streaming and Stop. The model
// is found by id (`tandem.model`) on every request, so a model that went away is reported, not used stale.
// The first request shows VS Code's consent prompt; that is expected (the justification says why), and a
// refusal is reported as such. Loaded lazily (selection.ts): it pulls in the model layer and the openai SDK.
import * as vscode from 'vscode';
import { estimateRequestTokens } from '../../core/compaction/tokens';
import { ModelError } from '../../core/model/errors';
import { guardStream } from '../../core/model/streamGuard';
import type { ModelClient, ModelRequest, ModelStreamEvent } from '../../core/model/types';
import { classifyLanguageModelError } from './languageModelErrors';
import { toLanguageModelMessages, toLanguageModelTools, type LanguageModelParts } from './messageConversion';
import { modelLabelFor, toLanguageModelInfos } from './modelInfo';
import { normalizeLanguageModelParts, type ClassifiedPart } from './responseStream';

/** Shown by VS Code's consent prompt. */
export const LANGUAGE_MODEL_JUSTIFICATION = 'Tandem, the coding agent you chat with, sends your messages, its instructions and the results of the commands it runs to this model.';

type Part = vscode.LanguageModelTextPart | vscode.LanguageModelToolCallPart | vscode.LanguageModelToolResultPart;

/** What newer VS Code versions add to the API, read at runtime: the engine range starts at 1.100. */
interface NewerApi {
  LanguageModelDataPart?: { image?: (data: Uint8Array, mimeType: string) => unknown };
  lm: { registerLanguageModelChatProvider?: unknown };
}
interface ModelCapabilities {
  capabilities?: { supportsImageToText?: unknown; supportsToolCalling?: unknown };
}

/**
 * Image parts for this model, or why there are none. LanguageModelDataPart exists from 1.100 on but is a
 * proposed API until the provider API was finalised; its presence (registerLanguageModelChatProvider) marks a
 * VS Code where image parts are part of the stable surface.
 */
function imageSupport(model: vscode.LanguageModelChat): { image: (data: Uint8Array, mimeType: string) => Part } | { reason: string } {
  const api = vscode as unknown as NewerApi;
  const dataPart = api.LanguageModelDataPart;
  if (typeof api.lm.registerLanguageModelChatProvider !== 'function' || typeof dataPart?.image !== 'function') {
    return { reason: `VS Code ${vscode.version} cannot pass images to its language models` };
  }
  if ((model as ModelCapabilities).capabilities?.supportsImageToText === false) return { reason: 'the model does not accept images' };
  const image = dataPart.image.bind(dataPart);
  return { image: (data, mimeType) => image(data, mimeType) as Part };
}

function partsFor(model: vscode.LanguageModelChat): { parts: LanguageModelParts<vscode.LanguageModelChatMessage, Part>; noImagesReason?: string } {
  const images = imageSupport(model);
  const parts: LanguageModelParts<vscode.LanguageModelChatMessage, Part> = {
    text: (value) => new vscode.LanguageModelTextPart(value),
    toolCall: (callId, name, input) => new vscode.LanguageModelToolCallPart(callId, name, input),
    toolResult: (callId, content) => new vscode.LanguageModelToolResultPart(callId, content),
    user: (content) => vscode.LanguageModelChatMessage.User(content as (vscode.LanguageModelTextPart | vscode.LanguageModelToolResultPart)[]),
    assistant: (content) => vscode.LanguageModelChatMessage.Assistant(content as (vscode.LanguageModelTextPart | vscode.LanguageModelToolCallPart)[]),
    ...('image' in images ? { image: images.image } : {}),
  };
  return 'reason' in images ? { parts, noImagesReason: images.reason } : { parts };
}

function classifyPart(part: unknown): ClassifiedPart {
  if (part instanceof vscode.LanguageModelTextPart) return { kind: 'text', value: part.value };
  if (part instanceof vscode.LanguageModelToolCallPart) return { kind: 'call', callId: part.callId, name: part.name, input: part.input };
  return { kind: 'other' };
}

/** The error for a `tandem.model` VS Code does not offer (any more), naming the ones it does. */
async function modelMissing(id: string): Promise<ModelError> {
  const available = toLanguageModelInfos(await vscode.lm.selectChatModels());
  if (!available.length) {
    return new ModelError('bad_request', `VS Code offers no language models, so the model '${id}' in tandem.model cannot be used. Install or sign in to an extension that provides models (GitHub Copilot, for example), or choose another provider.`);
  }
  const listed = available.slice(0, 10).map((m) => (m.name !== m.id ? `${m.name} (${m.id})` : m.id));
  const more = available.length > listed.length ? ` and ${available.length - listed.length} more` : '';
  return new ModelError('bad_request', `VS Code has no language model with the id '${id}' (tandem.model). Available: ${listed.join(', ')}${more}. Choose one of them.`);
}

export class LanguageModelClient implements ModelClient {
  constructor(private readonly modelId: string) {}

  async *stream(request: ModelRequest, signal: AbortSignal): AsyncIterable<ModelStreamEvent> {
    let label = modelLabelFor({ id: this.modelId, name: '', vendor: '' });
    const itemId = `lm-${globalThis.crypto.randomUUID()}`;
    yield* guardStream(
      async (openSignal) => {
        const [model] = await vscode.lm.selectChatModels({ id: this.modelId });
        if (!model) throw await modelMissing(this.modelId);
        label = modelLabelFor(model);
        return this.send(model, request, openSignal, label);
      },
      (parts) => normalizeLanguageModelParts(parts, classifyPart, { itemId, inputTokens: estimateRequestTokens(request), modelLabel: label }),
      { baseUrl: label, apiKey: '', signal },
    );
  }

  /** Sends the request; the stream it returns ends the request (and its cancellation token) however it ends. */
  private async send(model: vscode.LanguageModelChat, request: ModelRequest, signal: AbortSignal, label: string): Promise<AsyncIterable<unknown>> {
    if (request.tools.length && (model as ModelCapabilities).capabilities?.supportsToolCalling === false) {
      throw new ModelError('bad_request', `${label} does not support tool calling, and Tandem needs tools to run commands and edit files. Choose a model with tool calling.`);
    }
    const { parts, noImagesReason } = partsFor(model);
    const messages = toLanguageModelMessages(request, parts, { modelLabel: label, ...(noImagesReason ? { noImagesReason } : {}) });
    const options: vscode.LanguageModelChatRequestOptions = {
      justification: LANGUAGE_MODEL_JUSTIFICATION,
      ...(request.tools.length ? { tools: toLanguageModelTools(request.tools) } : {}),
    };
    // Stop (and the stall guard) cancel the request at VS Code, which tells the provider.
    const cancellation = new vscode.CancellationTokenSource();
    const cancel = () => cancellation.cancel();
    signal.addEventListener('abort', cancel, { once: true });
    if (signal.aborted) cancel();
    const release = () => {
      signal.removeEventListener('abort', cancel);
      cancellation.dispose();
    };
    let response: vscode.LanguageModelChatResponse;
    try {
      response = await model.sendRequest(messages, options, cancellation.token);
    } catch (error) {
      release();
      throw classifyLanguageModelError(error, label);
    }
    return (async function* () {
      let finished = false;
      try {
        for await (const part of response.stream) yield part;
        finished = true;
      } catch (error) {
        throw classifyLanguageModelError(error, label);
      } finally {
        if (!finished) cancel(); // left early (an error, a stall): the provider stops too
        release();
      }
    })();
  }
}
