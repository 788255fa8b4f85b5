// Which chat each editor tab VS Code restores after a reload shows (chatPanels.ts revive), kept apart from
// the webview API so the choice is unit-tested: the chat its page's saved state names; without a state that
// names one (none saved, damaged, forged), the first chat that was in a tab before the reload (openChats.ts
// TabbedChats) that no tab shows or claimed yet and the sidebar does not show; failing that, a new chat.
// VS Code revives several tabs at once and each reads its chat's log before it shows it: the choice is made
// before that read, so two tabs without state never take the same chat, and one that was named by another
// tab's state is never taken.
import { chatIdOfTabState } from './chatIds';

/** What a restored tab was told to show, before its chat is read: `id` undefined means a new chat. */
export interface TabChoice {
  id: string | undefined;
  /** The tab's own state named the chat (otherwise it came from the chats that were in tabs). */
  named: boolean;
}

/** Where chats are shown right now, asked at the moment a tab chooses. */
export interface ShownChats {
  inTab(chatId: string): boolean;
  inSidebar(chatId: string): boolean;
}

export class RestoredTabs {
  /** The chats in tabs before the reload not taken yet, oldest tab first; each is taken once. */
  private readonly unclaimed: string[];

  constructor(tabbedBeforeReload: readonly string[]) {
    this.unclaimed = [...tabbedBeforeReload];
  }

  /** The chat a tab restored with `state` shows. */
  choose(state: unknown, shown: ShownChats): TabChoice {
    const named = chatIdOfTabState(state);
    if (named !== undefined) {
      // Named by its tab's state: no tab without a state takes it.
      const at = this.unclaimed.indexOf(named);
      if (at >= 0) this.unclaimed.splice(at, 1);
      return { id: named, named: true };
    }
    while (this.unclaimed.length) {
      const id = this.unclaimed.shift()!;
      if (!shown.inTab(id) && !shown.inSidebar(id)) return { id, named: false };
    }
    return { id: undefined, named: false };
  }
}

/**
 * Once its chat is read, a restored tab whose chat a tab already shows closes: a chat is shown in one place
 * (two tabs whose states name the same chat, or a tab without state that took a chat another tab names).
 */
export function closesAsDuplicate(restoredChatId: string | undefined, inTab: (chatId: string) => boolean): boolean {
  return restoredChatId !== undefined && inTab(restoredChatId);
}
