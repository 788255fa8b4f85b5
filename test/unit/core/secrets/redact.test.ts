// Redaction of known secrets: the encoded spellings, secrets cut anywhere across stream chunks, and the
// registry's deep redaction of log records. Inputs are the ways a command would try to get a key past it.
import { describe, expect, it } from 'vitest';
import { SecretRegistry } from '../../../../src/core/secrets/knownSecrets';
import { pendingSecretPrefix, REDACTED, StreamRedactor } from '../../../../src/core/secrets/redact';
import { MIN_SECRET_LENGTH, secretForms } from '../../../../src/core/secrets/secretForms';

const SECRET = 'sk-proj-Zq81_xYw-4fT9aLm0pQrStUvWx2yZ7bC';

describe('secretForms', () => {
  it('finds the key base64-encoded at any position inside a longer stream, in both alphabets', () => {
    const forms = secretForms(SECRET);
    for (let before = 0; before < 6; before++) {
      for (let after = 0; after < 4; after++) {
        const payload = Buffer.from(`${'p'.repeat(before)}${SECRET}${'s'.repeat(after)}`);
        for (const encoded of [payload.toString('base64'), payload.toString('base64url')]) {
          expect(forms.some((f) => encoded.includes(f)), `${before}/${after} ${encoded}`).toBe(true);
        }
      }
    }
  });

  it('covers hex in both cases and percent-encoding', () => {
    const forms = secretForms('pa ss/wörd+secret=value');
    const hex = Buffer.from('pa ss/wörd+secret=value').toString('hex');
    expect(forms).toContain(hex);
    expect(forms).toContain(hex.toUpperCase());
    expect(forms).toContain(encodeURIComponent('pa ss/wörd+secret=value'));
  });

  it('ignores values too short to be keys', () => {
    expect(secretForms('a'.repeat(MIN_SECRET_LENGTH - 1))).toEqual([]);
    expect(secretForms('       x       ')).toEqual([]);
  });
});

describe('StreamRedactor', () => {
  const forms = secretForms(SECRET);
  const text = `before ${SECRET} middle ${Buffer.from(SECRET).toString('base64')} after ${SECRET}`;
  const expected = new SecretRegistry();
  expected.add(SECRET);

  it('redacts a secret cut at every possible point between two chunks', () => {
    for (let cut = 0; cut <= text.length; cut++) {
      const redactor = new StreamRedactor(() => forms);
      const out = redactor.push(text.slice(0, cut)) + redactor.push(text.slice(cut)) + redactor.flush();
      expect(out).toBe(expected.redact(text));
      expect(out).not.toContain(SECRET);
    }
  });

  it('redacts a secret printed one character per chunk', () => {
    const redactor = new StreamRedactor(() => forms);
    const shown: string[] = [];
    for (const ch of text) shown.push(redactor.push(ch));
    shown.push(redactor.flush());
    // No prefix of the secret is ever shown before the redactor knows it is not the secret.
    expect(shown.join('')).toBe(expected.redact(text));
    expect(shown.join('')).toContain(REDACTED);
  });

  it('only holds back a tail that could still become a secret', () => {
    const redactor = new StreamRedactor(() => forms);
    expect(redactor.push('plain output\n')).toBe('plain output\n');
    expect(redactor.push('prompt> sk-pro')).toBe('prompt> ');
    expect(redactor.push('mpt')).toBe('sk-prompt');
    expect(pendingSecretPrefix('xx sk', forms)).toBe(2);
    expect(pendingSecretPrefix('xx', forms)).toBe(0);
  });

  it('applies secrets added after the stream started from the next chunk', () => {
    const registry = new SecretRegistry();
    const redactor = registry.streamRedactor();
    expect(redactor.push(`one ${SECRET}\n`)).toContain(SECRET);
    registry.add(SECRET);
    expect(redactor.push(`two ${SECRET}\n`)).toBe(`two ${REDACTED}\n`);
  });
});

describe('SecretRegistry', () => {
  it('redacts every string of a log record, nested, and leaves the rest alone', () => {
    const registry = new SecretRegistry();
    registry.add(`  ${SECRET}\n`);
    const record = { type: 'event', event: { type: 'tool.output', chunk: `KEY=${SECRET}`, n: 3, list: [SECRET, true] } };
    expect(registry.redactDeep(record)).toEqual({ type: 'event', event: { type: 'tool.output', chunk: `KEY=${REDACTED}`, n: 3, list: [REDACTED, true] } });
    expect(registry.list()).toEqual([SECRET]);
  });

  it('ignores empty and short values', () => {
    const registry = new SecretRegistry();
    registry.add(undefined);
    registry.add('');
    registry.add('short');
    expect(registry.list()).toEqual([]);
    expect(registry.redact('short')).toBe('short');
  });
});
