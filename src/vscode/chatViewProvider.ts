// The sidebar webview. It renders whatever the controller sends and reports user intent back; it holds
// no state the host cannot rebuild. A ready handshake guarantees no message is lost: nothing is posted
// until the webview's script says it listens, and every (re)load gets a fresh snapshot.
import * as vscode from 'vscode';
import { parseWebviewMessage, type HostToWebview, type WebviewToHost } from '../shared/protocol';
import { DisposableStore } from './disposables';

export interface ChatViewHandler {
  /** The webview (re)loaded and listens: send it a snapshot. */
  onReady(): void;
  onMessage(message: Exclude<WebviewToHost, { type: 'ready' }>): void;
}

export class ChatViewProvider implements vscode.WebviewViewProvider {
  static readonly viewId = 'tandem.chat';
  private view: vscode.WebviewView | undefined;
  private ready = false;
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
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist');
    view.webview.options = { enableScripts: true, localResourceRoots: [dist, vscode.Uri.joinPath(this.extensionUri, 'media')] };
    view.webview.html = this.html(view.webview, dist);
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

  get isVisible(): boolean {
    return this.view?.visible ?? false;
  }

  async reveal(): Promise<void> {
    await vscode.commands.executeCommand(`${ChatViewProvider.viewId}.focus`);
  }

  private html(webview: vscode.Webview, dist: vscode.Uri): string {
    const nonce = makeNonce();
    const script = webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.css'));
    const csp = [
      `default-src 'none'`,
      `script-src 'nonce-${nonce}'`,
      `style-src ${webview.cspSource}`,
      `font-src ${webview.cspSource}`,
      `img-src ${webview.cspSource} data:`,
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="${vscode.env.language}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style.toString()}">
<title>Tandem</title>
</head>
<body>
<div id="root"></div>
<script type="module" nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
  }

  dispose(): void {
    this.viewDisposables.dispose();
  }
}

function makeNonce(): string {
  const bytes = new Uint8Array(24);
  globalThis.crypto.getRandomValues(bytes);
  return Buffer.from(bytes).toString('base64').replace(/[^A-Za-z0-9]/g, '');
}
