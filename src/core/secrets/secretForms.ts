// The spellings of a secret that redaction looks for. A command that wants to leak a key to the model
// (or into a log) rarely prints it verbatim once it knows verbatim is caught, so the cheap encodings are
// covered too: base64 and base64url at each of the three byte alignments a secret can sit at inside a
// longer encoded stream, hex in both cases, and percent-encoding. Deliberate obfuscation (reversing,
// splitting with spaces, XOR) is not covered: redaction is best-effort; keeping the key out of the
// command's environment (commandSecrets.ts) is the guarantee. Pure: no node imports.

/** Values shorter than this are not treated as secrets (they would redact ordinary words). */
export const MIN_SECRET_LENGTH = 8;
/** Encoded fragments shorter than this are dropped: too likely to match unrelated text. */
const MIN_ENCODED_FRAGMENT = 16;

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function utf8Bytes(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

function base64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const [a = 0, b = 0, c = 0] = [bytes[i], bytes[i + 1], bytes[i + 2]];
    const n = (a << 16) | (b << 8) | c;
    const chars = [BASE64[(n >> 18) & 63], BASE64[(n >> 12) & 63], BASE64[(n >> 6) & 63], BASE64[n & 63]];
    const kept = bytes.length - i >= 3 ? 4 : bytes.length - i + 1;
    out += chars.slice(0, kept).join('');
  }
  return out;
}

/**
 * The base64 characters that depend only on the secret's bytes when it starts `offset` bytes into a
 * 3-byte group: the first group (mixed with what precedes it) and the last partial group (mixed with
 * what follows) are left out, so the fragment matches wherever the secret appears in a longer stream.
 */
function base64Core(bytes: Uint8Array, offset: 0 | 1 | 2): string {
  const padded = new Uint8Array(offset + bytes.length);
  padded.set(bytes, offset);
  const encoded = base64(padded);
  const start = offset === 0 ? 0 : 4;
  const wholeGroups = Math.floor(padded.length / 3);
  return encoded.slice(start, wholeGroups * 4);
}

function hex(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Every form of `secret` to redact, longest first (so a longer form is replaced before its parts). */
export function secretForms(secret: string): string[] {
  if (secret.trim().length < MIN_SECRET_LENGTH) return [];
  const bytes = utf8Bytes(secret);
  const forms = new Set<string>([secret]);
  const encoded: string[] = [];
  for (const offset of [0, 1, 2] as const) {
    const core = base64Core(bytes, offset);
    encoded.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  const lowerHex = hex(bytes);
  encoded.push(lowerHex, lowerHex.toUpperCase(), encodeURIComponent(secret));
  for (const form of encoded) if (form.length >= MIN_ENCODED_FRAGMENT) forms.add(form);
  return [...forms].sort((a, b) => b.length - a.length);
}
