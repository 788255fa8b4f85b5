import { describe, expect, it } from 'vitest';
import { applyHunks, computeHunks, type ReviewHunk } from '../../../../src/core/review/hunks';
import { isUndoable, transformHunks, type TextChange } from '../../../../src/core/review/transform';

const lines = (...l: string[]) => l.map((x) => `${x}\n`).join('');
/** The text after `changes` (VS Code semantics: all offsets against the text before the event). */
const edit = (text: string, changes: TextChange[]) =>
  [...changes].sort((a, b) => b.offset - a.offset).reduce((t, c) => t.slice(0, c.offset) + c.text + t.slice(c.offset + c.length), text);

function setup(): { old: string; hunks: ReviewHunk[] } {
  const old = lines('alpha', 'beta', 'gamma', 'delta', 'epsilon');
  return { old, hunks: computeHunks(old, lines('alpha', 'BETA', 'gamma', 'delta', 'EPSILON'), '1') };
}

describe('transformHunks (the user types while hunks are pending)', () => {
  it('moves hunks after an edit above them, and accepting then gives the right file', () => {
    const { old, hunks } = setup();
    const change = { offset: 0, length: 0, text: '// header\n' };
    const typed = edit(old, [change]);
    expect(transformHunks(hunks, [change])).toEqual([]);
    expect(typed.slice(hunks[0]!.start, hunks[0]!.end)).toBe('beta\n');
    expect(applyHunks(typed, hunks)).toBe(lines('// header', 'alpha', 'BETA', 'gamma', 'delta', 'EPSILON'));
  });

  it('leaves hunks before an edit alone and marks only the overlapped hunk stale', () => {
    const { old, hunks } = setup();
    const at = old.indexOf('epsilon');
    const change = { offset: at + 2, length: 1, text: 'S' }; // inside the second hunk
    const stale = transformHunks(hunks, [change]);
    expect(stale.map((h) => h.id)).toEqual(['1.2']);
    expect(hunks[1]!.state).toBe('stale');
    expect(hunks[0]!.state).toBe('pending');
    expect(edit(old, [change]).slice(hunks[0]!.start, hunks[0]!.end)).toBe('beta\n');
  });

  it('typing at the very start of a hunk edits its first line: stale; at the end of the line before: not', () => {
    const a = setup();
    expect(transformHunks(a.hunks, [{ offset: a.hunks[0]!.start, length: 0, text: 'x' }]).map((h) => h.id)).toEqual(['1.1']);
    const b = setup();
    const endOfAlpha = b.old.indexOf('\n'); // before the newline of line 1
    expect(transformHunks(b.hunks, [{ offset: endOfAlpha, length: 0, text: ' // note' }])).toEqual([]);
    expect(edit(b.old, [{ offset: endOfAlpha, length: 0, text: ' // note' }]).slice(b.hunks[0]!.start, b.hunks[0]!.end)).toBe('beta\n');
  });

  it('whole lines inserted exactly at the start of a hunk go above it (a paste, or Enter at the end of the line above)', () => {
    const { old, hunks } = setup();
    const change = { offset: hunks[0]!.start, length: 0, text: 'pasted\nlines\n' };
    expect(transformHunks(hunks, [change])).toEqual([]);
    expect(applyHunks(edit(old, [change]), hunks)).toBe(lines('alpha', 'pasted', 'lines', 'BETA', 'gamma', 'delta', 'EPSILON'));
  });

  it('applies the changes of one multi-cursor event in descending offset order, whatever order they come in', () => {
    const { old, hunks } = setup();
    const changes = [
      { offset: 0, length: 0, text: '> ' }, // line 1
      { offset: old.indexOf('gamma'), length: 0, text: '> ' }, // line 3, between the hunks
    ];
    const typed = edit(old, changes);
    expect(transformHunks(hunks, changes)).toEqual([]);
    expect(typed.slice(hunks[0]!.start, hunks[0]!.end)).toBe('beta\n');
    expect(typed.slice(hunks[1]!.start, hunks[1]!.end)).toBe('epsilon\n');
    expect(applyHunks(typed, hunks)).toBe(lines('> alpha', 'BETA', '> gamma', 'delta', 'EPSILON'));
  });

  it('treats a change that deletes across a hunk as touching it', () => {
    const { old, hunks } = setup();
    expect(transformHunks(hunks, [{ offset: 0, length: old.indexOf('gamma'), text: '' }]).map((h) => h.id)).toEqual(['1.1']);
  });

  it('a pure insertion is touched by typing at its point, not by deleting the line before it', () => {
    const old = lines('a', 'b');
    const mk = () => computeHunks(old, lines('a', 'new', 'b'), '1');
    const point = mk()[0]!.start;
    expect(transformHunks(mk(), [{ offset: point, length: 0, text: 'x' }]).length).toBe(1);
    const hunks = mk();
    expect(transformHunks(hunks, [{ offset: 0, length: 2, text: '' }])).toEqual([]); // delete line "a"
    expect(hunks[0]!.start).toBe(0);
    expect(applyHunks(edit(old, [{ offset: 0, length: 2, text: '' }]), hunks)).toBe(lines('new', 'b'));
  });

  it('excludes the hunk whose own edit is being applied', () => {
    const { hunks } = setup();
    const own = hunks[0]!;
    expect(transformHunks(hunks, [{ offset: own.start, length: own.end - own.start, text: own.newText }], own.id)).toEqual([]);
    expect(own.state).toBe('pending');
  });

  it('keeps accepted hunks undoable until the user edits what they put there', () => {
    const { hunks } = setup();
    const accepted = hunks[0]!;
    accepted.state = 'accepted';
    accepted.end = accepted.start + accepted.newText.length;
    transformHunks(hunks, [{ offset: 0, length: 0, text: 'x' }]);
    expect(isUndoable(accepted)).toBe(true);
    transformHunks(hunks, [{ offset: accepted.start + 1, length: 1, text: 'E' }]);
    expect(isUndoable(accepted)).toBe(false);
    expect(accepted.state).toBe('accepted');
  });
});
