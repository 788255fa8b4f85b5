import { describe, expect, it } from 'vitest';
import { normalizePunctuation, seekLines } from '../../../../src/core/patch/seek';

describe('seekLines', () => {
  const file = ['alpha', 'beta  ', '   gamma', 'const s = "x" — y;', 'alpha'];

  it('matches exactly first', () => {
    expect(seekLines(file, ['alpha'], 0)).toEqual({ index: 0, tier: 'exact' });
    expect(seekLines(file, ['alpha'], 1)).toEqual({ index: 4, tier: 'exact' });
  });

  it('then ignoring trailing whitespace', () => {
    expect(seekLines(file, ['beta'], 0)).toEqual({ index: 1, tier: 'trailing-whitespace' });
  });

  it('then trimmed at both ends', () => {
    expect(seekLines(file, ['gamma'], 0)).toEqual({ index: 2, tier: 'trimmed' });
  });

  it('then with Unicode punctuation normalised', () => {
    expect(seekLines(file, ['const s = “x” - y;'], 0)).toEqual({ index: 3, tier: 'punctuation' });
    expect(seekLines(['a\u00A0b ‘c’ …'], ["a b 'c' ..."], 0)).toEqual({ index: 0, tier: 'punctuation' });
  });

  it('prefers an exact match later over a loose one earlier', () => {
    expect(seekLines(['x ', 'x'], ['x'], 0)).toEqual({ index: 1, tier: 'exact' });
  });

  it('prefers the end of the file with atEnd, and falls back to anywhere', () => {
    expect(seekLines(file, ['alpha'], 0, true)).toEqual({ index: 4, tier: 'exact' });
    expect(seekLines(file, ['beta'], 0, true)).toEqual({ index: 1, tier: 'trailing-whitespace' });
  });

  it('returns undefined when absent or when the pattern does not fit after `from`', () => {
    expect(seekLines(file, ['delta'], 0)).toBeUndefined();
    expect(seekLines(file, ['alpha', 'beta'], 4)).toBeUndefined();
  });

  it('places an empty pattern at `from`, or at the end', () => {
    expect(seekLines(file, [], 2)).toEqual({ index: 2, tier: 'exact' });
    expect(seekLines(file, [], 2, true)).toEqual({ index: 5, tier: 'exact' });
  });

  it('normalises dashes, quotes, spaces and zero-width characters', () => {
    expect(normalizePunctuation('a‐b–c—d−e ‘f’ “g” h\u00A0i\u200Bj')).toBe('a-b-c-d-e \'f\' "g" h ij');
  });
});
