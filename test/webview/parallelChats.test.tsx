// @vitest-environment jsdom
// Parallel chats in the view: the sidebar's chat list (titles, live status, which one is shown, keyboard,
// New Chat, no serious axe violation) and the composer while a turn runs (a message is queued, shown as
// pending with Withdraw, and a withdrawn message's text comes back into the box).
import { afterEach, describe, expect, it } from 'vitest';
import axe from 'axe-core';
import { fireEvent, screen, within } from '@testing-library/react';
import { setup, snapshot, type Harness } from './harness';
import type { ChatListItem } from '../../src/shared/protocol';

let h: Harness | undefined;
afterEach(() => {
  h?.dispose();
  h = undefined;
});

const CHATS: ChatListItem[] = [
  { id: 'c1', title: 'Run the long build', status: 'needs-approval', shownIn: 'none' },
  { id: 'c2', title: 'Explain the parser', status: 'working', shownIn: 'sidebar' },
  { id: 'c3', title: 'Fix function parsePort', status: 'failed', shownIn: 'editor' },
];

function list(): HTMLElement {
  return screen.getByRole('navigation', { name: 'Chats' });
}

describe('the chat list', () => {
  it('is absent until the host sends one (an editor tab shows a single chat)', () => {
    h = setup(snapshot([]));
    expect(screen.queryByRole('navigation', { name: 'Chats' })).toBeNull();
  });

  it('names each chat with its status, marks the one shown, and asks the host to switch', () => {
    h = setup(snapshot([]));
    h.emit({ type: 'chats', chats: CHATS, activeId: 'c2' });
    const buttons = within(list()).getAllByRole('button');
    const names = [
      'Run the long build Needs approval',
      'Close chat: Run the long build',
      'Explain the parser Working',
      'Close chat: Explain the parser',
      'Fix function parsePort Failed · open in an editor tab',
      'Close chat: Fix function parsePort',
      'New Chat',
    ];
    expect(names.map((name) => buttons.indexOf(within(list()).getByRole('button', { name })))).toEqual(names.map((_, i) => i));
    expect(buttons.filter((b) => b.classList.contains('chat-item')).every((b) => !b.hasAttribute('aria-label')), 'named by what they show').toBe(true);
    expect(buttons[2]!.getAttribute('aria-current')).toBe('true');
    expect(buttons[0]!.getAttribute('aria-current')).toBeNull();
    fireEvent.click(buttons[0]!);
    fireEvent.click(buttons[2]!); // the chat shown: nothing to do
    fireEvent.click(within(list()).getByRole('button', { name: 'New Chat' }));
    fireEvent.click(within(list()).getByRole('button', { name: 'Close chat: Fix function parsePort' }));
    expect(h.sent()).toEqual([{ type: 'selectChat', chatId: 'c1' }, { type: 'newChat' }, { type: 'closeChat', chatId: 'c3' }]);
  });

  it('follows status changes as they come', () => {
    h = setup(snapshot([]));
    h.emit({ type: 'chats', chats: CHATS, activeId: 'c2' });
    h.emit({ type: 'chats', chats: [{ ...CHATS[0]!, status: 'done' }, CHATS[1]!], activeId: 'c2' });
    expect(within(list()).getByRole('button', { name: 'Run the long build Done' })).toBeTruthy();
    expect(within(list()).queryByRole('button', { name: /parsePort/ })).toBeNull();
  });

  it('moves between chats with the arrow keys, Home and End', () => {
    h = setup(snapshot([]));
    h.emit({ type: 'chats', chats: CHATS, activeId: 'c2' });
    const [first, second, third] = within(list()).getAllByRole('button').filter((b) => b.classList.contains('chat-item'));
    first!.focus();
    fireEvent.keyDown(first!, { key: 'ArrowDown' });
    expect(document.activeElement).toBe(second);
    fireEvent.keyDown(second!, { key: 'End' });
    expect(document.activeElement).toBe(third);
    fireEvent.keyDown(third!, { key: 'ArrowDown' }); // stays on the last
    expect(document.activeElement).toBe(third);
    fireEvent.keyDown(third!, { key: 'Home' });
    expect(document.activeElement).toBe(first);
  });

  it('has no serious or critical axe violation', async () => {
    h = setup(snapshot([]));
    h.emit({ type: 'chats', chats: CHATS, activeId: 'c2' });
    const result = await axe.run({ include: [list()] } as unknown as axe.ElementContext, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      rules: { 'color-contrast': { enabled: false } },
      resultTypes: ['violations'],
    });
    expect(result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
  });
});

describe('the composer while a turn runs', () => {
  const running = () => {
    h = setup(snapshot([], 't1'));
    h.events({ type: 'turn.started', turnId: 't1', text: 'build it', at: 1 });
  };

  it('queues a message instead of refusing it, with Stop next to it', () => {
    running();
    const box = screen.getByRole('textbox', { name: 'Message Tandem' });
    fireEvent.change(box, { target: { value: 'also run the tests' } });
    expect(screen.getByRole('button', { name: 'Stop' })).toBeTruthy();
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(h!.sent()).toEqual([{ type: 'send', text: 'also run the tests' }]);
    expect((box as HTMLTextAreaElement).value).toBe('');
  });

  it('shows a queued message until the model takes it', () => {
    running();
    h!.events({ type: 'input.queued', turnId: 't1', submissionId: 'op2', text: 'also run the tests', at: 2 });
    const pending = screen.getByRole('list', { name: 'Queued messages' });
    expect(within(pending).getByText('also run the tests')).toBeTruthy();
    h!.events({ type: 'input.delivered', turnId: 't1', submissionId: 'op2', text: 'also run the tests', at: 3 });
    expect(screen.queryByRole('list', { name: 'Queued messages' })).toBeNull();
    expect(screen.getByText('also run the tests')).toBeTruthy(); // now a message of the turn
  });

  it('Withdraw asks the host; the withdrawn text comes back in front of what is typed', () => {
    running();
    h!.events({ type: 'input.queued', turnId: 't1', submissionId: 'op2', text: 'also run the tests', at: 2 });
    fireEvent.click(screen.getByRole('button', { name: 'Withdraw queued message: also run the tests' }));
    expect(h!.sent()).toEqual([{ type: 'withdrawInput', submissionId: 'op2' }]);
    const box = screen.getByRole('textbox', { name: 'Message Tandem' }) as HTMLTextAreaElement;
    fireEvent.change(box, { target: { value: 'and lint' } });
    h!.events({ type: 'input.withdrawn', turnId: 't1', submissionId: 'op2', text: 'also run the tests', at: 3 });
    expect(screen.queryByRole('list', { name: 'Queued messages' })).toBeNull();
    expect(box.value).toBe('also run the tests\n\nand lint');
  });

  it('a snapshot brings the queue of the chat switched to', () => {
    const withQueue = snapshot([], 't9');
    if (withQueue.type === 'snapshot') withQueue.pending = [{ submissionId: 'op7', text: 'waiting message', at: 1 }];
    h = setup(withQueue);
    expect(within(screen.getByRole('list', { name: 'Queued messages' })).getByText('waiting message')).toBeTruthy();
    h.emit(snapshot([]));
    expect(screen.queryByRole('list', { name: 'Queued messages' })).toBeNull();
  });
});
