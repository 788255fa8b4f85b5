// The API key store. Every key it hands out or stores is also registered as a secret
// (commandSecrets.ts): commands never get it in their environment, and output, chat and the session
// log show [REDACTED] where a command printed it.
import * as vscode from 'vscode';
import { rememberEnvironmentSecrets, rememberSecret } from '../node/commandSecrets';

const SECRET_KEY = 'tandem.apiKey';

/** The API key lives only in SecretStorage; the OPENAI_API_KEY environment variable is the fallback. */
export class ApiKeyStore {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly secrets: vscode.SecretStorage) {
    rememberEnvironmentSecrets();
    secrets.onDidChange((e) => {
      if (e.key === SECRET_KEY) this.changed.fire();
    });
  }

  async get(): Promise<string | undefined> {
    const stored = await this.secrets.get(SECRET_KEY);
    rememberSecret(stored);
    return stored?.trim() || process.env.OPENAI_API_KEY?.trim() || undefined;
  }

  async set(key: string): Promise<void> {
    rememberSecret(key);
    await this.secrets.store(SECRET_KEY, key.trim());
  }

  async clear(): Promise<void> {
    await this.secrets.delete(SECRET_KEY);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
