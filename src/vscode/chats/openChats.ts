// Which chats were open in this workspace, in the chat list's order, and which one the sidebar showed, so a
// reload reopens them (each restored from its session log) in that order and shows the same chat. Kept in
// workspaceState: it is about this window's workspace only. Chats in editor tabs come back with their tabs
// (chatPanels.ts); each chat's own model with the chat (chatModelChoices.ts).
import type * as vscode from 'vscode';
import { isChatSessionId } from './chatIds';

/** The sidebar's chat (the key predates parallel chats, so a reload after an update finds it). */
const ACTIVE_KEY = 'tandem.currentSessionId';
const OPEN_KEY = 'tandem.openSessionIds';
/** More than this many chats are not reopened after a reload (the history still lists every one). */
const MAX_REOPENED = 20;

export class OpenChats {
  private last = '';

  constructor(private readonly state: vscode.Memento) {}

  /** What was stored; anything not of a chat id's form is dropped (it would name a file), and so are repeats. */
  read(): { ids: string[]; activeId: string | undefined } {
    const ids = this.state.get<unknown>(OPEN_KEY);
    const activeId = this.state.get<unknown>(ACTIVE_KEY);
    return {
      ids: Array.isArray(ids) ? [...new Set(ids.filter(isChatSessionId))].slice(-MAX_REOPENED) : [],
      activeId: isChatSessionId(activeId) ? activeId : undefined,
    };
  }

  /** `ids`: the chats with a message; `activeId` is remembered only when it has one too. */
  write(ids: string[], activeId: string): void {
    const kept = ids.slice(-MAX_REOPENED);
    const active = kept.includes(activeId) ? activeId : undefined;
    const key = JSON.stringify([kept, active]);
    if (key === this.last) return;
    this.last = key;
    void this.state.update(OPEN_KEY, kept);
    void this.state.update(ACTIVE_KEY, active);
  }
}

const TABS_KEY = 'tandem.tabSessionIds';
/** More tabs than this are not remembered (each is restored by VS Code; this only backs up their page state). */
const MAX_TABS = 20;

/**
 * The chats shown in editor tabs. A restored tab names its chat in its page's state (chatPanels.ts), but a
 * browser reload of a web workbench can come back with the tab and without that state (the page is gone
 * before the workbench saved it); such a tab then shows a chat that was in a tab and that no tab shows yet.
 */
export class TabbedChats {
  private last = '';

  constructor(private readonly state: vscode.Memento) {}

  read(): string[] {
    const ids = this.state.get<unknown>(TABS_KEY);
    return Array.isArray(ids) ? [...new Set(ids.filter(isChatSessionId))].slice(-MAX_TABS) : [];
  }

  write(ids: readonly string[]): void {
    const kept = ids.filter(isChatSessionId).slice(-MAX_TABS);
    const key = JSON.stringify(kept);
    if (key === this.last) return;
    this.last = key;
    void this.state.update(TABS_KEY, kept.length ? kept : undefined);
  }
}
