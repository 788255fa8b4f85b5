// "Fix this": for now it sends the selection (or the current line) with its diagnostics to the chat.
// The focused inline-fix flow (issue "Fix this") builds on this command id.
import * as vscode from 'vscode';
import type { ChatController } from '../chatController';
import type { ChatViewProvider } from '../chatViewProvider';

export function registerFixThis(controller: ChatController, view: ChatViewProvider): vscode.Disposable {
  return vscode.commands.registerCommand('tandem.fixThis', async () => {
    const editor = vscode.window.activeTextEditor;
    if (!editor) {
      void vscode.window.showInformationMessage('Tandem: open a file and select the code to fix.');
      return;
    }
    const { document, selection } = editor;
    const range = selection.isEmpty ? document.lineAt(selection.active.line).range : selection;
    const diagnostics = vscode.languages
      .getDiagnostics(document.uri)
      .filter((d) => d.range.intersection(range))
      .map((d) => `- line ${d.range.start.line + 1}: ${d.message}${d.source ? ` (${d.source}${d.code !== undefined ? ` ${String(typeof d.code === 'object' ? d.code.value : d.code)}` : ''})` : ''}`);
    const file = vscode.workspace.asRelativePath(document.uri);
    const prompt = [
      `Fix this code in \`${file}\` (lines ${range.start.line + 1}-${range.end.line + 1}, ${document.languageId}):`,
      '```' + document.languageId,
      document.getText(range),
      '```',
      diagnostics.length ? `Problems reported there:\n${diagnostics.join('\n')}` : '',
    ].filter(Boolean).join('\n');
    await view.reveal();
    await controller.send(prompt);
  });
}
