// The header's pickers and the walkthrough's "choose a provider", as quick picks on the host: the model
// (from the provider's /models when it answers, else typed; VS Code's own list for its language models),
// the approval mode (each one explained), and the provider (base URL, key, model in turn; local servers
// found running are marked). Everything is written to the user's settings; keys go to the provider's slot.
import { protectedNamesText } from '../../core/approvals/protectedNames';
import * as vscode from 'vscode';
import type { ApprovalPolicy } from '../../core/approvals/policy';
import type { ModelFacts } from '../../core/model/modelInfo';
import { PROVIDERS, authStyleFor, baseUrlProblem, modelProblem, providerPreset, type ProviderId, type ProviderSetup } from '../../shared/providers';
import type { ApiKeyStore } from '../apiKey';
import { readConfig } from '../config';
import { listLanguageModels } from '../languageModels/modelCatalog';
import { rememberListedModels } from './listedModels';
import { findLocalServers, rememberFoundLocalServers } from './localServers';
import { listModels } from './modelList';
import { promptForKey } from './providerKey';
import { writeProviderSetup, writeUserSetting } from './userSettings';

/** "262k context · images · tools" for a model the provider described. */
export function describeFacts(facts: ModelFacts | undefined): string | undefined {
  if (!facts) return undefined;
  const parts: string[] = [];
  if (facts.contextWindow) parts.push(`${Math.round(facts.contextWindow / 1000)}k context`);
  if (facts.imageInput) parts.push('images');
  if (facts.toolCalling === true) parts.push('tools');
  if (facts.toolCalling === false) parts.push('no tool calling');
  return parts.length ? parts.join(' · ') : undefined;
}

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
export async function chooseModel(baseUrl: string, apiKey: string | undefined, current: string, provider: ProviderId = 'custom'): Promise<string | undefined> {
  const pick = vscode.window.createQuickPick<vscode.QuickPickItem & { model?: string }>();
  pick.title = vscode.l10n.t('Tandem: Model for {0}', baseUrl);
  pick.placeholder = vscode.l10n.t('Loading the models of {0}…', baseUrl);
  pick.busy = true;
  pick.ignoreFocusOut = true;
  pick.show();
  const cancel = new AbortController();
  const hidden = new Promise<undefined>((resolve) => pick.onDidHide(() => (cancel.abort(), resolve(undefined))));
  const listed = await Promise.race([listModels(baseUrl, apiKey, cancel.signal, authStyleFor(provider)), hidden]);
  if (!listed) {
    pick.dispose();
    return undefined;
  }
  if (!listed.ok) {
    pick.dispose();
    return typeModel(current, listed.reason);
  }
  rememberListedModels({ provider, baseUrl }, listed.facts);
  const typeOther = { label: vscode.l10n.t('$(edit) Type another model id…'), alwaysShow: true };
  pick.items = [
    typeOther,
    ...listed.models.map((model) => {
      const detail = describeFacts(listed.facts.get(model));
      return { label: model, model, ...(model === current ? { description: vscode.l10n.t('current') } : {}), ...(detail ? { detail } : {}) };
    }),
  ];
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

/** A model of VS Code's Language Model API (Copilot's, other extensions'); undefined when cancelled or none. */
export async function chooseLanguageModel(current: string): Promise<string | undefined> {
  // The one call into src/vscode/languageModels (modelCatalog.ts) for the list.
  const models = await listLanguageModels().catch(() => []);
  if (!models.length) {
    void vscode.window.showWarningMessage(vscode.l10n.t('Tandem: VS Code offers no language models. Install or sign in to an extension that provides them (GitHub Copilot, for example), or choose another provider.'));
    return undefined;
  }
  const chosen = await vscode.window.showQuickPick(
    models.map((m) => ({
      label: m.name,
      description: [m.vendor, m.id === current ? vscode.l10n.t('current') : ''].filter(Boolean).join(' · '),
      detail: m.maxInputTokens ? `${m.id} · ${Math.round(m.maxInputTokens / 1000)}k context` : m.id,
      id: m.id,
    })),
    { title: vscode.l10n.t('Tandem: VS Code language model'), placeHolder: vscode.l10n.t('VS Code asks once before Tandem may use the model you pick.'), ignoreFocusOut: true },
  );
  return chosen?.id;
}

/** A chat whose model the picker sets (chats/chat.ts). */
export interface ModelChooser {
  readonly model: string;
  chooseModel(model: string): Promise<void>;
}

/**
 * "Tandem: Choose Model" (the header's model item): the model of one chat — the chat whose header was
 * clicked, or the sidebar's from the Command Palette — while other chats keep theirs. Without a chat it sets
 * the default for new chats (`tandem.model`), which the setup panel and the settings also set.
 */
export async function pickModelCommand(apiKeys: ApiKeyStore, chat?: ModelChooser): Promise<void> {
  const config = readConfig();
  const current = chat?.model ?? config.model;
  const target = { provider: config.provider, baseUrl: config.baseUrl };
  const model = config.provider === 'vscode-lm' ? await chooseLanguageModel(current) : await chooseModel(config.baseUrl, await apiKeys.getFor(target), current, config.provider);
  if (!model) return;
  if (chat) await chat.chooseModel(model);
  else await writeUserSetting('model', model);
}

const POLICIES: readonly { policy: ApprovalPolicy; label: string; detail: string }[] = [
  { policy: 'read-only', label: 'Read-only', detail: 'No edits. Only commands known to be read-only run (in a read-only sandbox).' },
  { policy: 'ask', label: 'Ask before acting', detail: 'Every edit waits for your review; commands not known to be safe wait for your approval.' },
  { policy: 'auto', label: 'Auto in workspace', detail: 'Edits and commands inside the workspace run freely (sandboxed); anything outside it or risky asks.' },
  { policy: 'full-access', label: 'Full access', detail: `Nothing asks; commands may write anywhere but ${protectedNamesText()} (those stay read-only, or ask).` },
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
 * stored for it (keys are per provider, and per server where the user picks the server: a key for one
 * server never silently goes to another; Escape keeps whatever is stored). VS Code's language models: the
 * model comes from VS Code's list when the panel sent none.
 */
export async function saveSetup(setup: ProviderSetup, apiKeys: ApiKeyStore): Promise<void> {
  if (setup.provider === 'vscode-lm') {
    const model = setup.model || (await chooseLanguageModel(readConfig().model));
    if (!model) return;
    await writeProviderSetup({ ...setup, model });
    return;
  }
  await writeProviderSetup(setup);
  const preset = providerPreset(setup.provider);
  if (preset.local) return; // a key is optional there ("Set API Key" stores one for this server)
  if (!(await apiKeys.getFor({ provider: setup.provider, baseUrl: setup.baseUrl }))) await promptForKey(apiKeys, setup.baseUrl, setup.provider);
}

/** "Tandem: Choose Provider": provider, base URL, key, model, one quick input after the other. */
export async function chooseProviderCommand(apiKeys: ApiKeyStore): Promise<void> {
  const config = readConfig();
  const currentProvider = config.provider;
  type Item = vscode.QuickPickItem & { id: ProviderId; found?: { baseUrl: string } };
  const pick = vscode.window.createQuickPick<Item>();
  pick.title = vscode.l10n.t('Tandem: Choose a provider');
  pick.ignoreFocusOut = true;
  pick.items = PROVIDERS.map((p) => ({ label: p.label, detail: vscode.l10n.t(p.hint), id: p.id, ...(p.id === currentProvider ? { description: vscode.l10n.t('current') } : {}) }));
  pick.busy = true;
  pick.show();
  // Local servers are looked for only now, while the user is choosing (loopback, default ports, no key).
  const cancel = new AbortController();
  void findLocalServers(cancel.signal).then((servers) => {
    rememberFoundLocalServers(servers);
    pick.busy = false;
    if (!servers.length) return;
    const active = pick.activeItems;
    pick.items = pick.items.map((item) => {
      const server = servers.find((s) => s.provider === item.id);
      if (!server) return item;
      const running = vscode.l10n.t('running here, {0} models', server.models.length);
      return { ...item, description: item.description ? `${item.description} · ${running}` : running, found: { baseUrl: server.baseUrl } };
    });
    pick.activeItems = pick.items.filter((i) => active.some((a) => a.id === i.id));
  });
  const picked = await new Promise<Item | undefined>((resolve) => {
    pick.onDidAccept(() => resolve(pick.selectedItems[0]));
    pick.onDidHide(() => resolve(undefined));
  });
  cancel.abort();
  pick.dispose();
  if (!picked) return;
  const preset = providerPreset(picked.id);
  if (preset.api === 'vscode-lm') {
    const model = await chooseLanguageModel(config.model);
    if (!model) return;
    await writeProviderSetup({ provider: 'vscode-lm', baseUrl: '', model, wireApi: 'chat' });
    void vscode.window.showInformationMessage(vscode.l10n.t('Tandem: using {0} with {1}.', model, preset.label));
    return;
  }
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
  const target = { provider: preset.id, baseUrl: url };
  if (!preset.local && !(await apiKeys.getFor(target))) await promptForKey(apiKeys, url, preset.id);
  const model = await chooseModel(url, await apiKeys.getFor(target), preset.model || config.model, preset.id);
  if (!model) return;
  await writeProviderSetup({ provider: preset.id, baseUrl: url, model, wireApi });
  void vscode.window.showInformationMessage(vscode.l10n.t('Tandem: using {0} with {1}.', model, preset.label));
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

/** `chatFor(id)`: the open chat `id` (a view's header passes its chat), or the sidebar's chat without an id. */
export function registerSetupCommands(apiKeys: ApiKeyStore, chatFor: (chatId?: string) => ModelChooser | undefined = () => undefined): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand('tandem.pickModel', (chatId?: unknown) => pickModelCommand(apiKeys, chatFor(typeof chatId === 'string' ? chatId : undefined))),
    vscode.commands.registerCommand('tandem.pickApprovalPolicy', () => pickApprovalPolicyCommand()),
    vscode.commands.registerCommand('tandem.chooseProvider', () => chooseProviderCommand(apiKeys)),
    // The setup panel asks for this when it opens: local servers, shown in the panel (ViewConfig.localServers).
    vscode.commands.registerCommand('tandem.findLocalServers', async () => {
      rememberFoundLocalServers(await findLocalServers());
      apiKeys.notifyProvidersChanged();
    }),
  );
}
