// The header's pickers and the walkthrough's "choose a provider", as quick picks on the host: the model
// (from the provider's /models when it answers, else typed), the approval mode (each one explained), and
// the provider (base URL, key, model in turn). Everything is written to the user's settings.
import * as vscode from 'vscode';
import type { ApprovalPolicy } from '../../core/approvals/policy';
import { PROVIDERS, baseUrlProblem, detectProvider, modelProblem, providerPreset, type ProviderSetup } from '../../shared/providers';
import type { ApiKeyStore } from '../apiKey';
import { readConfig } from '../config';
import { listModels } from './modelList';
import { promptForKey } from './providerKey';
import { writeProviderSetup, writeUserSetting } from './userSettings';

/** A model id typed by the user, starting from `value`; undefined on Escape. */
async function typeModel(value: string, why?: string): Promise<string | undefined> {
  const model = await vscode.window.showInputBox({
    title: vscode.l10n.t('Tandem: Model'),
    prompt: why ? vscode.l10n.t('The model list is not available ({0}). Type the model id.', why) : vscode.l10n.t('Type the model id.'),
    value,
    ignoreFocusOut: true,
    validateInput: (v) => modelProblem(v),
  });
  return model?.trim() || undefined;
}

/**
 * Picks a model of the server at `baseUrl`: its /models list when it answers (with "type another id"),
 * else a free-text input. Returns the id, or undefined when the user cancelled.
 */
export async function chooseModel(baseUrl: string, apiKey: string | undefined, current: string): Promise<string | undefined> {
  const pick = vscode.window.createQuickPick<vscode.QuickPickItem & { model?: string }>();
  pick.title = vscode.l10n.t('Tandem: Model for {0}', baseUrl);
  pick.placeholder = vscode.l10n.t('Loading the models of {0}…', baseUrl);
  pick.busy = true;
  pick.ignoreFocusOut = true;
  pick.show();
  const cancel = new AbortController();
  const hidden = new Promise<undefined>((resolve) => pick.onDidHide(() => (cancel.abort(), resolve(undefined))));
  const listed = await Promise.race([listModels(baseUrl, apiKey, cancel.signal), hidden]);
  if (!listed) {
    pick.dispose();
    return undefined;
  }
  if (!listed.ok) {
    pick.dispose();
    return typeModel(current, listed.reason);
  }
  const typeOther = { label: vscode.l10n.t('$(edit) Type another model id…'), alwaysShow: true };
  pick.items = [typeOther, ...listed.models.map((model) => ({ label: model, model, ...(model === current ? { description: vscode.l10n.t('current') } : {}) }))];
  pick.activeItems = pick.items.filter((item) => item.model === current);
  pick.placeholder = vscode.l10n.t('{0} models; type to filter', listed.models.length);
  pick.busy = false;
  const chosen = await new Promise<(vscode.QuickPickItem & { model?: string }) | undefined>((resolve) => {
    pick.onDidAccept(() => resolve(pick.selectedItems[0]));
    void hidden.then(resolve);
  });
  pick.dispose();
  if (!chosen) return undefined;
  return chosen.model ?? typeModel(current);
}

/** "Tandem: Choose Model" (the header's model item). */
export async function pickModelCommand(apiKeys: ApiKeyStore): Promise<void> {
  const config = readConfig();
  const model = await chooseModel(config.baseUrl, await apiKeys.get(), config.model);
  if (model) await writeUserSetting('model', model);
}

const POLICIES: readonly { policy: ApprovalPolicy; label: string; detail: string }[] = [
  { policy: 'read-only', label: 'Read-only', detail: 'No edits. Only commands known to be read-only run (in a read-only sandbox).' },
  { policy: 'ask', label: 'Ask before acting', detail: 'Every edit waits for your review; commands not known to be safe wait for your approval.' },
  { policy: 'auto', label: 'Auto in workspace', detail: 'Edits and commands inside the workspace run freely (sandboxed); anything outside it or risky asks.' },
  { policy: 'full-access', label: 'Full access', detail: 'Nothing asks; commands may write anywhere but .git, .vscode, .tandem, .agents and AGENTS.md (those stay read-only, or ask).' },
];

/** "Tandem: Choose Approval Mode" (the header's approval item). */
export async function pickApprovalPolicyCommand(): Promise<void> {
  const current = readConfig().approvalPolicy;
  const items = POLICIES.map((p) => ({ label: vscode.l10n.t(p.label), detail: vscode.l10n.t(p.detail), policy: p.policy, ...(p.policy === current ? { description: vscode.l10n.t('current') } : {}) }));
  const chosen = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Tandem: Approval mode'),
    placeHolder: vscode.workspace.isTrusted ? vscode.l10n.t('When should Tandem ask before acting?') : vscode.l10n.t('This workspace is not trusted: Tandem stays read-only here whatever you choose.'),
    ignoreFocusOut: true,
  });
  if (!chosen) return;
  await writeUserSetting('approvalPolicy', chosen.policy);
  const applied = readConfig();
  if (vscode.workspace.isTrusted && applied.approvalPolicy !== chosen.policy) {
    // A stricter workspace setting wins (config.ts): say so rather than look as if the choice was lost.
    void vscode.window.showWarningMessage(vscode.l10n.t("Tandem: saved in your user settings, but this workspace's settings ask for {0}, which is stricter and applies here.", applied.approvalPolicy));
  }
}

/**
 * Saves a provider chosen in the chat's setup panel, then asks for its key when it needs one and none is
 * stored, or when the server changed (a key for one server must not silently go to another; Escape keeps it).
 */
export async function saveSetup(setup: ProviderSetup, apiKeys: ApiKeyStore): Promise<void> {
  const before = readConfig().baseUrl;
  await writeProviderSetup(setup);
  if (providerPreset(setup.provider).local) return;
  const hasKey = Boolean(await apiKeys.get());
  if (!hasKey || originOf(before) !== originOf(setup.baseUrl)) await promptForKey(apiKeys, setup.baseUrl);
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

/** "Tandem: Choose Provider": provider, base URL, key, model, one quick input after the other. */
export async function chooseProviderCommand(apiKeys: ApiKeyStore): Promise<void> {
  const config = readConfig();
  const currentProvider = detectProvider(config.baseUrl);
  const picked = await vscode.window.showQuickPick(
    PROVIDERS.map((p) => ({ label: p.label, detail: vscode.l10n.t(p.hint), id: p.id, ...(p.id === currentProvider ? { description: vscode.l10n.t('current') } : {}) })),
    { title: vscode.l10n.t('Tandem: Choose a provider'), ignoreFocusOut: true },
  );
  if (!picked) return;
  const preset = providerPreset(picked.id);
  const baseUrl = await vscode.window.showInputBox({
    title: vscode.l10n.t('Tandem: Base URL for {0}', preset.label),
    value: preset.id === currentProvider ? config.baseUrl : preset.baseUrl,
    prompt: vscode.l10n.t(preset.hint),
    ignoreFocusOut: true,
    validateInput: (v) => baseUrlProblem(v),
  });
  if (!baseUrl) return;
  const wireApi = preset.id === 'custom' ? await pickWireApi() : preset.wireApi;
  if (!wireApi) return;
  const url = baseUrl.trim().replace(/\/+$/, '');
  if (!preset.local) await saveKeyFor(apiKeys, url, config.baseUrl);
  const model = await chooseModel(url, preset.local ? undefined : await apiKeys.get(), preset.model || config.model);
  if (!model) return;
  await writeProviderSetup({ provider: preset.id, baseUrl: url, model, wireApi });
  void vscode.window.showInformationMessage(vscode.l10n.t('Tandem: using {0} with {1}.', model, preset.label));
}

async function saveKeyFor(apiKeys: ApiKeyStore, baseUrl: string, previous: string): Promise<void> {
  if (!(await apiKeys.get()) || originOf(previous) !== originOf(baseUrl)) await promptForKey(apiKeys, baseUrl);
}

async function pickWireApi(): Promise<'responses' | 'chat' | undefined> {
  const chosen = await vscode.window.showQuickPick(
    [
      { label: 'Chat Completions', detail: vscode.l10n.t('POST /chat/completions: what most OpenAI-compatible servers speak.'), wire: 'chat' as const },
      { label: 'Responses', detail: vscode.l10n.t('POST /responses: the OpenAI Responses API.'), wire: 'responses' as const },
    ],
    { title: vscode.l10n.t('Tandem: Which API does the server speak?'), ignoreFocusOut: true },
  );
  return chosen?.wire;
}

export function registerSetupCommands(apiKeys: ApiKeyStore): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand('tandem.pickModel', () => pickModelCommand(apiKeys)),
    vscode.commands.registerCommand('tandem.pickApprovalPolicy', () => pickApprovalPolicyCommand()),
    vscode.commands.registerCommand('tandem.chooseProvider', () => chooseProviderCommand(apiKeys)),
  );
}
