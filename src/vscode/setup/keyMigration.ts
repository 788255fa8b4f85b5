// Moving the single API key of earlier versions (`tandem.apiKey`) to the per-provider slot of the provider
// it was used with (the one the settings name), without ever losing it: the new slot is written and read
// back before the old entry is deleted, a slot that already holds a different key is never overwritten
// (the old entry then stays where it is), and nothing is deleted when writing fails.
// No `vscode` import at run time (only types), so the unit tests drive it with an in-memory store.
import { keySlot, type ProviderId } from '../../shared/providers';

/** The part of VS Code's SecretStorage this needs. */
export interface SecretStore {
  get(key: string): PromiseLike<string | undefined>;
  store(key: string, value: string): PromiseLike<void>;
  delete(key: string): PromiseLike<void>;
}

/** Where earlier versions kept the one key. */
export const LEGACY_SECRET = 'tandem.apiKey';

/** The SecretStorage entry of a key slot (providers.ts `keySlot`). */
export function secretName(slot: string): string {
  return `${LEGACY_SECRET}.${slot}`;
}

/**
 * `none`: there was no old key. `moved`: it is in the provider's slot now and the old entry is gone.
 * `kept`: the old entry stays (no slot for this provider yet, the slot holds another key, or writing failed).
 */
export type MigrationResult = 'none' | 'moved' | 'kept';

export async function migrateLegacyKey(secrets: SecretStore, target: { provider: ProviderId; baseUrl: string }): Promise<MigrationResult> {
  const legacy = (await secrets.get(LEGACY_SECRET))?.trim();
  if (!legacy) return 'none';
  const slot = keySlot(target.provider, target.baseUrl);
  if (!slot) return 'kept'; // VS Code's language models take no key: wait until a provider that does is chosen
  const name = secretName(slot);
  try {
    const existing = (await secrets.get(name))?.trim();
    if (existing && existing !== legacy) return 'kept';
    if (!existing) await secrets.store(name, legacy);
    if ((await secrets.get(name))?.trim() !== legacy) return 'kept';
    await secrets.delete(LEGACY_SECRET);
    return 'moved';
  } catch {
    return 'kept';
  }
}
