// @vitest-environment jsdom
// A chat in a worktree of its own, in the view: the bar above its header that makes the isolation obvious
// (folder name that opens or reveals the folder, "Review changes in workspace", "Discard worktree", each a
// host command for this view's chat), the removed state, and the chat list's "New Chat in Worktree" entry:
// offered where the host says worktrees can be made, disabled with the reason as its tooltip otherwise.
import { afterEach, describe, expect, it } from 'vitest';
import axe from 'axe-core';
import { fireEvent, screen, within } from '@testing-library/react';
import { CONFIG, setup, snapshot, type Harness } from './harness';
import type { ChatListItem } from '../../src/shared/protocol';

let h: Harness | undefined;
afterEach(() => {
  h?.dispose();
  h = undefined;
});

const WORKTREE = { name: 'chat-1a2b3c4d', path: '/home/u/.tandem-worktrees/repo/chat-1a2b3c4d' };
const CHATS: ChatListItem[] = [
  { id: 'c1', title: 'Refactor the parser', status: 'done', shownIn: 'sidebar', worktree: WORKTREE.name },
  { id: 'c2', title: 'Explain the build', status: 'working', shownIn: 'none' },
];

describe('the worktree bar of a chat in a worktree', () => {
  it('names the worktree and asks the host to open it, review its changes, or discard it', () => {
    h = setup(snapshot([], undefined, { ...CONFIG, worktree: WORKTREE }));
    const bar = screen.getByRole('group', { name: `Isolated in worktree ${WORKTREE.name}` });
    const open = within(bar).getByRole('button', { name: `Isolated in worktree ${WORKTREE.name}` });
    expect(open.getAttribute('title')).toContain(WORKTREE.path);
    fireEvent.click(open);
    fireEvent.click(within(bar).getByText('Review changes in workspace'));
    fireEvent.click(within(bar).getByRole('button', { name: 'Discard worktree' }));
    expect(h.sent()).toEqual([
      { type: 'runCommand', command: 'tandem.openWorktreeFolder' },
      { type: 'runCommand', command: 'tandem.reviewWorktreeChanges' },
      { type: 'runCommand', command: 'tandem.discardWorktree' },
    ]);
  });

  it('is absent for a chat in the workspace, and says so when the worktree was removed', () => {
    h = setup(snapshot([]));
    expect(screen.queryByRole('group', { name: /worktree/ })).toBeNull();
    h.emit({ type: 'config', config: { ...CONFIG, worktree: { name: WORKTREE.name, path: '', removed: true } } });
    expect(screen.getByRole('status').textContent).toBe('Worktree removed: this chat no longer runs');
    expect(screen.queryByText('Review changes in workspace')).toBeNull();
  });

  it('has no serious or critical axe violation', async () => {
    h = setup(snapshot([], undefined, { ...CONFIG, worktree: WORKTREE, worktreeOffer: { available: true } }));
    h.emit({ type: 'chats', chats: CHATS, activeId: 'c1' });
    const result = await axe.run(document.body, { rules: { 'color-contrast': { enabled: false } } });
    expect(result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
  });
});

describe('New Chat in Worktree in the chat list', () => {
  const list = () => screen.getByRole('navigation', { name: 'Chats' });

  it('is offered next to New Chat where worktrees can be made, and a chat in one says so', () => {
    h = setup(snapshot([], undefined, { ...CONFIG, worktreeOffer: { available: true } }));
    h.emit({ type: 'chats', chats: CHATS, activeId: 'c1' });
    const entry = within(list()).getByRole('button', { name: 'New Chat in Worktree' });
    expect(entry.getAttribute('aria-disabled')).toBeNull();
    fireEvent.click(entry);
    expect(h.sent()).toEqual([{ type: 'runCommand', command: 'tandem.newChatInWorktree' }]);
    within(list()).getByRole('button', { name: 'Refactor the parser Done · in a worktree' });
    within(list()).getByRole('button', { name: 'Explain the build Working' });
  });

  it('is disabled with the reason as its tooltip where they cannot (no git)', () => {
    h = setup(snapshot([], undefined, { ...CONFIG, worktreeOffer: { available: false, reason: 'the workspace is not a git repository (worktrees need git)' } }));
    h.emit({ type: 'chats', chats: CHATS, activeId: 'c1' });
    const entry = within(list()).getByRole('button', { name: 'New Chat in Worktree' });
    expect(entry.getAttribute('aria-disabled')).toBe('true');
    expect(entry.getAttribute('title')).toBe('No chat in a worktree here: the workspace is not a git repository (worktrees need git)');
  });

  it('is absent until the host said whether worktrees can be made', () => {
    h = setup(snapshot([]));
    h.emit({ type: 'chats', chats: CHATS, activeId: 'c1' });
    expect(within(list()).queryByRole('button', { name: 'New Chat in Worktree' })).toBeNull();
  });
});
