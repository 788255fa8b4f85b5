// MCP in the extension: the window's servers (mcpService.ts), started in the background after activation
// so the chat is never held up by a slow server, the servers view and its commands (mcpView.ts), and the
// hook the chat uses to give a new session the servers' tools (mcpSessionTools). All stop with the window.
import type * as vscode from 'vscode';
import { DisposableStore } from '../disposables';
import { McpService, setMcpService } from './mcpService';
import { registerMcpView } from './mcpView';

export function registerMcp(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): vscode.Disposable {
  const store = new DisposableStore();
  const service = store.add(new McpService(context, log));
  setMcpService(service);
  store.add({ dispose: () => setMcpService(undefined) });
  store.add(registerMcpView(service));
  void service.reload().catch((error: unknown) => log.error(`MCP: ${error instanceof Error ? error.message : String(error)}`));
  return store;
}
