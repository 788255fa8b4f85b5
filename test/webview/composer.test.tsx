// @vitest-environment jsdom
// The composer's `@` picker and pasted images: what the webview asks the host, what it shows, the keys.
import { act, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { MentionItem } from '../../src/shared/protocol';
import { mentionAt } from '../../webview/src/MentionPicker';
import { setup, snapshot, type Harness } from './harness';

let h: Harness | undefined;
afterEach(() => {
  h?.dispose();
  h = undefined;
});

const composer = () => screen.getByRole('textbox', { name: 'Message Tandem' }) as HTMLTextAreaElement;
const ITEMS: MentionItem[] = [
  { id: 'special:problems', kind: 'problems', label: '@problems', detail: 'Errors and warnings in the workspace' },
  { id: 'file:file:///w/hello.ts', kind: 'file', label: 'hello.ts', detail: '' },
  { id: 'file:file:///w/src/help.ts', kind: 'file', label: 'help.ts', detail: 'src' },
];

function type(value: string, caret = value.length) {
  const box = composer();
  act(() => {
    fireEvent.change(box, { target: { value, selectionStart: caret, selectionEnd: caret } });
  });
}

function lastQuery(): { query: string; requestId: number } {
  const q = h!.sent().filter((m) => m.type === 'mentionQuery').at(-1);
  if (q?.type !== 'mentionQuery') throw new Error('no mentionQuery posted');
  return q;
}

describe('finding the @word at the caret', () => {
  it('only at a word start, up to the caret', () => {
    expect(mentionAt('@', 1)).toEqual({ start: 0, query: '' });
    expect(mentionAt('look at @hel', 12)).toEqual({ start: 8, query: 'hel' });
    expect(mentionAt('look at @hel', 10)).toEqual({ start: 8, query: 'h' });
    expect(mentionAt('mail me@host', 12)).toBeUndefined();
    expect(mentionAt('@hel done', 9)).toBeUndefined();
  });
});

describe('the @ picker', () => {
  it('asks the host, lists its answer as an accessible listbox, and picks with the keyboard', () => {
    h = setup(snapshot([]));
    type('explain @');
    expect(lastQuery()).toMatchObject({ query: '' });
    type('explain @hel');
    const { requestId, query } = lastQuery();
    expect(query).toBe('hel');
    expect(screen.queryByRole('listbox')).toBeNull(); // nothing until the host answers
    h.emit({ type: 'mentionResults', requestId: requestId - 1, items: [ITEMS[2]!] }); // an older answer is not shown
    expect(screen.queryByRole('listbox')).toBeNull();
    h.emit({ type: 'mentionResults', requestId, items: ITEMS });
    const listbox = screen.getByRole('listbox', { name: 'Attach to the message' });
    const options = screen.getAllByRole('option');
    expect(options.map((o) => o.textContent)).toEqual(['@problemsErrors and warnings in the workspace', 'hello.ts', 'help.tssrc']);
    expect(composer().getAttribute('aria-controls')).toBe(listbox.id);
    expect(composer().getAttribute('aria-activedescendant')).toBe(options[0]!.id);
    expect(options[0]!.getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(composer(), { key: 'ArrowDown' });
    expect(composer().getAttribute('aria-activedescendant')).toBe(screen.getAllByRole('option')[1]!.id);
    fireEvent.keyDown(composer(), { key: 'ArrowUp' });
    fireEvent.keyDown(composer(), { key: 'ArrowUp' }); // wraps to the last
    expect(screen.getAllByRole('option')[2]!.getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(composer(), { key: 'ArrowDown' });
    fireEvent.keyDown(composer(), { key: 'ArrowDown' });
    const queries = h.sent().filter((m) => m.type === 'mentionQuery').length;
    fireEvent.keyDown(composer(), { key: 'Enter' });
    expect(h.sent().at(-1)).toEqual({ type: 'mentionPick', id: 'file:file:///w/hello.ts' });
    expect(h.sent().filter((m) => m.type === 'mentionQuery')).toHaveLength(queries); // the picked @word does not reopen it
    expect(h.sent().some((m) => m.type === 'send')).toBe(false); // Enter picked, it did not send
    expect(composer().value).toBe('explain ');
    expect(screen.queryByRole('listbox')).toBeNull();
    // the host answers with a chip; it goes (by id only) with the message
    h.emit({ type: 'addContext', context: { id: 'ctx-7', label: 'hello.ts', preview: 'export const greeting', kind: 'file' } });
    expect(screen.getByRole('listitem').textContent).toContain('hello.ts');
    type('explain this');
    fireEvent.keyDown(composer(), { key: 'Enter' });
    expect(h.sent().at(-1)).toEqual({ type: 'send', text: 'explain this', contextIds: ['ctx-7'] });
  });

  it('Esc closes the picker without stopping, Tab and a click pick', () => {
    h = setup(snapshot([]));
    type('@he');
    h.emit({ type: 'mentionResults', requestId: lastQuery().requestId, items: ITEMS });
    fireEvent.keyDown(composer(), { key: 'Escape' });
    expect(screen.queryByRole('listbox')).toBeNull();
    expect(h.sent().some((m) => m.type === 'stop')).toBe(false);
    type('@hel'); // still the dismissed @word: stays closed
    expect(screen.queryByRole('listbox')).toBeNull();
    type('@hel x @');
    h.emit({ type: 'mentionResults', requestId: lastQuery().requestId, items: ITEMS });
    fireEvent.keyDown(composer(), { key: 'Tab' });
    expect(h.sent().at(-1)).toEqual({ type: 'mentionPick', id: 'special:problems' });
    expect(composer().value).toBe('@hel x ');
    type('@hel x @s');
    h.emit({ type: 'mentionResults', requestId: lastQuery().requestId, items: ITEMS });
    fireEvent.click(screen.getAllByRole('option')[2]!);
    expect(h.sent().at(-1)).toEqual({ type: 'mentionPick', id: 'file:file:///w/src/help.ts' });
  });
});

describe('pasted images', () => {
  it('posts an allowed image as base64 and refuses other types in a notice', async () => {
    h = setup(snapshot([]));
    const png = new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])], 'shot.png', { type: 'image/png' });
    await act(async () => {
      fireEvent.paste(composer(), { clipboardData: { files: [png], getData: () => '' } });
      await new Promise((r) => setTimeout(r, 50)); // FileReader
    });
    expect(h.sent().at(-1)).toEqual({ type: 'attachImage', mediaType: 'image/png', dataBase64: 'iVBORw0KGgo=', name: 'shot.png' });
    const svg = new File(['<svg/>'], 'x.svg', { type: 'image/svg+xml' });
    act(() => {
      fireEvent.paste(composer(), { clipboardData: { files: [svg], getData: () => '' } });
    });
    expect(screen.getByRole('status').textContent).toMatch(/only PNG, JPEG, GIF and WebP/);
    h.emit({ type: 'addContext', context: { id: 'ctx-i', label: 'shot.png', preview: 'image/png, 1 KB', kind: 'image' } });
    expect(h.container.querySelector('.context-chip .codicon-file-media')).not.toBeNull();
  });
});

describe('↑ in an empty composer', () => {
  const user = (turnId: string, text: string) => ({ kind: 'user' as const, id: `user-${turnId}`, turnId, text, at: 1 });

  it('brings back the last message for editing, caret at the end; not when there is text', () => {
    h = setup(snapshot([user('t1', 'first question'), { kind: 'assistant', id: 'a-t1', turnId: 't1', text: 'answer', streaming: false }, user('t2', 'second\nquestion')]));
    expect(fireEvent.keyDown(composer(), { key: 'ArrowUp' })).toBe(false); // handled: default prevented
    expect(composer().value).toBe('second\nquestion');
    expect(composer().selectionStart).toBe('second\nquestion'.length);
    expect(composer().selectionEnd).toBe('second\nquestion'.length);
    expect(h.sent().some((m) => m.type === 'send')).toBe(false);
    // with text in the box ↑ moves the caret as usual
    type('draft');
    expect(fireEvent.keyDown(composer(), { key: 'ArrowUp' })).toBe(true);
    expect(composer().value).toBe('draft');
    // a turn played live counts too
    type('');
    h.events({ type: 'turn.started', turnId: 't3', text: 'live one', at: 3 });
    fireEvent.keyDown(composer(), { key: 'ArrowUp' });
    expect(composer().value).toBe('live one');
  });

  it('does nothing in a new chat, and leaves ↑ to an open @ picker', () => {
    h = setup(snapshot([]));
    expect(fireEvent.keyDown(composer(), { key: 'ArrowUp' })).toBe(true);
    expect(composer().value).toBe('');
    h.emit(snapshot([user('t1', 'earlier')]));
    type('@');
    h.emit({ type: 'mentionResults', requestId: lastQuery().requestId, items: ITEMS });
    fireEvent.keyDown(composer(), { key: 'ArrowUp' }); // wraps to the last option
    expect(screen.getAllByRole('option')[2]!.getAttribute('aria-selected')).toBe('true');
    expect(composer().value).toBe('@');
  });
});
