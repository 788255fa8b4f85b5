// Approvals of a chat nobody is looking at are never lost: the Tandem view's badge counts the chats that
// need the user (an approval or a review waits), and when a chat that no visible view shows starts
// waiting, a notification names it ("Show" switches to it). The chat list marks it too (its status).
import * as vscode from 'vscode';
import type { ChatController } from '../chatController';
import type { ChatViewProvider } from '../chatViewProvider';
import { DisposableStore } from '../disposables';
import type { Chat } from './chat';

export class ChatAttention implements vscode.Disposable {
  private readonly disposables = new DisposableStore();
  /** Chats already announced while they wait (announced once per wait). */
  private readonly announced = new Set<string>();

  constructor(
    private readonly controller: ChatController,
    private readonly view: ChatViewProvider,
  ) {
    this.disposables.add(controller.registry.onDidChange((chat) => this.update(chat)));
  }

  private update(changed: Chat | undefined): void {
    const waiting = this.controller.registry.all.filter((c) => c.currentStatus === 'needs-approval');
    this.view.setBadge(
      waiting.length > 0
        ? { value: waiting.length, tooltip: waiting.length === 1 ? vscode.l10n.t('A Tandem chat needs you: {0}', waiting[0]!.title) : vscode.l10n.t('{0} Tandem chats need you', waiting.length) }
        : { value: 0, tooltip: '' }, // (not `undefined`: VS Code 1.100 keeps the last badge then; a 0 badge is not shown)
    );
    for (const id of [...this.announced]) if (!waiting.some((c) => c.id === id)) this.announced.delete(id);
    if (changed && changed.currentStatus === 'needs-approval' && !this.announced.has(changed.id)) {
      this.announced.add(changed.id);
      if (!changed.isVisible) void this.notify(changed);
    }
  }

  private async notify(chat: Chat): Promise<void> {
    const show = vscode.l10n.t('Show');
    const choice = await vscode.window.showInformationMessage(vscode.l10n.t('Tandem: the chat “{0}” needs your approval.', chat.title), show);
    if (choice !== show || !this.controller.registry.get(chat.id)) return;
    this.controller.select(chat);
    if (this.controller.activeChat === chat) await this.view.reveal();
  }

  dispose(): void {
    this.disposables.dispose();
  }
}
