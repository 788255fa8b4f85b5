// The open chats of the window. Each is a Chat (chat.ts) with its own session, running whether a view shows
// it or not; this registry creates them (new, or restored from a session log), finds the chat an event
// made outside the agent belongs to (a hunk decided in the editor), and says when the list or a chat's
// status changed, for the chat list, the view's badge and the notifications (chatAttention.ts). It also keeps
// each chat's own model choice (chatModelChoices.ts), so a chat reopened after a reload is on its model.
import * as vscode from 'vscode';
import { chatStateFromEvents, type ChatState } from '../../shared/chatState';
import type { AgentEvent } from '../../shared/events';
import type { SessionStore } from '../../node/sessionStore';
import { unfinishedReviewEvents } from '../codeReview/chatReview';
import { DisposableStore } from '../disposables';
import { Chat, type ChatEnvironment } from './chat';
import { newSessionId } from './chatIds';
import { moveToEnd } from './chatOrder';
import { ChatModelChoices } from './chatModelChoices';

export type RegistryEnvironment = Omit<ChatEnvironment, 'onDidChange'> & { store: SessionStore };

export class ChatRegistry implements vscode.Disposable {
  private readonly disposables = new DisposableStore();
  /** Open chats, oldest first. */
  private readonly chats = new Map<string, Chat>();
  private readonly changed = this.disposables.add(new vscode.EventEmitter<Chat | undefined>());
  /** A chat was opened or closed (undefined), or one chat's title or status changed. */
  readonly onDidChange = this.changed.event;
  private readonly modelChoices: ChatModelChoices;

  constructor(private readonly env: RegistryEnvironment) {
    this.modelChoices = new ChatModelChoices(env.context.workspaceState);
  }

  get all(): readonly Chat[] {
    return [...this.chats.values()];
  }

  get(id: string): Chat | undefined {
    return this.chats.get(id);
  }

  /** A new, empty chat; `title` names it until its first message does. */
  create(title?: string): Chat {
    const id = newSessionId();
    const writer = this.env.store.create({ id, createdAt: Date.now(), ...workspaceMeta() });
    return this.add(new Chat(this.chatEnvironment(), id, writer, undefined, [], title));
  }

  /**
   * The open chat `id`, or the session restored from its log (its conversation continues from there, on the
   * model it was on). Undefined when no log of it can be read.
   */
  async open(id: string): Promise<Chat | undefined> {
    const open = this.chats.get(id);
    if (open) return open;
    const parsed = await this.env.store.load(id).catch((error: unknown) => {
      this.env.log.error(`Could not read session ${id}:`, error);
      return undefined;
    });
    if (!parsed) return undefined;
    if (this.chats.has(id)) return this.chats.get(id); // opened meanwhile
    const state = chatStateFromEvents(parsed.events);
    const chat = new Chat(this.chatEnvironment(), id, this.env.store.open(id), state, parsed.items);
    chat.restoreModelChoice(this.modelChoices.get(id));
    for (const event of reloadCleanup(state)) chat.record(event);
    if (parsed.skippedLines) this.env.log.warn(`Session ${id}: skipped ${parsed.skippedLines} unreadable line(s).`);
    return this.add(chat);
  }

  /** Closes a chat: its turn stops, its log is flushed. */
  close(id: string): void {
    const chat = this.chats.get(id);
    if (!chat) return;
    this.chats.delete(id);
    chat.stop();
    chat.dispose();
    this.changed.fire(undefined);
  }

  /**
   * The chat an event made outside the agent belongs to: the one whose turn or change set it names (turn ids
   * start with the session id). Undefined for an event of no open chat (a `/review` of its own turn).
   */
  chatFor(event: AgentEvent): Chat | undefined {
    const changeSetId = 'changeSetId' in event ? event.changeSetId : undefined;
    // The turn id first, across all chats: change set ids come from tool-call ids, which two chats can share.
    for (const chat of this.chats.values()) if (event.turnId.startsWith(`${chat.id}-`)) return chat;
    for (const chat of this.chats.values()) {
      if (changeSetId !== undefined && chat.chatState.index.has(changeSetId)) return chat;
      if (chat.chatState.entries.some((e) => e.turnId === event.turnId)) return chat;
    }
    return undefined;
  }

  private add(chat: Chat): Chat {
    this.chats.set(chat.id, chat);
    this.changed.fire(undefined);
    return chat;
  }

  private chatEnvironment(): ChatEnvironment {
    return {
      ...this.env,
      onDidChange: (chat) => {
        this.modelChoices.set(chat.id, chat.ownModelChoice); // written only when it changed
        this.changed.fire(chat);
      },
    };
  }

  /** `chat` goes to the end of the list (the empty chat made before a reload's restore, back after the restored ones). */
  moveToEnd(chat: Chat): void {
    if (moveToEnd(this.chats, chat.id, chat)) this.changed.fire(undefined);
  }

  dispose(): void {
    for (const chat of this.chats.values()) chat.dispose();
    this.chats.clear();
    this.disposables.dispose();
  }
}

/** What a log written until a reload needs so nothing shows as still running or waiting. */
function reloadCleanup(state: ChatState): AgentEvent[] {
  const events: AgentEvent[] = [];
  // Queued messages died with the window: they were never sent.
  for (const pending of state.pending) events.push({ type: 'input.withdrawn', turnId: state.activeTurnId ?? '', submissionId: pending.submissionId, text: pending.text, at: Date.now() });
  // The window closed mid-turn: close that turn as stopped.
  if (state.activeTurnId) events.push({ type: 'turn.completed', turnId: state.activeTurnId, stopped: true, at: Date.now() });
  // Reviews live in memory: a change still under review when the window closed was never written.
  for (const entry of state.entries) {
    if (entry.kind === 'patch' && !entry.outcome && entry.files.some((f) => f.hunks?.some((h) => h.state === 'pending'))) {
      events.push({ type: 'patch.resolved', turnId: entry.turnId, changeSetId: entry.id, outcome: 'discarded', message: 'The window reloaded before this change was reviewed; its pending edits were not written.' });
    }
  }
  events.push(...unfinishedReviewEvents(state.entries));
  return events;
}

function workspaceMeta(): { workspace?: string } {
  const folder = vscode.workspace.workspaceFolders?.[0];
  return folder ? { workspace: folder.uri.fsPath } : {};
}
