// The API key prompt. It always says which provider and base URL the key is for, so a key is never typed
// for one server while Tandem talks to another. The key is typed into VS Code's own password input box,
// never into the webview, and goes straight to SecretStorage.
import * as vscode from 'vscode';
import { detectProvider, providerPreset } from '../../shared/providers';
import type { ApiKeyStore } from '../apiKey';

/** Who the key is for, in words: "OpenRouter (https://openrouter.ai/api/v1)". */
export function keyTarget(baseUrl: string): string {
  const provider = providerPreset(detectProvider(baseUrl));
  return provider.id === 'custom' ? baseUrl : `${provider.label} (${baseUrl})`;
}

/**
 * Asks for the key of `baseUrl` and stores it. Returns true when a key was saved, false when the user
 * pressed Escape (the stored key, if any, stays).
 */
export async function promptForKey(apiKeys: ApiKeyStore, baseUrl: string): Promise<boolean> {
  const target = keyTarget(baseUrl);
  const key = await vscode.window.showInputBox({
    title: vscode.l10n.t('Tandem: API key for {0}', target),
    prompt: vscode.l10n.t('The key for {0}. Stored in VS Code SecretStorage, never in settings; Escape keeps the current key.', target),
    placeHolder: vscode.l10n.t('API key'),
    password: true,
    ignoreFocusOut: true,
    validateInput: (value) => (value.trim() ? undefined : vscode.l10n.t('Enter a key, or press Escape to cancel.')),
  });
  if (!key?.trim()) return false;
  await apiKeys.set(key);
  void vscode.window.showInformationMessage(vscode.l10n.t('Tandem: API key saved in SecretStorage, for {0}.', target));
  return true;
}
