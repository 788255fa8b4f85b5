// What a stored native compaction must look like, with no dependency on the openai SDK: the session log
// (loaded at activation to list and restore chats) checks logged items with it, and must not pull the SDK
// into the extension's start-up (test/unit/packaging/activationModules.test.ts).
import type { NativeCompaction } from './types';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Largest `encrypted_content` accepted (characters): about 500k tokens if it were text, far beyond any window share. */
export const MAX_ENCRYPTED_CHARS = 2_000_000;

/** Opaque tokens are printable ASCII without spaces, bounded; anything else is not one (and would end up in logs). */
export function isOpaqueToken(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_ENCRYPTED_CHARS && /^[\x21-\x7e]+$/.test(value);
}

/** A native compaction as stored (a session log is read back from disk: checked, not trusted). */
export function isNativeCompaction(value: unknown): value is NativeCompaction {
  return isRecord(value) && isOpaqueToken(value.encryptedContent) && typeof value.origin === 'string' && value.origin.length <= 2_000;
}
