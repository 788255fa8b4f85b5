// The chat header's facts (model, provider, approval mode, key, trust, sandbox, context window), read
// fresh from the settings, SecretStorage and the runner whenever one of them changes.
import * as vscode from 'vscode';
import { describeConfinement } from '../core/approvals/policy';
import type { ProcessRunner } from '../core/ports';
import type { ViewConfig } from '../shared/protocol';
import { resolveModelInfo } from '../core/model/modelInfo';
import { providerNeedsKey } from '../shared/providers';
import type { ApiKeyStore } from './apiKey';
import { readConfig } from './config';
import { knownServerModelFacts } from './setup/listedModels';
import { foundLocalServers } from './setup/localServers';
import { languageModelContextWindow } from './languageModels/modelCatalog';

/** `model`: the chat's own model when it has one (the header's picker), else the default `tandem.model`. */
export async function readViewConfig(runner: ProcessRunner, apiKeys: ApiKeyStore, model?: string): Promise<ViewConfig> {
  const config = { ...readConfig(), ...(model !== undefined ? { model } : {}) };
  const sandbox = runner.sandboxStatus?.() ?? { state: 'off' as const, reason: 'No sandbox for this runner.' };
  return {
    model: config.model,
    wireApi: config.wireApi,
    baseUrl: config.baseUrl,
    provider: config.provider,
    keyRequired: providerNeedsKey(config.provider),
    approvalPolicy: config.approvalPolicy,
    hasApiKey: Boolean(await apiKeys.get()),
    trusted: vscode.workspace.isTrusted,
    sandbox: {
      state: sandbox.state,
      // What each kind of command may do under the current approval mode (the profile is chosen per command).
      detail:
        sandbox.state === 'enforced'
          ? `${sandbox.mechanism}. Judged read-only: ${describeConfinement('read-only', sandbox)} Allowed to write: ${describeConfinement(config.approvalPolicy === 'full-access' ? 'protected-only' : 'workspace-write', sandbox)}`
          : `${sandbox.reason}. ${describeConfinement('unconfined', sandbox)}`,
    },
    // The user's tandem.contextWindow / tandem.models, what the provider's list said, the known-models table (as sessions do).
    // VS Code's language models state their own input limit (the LM catalog), as the session uses it.
    contextWindow:
      (config.provider === 'vscode-lm' ? await languageModelContextWindow(config.model).catch(() => undefined) : undefined) ??
      resolveModelInfo(config.model, { server: knownServerModelFacts({ provider: config.provider, baseUrl: config.baseUrl }, config.model), override: config.modelOverride }).contextWindow,
    localServers: foundLocalServers(),
  };
}
