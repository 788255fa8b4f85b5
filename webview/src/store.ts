// The chat state as an external store for `useSyncExternalStore`. History lives here; the composer's
// text does not (typing must never re-render history).
// Subscriptions are split so a streaming delta wakes only the row it changed: the list subscribes to the
// id list and the header/composer to `meta`, each row to its own entry id (fed by `applyEvent`'s ids).
// The history arrives in pages (src/shared/chatHistoryPages.ts): the snapshot brings the newest, older
// ones are asked for with `requestOlder` and put in front (`olderEntries`).
import { applyEvent, emptyChatState, userWait, type ChatEntry, type ChatState, type PendingInput, type UserWait } from '../../src/shared/chatState';
import { prependEntries } from '../../src/shared/chatHistoryPages';
import type { ChatListItem, HostToWebview, ViewConfig, WebviewToHost } from '../../src/shared/protocol';

export interface ViewMeta {
  /** Undefined until the first snapshot arrives. */
  sessionId: string | undefined;
  activeTurnId: string | undefined;
  /** What the active turn waits for from the user (an approval, a review), if anything. */
  waiting: UserWait;
  usage: ChatState['usage'];
  config: ViewConfig | undefined;
  /** Counts `config` messages: an error card compares it with the count when it appeared (setup changed since?). */
  configRevision: number;
  /** Entries of the history older than the first one loaded (0: the whole history is here). */
  olderCount: number;
  /** An older page has been asked for and has not arrived yet. */
  loadingOlder: boolean;
  /** Messages queued while the turn runs, not taken by the model yet (each can be withdrawn). */
  pending: readonly PendingInput[];
}

/** The sidebar's open chats (absent in an editor tab, which shows one chat). */
export interface ChatList {
  items: readonly ChatListItem[];
  activeId: string;
}

type Listener = () => void;

export class ChatStore {
  private state: ChatState = emptyChatState();
  private ids: readonly string[] = [];
  private meta: ViewMeta = { sessionId: undefined, activeTurnId: undefined, waiting: undefined, usage: emptyChatState().usage, config: undefined, configRevision: 0, olderCount: 0, loadingOlder: false, pending: [] };
  /**
   * For each id list handed out: how many entries had been put in front of the snapshot's when it was made.
   * The virtual list compares two lists' counts to tell "rows were put in front" from "a new chat".
   */
  private readonly heads = new WeakMap<readonly string[], number>();
  private head = 0;
  /** The id an older page was asked for with (the first entry loaded then), until it arrives. */
  private pendingBefore: string | undefined;
  /** Error entry id -> `configRevision` when it arrived. */
  private readonly errorRevisions = new Map<string, number>();
  /** `configRevision` of the last snapshot (errors loaded with it count from there). */
  private snapshotRevision = 0;
  private readonly listeners = new Set<Listener>();
  private chats: ChatList | undefined;
  private readonly chatListeners = new Set<Listener>();
  /** Get the text of a withdrawn queued message back (Stop, or the message's Withdraw button). */
  private readonly withdrawnListeners = new Set<(text: string) => void>();
  private readonly entryListeners = new Map<string, Set<Listener>>();

  receive(msg: HostToWebview): void {
    switch (msg.type) {
      case 'snapshot': {
        // One pass over a history that may hold 10,000 entries: the arrays are allocated at their size.
        const state = emptyChatState();
        const count = msg.entries.length;
        state.entries = msg.entries.slice();
        const ids = new Array<string>(count);
        for (let i = 0; i < count; i++) {
          const id = state.entries[i]!.id;
          state.index.set(id, i);
          ids[i] = id;
        }
        state.activeTurnId = msg.activeTurnId;
        state.pending = msg.pending ?? [];
        state.usage = msg.usage;
        this.state = state;
        this.head = 0;
        this.setIds(ids);
        this.pendingBefore = undefined;
        this.errorRevisions.clear();
        this.snapshotRevision = this.meta.configRevision + 1;
        this.meta = {
          sessionId: msg.sessionId,
          activeTurnId: msg.activeTurnId,
          waiting: userWait(state),
          usage: msg.usage,
          config: msg.config,
          configRevision: this.meta.configRevision + 1,
          olderCount: msg.olderCount,
          loadingOlder: false,
          pending: state.pending,
        };
        // Every row may now show a different entry under the same id (e.g. after a session switch).
        for (const set of this.entryListeners.values()) for (const l of [...set]) l();
        this.emit();
        return;
      }
      case 'olderEntries':
        this.receiveOlder(msg);
        return;
      case 'chats':
        this.chats = { items: msg.chats, activeId: msg.activeId };
        for (const l of [...this.chatListeners]) l();
        return;
      case 'config':
        this.meta = { ...this.meta, config: msg.config, configRevision: this.meta.configRevision + 1 };
        this.emit();
        return;
      case 'event': {
        // Events of another session (a switch in flight) are stale: the next snapshot covers them.
        if (msg.sessionId !== this.meta.sessionId) return;
        const before = this.state.entries.length;
        const changed = applyEvent(this.state, msg.event);
        let listChanged = false;
        if (this.state.entries.length !== before) {
          for (const entry of this.state.entries.slice(before)) if (entry.kind === 'error') this.errorRevisions.set(entry.id, this.meta.configRevision);
          this.setIds([...this.ids, ...this.state.entries.slice(before).map((e) => e.id)]);
          listChanged = true;
        }
        // Streaming text and output never change what the turn waits for: skip the look for them.
        const waiting = msg.event.type === 'message.delta' || msg.event.type === 'tool.output' ? this.meta.waiting : userWait(this.state);
        const { activeTurnId, usage, pending } = this.state;
        if (activeTurnId !== this.meta.activeTurnId || usage !== this.meta.usage || waiting !== this.meta.waiting || pending !== this.meta.pending) {
          this.meta = { ...this.meta, activeTurnId, waiting, usage, pending };
          listChanged = true;
        }
        if (msg.event.type === 'input.withdrawn') for (const l of [...this.withdrawnListeners]) l(msg.event.text);
        for (const id of changed) {
          const set = this.entryListeners.get(id);
          if (set) for (const l of [...set]) l();
        }
        if (listChanged) this.emit();
        return;
      }
    }
  }

  /**
   * Asks `post` for the page before the first entry loaded, unless the whole history is here or a page is
   * on its way. Returns whether it asked.
   */
  requestOlder(post: (msg: WebviewToHost) => void): boolean {
    const first = this.ids[0];
    const sessionId = this.meta.sessionId;
    if (this.meta.olderCount === 0 || this.pendingBefore !== undefined || first === undefined || sessionId === undefined) return false;
    this.pendingBefore = first;
    this.meta = { ...this.meta, loadingOlder: true };
    post({ type: 'loadOlder', sessionId, beforeId: first });
    this.emit();
    return true;
  }

  /** An older page: put in front when it is the one asked for (another session's or a stale one is dropped). */
  private receiveOlder(msg: Extract<HostToWebview, { type: 'olderEntries' }>): void {
    if (msg.sessionId !== this.meta.sessionId || msg.beforeId !== this.pendingBefore) return;
    this.pendingBefore = undefined;
    if (msg.beforeId === this.ids[0]) {
      const added = prependEntries(this.state, msg.entries);
      if (added > 0) {
        this.head += added;
        const ids = new Array<string>(added);
        for (let i = 0; i < added; i++) ids[i] = this.state.entries[i]!.id;
        this.setIds(ids.concat(this.ids));
      }
    }
    this.meta = { ...this.meta, olderCount: msg.olderCount, loadingOlder: false };
    this.emit();
  }

  private setIds(ids: readonly string[]): void {
    this.ids = ids;
    this.heads.set(ids, this.head);
  }

  /**
   * How many rows `next` has in front of `before` (older pages put in front since), or undefined when `next`
   * is not `before` with rows put in front and/or appended (a new snapshot).
   */
  rowsPutInFront(before: readonly string[], next: readonly string[]): number | undefined {
    const a = this.heads.get(before);
    const b = this.heads.get(next);
    if (a === undefined || b === undefined || b < a) return undefined;
    const shift = b - a;
    if (before.length === 0) return shift;
    if (next[shift] !== before[0] || next[shift + before.length - 1] !== before[before.length - 1]) return undefined;
    return shift;
  }

  /** Subscribes to the id list and `meta`. */
  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  subscribeChats = (listener: Listener): (() => void) => {
    this.chatListeners.add(listener);
    return () => this.chatListeners.delete(listener);
  };

  getChats = (): ChatList | undefined => this.chats;

  /** `listener` gets the text of each queued message withdrawn while this view shows the chat. */
  onWithdrawn(listener: (text: string) => void): () => void {
    this.withdrawnListeners.add(listener);
    return () => this.withdrawnListeners.delete(listener);
  }

  subscribeEntry(id: string, listener: Listener): () => void {
    let set = this.entryListeners.get(id);
    if (!set) {
      set = new Set();
      this.entryListeners.set(id, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.entryListeners.delete(id);
    };
  }

  getIds = (): readonly string[] => this.ids;

  /**
   * Whether the settings or the key changed after error `id` appeared (for one loaded with the chat: after
   * it was loaded), i.e. whether what caused it may have been fixed since.
   */
  configChangedSince(id: string): boolean {
    return this.meta.configRevision > (this.errorRevisions.get(id) ?? this.snapshotRevision);
  }
  getMeta = (): ViewMeta => this.meta;

  /** The text of the user's last message in this chat, for ↑ in an empty composer. */
  lastUserText(): string | undefined {
    for (let i = this.state.entries.length - 1; i >= 0; i--) {
      const entry = this.state.entries[i];
      if (entry?.kind === 'user') return entry.text;
    }
    return undefined;
  }

  getEntry(id: string): ChatEntry | undefined {
    const at = this.state.index.get(id);
    return at === undefined ? undefined : this.state.entries[at];
  }

  private emit(): void {
    for (const l of [...this.listeners]) l();
  }
}
