// Picks the provider for `tandem.wireApi`. Everything above this sees only `ModelClient`.
import { ChatClient } from './chatClient';
import type { OpenAIClientConfig } from './openaiSdk';
import { ResponsesClient } from './responsesClient';
import type { ModelClient } from './types';

export type WireApi = 'responses' | 'chat';

export interface ModelClientConfig extends OpenAIClientConfig {
  wireApi: WireApi;
}

export function createModelClient(config: ModelClientConfig): ModelClient {
  const { wireApi, ...sdkConfig } = config;
  return wireApi === 'chat' ? new ChatClient(sdkConfig) : new ResponsesClient(sdkConfig);
}
