// The model a chat session talks to, built from the provider settings: VS Code's language models when
// `tandem.provider` is `vscode-lm`, else the OpenAI-compatible client with the provider's auth style (the
// key from that provider's own slot) and what is known about the model (modelInfo.ts: the user's
// `tandem.models` / `tandem.contextWindow`, what the provider's /models said, the known-models table),
// which also sets the context window compaction and the meter work with.
// Light: the model layer (and the openai SDK) is loaded only when a session is made, as chatController does.
import type * as CreateClient from '../../core/model/createClient';
import { resolveModelInfo, type ModelInfo } from '../../core/model/modelInfo';
import type { ModelClient } from '../../core/model/types';
import { authStyleFor } from '../../shared/providers';
import type { ApiKeyStore } from '../apiKey';
import type { TandemConfig } from '../config';
import { languageModelContextWindow } from '../languageModels/modelCatalog';
import { languageModelClientIfSelected } from '../languageModels/selection';
import { serverModelFacts } from './listedModels';

export interface SessionModel {
  modelClient: ModelClient;
  modelInfo: ModelInfo;
}

/** What the model settings make: the client and the facts about its model. */
export async function sessionModel(config: TandemConfig, apiKeys: Pick<ApiKeyStore, 'getFor'>): Promise<SessionModel> {
  if (config.provider === 'vscode-lm') {
    // VS Code's Language Model API (src/vscode/languageModels, another module): its own client and window.
    const client = languageModelClientIfSelected(config.model);
    const window = await languageModelContextWindow(config.model).catch(() => undefined);
    const modelInfo = resolveModelInfo(config.model, { ...(window ? { server: { contextWindow: window } } : {}), override: config.modelOverride });
    if (client) return { modelClient: client, modelInfo };
  }
  const target = { provider: config.provider, baseUrl: config.baseUrl };
  const apiKey = (await apiKeys.getFor(target)) ?? '';
  const server = await serverModelFacts(target, config.model, apiKey);
  const modelInfo = resolveModelInfo(config.model, { server, override: config.modelOverride });
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberate: the model layer loads with the first session, not at activation
  const { createModelClient } = require('../../core/model/createClient') as typeof CreateClient;
  const modelClient = createModelClient({ wireApi: config.wireApi, baseUrl: config.baseUrl, apiKey, provider: config.provider, auth: authStyleFor(config.provider), modelInfo });
  return { modelClient, modelInfo };
}

/**
 * The `createAgentSession` options for the configured model (chatController spreads them into its call):
 * the client, and the compaction settings with the model's window.
 */
export async function sessionModelOptions(
  config: TandemConfig,
  apiKeys: Pick<ApiKeyStore, 'getFor'>,
): Promise<{ modelClient: ModelClient; compaction: { threshold: number; contextWindow: number } }> {
  const { modelClient, modelInfo } = await sessionModel(config, apiKeys);
  return { modelClient, compaction: { threshold: config.compactionThreshold, contextWindow: modelInfo.contextWindow } };
}
