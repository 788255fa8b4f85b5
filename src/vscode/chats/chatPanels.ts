// Chats in editor tabs: "Tandem: Open Chat in Editor" moves the sidebar's chat into a WebviewPanel running
// the same app, bound to that chat (the sidebar then shows another chat); "Tandem: Move Chat to Sidebar"
// brings it back. Closing the tab only stops showing the chat: it keeps running and stays in the chat list.
// Messages from a tab are validated like the sidebar's and go to the chat the tab shows. After a window
// reload VS Code restores the tabs (registerChatPanelSerializer): each shows the chat its page last showed,
// named in the page's saved state, which is checked like any outside data (a tab that comes back without it
// shows a chat that was in a tab and that no tab shows yet: openChats.ts TabbedChats, restoredTabs.ts).
import * as vscode from 'vscode';
import { parseWebviewMessage, type HostToWebview } from '../../shared/protocol';
import type { ChatController, ChatPlacement } from '../chatController';
import { DisposableStore } from '../disposables';
import type { Chat, ChatSurface } from './chat';
import { TabbedChats } from './openChats';
import { closesAsDuplicate, RestoredTabs } from './restoredTabs';
import { chatHtml, chatResourceRoots } from './webviewHtml';

export const CHAT_PANEL_TYPE = 'tandem.chatEditor';

interface OpenPanel {
  chat: Chat;
  panel: vscode.WebviewPanel;
  surface: ChatSurface;
  disposables: DisposableStore;
}

export class ChatPanels implements ChatPlacement, vscode.Disposable {
  private readonly panels = new Map<string, OpenPanel>();
  /** The tab focused last, for "Move Chat to Sidebar" run from the palette or the tab's title bar. */
  private lastActive: string | undefined;
  private readonly tabbed: TabbedChats;
  /** Which chat each tab VS Code restores shows (the chats in tabs before the reload back a tab without state). */
  private readonly restoredTabs: RestoredTabs;
  /** Shutting down: the tabs close with the window, they are still remembered. */
  private disposing = false;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly controller: ChatController,
    private readonly log: vscode.LogOutputChannel,
    workspaceState: vscode.Memento,
  ) {
    this.tabbed = new TabbedChats(workspaceState);
    this.restoredTabs = new RestoredTabs(this.tabbed.read());
  }

  has(chatId: string): boolean {
    return this.panels.has(chatId);
  }

  reveal(chatId: string): void {
    this.panels.get(chatId)?.panel.reveal();
  }

  /** The chat of the focused Tandem tab, if one is focused. */
  get activeChat(): Chat | undefined {
    for (const open of this.panels.values()) if (open.panel.active) return open.chat;
    return this.lastActive ? this.panels.get(this.lastActive)?.chat : undefined;
  }

  /** Shows `chat` in an editor tab of its own (or reveals the one it has). */
  open(chat: Chat): void {
    const existing = this.panels.get(chat.id);
    if (existing) {
      existing.panel.reveal();
      return;
    }
    const panel = vscode.window.createWebviewPanel(CHAT_PANEL_TYPE, chat.title, vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: chatResourceRoots(this.extensionUri),
      retainContextWhenHidden: false,
    });
    this.attach(chat, panel);
  }

  /**
   * A tab VS Code restored after a reload: it shows the chat named in its page's saved state, restored from
   * its session log. Without a state that names a chat (none saved, damaged, forged) it shows the first chat
   * that was in a tab and that no tab shows yet; failing that, or when the chat's log is gone, a new chat. A
   * chat another tab already shows is not shown twice (this tab closes). The sidebar moves on if it showed
   * that chat.
   */
  async revive(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    let closed = false;
    const closing = panel.onDidDispose(() => (closed = true));
    const { id, named } = this.restoredTabs.choose(state, { inTab: (chatId) => this.panels.has(chatId), inSidebar: (chatId) => chatId === this.controller.activeChat.id });
    if (!named && id !== undefined) this.log.info(`A chat tab came back without its page state: it shows ${id}, which was in a tab before the reload.`);
    const restored = id !== undefined ? await this.controller.registry.open(id) : undefined;
    closing.dispose();
    if (closed) return;
    if (closesAsDuplicate(restored?.id, (chatId) => this.panels.has(chatId))) {
      panel.dispose();
      return;
    }
    if (!restored) this.log.warn(id === undefined ? `A restored chat tab named no chat (its state: ${JSON.stringify(state)?.slice(0, 120)}): it shows a new chat.` : `The chat of a restored tab (${id}) could not be read: it shows a new chat.`);
    const chat = restored ?? this.controller.registry.create();
    this.controller.showOtherThan(chat); // a chat is never shown in two places
    this.attach(chat, panel);
    this.controller.panelsChanged();
  }

  /** Binds `panel` (new, or restored after a reload) to `chat`. */
  private attach(chat: Chat, panel: vscode.WebviewPanel): void {
    panel.title = chat.title;
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'tandem.svg');
    const disposables = new DisposableStore();
    let ready = false;
    const surface: ChatSurface = {
      post: (message: HostToWebview) => {
        if (ready) void panel.webview.postMessage(message);
      },
      get visible() {
        return panel.visible;
      },
    };
    const open: OpenPanel = { chat, panel, surface, disposables };
    this.panels.set(chat.id, open);
    this.tabbed.write([...this.panels.keys()]);
    this.lastActive = chat.id;
    disposables.add(
      panel.webview.onDidReceiveMessage((raw: unknown) => {
        const message = parseWebviewMessage(raw);
        if (!message) {
          this.log.warn('Dropped a malformed or unknown message from a chat tab:', JSON.stringify(raw)?.slice(0, 200));
          return;
        }
        if (message.type === 'ready') {
          ready = true;
          void chat.show(surface);
        } else {
          this.controller.handle(surface, chat, message);
        }
      }),
    );
    disposables.add(
      panel.onDidChangeViewState(() => {
        if (panel.active) this.lastActive = chat.id;
      }),
    );
    disposables.add(
      this.controller.registry.onDidChange((changed) => {
        if (changed === chat) panel.title = chat.title;
        if (!this.controller.registry.get(chat.id)) panel.dispose(); // the chat was closed
      }),
    );
    // Closing the tab: the chat keeps running in the background (it stays in the chat list).
    disposables.add(panel.onDidDispose(() => this.forget(chat.id)));
    panel.webview.options = { enableScripts: true, localResourceRoots: chatResourceRoots(this.extensionUri) };
    panel.webview.html = chatHtml(panel.webview, this.extensionUri);
  }

  /** Closes `chatId`'s tab (the chat goes on). */
  close(chatId: string): void {
    this.panels.get(chatId)?.panel.dispose();
  }

  private forget(chatId: string): void {
    const open = this.panels.get(chatId);
    if (!open) return;
    this.panels.delete(chatId);
    if (!this.disposing) this.tabbed.write([...this.panels.keys()]);
    if (this.lastActive === chatId) this.lastActive = undefined;
    open.chat.hide(open.surface);
    open.disposables.dispose();
    this.controller.panelsChanged();
  }

  dispose(): void {
    this.disposing = true;
    for (const open of [...this.panels.values()]) open.panel.dispose();
  }
}

/** Restores the chat tabs open before a window reload (the activation event `onWebviewPanel:tandem.chatEditor`). */
export function registerChatPanelSerializer(panels: ChatPanels): vscode.Disposable {
  return vscode.window.registerWebviewPanelSerializer(CHAT_PANEL_TYPE, {
    deserializeWebviewPanel: (panel, state: unknown) => panels.revive(panel, state),
  });
}

/** "Open Chat in Editor" and "Move Chat to Sidebar". */
export function registerChatPanelCommands(panels: ChatPanels, controller: ChatController, reveal: () => Promise<void>): vscode.Disposable {
  const store = new DisposableStore();
  store.add(
    vscode.commands.registerCommand('tandem.openChatInEditor', () => {
      const chat = controller.activeChat;
      // The sidebar moves on to another chat first, so the chat is never shown in two places.
      controller.showOtherThan(chat);
      panels.open(chat);
      controller.panelsChanged();
    }),
  );
  store.add(
    vscode.commands.registerCommand('tandem.moveChatToSidebar', async () => {
      const chat = panels.activeChat;
      if (!chat) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Tandem: no chat is open in an editor tab.'));
        return;
      }
      panels.close(chat.id);
      controller.switchTo(chat);
      await reveal();
    }),
  );
  return store;
}
