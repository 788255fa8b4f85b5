// The single API key of earlier versions moves to the slot of the provider it was used with, and is never
// lost: not when the slot already holds another key, not when writing fails or does not stick, not when
// the configured provider takes no key (VS Code's language models). Driven with an in-memory SecretStorage.
import { describe, expect, it } from 'vitest';
import { LEGACY_SECRET, migrateLegacyKey, secretName, type SecretStore } from '../../../src/vscode/setup/keyMigration';

class MemorySecrets implements SecretStore {
  readonly map = new Map<string, string>();
  failStore = false;
  dropStores = false;
  constructor(entries: Record<string, string> = {}) {
    for (const [k, v] of Object.entries(entries)) this.map.set(k, v);
  }
  async get(key: string) {
    return this.map.get(key);
  }
  async store(key: string, value: string) {
    if (this.failStore) throw new Error('keychain locked');
    if (!this.dropStores) this.map.set(key, value);
  }
  async delete(key: string) {
    this.map.delete(key);
  }
}

const OPENAI = { provider: 'openai' as const, baseUrl: 'https://api.openai.com/v1' };

describe('migrateLegacyKey', () => {
  it('moves the key to the provider the settings name, then deletes the old entry', async () => {
    const secrets = new MemorySecrets({ [LEGACY_SECRET]: ' sk-old-1234 ' });
    expect(await migrateLegacyKey(secrets, OPENAI)).toBe('moved');
    expect(Object.fromEntries(secrets.map)).toEqual({ 'tandem.apiKey.openai': 'sk-old-1234' });
  });

  it('puts an Azure key in the slot of that resource', async () => {
    const secrets = new MemorySecrets({ [LEGACY_SECRET]: 'azure-key' });
    expect(await migrateLegacyKey(secrets, { provider: 'azure', baseUrl: 'https://res.openai.azure.com/openai/v1' })).toBe('moved');
    expect(secrets.map.get(secretName('azure@https://res.openai.azure.com'))).toBe('azure-key');
  });

  it('does nothing without an old key, and is idempotent', async () => {
    const secrets = new MemorySecrets({ 'tandem.apiKey.openai': 'sk-new' });
    expect(await migrateLegacyKey(secrets, OPENAI)).toBe('none');
    expect(Object.fromEntries(secrets.map)).toEqual({ 'tandem.apiKey.openai': 'sk-new' });
  });

  it('never overwrites a different key already in the slot, and keeps the old one', async () => {
    const secrets = new MemorySecrets({ [LEGACY_SECRET]: 'sk-old', 'tandem.apiKey.openai': 'sk-new' });
    expect(await migrateLegacyKey(secrets, OPENAI)).toBe('kept');
    expect(Object.fromEntries(secrets.map)).toEqual({ [LEGACY_SECRET]: 'sk-old', 'tandem.apiKey.openai': 'sk-new' });
  });

  it('finishes a migration interrupted after the copy (same key in both places)', async () => {
    const secrets = new MemorySecrets({ [LEGACY_SECRET]: 'sk-old', 'tandem.apiKey.openai': 'sk-old' });
    expect(await migrateLegacyKey(secrets, OPENAI)).toBe('moved');
    expect(secrets.map.has(LEGACY_SECRET)).toBe(false);
  });

  it('keeps the old key when storing throws or does not stick', async () => {
    const failing = new MemorySecrets({ [LEGACY_SECRET]: 'sk-old' });
    failing.failStore = true;
    expect(await migrateLegacyKey(failing, OPENAI)).toBe('kept');
    expect(failing.map.get(LEGACY_SECRET)).toBe('sk-old');
    const dropping = new MemorySecrets({ [LEGACY_SECRET]: 'sk-old' });
    dropping.dropStores = true;
    expect(await migrateLegacyKey(dropping, OPENAI)).toBe('kept');
    expect(dropping.map.get(LEGACY_SECRET)).toBe('sk-old');
  });

  it('waits while the provider takes no key (VS Code language models)', async () => {
    const secrets = new MemorySecrets({ [LEGACY_SECRET]: 'sk-old' });
    expect(await migrateLegacyKey(secrets, { provider: 'vscode-lm', baseUrl: '' })).toBe('kept');
    expect(Object.fromEntries(secrets.map)).toEqual({ [LEGACY_SECRET]: 'sk-old' });
  });

  it('treats a blank old entry as no key', async () => {
    const secrets = new MemorySecrets({ [LEGACY_SECRET]: '   ' });
    expect(await migrateLegacyKey(secrets, OPENAI)).toBe('none');
    expect(secrets.map.has('tandem.apiKey.openai')).toBe(false);
  });
});
