// @vitest-environment jsdom
// "Add to Chat" end to end without VS Code: the host's pending chips (text kept on the host), the protocol's
// validation of what the webview sends back, and the composer showing, removing and sending chips.
import { act, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { parseWebviewMessage } from '../../../../src/shared/protocol';
import { PendingContext } from '../../../../src/vscode/fix/pendingContext';
import { setup, snapshot, type Harness } from '../../../webview/harness';

let h: Harness | undefined;
afterEach(() => {
  h?.dispose();
  h = undefined;
});

describe('PendingContext (host)', () => {
  it('sends only chips it attached, once, after the text', () => {
    const pending = new PendingContext();
    const a = pending.add('a.ts:1-2', 'From `a.ts`:\n```ts\nA\n```');
    const b = pending.add('b.ts:3', 'From `b.ts`:\n```ts\nB\n```');
    expect(pending.pending.map((c) => c.label)).toEqual(['a.ts:1-2', 'b.ts:3']);
    expect(a.preview).toContain('A');
    expect(pending.compose('why?', [b.id, 'forged-id'])).toBe('why?\n\nFrom `b.ts`:\n```ts\nB\n```');
    expect(pending.compose('again?', [b.id])).toBe('again?'); // used up
    pending.remove(a.id);
    expect(pending.pending).toEqual([]);
    expect(pending.compose('plain', undefined)).toBe('plain');
  });

  it('keeps images apart from text: they go as images, in order, once', () => {
    const pending = new PendingContext();
    const file = pending.add('hello.ts', 'The file `hello.ts`:\n```ts\nX\n```', 'file');
    const image = pending.addImage('shot.png', { mediaType: 'image/png', dataBase64: 'iVBORw0KGgo=' }, 'image/png, 1 KB');
    expect(pending.pending.map((c) => c.kind)).toEqual(['file', 'image']);
    expect(pending.take('look', [image.id, file.id, 'forged'])).toEqual({ text: 'look\n\nThe file `hello.ts`:\n```ts\nX\n```', images: [{ mediaType: 'image/png', dataBase64: 'iVBORw0KGgo=' }] });
    expect(pending.take('again', [image.id])).toEqual({ text: 'again', images: [] });
  });

  it('keeps at most 20 chips and a short preview', () => {
    const pending = new PendingContext();
    for (let i = 0; i < 25; i++) pending.add(`f${i}.ts:1`, Array.from({ length: 40 }, (_, j) => `line ${j}`).join('\n'));
    expect(pending.pending).toHaveLength(20);
    expect(pending.pending[0]!.label).toBe('f5.ts:1');
    expect(pending.pending[0]!.preview.split('\n')).toHaveLength(13);
  });
});

describe('protocol: chips from the webview are validated', () => {
  it('accepts ids of chips and removals, drops anything malformed', () => {
    expect(parseWebviewMessage({ type: 'send', text: 'hi', contextIds: ['ctx-1', 'ctx-1', 'ctx-2'] })).toEqual({ type: 'send', text: 'hi', contextIds: ['ctx-1', 'ctx-2'] });
    expect(parseWebviewMessage({ type: 'send', text: 'hi', contextIds: [] })).toEqual({ type: 'send', text: 'hi' });
    expect(parseWebviewMessage({ type: 'send', text: 'hi', contextIds: 'ctx-1' })).toBeUndefined();
    expect(parseWebviewMessage({ type: 'send', text: 'hi', contextIds: [42] })).toBeUndefined();
    expect(parseWebviewMessage({ type: 'send', text: 'hi', contextIds: Array.from({ length: 21 }, (_, i) => `c${i}`) })).toBeUndefined();
    expect(parseWebviewMessage({ type: 'send', text: 'hi', contextIds: ['x'.repeat(201)] })).toBeUndefined();
    expect(parseWebviewMessage({ type: 'send', text: 'hi', context: [{ label: 'a', text: 'injected' }] })).toEqual({ type: 'send', text: 'hi' });
    expect(parseWebviewMessage({ type: 'removeContext', id: 'ctx-1' })).toEqual({ type: 'removeContext', id: 'ctx-1' });
    expect(parseWebviewMessage({ type: 'removeContext', id: '' })).toBeUndefined();
  });
});

describe('composer chips (webview)', () => {
  const composer = () => screen.getByRole('textbox', { name: 'Message Tandem' }) as HTMLTextAreaElement;

  it('shows a chip from the host, sends its id with the next message, then clears it', () => {
    h = setup(snapshot([]));
    h.emit({ type: 'addContext', context: { id: 'ctx-1', label: 'src/a.ts:3-5', preview: 'const a = 1;' } });
    h.emit({ type: 'addContext', context: { id: 'ctx-1', label: 'src/a.ts:3-5', preview: 'const a = 1;' } }); // re-sent after a reload
    const chips = screen.getAllByRole('listitem');
    expect(chips).toHaveLength(1);
    expect(chips[0]!.textContent).toContain('src/a.ts:3-5');
    expect(chips[0]!.getAttribute('title')).toBe('const a = 1;');
    expect(composer().placeholder).toMatch(/attached (code|context)/);
    fireEvent.change(composer(), { target: { value: 'what is a?' } });
    act(() => {
      fireEvent.keyDown(composer(), { key: 'Enter' });
    });
    expect(h.sent()).toEqual([{ type: 'send', text: 'what is a?', contextIds: ['ctx-1'] }]);
    expect(screen.queryAllByRole('listitem')).toHaveLength(0);
  });

  it('a removed chip is not sent and the host is told', () => {
    h = setup(snapshot([]));
    h.emit({ type: 'addContext', context: { id: 'ctx-9', label: 'b.py:1', preview: 'x = 1' } });
    act(() => {
      fireEvent.click(screen.getByRole('button', { name: 'Remove b.py:1' }));
    });
    fireEvent.change(composer(), { target: { value: 'hello' } });
    act(() => {
      fireEvent.keyDown(composer(), { key: 'Enter' });
    });
    expect(h.sent()).toEqual([{ type: 'removeContext', id: 'ctx-9' }, { type: 'send', text: 'hello' }]);
  });
});
