// Writes the provider settings where they belong: the user's (global) settings. tandem.provider,
// tandem.baseUrl, tandem.model and tandem.wireApi are application-scoped (a workspace cannot redirect the key), so a
// workspace target would be ignored by VS Code anyway; the approval policy is written there too, and a
// stricter workspace value still wins (config.ts), which the picker says.
import * as vscode from 'vscode';
import type { ProviderSetup } from '../../shared/providers';

export type UserSettingKey = 'provider' | 'baseUrl' | 'model' | 'wireApi' | 'approvalPolicy';

export async function writeUserSetting(key: UserSettingKey, value: string): Promise<void> {
  await vscode.workspace.getConfiguration('tandem').update(key, value, vscode.ConfigurationTarget.Global);
}

/**
 * Provider, base URL, model and wire API of a checked setup (protocol.ts / providers.ts `parseSetup`).
 * VS Code's language models have no base URL or wire API: those settings keep the server chosen before,
 * for when the user switches back.
 */
export async function writeProviderSetup(setup: ProviderSetup): Promise<void> {
  await writeUserSetting('provider', setup.provider);
  if (setup.provider === 'vscode-lm') {
    if (setup.model) await writeUserSetting('model', setup.model);
    return;
  }
  await writeUserSetting('baseUrl', setup.baseUrl);
  await writeUserSetting('wireApi', setup.wireApi);
  await writeUserSetting('model', setup.model);
}
