// The sidebar webview. It renders whatever the controller sends and reports user intent back; it holds
// no state the host cannot rebuild. A ready handshake guarantees no message is lost: nothing is posted
// until the webview's script says it listens, and every (re)load gets a fresh snapshot.
import * as vscode from 'vscode';
import { parseWebviewMessage, type HostToWebview, type WebviewToHost } from '../shared/protocol';
import { DisposableStore } from './disposables';
import { chatHtml, chatResourceRoots } from './chats/webviewHtml';

export interface ChatViewHandler {
  /** The webview (re)loaded and listens: send it a snapshot. */
  onReady(): void;
  onMessage(message: Exclude<WebviewToHost, { type: 'ready' }>): void;
}

export class ChatViewProvider implements vscode.WebviewViewProvider {
  static readonly viewId = 'tandem.chat';
  private view: vscode.WebviewView | undefined;
  private ready = false;
  /** Chats that need the user (chats/chatAttention.ts), kept for a view resolved later. */
  private badge: vscode.ViewBadge | undefined;
  /** Subscriptions of the current view instance; replaced when VS Code resolves the view again. */
  private viewDisposables = new DisposableStore();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly handler: ChatViewHandler,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  resolveWebviewView(view: vscode.WebviewView): void {
    this.viewDisposables.dispose();
    this.viewDisposables = new DisposableStore();
    this.view = view;
    this.ready = false;
    view.webview.options = { enableScripts: true, localResourceRoots: chatResourceRoots(this.extensionUri) };
    view.webview.html = chatHtml(view.webview, this.extensionUri);
    view.badge = this.badge;
    this.viewDisposables.add(
      view.webview.onDidReceiveMessage((raw: unknown) => {
        const message = parseWebviewMessage(raw);
        if (!message) {
          this.log.warn('Dropped a malformed or unknown message from the chat view:', JSON.stringify(raw)?.slice(0, 200));
          return;
        }
        if (message.type === 'ready') {
          this.ready = true;
          this.handler.onReady();
        } else {
          this.handler.onMessage(message);
        }
      }),
    );
    this.viewDisposables.add(
      view.onDidDispose(() => {
        this.view = undefined;
        this.ready = false;
      }),
    );
  }

  /** Posts to the webview if it is loaded and ready; otherwise the next `ready` snapshot carries the state. */
  post(message: HostToWebview): void {
    if (this.view && this.ready) void this.view.webview.postMessage(message);
  }

  /** The count on the Tandem view's icon (undefined: none). */
  setBadge(badge: vscode.ViewBadge | undefined): void {
    this.badge = badge;
    if (this.view) this.view.badge = badge;
  }

  get isVisible(): boolean {
    return this.view?.visible ?? false;
  }

  async reveal(): Promise<void> {
    await vscode.commands.executeCommand(`${ChatViewProvider.viewId}.focus`);
  }

  dispose(): void {
    this.viewDisposables.dispose();
  }
}
