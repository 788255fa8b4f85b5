// The webview's message table: every key the sources use exists, every call passes as many arguments as
// the text has placeholders, no key is left unused, and `t` fills the placeholders.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MESSAGES, t, type MessageKey } from '../../webview/src/strings';

const ROOT = join(__dirname, '../../webview/src');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) && name !== 'strings.ts' ? [path] : [];
  });
}

/** Each `t(…)` call: the keys it may use (string literals in its first argument) and its argument count. */
function calls(code: string): { keys: string[]; args: number; at: string }[] {
  const found: { keys: string[]; args: number; at: string }[] = [];
  const start = /(?<![\w.])t\(/g;
  for (let m = start.exec(code); m; m = start.exec(code)) {
    let depth = 1;
    let args = 1;
    let first = '';
    let quote: string | undefined;
    let i = m.index + 2;
    for (; i < code.length && depth > 0; i++) {
      const c = code[i]!;
      if (quote) {
        if (c === '\\') i++;
        else if (c === quote) quote = undefined;
      } else if (c === "'" || c === '"' || c === '`') quote = c;
      else if ('([{'.includes(c)) depth++;
      else if (')]}'.includes(c)) depth--;
      else if (c === ',' && depth === 1) args++;
      if (args === 1 && depth > 0) first += c;
    }
    const keys = [...first.matchAll(/'([^']+)'/g)].map((k) => k[1]!);
    found.push({ keys, args: args - 1, at: code.slice(m.index, i) });
  }
  return found;
}

const placeholders = (text: string) => new Set([...text.matchAll(/\{(\d+)\}/g)].map((p) => p[1])).size;

describe('the webview message table', () => {
  const all = sources(ROOT).flatMap((file) => calls(readFileSync(file, 'utf8')).map((c) => ({ ...c, file })));
  const text = sources(ROOT).map((file) => readFileSync(file, 'utf8')).join('\n');

  it('finds the calls', () => {
    expect(all.length).toBeGreaterThan(50);
  });

  it('has every key used, with as many arguments as placeholders', () => {
    for (const call of all) {
      expect(call.keys.length, `${call.file}: ${call.at}`).toBeGreaterThan(0);
      for (const key of call.keys) {
        expect(MESSAGES, `${call.file}: ${call.at}`).toHaveProperty([key]);
        expect(call.args, `${call.file}: ${call.at}`).toBe(placeholders(MESSAGES[key as MessageKey]));
      }
    }
  });

  it('uses every key', () => {
    const unused = Object.keys(MESSAGES).filter((key) => !text.includes(`'${key}'`));
    expect(unused).toEqual([]);
  });

  it('numbers placeholders from {0} without gaps', () => {
    for (const [key, value] of Object.entries(MESSAGES)) {
      const n = placeholders(value);
      for (let i = 0; i < n; i++) expect(value, key).toContain(`{${i}}`);
    }
  });

  it('fills the placeholders in order', () => {
    expect(t('composer.removeChip', 'a.ts')).toBe('Remove a.ts');
    expect(t('image.tooLarge', 'x.png', 5)).toBe('x.png is larger than 5 MB.');
    expect(t('header.meter.title', '1', '2', '3', '4', '5')).toBe('Last request: 1 of 2 context tokens; 3 served from the prompt cache. Session: 4 in, 5 out.');
    expect(t('hunk.accept.label', t('hunk.where', 3, 'src/a.ts'))).toBe('Accept hunk at line 3 of src/a.ts');
    expect(t('composer.label')).toBe('Message Tandem');
    for (const key of Object.keys(MESSAGES) as MessageKey[]) {
      const args = Array.from({ length: placeholders(MESSAGES[key]) }, (_, i) => `<${i}>`);
      expect(t(key, ...args), key).not.toMatch(/\{\d+\}/);
    }
  });
});
