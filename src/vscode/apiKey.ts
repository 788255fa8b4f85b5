// The API key store: one key per provider (and per server where the user picks the server: providers.ts
// `keySlot`), in VS Code's SecretStorage only. Every key it hands out or stores is also registered as a
// secret (commandSecrets.ts): commands never get it in their environment, and output, chat and the
// session log show [REDACTED] where a command printed it. The single key of earlier versions is moved to
// the slot of the provider the settings name (setup/keyMigration.ts) before any key is read.
import * as vscode from 'vscode';
import { rememberEnvironmentSecrets, rememberSecret } from '../node/commandSecrets';
import { environmentKeyFor, keySlot, type ProviderId } from '../shared/providers';
import { readConfig } from './config';
import { LEGACY_SECRET, migrateLegacyKey, secretName, type MigrationResult } from './setup/keyMigration';

/** Whose key: a provider and its base URL. */
export interface KeyTarget {
  provider: ProviderId;
  baseUrl: string;
}

/** The provider the settings name now. */
export function configuredKeyTarget(): KeyTarget {
  const config = readConfig();
  return { provider: config.provider, baseUrl: config.baseUrl };
}

/**
 * The keys live only in SecretStorage; from the environment, TANDEM_API_KEY stands in for any server and
 * OPENAI_API_KEY only for OpenAI's own (providers.ts `environmentKeyFor`).
 */
export class ApiKeyStore {
  private readonly changed = new vscode.EventEmitter<void>();
  /** A stored key changed (or what the setup panel shows about providers: notifyProvidersChanged). */
  readonly onDidChange = this.changed.event;
  private migration: MigrationResult | undefined;
  private migrating: Promise<void> | undefined;
  /**
   * The provider the old single key was used with: the one the settings named when the extension started,
   * before anything (the setup panel, a picker) could change them.
   */
  private readonly legacyTarget: KeyTarget;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly currentTarget: () => KeyTarget = configuredKeyTarget,
  ) {
    rememberEnvironmentSecrets();
    this.legacyTarget = currentTarget();
    void this.migrate();
    secrets.onDidChange((e) => {
      if (e.key === LEGACY_SECRET || e.key.startsWith(`${LEGACY_SECRET}.`)) this.changed.fire();
    });
  }

  /** Moves the old single key once it can (a no-op after it moved or when there was none). */
  private migrate(): Promise<void> {
    if (this.migration === 'moved' || this.migration === 'none') return Promise.resolve();
    this.migrating ??= migrateLegacyKey(this.secrets, this.legacyTarget).then(
      (result) => {
        this.migration = result;
        this.migrating = undefined;
      },
      () => {
        this.migrating = undefined;
      },
    );
    return this.migrating;
  }

  /** The key of the configured provider. */
  get(): Promise<string | undefined> {
    return this.getFor(this.currentTarget());
  }

  /** Whether a key is stored for `target` in SecretStorage (the environment fallback does not count). */
  async hasStored(target: KeyTarget): Promise<boolean> {
    const slot = keySlot(target.provider, target.baseUrl);
    if (!slot) return false;
    await this.migrate();
    return Boolean((await this.secrets.get(secretName(slot)))?.trim());
  }

  async getFor(target: KeyTarget): Promise<string | undefined> {
    const slot = keySlot(target.provider, target.baseUrl);
    if (!slot) return undefined;
    await this.migrate();
    const stored = (await this.secrets.get(secretName(slot)))?.trim();
    rememberSecret(stored);
    if (stored) return stored;
    return environmentKeyFor(target.baseUrl, process.env);
  }

  /** Stores the key of the configured provider. */
  set(key: string): Promise<void> {
    return this.setFor(this.currentTarget(), key);
  }

  async setFor(target: KeyTarget, key: string): Promise<void> {
    const slot = keySlot(target.provider, target.baseUrl);
    if (!slot) return;
    rememberSecret(key);
    await this.migrate(); // the old key goes to its own provider first, never over the one typed now
    await this.secrets.store(secretName(slot), key.trim());
  }

  /** Forgets the key of the configured provider (others stay). */
  clear(): Promise<void> {
    return this.clearFor(this.currentTarget());
  }

  async clearFor(target: KeyTarget): Promise<void> {
    const slot = keySlot(target.provider, target.baseUrl);
    if (!slot) return;
    await this.migrate();
    await this.secrets.delete(secretName(slot));
  }

  /**
   * Tells the views that what they show about providers changed although no key did (local servers found
   * while the setup panel is open): onDidChange makes the chat post its header facts again.
   */
  notifyProvidersChanged(): void {
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }
}
