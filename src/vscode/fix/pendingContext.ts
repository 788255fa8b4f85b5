// The host's side of the composer's chips ("Add to Chat", `@` mentions, pasted images): the host keeps each
// chip's text or image, the webview only shows the chip and names its id when the user sends. A message can
// carry only content the host attached, never text the webview made up under a chip's name (a pasted image
// is the one thing the webview supplies, and it is checked before it becomes a chip).
import { composeWithAttachments } from '../../core/fix/prompt';
import { MAX_CONTEXT_CHIPS, type ContextChip } from '../../shared/protocol';

const PREVIEW_LINES = 12;

export interface AttachedImage {
  mediaType: string;
  dataBase64: string;
}

type Pending = { chip: ContextChip; text: string; image?: undefined } | { chip: ContextChip; image: AttachedImage; text?: undefined };

export class PendingContext {
  private readonly chips = new Map<string, Pending>();
  private counter = 0;

  /** Chips not sent yet, oldest first (re-sent to a reloaded webview). */
  get pending(): ContextChip[] {
    return [...this.chips.values()].map((c) => c.chip);
  }

  add(label: string, text: string, kind?: ContextChip['kind']): ContextChip {
    const chip: ContextChip = { id: this.nextId(), label: label.slice(0, 200), preview: preview(text), ...(kind ? { kind } : {}) };
    return this.keep({ chip, text });
  }

  /** An image (already checked) for the next message; `description` is the chip's tooltip. */
  addImage(label: string, image: AttachedImage, description: string): ContextChip {
    const chip: ContextChip = { id: this.nextId(), label: label.slice(0, 200), preview: description, kind: 'image' };
    return this.keep({ chip, image });
  }

  remove(id: string): void {
    this.chips.delete(id);
  }

  /** The message for `text` with the chips `ids` (unknown ids are ignored); those chips are used up. */
  compose(text: string, ids: readonly string[] | undefined): string {
    return this.take(text, ids).text;
  }

  /** Like `compose`, also returning the images among the chips, in order. */
  take(text: string, ids: readonly string[] | undefined): { text: string; images: AttachedImage[] } {
    const attached = (ids ?? []).flatMap((id) => {
      const found = this.chips.get(id);
      this.chips.delete(id);
      return found ? [found] : [];
    });
    const texts = attached.flatMap((a) => (a.text !== undefined ? [{ text: a.text }] : []));
    const images = attached.flatMap((a) => (a.image ? [a.image] : []));
    return { text: composeWithAttachments(text, texts), images };
  }

  private nextId(): string {
    return `ctx-${Date.now().toString(36)}-${(this.counter++).toString(36)}`;
  }

  private keep(entry: Pending): ContextChip {
    this.chips.set(entry.chip.id, entry);
    while (this.chips.size > MAX_CONTEXT_CHIPS) this.chips.delete(this.chips.keys().next().value!);
    return entry.chip;
  }
}

function preview(text: string): string {
  const lines = text.split('\n');
  return lines.slice(0, PREVIEW_LINES).join('\n') + (lines.length > PREVIEW_LINES ? '\n…' : '');
}
