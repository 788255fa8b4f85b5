// The window's MCP servers: the user's `tandem.mcp.servers` setting (started as given) and each workspace
// folder's `.vscode/mcp.json` and `.mcp.json` (untrusted: started only in a trusted workspace, and only
// after the user allowed that exact definition once, in a modal showing all of it (core/mcp/consentText.ts),
// see mcpConsent.ts). `${input:…}` values are asked once (password inputs masked) and kept in SecretStorage;
// a workspace's `inputs` apply only to its own servers (mcpInputs.ts). Everything runs in one McpManager
// (src/node/mcp), stopped with the window; a change to the setting or the workspace's trust reloads them,
// and so does a change to a file when it changes what is configured (the sandbox's empty placeholder for a
// missing `.mcp.json`, made and removed around each command, does not).
import * as vscode from 'vscode';
import { mergeServers, parseMcpConfigText, parseMcpConfigValue, type McpConfig, type McpInput, type McpServerConfig } from '../../core/mcp/config';
import { consentText } from '../../core/mcp/consentText';
import { inputsUsed } from '../../core/mcp/variables';
import type { Tool } from '../../core/tools/types';
import type * as McpManagerModule from '../../node/mcp/mcpManager';
import type { McpManager, McpServerState } from '../../node/mcp/mcpManager';
import { prepareServer } from '../../node/mcp/serverLaunch';
import { DisposableStore } from '../disposables';
import { admitServer, type AdmissionRefusal } from './mcpAdmission';
import { McpConsent, serverFingerprint } from './mcpConsent';
import { inputDefinition, type InputsByOrigin } from './mcpInputs';

// The SDK loads only when a server is configured: a window without MCP pays nothing for it at activation.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberate: deferred module evaluation
const loadManager = (): typeof McpManagerModule => require('../../node/mcp/mcpManager') as typeof McpManagerModule;

const WORKSPACE_FILES: [string, 'vscode' | 'mcp-json'][] = [
  ['.vscode/mcp.json', 'vscode'],
  ['.mcp.json', 'mcp-json'],
];

const REFUSALS: Record<AdmissionRefusal, (reason?: string) => string> = {
  unsafe: (reason) => vscode.l10n.t('Not started: {0}.', reason ?? ''),
  untrusted: () => vscode.l10n.t('Restricted Mode: servers defined by the workspace start only in a trusted workspace.'),
  declined: () => vscode.l10n.t('You did not allow this server; allow it here to start it.'),
  unanswered: () => vscode.l10n.t('Waiting for you to allow this server (defined by the workspace).'),
};

/** A server that is not running because of a decision (trust, consent, a missing input), not a failure. */
export interface BlockedServer {
  name: string;
  source: McpServerConfig['source'];
  reason: string;
  /** Set for workspace servers the user can allow from the view. */
  canAllow: boolean;
}

export type ServerView = ({ kind: 'managed' } & McpServerState) | ({ kind: 'blocked' } & BlockedServer);

interface Known {
  config: McpServerConfig;
  folder: string | undefined;
  fingerprint: string;
}

export class McpService implements vscode.Disposable {
  private readonly disposables = new DisposableStore();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private manager: McpManager | undefined;
  private blocked: BlockedServer[] = [];
  private known = new Map<string, Known>();
  private inputs: InputsByOrigin = new Map<string, McpInput[]>();
  /** What the last load saw: a file event that changes none of it does not restart the servers. */
  private loaded = '';
  private generation = 0;
  private readonly consent: McpConsent;

  constructor(
    context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.consent = new McpConsent(context.globalState, context.workspaceState, context.secrets);
    this.disposables.add(this.changed);
    this.disposables.add(vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('tandem.mcp') && void this.reload()));
    this.disposables.add(vscode.workspace.onDidGrantWorkspaceTrust(() => void this.reload()));
    this.disposables.add(vscode.workspace.onDidChangeWorkspaceFolders(() => void this.reload()));
    const watcher = this.disposables.add(vscode.workspace.createFileSystemWatcher('**/{.vscode/mcp.json,.mcp.json}'));
    for (const event of [watcher.onDidChange, watcher.onDidCreate, watcher.onDidDelete]) this.disposables.add(event(() => void this.reload({ onlyIfChanged: true })));
    this.disposables.add({ dispose: () => void this.manager?.dispose() });
  }

  /** The running servers' tools, for a chat session created now (agentFactory's `extraTools`). */
  tools(): Tool[] {
    return this.manager?.tools() ?? [];
  }

  servers(): ServerView[] {
    return [...(this.manager?.states() ?? []).map((s): ServerView => ({ kind: 'managed', ...s })), ...this.blocked.map((b): ServerView => ({ kind: 'blocked', ...b }))];
  }

  serverLog(name: string): string {
    return this.manager?.log(name) ?? '';
  }

  async restart(name: string): Promise<void> {
    await this.manager?.restart(name);
  }

  /** From the view: allow a workspace server the user declined or dismissed (after seeing all of it), then start it. */
  async allow(name: string): Promise<void> {
    const known = this.known.get(name);
    if (!known || known.config.source !== 'workspace') return;
    if ((await this.askToStart(known.config)) !== 'allow') return;
    await this.consent.allow(known.fingerprint);
    await this.reload();
  }

  toolsAllowed(name: string): boolean {
    const known = this.known.get(name);
    return known !== undefined && this.consent.toolsAllowed(this.toolsKey(known));
  }

  async setToolsAllowed(name: string, allowed: boolean): Promise<void> {
    const known = this.known.get(name);
    if (!known) return;
    await this.consent.setToolsAllowed(this.toolsKey(known), allowed);
    this.changed.fire();
  }

  /** Stops everything and starts what the configuration says now (with `onlyIfChanged`: only if that differs from the last load). */
  async reload(options: { onlyIfChanged?: boolean } = {}): Promise<void> {
    if (options.onlyIfChanged) {
      // Without taking a generation: an unchanged configuration must not cancel a load in progress.
      const seen = this.generation;
      const read = await this.readConfigs();
      if (seen !== this.generation || this.summary(read) === this.loaded) return;
    }
    const generation = ++this.generation;
    const read = await this.readConfigs();
    if (generation !== this.generation) return;
    const { config, inputs } = read;
    const known = this.knownOf(read);
    this.loaded = this.summary(read);
    const old = this.manager;
    this.manager = undefined;
    this.blocked = [];
    await old?.dispose();
    if (generation !== this.generation) return;
    for (const problem of config.problems) this.log.warn(`MCP: ${problem}`);
    this.known = known;
    this.inputs = inputs;
    if (this.known.size === 0) {
      this.changed.fire();
      return;
    }
    const manager = new (loadManager().McpManager)({ onChange: () => this.changed.fire(), isServerAllowed: (name) => this.toolsAllowed(name) });
    this.manager = manager;
    this.changed.fire();
    // One at a time: each may show a notification or an input box, and a second input box would close the first.
    const ready: (McpServerConfig | undefined)[] = [];
    for (const known of this.known.values()) {
      ready.push(await this.admit(known));
      if (generation !== this.generation) break;
    }
    if (generation !== this.generation) {
      await manager.dispose();
      return;
    }
    await manager.start(ready.filter((c): c is McpServerConfig => c !== undefined));
    for (const state of manager.states()) {
      if (state.status === 'running') this.log.info(`MCP: "${state.name}" running with ${state.tools.length} tool(s).`);
      else this.log.warn(`MCP: "${state.name}" ${state.status}: ${state.reason ?? ''}`);
    }
    for (const skipped of manager.skippedTools()) this.log.warn(`MCP: ${skipped}`);
    this.changed.fire();
  }

  private knownOf({ config, folders }: { config: McpConfig; folders: Map<string, string> }): Map<string, Known> {
    return new Map(config.servers.map((s) => [s.name, { config: s, folder: folders.get(s.origin), fingerprint: serverFingerprint(s, folders.get(s.origin) ?? '') }]));
  }

  /** Everything a load depends on, to tell whether a file event changed any of it. */
  private summary(read: { config: McpConfig; folders: Map<string, string>; inputs: Map<string, McpInput[]> }): string {
    return JSON.stringify([vscode.workspace.isTrusted, [...this.knownOf(read).values()].map((k) => [k.config.name, k.fingerprint]), [...read.inputs], read.config.problems]);
  }

  /** Whether a server may start now (trust, consent, inputs), resolved; otherwise it is listed as blocked. */
  private async admit(known: Known): Promise<McpServerConfig | undefined> {
    const { config } = known;
    const block = (reason: string, canAllow = false) => {
      this.blocked.push({ name: config.name, source: config.source, reason, canAllow });
      this.log.info(`MCP: "${config.name}" not started: ${reason}`);
      return undefined;
    };
    const admission = await admitServer(config, known.fingerprint, { trusted: vscode.workspace.isTrusted, consent: this.consent, ask: (c) => this.askToStart(c) });
    if (!admission.start) return block(REFUSALS[admission.why](admission.reason), admission.canAllow);
    const prepared = await prepareServer(config, {
      ...(known.folder !== undefined ? { workspaceFolder: known.folder } : {}),
      input: (id) => this.inputValue(config, id),
    });
    if (!prepared.ok) return block(prepared.reason);
    return prepared.value;
  }

  /** A modal with the whole definition: nothing is allowed without it having been on screen. */
  private async askToStart(config: McpServerConfig): Promise<'allow' | 'deny' | undefined> {
    const { lines, truncated } = consentText(config);
    const allow = vscode.l10n.t('Allow');
    const deny = vscode.l10n.t("Don't Allow");
    const message = vscode.l10n.t('The workspace defines the MCP server "{0}". Tandem would run it outside the sandbox, with your permissions. Start it?', config.name);
    const tooLong = truncated ? `\n\n${vscode.l10n.t('Part of this definition is too long to show here: read {0} before you allow it.', config.origin)}` : '';
    const answer = await vscode.window.showWarningMessage(message, { modal: true, detail: lines.join('\n') + tooLong }, allow, deny);
    return answer === allow ? 'allow' : answer === deny ? 'deny' : undefined;
  }

  /** An `${input:id}` value: from SecretStorage, or asked once (masked when the input says `password`). */
  private async inputValue(config: McpServerConfig, id: string): Promise<string | undefined> {
    const stored = await this.consent.getInput(config.origin, id);
    if (stored !== undefined) return stored;
    const input = inputDefinition(config, id, this.inputs, vscode.workspace.isTrusted);
    const prompt = vscode.l10n.t('MCP server "{0}": {1}', config.name, input.description);
    const value =
      input.type === 'pickString'
        ? await vscode.window.showQuickPick(input.options ?? [], { title: prompt, ignoreFocusOut: true })
        : await vscode.window.showInputBox({ prompt, password: input.password, ignoreFocusOut: true, ...(input.default !== undefined && !input.password ? { value: input.default } : {}) });
    if (value === undefined) return undefined;
    await this.consent.storeInput(config.origin, id, value);
    return value;
  }

  private async readConfigs(): Promise<{ config: McpConfig; folders: Map<string, string>; inputs: Map<string, McpInput[]> }> {
    const configs: McpConfig[] = [];
    const folders = new Map<string, string>();
    const inputs = new Map<string, McpInput[]>();
    // Only the user's own value: a workspace cannot define "user" servers through its settings.
    const user = vscode.workspace.getConfiguration('tandem.mcp').inspect<unknown>('servers')?.globalValue;
    if (user !== undefined) configs.push(parseMcpConfigValue(user, 'settings', 'user', 'tandem.mcp.servers'));
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      for (const [relative, format] of WORKSPACE_FILES) {
        const uri = vscode.Uri.joinPath(folder.uri, relative);
        let text: string;
        try {
          text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
        } catch {
          continue;
        }
        const origin = uri.fsPath;
        folders.set(origin, folder.uri.fsPath);
        const parsed = parseMcpConfigText(text, format, 'workspace', origin);
        configs.push(parsed);
        if (parsed.inputs.length > 0) inputs.set(origin, parsed.inputs);
      }
    }
    return { config: mergeServers(configs), folders, inputs };
  }

  private toolsKey(known: Known): string {
    return known.config.source === 'workspace' ? `workspace:${known.fingerprint}` : `user:${known.config.name}`;
  }

  /** Which `${input:…}` a server asks for (shown in the view's tooltip). */
  inputsOf(name: string): string[] {
    const known = this.known.get(name);
    return known ? inputsUsed(known.config) : [];
  }

  dispose(): void {
    this.generation++;
    this.disposables.dispose();
  }
}

let current: McpService | undefined;

/** The window's service (set once on activation). */
export function setMcpService(service: McpService | undefined): void {
  current = service;
}

/** The MCP tools a chat session gets when it is created (src/vscode/chatController.ts). */
export function mcpSessionTools(): Tool[] {
  return current?.tools() ?? [];
}
