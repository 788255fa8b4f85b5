// Tandem's settings as the rest of the extension sees them. Settings that loosen safety are read with
// `inspect()` and resolved by src/core/settings/safeSettings.ts: the user's settings decide, and a
// workspace (a cloned repository's .vscode/settings.json, a folder's settings) can only make them
// stricter. `model` and `wireApi` are application-scoped in package.json, so VS Code itself ignores
// them in a workspace; so are `maxStepsPerTurn` and `compaction.threshold`, which are also read as
// user-only values here (a workspace value is ignored even where the scope is not enforced), and the
// provider settings (`provider`, `contextWindow`, `models`): a repository must not choose whose key is
// sent where, nor shrink or inflate the window compaction works with.
import * as vscode from 'vscode';
import type { ApprovalPolicy } from '../core/approvals/policy';
import type { ModelFacts } from '../core/model/modelInfo';
import { resolveProvider, type ProviderId } from '../shared/providers';
import { resolveApprovalPolicy, resolveSandboxMode, resolveSandboxNetwork, resolveUserOnlyNumber, resolveUserOnlyString } from '../core/settings/safeSettings';
import type { SandboxSettings } from '../node/sandbox/sandboxPlan';
import { resolveModelOverride } from './setup/modelSettings';

export interface TandemConfig {
  /** `tandem.provider`, or when unset the preset `tandem.baseUrl` belongs to (providers.ts resolveProvider). */
  provider: ProviderId;
  baseUrl: string;
  model: string;
  wireApi: 'responses' | 'chat';
  approvalPolicy: ApprovalPolicy;
  sandbox: SandboxSettings;
  /** Model requests per turn before it pauses with a Continue offer (`tandem.maxStepsPerTurn`). */
  maxStepsPerTurn: number;
  /** Share of the context window at which the conversation is compacted (`tandem.compaction.threshold`, 0.5–0.95). */
  compactionThreshold: number;
  /**
   * What the user says about the configured model: `tandem.models["<model>"]` (context window, image input,
   * tool calling, structured output), with `tandem.contextWindow` (when not 0) as the window.
   */
  modelOverride: ModelFacts;
  /** Workspace settings that were not applied because they would loosen safety (to tell the user). */
  ignoredWorkspaceSettings: string[];
}

/**
 * Reads Tandem's settings. In an untrusted workspace the policy is read-only. An unknown sandbox value
 * means the default (sandboxed, no network), never "off".
 */
export function readConfig(): TandemConfig {
  const c = vscode.workspace.getConfiguration('tandem');
  const inspect = (key: string) => c.inspect<unknown>(key) ?? {};
  const wireApi = c.get<string>('wireApi', 'responses');
  const baseUrl = resolveUserOnlyString('tandem.baseUrl', inspect('baseUrl'), 'https://api.openai.com/v1');
  const policy = resolveApprovalPolicy(inspect('approvalPolicy'), vscode.workspace.isTrusted);
  const mode = resolveSandboxMode(inspect('sandbox.mode'));
  const network = resolveSandboxNetwork(inspect('sandbox.network'));
  const maxSteps = resolveUserOnlyNumber('tandem.maxStepsPerTurn', inspect('maxStepsPerTurn'), 400, { min: 1, max: 10_000, integer: true });
  const threshold = resolveUserOnlyNumber('tandem.compaction.threshold', inspect('compaction.threshold'), 0.8, { min: 0.5, max: 0.95, integer: false });
  const provider = resolveUserOnlyString('tandem.provider', inspect('provider'), '');
  const model = c.get<string>('model', 'gpt-5.5').trim() || 'gpt-5.5';
  const modelOverride = resolveModelOverride(inspect('models'), inspect('contextWindow'), model);
  return {
    provider: resolveProvider(provider.value, baseUrl.value),
    baseUrl: baseUrl.value,
    model,
    wireApi: wireApi === 'chat' ? 'chat' : 'responses',
    approvalPolicy: policy.value,
    sandbox: { mode: mode.value, network: network.value },
    maxStepsPerTurn: maxSteps.value,
    compactionThreshold: threshold.value,
    modelOverride: modelOverride.value,
    ignoredWorkspaceSettings: [
      ...baseUrl.ignored,
      ...policy.ignored,
      ...mode.ignored,
      ...network.ignored,
      ...maxSteps.ignored,
      ...threshold.ignored,
      ...provider.ignored,
      ...modelOverride.ignored,
    ],
  };
}
