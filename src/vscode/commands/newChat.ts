import * as vscode from 'vscode';
import type { ChatController } from '../chatController';
import type { ChatViewProvider } from '../chatViewProvider';

export function registerNewChat(controller: ChatController, view: ChatViewProvider): vscode.Disposable {
  return vscode.commands.registerCommand('tandem.newChat', async () => {
    await controller.newChat();
    await view.reveal();
  });
}
