// The "MCP Servers" view in the Tandem container: each server with its status (running, starting, crashed,
// failed, or why it did not start), its tools under the names the model calls them by, and the actions:
// restart, show its log (stderr), allow a workspace server, always allow (or stop allowing) its tools.
// Names, reasons and tool names come from config files and servers: shown as plain labels, never markdown.
import * as vscode from 'vscode';
import { DisposableStore } from '../disposables';
import type { McpService, ServerView } from './mcpService';

type Node = { kind: 'server'; server: ServerView } | { kind: 'tool'; server: string; name: string; tool: string; readOnlyHint: boolean } | { kind: 'note'; text: string };

const STATUS_ICON: Record<string, string> = { running: 'pass', starting: 'loading~spin', stopped: 'circle-outline', crashed: 'error', failed: 'error', blocked: 'shield' };

export class McpServersView implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  static readonly viewId = 'tandem.mcpServers';
  private readonly disposables = new DisposableStore();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly service: McpService) {
    this.disposables.add(this.changed);
    this.disposables.add(service.onDidChange(() => this.changed.fire()));
  }

  getChildren(node?: Node): Node[] {
    if (!node) {
      const servers = this.service.servers();
      return servers.length > 0 ? servers.map((server) => ({ kind: 'server', server })) : [{ kind: 'note', text: vscode.l10n.t('No MCP servers: add them to .vscode/mcp.json, .mcp.json or the tandem.mcp.servers setting.') }];
    }
    if (node.kind !== 'server') return [];
    const { server } = node;
    if (server.kind === 'blocked') return [{ kind: 'note', text: server.reason }];
    const notes: Node[] = server.reason ? [{ kind: 'note', text: server.reason }] : [];
    return [...notes, ...server.tools.map((t): Node => ({ kind: 'tool', server: server.name, name: t.exposedName, tool: t.tool, readOnlyHint: t.readOnlyHint }))];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'note') {
      const item = new vscode.TreeItem(node.text);
      item.tooltip = node.text;
      return item;
    }
    if (node.kind === 'tool') {
      const item = new vscode.TreeItem(node.tool);
      item.description = node.readOnlyHint ? vscode.l10n.t('{0} · read-only (server\'s claim)', node.name) : node.name;
      item.iconPath = new vscode.ThemeIcon('tools');
      return item;
    }
    const { server } = node;
    const status = server.kind === 'blocked' ? 'blocked' : server.status;
    const item = new vscode.TreeItem(server.name, vscode.TreeItemCollapsibleState.Collapsed);
    const allowed = this.service.toolsAllowed(server.name);
    item.description = `${server.source === 'workspace' ? vscode.l10n.t('workspace') : vscode.l10n.t('user')} · ${status}${allowed ? ` · ${vscode.l10n.t('tools always allowed')}` : ''}`;
    item.tooltip = new vscode.MarkdownString().appendText(`${server.name}: ${status}${server.reason ? ` — ${server.reason}` : ''}`);
    item.iconPath = new vscode.ThemeIcon(STATUS_ICON[status] ?? 'circle-outline');
    // Menus key on these (package.json contributes.menus view/item/context).
    item.contextValue = ['mcpServer', status, server.kind === 'blocked' && server.canAllow ? 'canAllow' : '', allowed ? 'toolsAllowed' : 'toolsAsked'].filter(Boolean).join('.');
    return item;
  }

  dispose(): void {
    this.disposables.dispose();
  }
}

/** The view and its commands; `service` is stopped with the window (it is in the same store). */
export function registerMcpView(service: McpService): vscode.Disposable {
  const store = new DisposableStore();
  const view = store.add(new McpServersView(service));
  store.add(vscode.window.createTreeView(McpServersView.viewId, { treeDataProvider: view, showCollapseAll: false }));
  const name = (node: Node | undefined): string | undefined => (node?.kind === 'server' ? node.server.name : undefined);
  const pick = async (node: Node | undefined): Promise<string | undefined> =>
    name(node) ?? (await vscode.window.showQuickPick(service.servers().map((s) => s.name), { title: vscode.l10n.t('MCP server') }));
  store.add(
    vscode.commands.registerCommand('tandem.mcp.restart', async (node?: Node) => {
      const server = await pick(node);
      if (server) await service.restart(server);
    }),
  );
  store.add(
    vscode.commands.registerCommand('tandem.mcp.showLog', async (node?: Node) => {
      const server = await pick(node);
      if (!server) return;
      const doc = await vscode.workspace.openTextDocument({ content: service.serverLog(server) || vscode.l10n.t('(nothing logged yet)'), language: 'log' });
      await vscode.window.showTextDocument(doc, { preview: true });
    }),
  );
  store.add(
    vscode.commands.registerCommand('tandem.mcp.allow', async (node?: Node) => {
      const server = await pick(node);
      if (server) await service.allow(server);
    }),
  );
  store.add(
    vscode.commands.registerCommand('tandem.mcp.alwaysAllowTools', async (node?: Node) => {
      const server = await pick(node);
      if (server) await service.setToolsAllowed(server, true);
    }),
  );
  store.add(
    vscode.commands.registerCommand('tandem.mcp.askForTools', async (node?: Node) => {
      const server = await pick(node);
      if (server) await service.setToolsAllowed(server, false);
    }),
  );
  store.add(vscode.commands.registerCommand('tandem.mcp.reload', () => service.reload()));
  return store;
}
