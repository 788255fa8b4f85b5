// The chat state as an external store for `useSyncExternalStore`. History lives here; the composer's
// text does not (typing must never re-render history).
// Subscriptions are split so a streaming delta wakes only the row it changed: the list subscribes to the
// id list and the header/composer to `meta`, each row to its own entry id (fed by `applyEvent`'s ids).
import { applyEvent, emptyChatState, userWait, type ChatEntry, type ChatState, type UserWait } from '../../src/shared/chatState';
import type { HostToWebview, ViewConfig } from '../../src/shared/protocol';

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
}

type Listener = () => void;

export class ChatStore {
  private state: ChatState = emptyChatState();
  private ids: readonly string[] = [];
  private meta: ViewMeta = { sessionId: undefined, activeTurnId: undefined, waiting: undefined, usage: emptyChatState().usage, config: undefined, configRevision: 0 };
  /** Error entry id -> `configRevision` when it arrived. */
  private readonly errorRevisions = new Map<string, number>();
  /** `configRevision` of the last snapshot (errors loaded with it count from there). */
  private snapshotRevision = 0;
  private readonly listeners = new Set<Listener>();
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
        state.usage = msg.usage;
        this.state = state;
        this.ids = ids;
        this.errorRevisions.clear();
        this.snapshotRevision = this.meta.configRevision + 1;
        this.meta = { sessionId: msg.sessionId, activeTurnId: msg.activeTurnId, waiting: userWait(state), usage: msg.usage, config: msg.config, configRevision: this.meta.configRevision + 1 };
        // Every row may now show a different entry under the same id (e.g. after a session switch).
        for (const set of this.entryListeners.values()) for (const l of [...set]) l();
        this.emit();
        return;
      }
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
          this.ids = [...this.ids, ...this.state.entries.slice(before).map((e) => e.id)];
          listChanged = true;
        }
        // Streaming text and output never change what the turn waits for: skip the look for them.
        const waiting = msg.event.type === 'message.delta' || msg.event.type === 'tool.output' ? this.meta.waiting : userWait(this.state);
        if (this.state.activeTurnId !== this.meta.activeTurnId || this.state.usage !== this.meta.usage || waiting !== this.meta.waiting) {
          this.meta = { ...this.meta, activeTurnId: this.state.activeTurnId, waiting, usage: this.state.usage };
          listChanged = true;
        }
        for (const id of changed) {
          const set = this.entryListeners.get(id);
          if (set) for (const l of [...set]) l();
        }
        if (listChanged) this.emit();
        return;
      }
    }
  }

  /** Subscribes to the id list and `meta`. */
  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

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
