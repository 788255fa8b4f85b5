// What the chat view's buttons ask the host to do with an answer: insert a code block at the cursor,
// open a link, or put a command into a terminal. The messages were validated (protocol.ts); here each
// action still keeps the user in control: an insert is one undoable edit, an external link opens only
// after the user confirms (and only http, https and mailto: src/core/viewActions/linkPolicy.ts), and a
// command is typed into the terminal but not run, or copied when it spans lines
// (src/core/viewActions/terminalText.ts).
import * as vscode from 'vscode';
import { decideLink } from '../core/viewActions/linkPolicy';
import { planTerminalText } from '../core/viewActions/terminalText';

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
  const decision = decideLink(url);
  let uri: vscode.Uri | undefined;
  if (decision.action === 'confirm') {
    try {
      uri = vscode.Uri.parse(decision.url, true);
    } catch {
      uri = undefined;
    }
  }
  // VS Code must read the link as the same scheme the decision was made on.
  if (decision.action === 'refuse' || !uri || uri.scheme !== decision.scheme) {
    const reason = decision.action === 'refuse' ? decision.reason : 'the link is not a valid URL';
    void vscode.window.showWarningMessage(vscode.l10n.t('Tandem did not open a link from the answer: {0}.', reason));
    return;
  }
  // A model wrote this link: say where it goes before leaving VS Code.
  const detail = decision.host ? `${decision.url}\n\n${vscode.l10n.t('Host: {0}', decision.host)}` : decision.url;
  const choice = await vscode.window.showWarningMessage(vscode.l10n.t('Open this link from Tandem\'s answer?'), { modal: true, detail }, 'Open');
  if (choice !== 'Open') return;
  await vscode.env.openExternal(uri);
}

let terminal: { terminal: vscode.Terminal; cwd: string | undefined } | undefined;

/**
 * Puts `command` into a terminal in `cwd` without running it: one line is typed without Enter; several
 * lines are copied to the clipboard for the user to paste; control characters are refused. A different
 * `cwd` gets a new terminal created there (typing `cd` would run something).
 */
export function putInTerminal(command: string, cwd: string | undefined): void {
  const plan = planTerminalText(command, cwd);
  if (plan.action === 'refuse') {
    void vscode.window.showWarningMessage(vscode.l10n.t('Tandem did not put the command into a terminal: {0}.', plan.reason));
    return;
  }
  const folder = cwd ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (!terminal || terminal.terminal.exitStatus !== undefined || terminal.cwd !== folder) {
    terminal = { terminal: vscode.window.createTerminal({ name: 'Tandem: run again', ...(folder ? { cwd: folder } : {}) }), cwd: folder };
  }
  terminal.terminal.show();
  if (plan.action === 'type') {
    terminal.terminal.sendText(plan.text, false);
    return;
  }
  void vscode.env.clipboard.writeText(plan.text).then(() =>
    vscode.window.showInformationMessage(vscode.l10n.t('The command has several lines, so Tandem copied it instead of typing it: paste it into the terminal, read it, then run it.')),
  );
}

/** The terminal belongs to the extension's lifetime. */
export function disposeRerunTerminal(): void {
  terminal?.terminal.dispose();
  terminal = undefined;
}
