// "Tandem: Compact Conversation": the palette's way to `/compact`. It runs the same path as typing
// `/compact` in the composer (ChatController.compact), so the chat shows the compaction like a turn.
import * as vscode from 'vscode';
import type { ChatController } from '../chatController';
import type { ChatViewProvider } from '../chatViewProvider';

export function registerCompactConversation(controller: ChatController, view: ChatViewProvider): vscode.Disposable {
  return vscode.commands.registerCommand('tandem.compactConversation', async () => {
    await view.reveal(); // the "Context compacted" row (or why it could not be made) is where the user looks
    await controller.compact();
  });
}
