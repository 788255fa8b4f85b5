import * as vscode from 'vscode';
import type { ApiKeyStore } from '../apiKey';

export function registerSetApiKey(apiKeys: ApiKeyStore): vscode.Disposable {
  return vscode.commands.registerCommand('tandem.setApiKey', async () => {
    const key = await vscode.window.showInputBox({
      title: vscode.l10n.t('Tandem: Set API Key'),
      prompt: vscode.l10n.t('API key for the server in tandem.baseUrl. Stored in VS Code SecretStorage, never in settings.'),
      password: true,
      ignoreFocusOut: true,
      validateInput: (value) => (value.trim() ? undefined : 'Enter a key, or press Escape to cancel.'),
    });
    if (!key) return;
    await apiKeys.set(key);
    void vscode.window.showInformationMessage(vscode.l10n.t('Tandem: API key saved in SecretStorage.'));
  });
}

export function registerClearApiKey(apiKeys: ApiKeyStore): vscode.Disposable {
  return vscode.commands.registerCommand('tandem.clearApiKey', async () => {
    await apiKeys.clear();
    void vscode.window.showInformationMessage(vscode.l10n.t('Tandem: API key removed from SecretStorage.'));
  });
}
