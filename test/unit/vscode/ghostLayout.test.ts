// How a pending hunk is drawn in the editor: an insertion is drawn between lines, never as a change of
// the line next to it ("← Tandem: …" after an existing line read as "this line becomes …").
import { describe, expect, it } from 'vitest';
import { computeHunks } from '../../../src/core/review/hunks';
import { ghostLayout } from '../../../src/vscode/review/ghostLayout';

/** TextDocument.positionAt for a plain string. */
const positionAt = (text: string) => (offset: number) => {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
};
const layoutOf = (oldText: string, newText: string) => computeHunks(oldText, newText, '1').map((h) => ghostLayout(h, positionAt(oldText)));

describe('ghostLayout', () => {
  it('an inserted line is drawn below the line it follows, with no line marked as replaced', () => {
    const [layout] = layoutOf('one\ntwo\nthree\n', 'one\ntwo\ninserted\nthree\n');
    expect(layout).toEqual({ kind: 'insert-below', line: 1, text: '⤷ Tandem inserts below: inserted' });
    expect(layout?.text).not.toMatch(/⟵/);
  });

  it('at the top of the file it is drawn above the first line', () => {
    expect(layoutOf('one\ntwo\n', 'zero\none\ntwo\n')).toEqual([{ kind: 'insert-above', line: 0, text: '⤴ Tandem inserts above: zero' }]);
  });

  it('at the end of the file, below the last line (with or without a final newline)', () => {
    expect(layoutOf('one\ntwo\n', 'one\ntwo\nthree\n')).toEqual([{ kind: 'insert-below', line: 1, text: '⤷ Tandem inserts below: three' }]);
    const [noNewline] = layoutOf('one\ntwo', 'one\ntwo\nthree');
    expect(noNewline?.replaced).toBeDefined(); // "two" gains a newline: that line really changes
  });

  it('a replacement marks its lines and points at the new text; a deletion says so', () => {
    expect(layoutOf('a\nb\nc\nd\n', 'a\nB\nC\nd\n')).toEqual([{ kind: 'replace', line: 2, replaced: { from: 1, to: 2 }, text: '⟵ Tandem: B  (+1 more line, hover to see)' }]);
    expect(layoutOf('a\nb\nc\n', 'a\nc\n')).toEqual([{ kind: 'delete', line: 1, replaced: { from: 1, to: 1 }, text: '⟵ Tandem: delete these lines' }]);
  });

  it('several inserted lines: a count, the first line clipped', () => {
    const long = 'x'.repeat(200);
    const [layout] = layoutOf('a\nb\n', `a\n${long}\nm\nn\nb\n`);
    expect(layout?.kind).toBe('insert-below');
    expect(layout?.text).toBe(`⤷ Tandem inserts below: ${'x'.repeat(120)}…  (+2 more lines, hover to see)`);
  });
});
