// Picks the client for `tandem.wireApi`, sends the key the way the provider expects (auth style), and puts
// the model's known capabilities in front of it. Everything above this sees only `ModelClient`.
import { authStyleFor, detectProvider, providerPreset, type AuthStyle, type ProviderId } from '../../shared/providers';
import { ChatClient } from './chatClient';
import { ModelError } from './errors';
import type { ModelInfo } from './modelInfo';
import type { OpenAIClientConfig } from './openaiSdk';
import { ResponsesClient } from './responsesClient';
import type { CompactRequest, ConversationItem, ModelClient, ModelRequest, ModelStreamEvent, NativeCompactOutcome } from './types';

export type WireApi = 'responses' | 'chat';

export interface ModelClientConfig extends OpenAIClientConfig {
  wireApi: WireApi;
  /** Whose server this is (names it in errors); default: the preset `baseUrl` belongs to (providers.ts detectProvider). */
  provider?: ProviderId;
  /** How the key is sent; default: the provider's preset (Azure `api-key`, local servers none, else bearer). */
  auth?: AuthStyle;
  /**
   * What the model can do (modelInfo.ts). Given: a request with tools to a model without tool calling fails
   * with an error that says so, and images are not sent to a model without image input. Absent: no checks.
   */
  modelInfo?: ModelInfo;
}

/** What the SDK gets for an auth style: the key it signs with and the headers that replace its bearer token. */
export function authOptions(auth: AuthStyle, apiKey: string): Pick<OpenAIClientConfig, 'apiKey' | 'defaultHeaders'> {
  const key = apiKey.trim();
  // Azure OpenAI: `api-key: <key>`, and no Authorization header (`null` removes the SDK's bearer token).
  if (auth === 'api-key') return key ? { apiKey: key, defaultHeaders: { 'api-key': key, Authorization: null } } : { apiKey: key };
  // A local server: the user's key when they stored one (vLLM / llama-server --api-key), else no header at all.
  // The SDK refuses an empty key, so it gets a placeholder that the `null` keeps off the wire.
  if (auth === 'none' && !key) return { apiKey: 'no-key', defaultHeaders: { Authorization: null } };
  return { apiKey: key };
}

export function createModelClient(config: ModelClientConfig): ModelClient {
  const { wireApi, provider: explicitProvider, auth: explicitAuth, modelInfo, ...sdkConfig } = config;
  const provider = explicitProvider ?? detectProvider(config.baseUrl);
  const auth = explicitAuth ?? authStyleFor(provider);
  const signing = authOptions(auth, config.apiKey);
  const headers = signing.defaultHeaders || sdkConfig.defaultHeaders ? { ...signing.defaultHeaders, ...sdkConfig.defaultHeaders } : undefined;
  const withAuth: OpenAIClientConfig = {
    ...sdkConfig,
    apiKey: signing.apiKey,
    ...(headers ? { defaultHeaders: headers } : {}),
    // fetch drops Authorization on a redirect to another origin, but not a custom `api-key` header: no redirects then.
    ...(auth === 'api-key' ? { fetch: withoutRedirects(sdkConfig.fetch ?? globalThis.fetch) } : {}),
  };
  const client = wireApi === 'chat' ? new ChatClient(withAuth) : new ResponsesClient(withAuth);
  return modelInfo ? new CapabilityGuard(client, modelInfo, providerName(provider, config.baseUrl)) : client;
}

/** `fetch` that refuses to follow redirects (a redirect would carry the `api-key` header to wherever it points). */
function withoutRedirects(inner: typeof fetch): typeof fetch {
  return (input, init) => inner(input, { ...init, redirect: 'error' });
}

/** "OpenRouter", "Azure OpenAI", or the base URL for a custom server. */
export function providerName(provider: ProviderId, baseUrl: string): string {
  return provider === 'custom' ? baseUrl : providerPreset(provider).label.replace(/ \(local\)$/, '');
}

/**
 * Applies what the model can do before a request leaves: no tool calling → a clear error instead of a
 * confusing one from the server (or a model that silently ignores its tools); no image input → the images
 * are left out and the message says so, for the model to tell the user.
 */
class CapabilityGuard implements ModelClient {
  /** The provider's own compaction, when the client has one (it must not disappear behind the guard). */
  readonly compact?: (request: CompactRequest, signal: AbortSignal) => Promise<NativeCompactOutcome>;

  constructor(
    private readonly inner: ModelClient,
    private readonly info: ModelInfo,
    private readonly providerLabel: string,
  ) {
    const compact = inner.compact?.bind(inner);
    if (compact) this.compact = (request, signal) => compact(this.info.imageInput ? request : withoutImages(request, this.providerLabel), signal);
  }

  stream(request: ModelRequest, signal: AbortSignal): AsyncIterable<ModelStreamEvent> {
    if (request.tools.length > 0 && !this.info.toolCalling) {
      const error = new ModelError(
        'bad_request',
        `The model "${request.model}" on ${this.providerLabel} does not support tool calling, which Tandem needs to run commands and edit files. Choose a model with tool calling (Tandem: Choose Model), or, if this one has it, set "toolCalling": true for it in tandem.models.`,
      );
      return (async function* (): AsyncGenerator<ModelStreamEvent> {
        yield* [];
        throw error;
      })();
    }
    return this.inner.stream(this.info.imageInput ? request : withoutImages(request, this.providerLabel), signal);
  }
}

/** The request with every image replaced by a note saying it was not sent and why. */
export function withoutImages<R extends Pick<ModelRequest, 'model' | 'input'>>(request: R, providerLabel: string): R {
  if (!request.input.some((item) => item.type === 'user' && item.images?.length)) return request;
  const input = request.input.map((item): ConversationItem => {
    if (item.type !== 'user' || !item.images?.length) return item;
    const count = item.images.length;
    const note = `[${count === 1 ? 'An image was' : `${count} images were`} attached but not sent: the model "${request.model}" on ${providerLabel} does not accept image input. Tell the user so; they can choose a model with image input, or set "imageInput": true for this model in tandem.models if it has it.]`;
    return { type: 'user', text: item.text ? `${item.text}\n\n${note}` : note };
  });
  return { ...request, input };
}
