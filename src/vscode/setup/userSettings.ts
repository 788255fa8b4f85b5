// Writes the provider settings where they belong: the user's (global) settings. tandem.baseUrl,
// tandem.model and tandem.wireApi are application-scoped (a workspace cannot redirect the key), so a
// workspace target would be ignored by VS Code anyway; the approval policy is written there too, and a
// stricter workspace value still wins (config.ts), which the picker says.
import * as vscode from 'vscode';
import type { ProviderSetup } from '../../shared/providers';

export type UserSettingKey = 'baseUrl' | 'model' | 'wireApi' | 'approvalPolicy';

export async function writeUserSetting(key: UserSettingKey, value: string): Promise<void> {
  await vscode.workspace.getConfiguration('tandem').update(key, value, vscode.ConfigurationTarget.Global);
}

/** Base URL, model and wire API of a checked setup (protocol.ts / providers.ts `parseSetup`). */
export async function writeProviderSetup(setup: ProviderSetup): Promise<void> {
  await writeUserSetting('baseUrl', setup.baseUrl);
  await writeUserSetting('wireApi', setup.wireApi);
  await writeUserSetting('model', setup.model);
}
