// "Tandem: Set API Key" and "Tandem: Clear API Key". The prompt names the provider and base URL the key
// is for (setup/providerKey.ts).
import * as vscode from 'vscode';
import type { ApiKeyStore } from '../apiKey';
import { readConfig } from '../config';
import { promptForKey } from '../setup/providerKey';

export function registerSetApiKey(apiKeys: ApiKeyStore): vscode.Disposable {
  return vscode.commands.registerCommand('tandem.setApiKey', async () => {
    await promptForKey(apiKeys, readConfig().baseUrl);
  });
}

export function registerClearApiKey(apiKeys: ApiKeyStore): vscode.Disposable {
  return vscode.commands.registerCommand('tandem.clearApiKey', async () => {
    await apiKeys.clear();
    void vscode.window.showInformationMessage(vscode.l10n.t('Tandem: API key removed from SecretStorage.'));
  });
}
