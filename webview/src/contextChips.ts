// The composer's context chips ("Tandem: Add to Chat"): pieces of code the host attached to the next
// message. Kept outside the chat store (they are not history); the composer subscribes to them.
import type { ContextChip, MentionItem } from '../../src/shared/protocol';
import { MAX_CONTEXT_CHIPS } from '../../src/shared/protocol';

type Listener = () => void;

export class ContextChips {
  /** The host's answers to the `@` picker's queries. */
  readonly mentions = new MentionResults();
  private chips: readonly ContextChip[] = [];
  private readonly listeners = new Set<Listener>();

  /** Adds a chip (again after a reload: the host re-sends the ones not sent yet; ids are unique). */
  add(chip: ContextChip): void {
    if (this.chips.some((c) => c.id === chip.id)) return;
    this.chips = [...this.chips, chip].slice(-MAX_CONTEXT_CHIPS);
    this.emit();
  }

  remove(id: string): void {
    const next = this.chips.filter((c) => c.id !== id);
    if (next.length === this.chips.length) return;
    this.chips = next;
    this.emit();
  }

  clear(): void {
    if (this.chips.length === 0) return;
    this.chips = [];
    this.emit();
  }

  get = (): readonly ContextChip[] => this.chips;

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private emit(): void {
    for (const l of [...this.listeners]) l();
  }
}

/** The newest `mentionResults` from the host; the picker shows them when they answer its latest query. */
export class MentionResults {
  private latest: { requestId: number; items: readonly MentionItem[] } = { requestId: -1, items: [] };
  private readonly listeners = new Set<Listener>();

  receive(requestId: number, items: readonly MentionItem[]): void {
    if (requestId < this.latest.requestId) return; // an answer overtaken by a newer one
    this.latest = { requestId, items };
    for (const l of [...this.listeners]) l();
  }

  get = (): { requestId: number; items: readonly MentionItem[] } => this.latest;

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
}
