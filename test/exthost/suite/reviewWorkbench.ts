// The review suites' workbench settings. The suites run in code-server, a web workbench, whose default is
// files.autoSave "afterDelay": VS Code itself saves a document one second after its last change, so an
// assertion that the user's typing is still unsaved passed only while the machine was fast enough (it
// failed once on a cold run). The suite turns auto-save off, as it is by default on the desktop, and puts
// back what was there after. With auto-save off, closing a dirty editor asks whether to save (a dialog no
// test answers): documents a test leaves dirty are reverted before the editors close.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

/** Registers suiteSetup / suiteTeardown hooks: files.autoSave is "off" for the whole suite. */
export function autoSaveOffForSuite(): void {
  let before: unknown;
  suiteSetup(async () => {
    before = vscode.workspace.getConfiguration('files').inspect('autoSave')?.globalValue;
    await vscode.workspace.getConfiguration('files').update('autoSave', 'off', vscode.ConfigurationTarget.Global);
    assert.equal(vscode.workspace.getConfiguration('files').get('autoSave'), 'off', 'auto-save is off for the review suites');
  });
  suiteTeardown(async () => {
    await vscode.workspace.getConfiguration('files').update('autoSave', before, vscode.ConfigurationTarget.Global);
  });
}

/** Reverts every dirty file document (the test's unsaved typing), then closes all editors without a dialog. */
export async function revertAndCloseAllEditors(): Promise<void> {
  for (const document of vscode.workspace.textDocuments) {
    if (!document.isDirty || document.uri.scheme !== 'file') continue;
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}
