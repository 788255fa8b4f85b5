// What the chat view's buttons ask the host to do with an answer: insert a code block at the cursor,
// open a link, or put a command into a terminal. The messages were validated (protocol.ts); here each
// action still keeps the user in control: an insert is one undoable edit, an external link opens only
// after the user confirms, and a command is typed into the terminal but not run.
import * as vscode from 'vscode';

export async function insertCodeAtCursor(code: string): Promise<void> {
  const editor = vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors[0];
  if (!editor) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Tandem: open a file and place the cursor where the code should go.'));
    return;
  }
  // Replaces each selection (or inserts at each cursor), as pasting would: one undo step.
  const ok = await editor.edit((builder) => {
    for (const selection of editor.selections) builder.replace(selection, code);
  });
  if (!ok) {
    void vscode.window.showWarningMessage(vscode.l10n.t('Tandem: the editor did not accept the insert (is it read-only?).'));
    return;
  }
  await vscode.window.showTextDocument(editor.document, { viewColumn: editor.viewColumn, preserveFocus: false });
}

export async function openLink(url: string): Promise<void> {
  let uri: vscode.Uri;
  try {
    uri = vscode.Uri.parse(url, true);
  } catch {
    return;
  }
  if (uri.scheme === 'http' || uri.scheme === 'https' || uri.scheme === 'mailto') {
    // A model wrote this link: say where it goes before leaving VS Code.
    const choice = await vscode.window.showWarningMessage(vscode.l10n.t('Open this link from Tandem\'s answer?'), { modal: true, detail: uri.toString(true) }, 'Open');
    if (choice !== 'Open') return;
  }
  await vscode.env.openExternal(uri);
}

let terminal: vscode.Terminal | undefined;

/** Types `command` into a terminal in `cwd` without pressing Enter: the user reads it, then runs it. */
export function putInTerminal(command: string, cwd: string | undefined): void {
  if (!terminal || terminal.exitStatus !== undefined) {
    const folder = cwd ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    terminal = vscode.window.createTerminal({ name: 'Tandem: run again', ...(folder ? { cwd: folder } : {}) });
  } else if (cwd) {
    terminal.sendText(`cd '${cwd.replace(/'/g, `'\\''`)}'`, true); // single-quoted: nothing in the path is expanded
  }
  terminal.show();
  terminal.sendText(command, false);
}

/** The terminal belongs to the extension's lifetime. */
export function disposeRerunTerminal(): void {
  terminal?.dispose();
  terminal = undefined;
}
