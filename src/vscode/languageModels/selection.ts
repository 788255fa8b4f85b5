// Whether the user chose VS Code's language models as Tandem's provider (`tandem.provider: "vscode-lm"`, the
// model id in `tandem.model`), and the model client for it. Read from the user's settings only, like the
// base URL: a workspace's .vscode/settings.json must not send the conversation somewhere the user did not
// choose. Light: the client (and with it the model layer and the openai SDK) is loaded on first use only.
import * as vscode from 'vscode';
import { resolveUserOnlyString } from '../../core/settings/safeSettings';
import type { ModelClient } from '../../core/model/types';
import type * as LanguageModelClientModule from './languageModelClient';

/** The `tandem.provider` value that selects VS Code's Language Model API. */
export const VSCODE_LM_PROVIDER = 'vscode-lm';

export function languageModelProviderSelected(): boolean {
  const inspected = vscode.workspace.getConfiguration('tandem').inspect<unknown>('provider') ?? {};
  return resolveUserOnlyString('tandem.provider', inspected, '').value === VSCODE_LM_PROVIDER;
}

/** A client for the VS Code language model `modelId` when that provider is chosen, else undefined (the OpenAI-compatible client). */
export function languageModelClientIfSelected(modelId: string): ModelClient | undefined {
  if (!languageModelProviderSelected()) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberate: deferred module evaluation (see chatController's loadAgentFactory)
  const { LanguageModelClient } = require('./languageModelClient') as typeof LanguageModelClientModule;
  return new LanguageModelClient(modelId);
}
