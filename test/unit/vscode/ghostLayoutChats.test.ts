// Ghost text names the proposing chat when proposals of several chats are pending in one file.
import { describe, expect, it } from 'vitest';
import { computeHunks } from '../../../src/core/review/hunks';
import { ghostLayout } from '../../../src/vscode/review/ghostLayout';

const positionAt = (text: string) => (offset: number) => {
  const before = text.slice(0, offset);
  return { line: before.split('\n').length - 1, character: offset - (before.lastIndexOf('\n') + 1) };
};

describe('ghost text with several chats', () => {
  const old = 'one\ntwo\nthree\n';
  const [replace, insert] = computeHunks(old, 'one\nTWO\nthree\nfour\n', '1');

  it('says which chat proposes each hunk when asked to', () => {
    expect(ghostLayout(replace!, positionAt(old), 'Fix the parser').text).toBe('⟵ Tandem («Fix the parser»): TWO');
    expect(ghostLayout(insert!, positionAt(old), 'B').text).toBe('⤷ Tandem («B») inserts below: four');
  });

  it('keeps the plain wording for a single chat', () => {
    expect(ghostLayout(replace!, positionAt(old)).text).toBe('⟵ Tandem: TWO');
  });
});
