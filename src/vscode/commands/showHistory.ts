// "Tandem: Show Chat History": a quick pick of past sessions (title, when, workspace), newest first, to
// reopen one (restored from its session log) or delete it (trash button on the item).
import * as vscode from 'vscode';
import type { StoredSessionSummary } from '../../node/sessionStore';
import type { ChatController } from '../chatController';
import type { ChatViewProvider } from '../chatViewProvider';

interface SessionItem extends vscode.QuickPickItem {
  session: StoredSessionSummary;
}

const DELETE_BUTTON: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('trash'), tooltip: vscode.l10n.t('Delete this chat') };

function describeTime(ms: number, now = Date.now()): string {
  const minutes = Math.round((now - ms) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  return new Date(ms).toLocaleDateString();
}

function toItem(session: StoredSessionSummary, currentId: string): SessionItem {
  return {
    label: session.title,
    description: `${describeTime(session.updatedAt)}${session.id === currentId ? ' · open' : ''}`,
    ...(session.workspace ? { detail: `$(folder) ${session.workspace}` } : {}),
    buttons: [DELETE_BUTTON],
    session,
  };
}

export function registerShowHistory(controller: ChatController, view: ChatViewProvider): vscode.Disposable {
  return vscode.commands.registerCommand('tandem.showHistory', async () => {
    const sessions = await controller.listSessions();
    const pick = vscode.window.createQuickPick<SessionItem>();
    pick.title = vscode.l10n.t('Tandem chat history');
    pick.placeholder = sessions.length ? vscode.l10n.t('Reopen a chat (type to filter)') : vscode.l10n.t('No past chats yet');
    pick.matchOnDescription = true;
    pick.matchOnDetail = true;
    pick.items = sessions.map((s) => toItem(s, controller.currentSessionId));
    pick.onDidTriggerItemButton(async ({ item }) => {
      await controller.deleteSession(item.session.id);
      pick.items = pick.items.filter((i) => i !== item);
    });
    pick.onDidAccept(async () => {
      const [chosen] = pick.selectedItems;
      pick.hide();
      if (!chosen) return;
      await controller.openSession(chosen.session.id);
      await view.reveal();
    });
    pick.onDidHide(() => pick.dispose());
    pick.show();
  });
}
