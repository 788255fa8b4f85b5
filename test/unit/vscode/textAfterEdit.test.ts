// The text a document must hold right after the review's own edit (src/vscode/review/textAfterEdit.ts):
// the review saves a document only while it holds exactly this, so a wrong answer either saves the user's
// typing (too lenient) or leaves an accepted change off disk (too strict).
import { describe, expect, it } from 'vitest';
import { textAfterEdit } from '../../../src/vscode/review/textAfterEdit';

describe('textAfterEdit', () => {
  it('applies replacements given in any order against the original offsets', () => {
    const text = 'one\ntwo\nthree\n';
    const replacements = [
      { start: 8, end: 13, text: 'THREE' },
      { start: 0, end: 3, text: 'ONE' },
    ];
    expect(textAfterEdit(text, replacements, '\n')).toBe('ONE\ntwo\nTHREE\n');
  });

  it('handles insertions, deletions and an empty edit', () => {
    expect(textAfterEdit('ab', [{ start: 1, end: 1, text: 'X' }], '\n')).toBe('aXb');
    expect(textAfterEdit('abc', [{ start: 0, end: 2, text: '' }], '\n')).toBe('c');
    expect(textAfterEdit('abc', [], '\n')).toBe('abc');
  });

  it("writes the inserted line breaks with the document's own line ending", () => {
    expect(textAfterEdit('a\r\nb\r\n', [{ start: 3, end: 4, text: 'B\nC' }], '\r\n')).toBe('a\r\nB\r\nC\r\n');
    expect(textAfterEdit('a\nb\n', [{ start: 2, end: 3, text: 'B\r\nC' }], '\n')).toBe('a\nB\nC\n');
  });

  it('refuses overlapping or out-of-range replacements instead of guessing a text', () => {
    expect(() => textAfterEdit('abcdef', [{ start: 0, end: 3, text: 'x' }, { start: 2, end: 4, text: 'y' }], '\n')).toThrow(/overlaps/);
    expect(() => textAfterEdit('abc', [{ start: 2, end: 9, text: 'x' }], '\n')).toThrow(/outside/);
    expect(() => textAfterEdit('abc', [{ start: 2, end: 1, text: 'x' }], '\n')).toThrow();
  });
});
