// The API key prompt. It always says which provider and base URL the key is for, so a key is never typed
// for one server while Tandem talks to another. The key is typed into VS Code's own password input box,
// never into the webview, and goes straight to SecretStorage.
import * as vscode from 'vscode';
import { detectProvider, keySlot, providerPreset, type ProviderId } from '../../shared/providers';
import type { ApiKeyStore } from '../apiKey';
import { readConfig } from '../config';

/** Who the key is for, in words: "OpenRouter (https://openrouter.ai/api/v1)". */
export function keyTarget(baseUrl: string, providerId: ProviderId = detectProvider(baseUrl)): string {
  const provider = providerPreset(providerId);
  return provider.id === 'custom' ? baseUrl : `${provider.label} (${baseUrl})`;
}

/** The provider a base URL is used with: the configured one for the configured URL, else the URL's preset. */
function providerOf(baseUrl: string): ProviderId {
  const config = readConfig();
  return config.baseUrl === baseUrl ? config.provider : detectProvider(baseUrl);
}

/**
 * Asks for the key of `provider` at `baseUrl` and stores it in that provider's slot. Returns true when a key
 * was saved, false when the user pressed Escape (the stored key, if any, stays).
 */
export async function promptForKey(apiKeys: ApiKeyStore, baseUrl: string, provider: ProviderId = providerOf(baseUrl)): Promise<boolean> {
  if (!keySlot(provider, baseUrl)) {
    void vscode.window.showInformationMessage(vscode.l10n.t("Tandem: {0} need no API key here; VS Code asks once before Tandem may use a model.", providerPreset(provider).label));
    return false;
  }
  const target = keyTarget(baseUrl, provider);
  const key = await vscode.window.showInputBox({
    title: vscode.l10n.t('Tandem: API key for {0}', target),
    prompt: vscode.l10n.t('The key for {0}. Stored in VS Code SecretStorage, never in settings; Escape keeps the current key.', target),
    placeHolder: vscode.l10n.t('API key'),
    password: true,
    ignoreFocusOut: true,
    validateInput: (value) => (value.trim() ? undefined : vscode.l10n.t('Enter a key, or press Escape to cancel.')),
  });
  if (!key?.trim()) return false;
  await apiKeys.setFor({ provider, baseUrl }, key);
  void vscode.window.showInformationMessage(vscode.l10n.t('Tandem: API key saved in SecretStorage, for {0}.', target));
  return true;
}
