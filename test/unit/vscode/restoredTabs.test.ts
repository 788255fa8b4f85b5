// Which chat each editor tab VS Code restores after a reload shows (src/vscode/chats/restoredTabs.ts, used
// by ChatPanels.revive): the chat its state names; several tabs that come back without state take the
// chats that were in tabs, each a different one, skipping chats a tab or the sidebar shows and chats another
// tab's state names; a tab whose chat a tab already shows closes.
import { describe, expect, it } from 'vitest';
import { closesAsDuplicate, RestoredTabs, type ShownChats } from '../../../src/vscode/chats/restoredTabs';

/** Ids of the form chatIds.ts newSessionId makes. */
const id = (n: number) => `20261207T040325-c${n}`;
const [A, B, C, D] = [id(1), id(2), id(3), id(4)];
const stateOf = (chatId: string) => ({ chatId });

/** The window as the tabs revive: which chats tabs show (attached so far) and which the sidebar shows. */
function windowShowing(sidebar: string, ...inTabs: string[]): ShownChats & { tabs: Set<string> } {
  const tabs = new Set(inTabs);
  return { tabs, inTab: (chatId) => tabs.has(chatId), inSidebar: (chatId) => chatId === sidebar };
}

describe('RestoredTabs', () => {
  it('several tabs without state, reviving at once, take the chats that were in tabs, each a different one, in order', () => {
    const restored = new RestoredTabs([A, B, C]);
    const window = windowShowing(D);
    // All three choose before any has read its chat and attached (nothing shows in a tab yet).
    const choices = [undefined, null, 'junk'].map((state) => restored.choose(state, window));
    expect(choices).toEqual([
      { id: A, named: false },
      { id: B, named: false },
      { id: C, named: false },
    ]);
  });

  it('a tab without state beyond the chats that were in tabs shows a new chat', () => {
    const restored = new RestoredTabs([A]);
    const window = windowShowing(D);
    expect(restored.choose(undefined, window)).toEqual({ id: A, named: false });
    expect(restored.choose(undefined, window)).toEqual({ id: undefined, named: false });
    expect(new RestoredTabs([]).choose(undefined, window)).toEqual({ id: undefined, named: false });
  });

  it('skips chats a tab already shows and the chat the sidebar shows (a chat is shown in one place)', () => {
    const restored = new RestoredTabs([A, B, C]);
    const window = windowShowing(B, A);
    expect(restored.choose(undefined, window)).toEqual({ id: C, named: false });
    expect(restored.choose(undefined, window)).toEqual({ id: undefined, named: false });
  });

  it("never gives a tab without state a chat another tab's state names, even while that tab is still reading it", () => {
    const restored = new RestoredTabs([A, B]);
    const window = windowShowing(D);
    expect(restored.choose(stateOf(A), window)).toEqual({ id: A, named: true }); // not attached yet
    expect(restored.choose(undefined, window)).toEqual({ id: B, named: false });
    expect(restored.choose(undefined, window)).toEqual({ id: undefined, named: false });
  });

  it("a tab shows the chat its state names, whether or not it was among the chats in tabs", () => {
    const restored = new RestoredTabs([A]);
    const window = windowShowing(A);
    expect(restored.choose(stateOf(C), window)).toEqual({ id: C, named: true });
    // Named even when the sidebar shows it: the tab takes it, and the sidebar moves on (ChatPanels.revive).
    expect(restored.choose(stateOf(A), window)).toEqual({ id: A, named: true });
  });

  it('a forged or damaged state names no chat: the tab falls back like one without state', () => {
    const restored = new RestoredTabs([A]);
    const window = windowShowing(D);
    for (const forged of [{ chatId: '../../etc/passwd' }, { chatId: 42 }, [A], A]) {
      expect(restored.choose(forged, window).named).toBe(false);
    }
  });
});

describe('a restored tab whose chat a tab already shows', () => {
  it('closes: two tabs whose states name the same chat leave one tab showing it', () => {
    const restored = new RestoredTabs([]);
    const window = windowShowing(D);
    const first = restored.choose(stateOf(A), window);
    const second = restored.choose(stateOf(A), window);
    expect(closesAsDuplicate(first.id, window.inTab)).toBe(false);
    window.tabs.add(A); // the first tab read its chat and shows it
    expect(closesAsDuplicate(second.id, window.inTab)).toBe(true);
  });

  it("closes when a tab without state took the chat that a later tab's state names and showed it first", () => {
    const restored = new RestoredTabs([A]);
    const window = windowShowing(D);
    const stateless = restored.choose(undefined, window);
    expect(stateless).toEqual({ id: A, named: false });
    window.tabs.add(A);
    const named = restored.choose(stateOf(A), window);
    expect(closesAsDuplicate(named.id, window.inTab)).toBe(true);
  });

  it('does not close a tab that shows a new chat or a chat no tab shows', () => {
    const window = windowShowing(D, A);
    expect(closesAsDuplicate(undefined, window.inTab)).toBe(false);
    expect(closesAsDuplicate(B, window.inTab)).toBe(false);
  });
});
