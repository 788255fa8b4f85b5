// The host's side of the composer's "Add to Chat" chips: the host keeps each chip's text, the webview only
// shows the chip and names its id when the user sends. A message can carry only code the host attached,
// never text the webview made up under a chip's name.
import { composeWithAttachments } from '../../core/fix/prompt';
import { MAX_CONTEXT_CHIPS, type ContextChip } from '../../shared/protocol';

const PREVIEW_LINES = 12;

export class PendingContext {
  private readonly chips = new Map<string, { chip: ContextChip; text: string }>();
  private counter = 0;

  /** Chips not sent yet, oldest first (re-sent to a reloaded webview). */
  get pending(): ContextChip[] {
    return [...this.chips.values()].map((c) => c.chip);
  }

  add(label: string, text: string): ContextChip {
    const chip: ContextChip = { id: `ctx-${Date.now().toString(36)}-${(this.counter++).toString(36)}`, label: label.slice(0, 200), preview: preview(text) };
    this.chips.set(chip.id, { chip, text });
    while (this.chips.size > MAX_CONTEXT_CHIPS) this.chips.delete(this.chips.keys().next().value!);
    return chip;
  }

  remove(id: string): void {
    this.chips.delete(id);
  }

  /** The message for `text` with the chips `ids` (unknown ids are ignored); those chips are used up. */
  compose(text: string, ids: readonly string[] | undefined): string {
    const attached = (ids ?? []).flatMap((id) => {
      const found = this.chips.get(id);
      this.chips.delete(id);
      return found ? [found] : [];
    });
    return composeWithAttachments(text, attached);
  }
}

function preview(text: string): string {
  const lines = text.split('\n');
  return lines.slice(0, PREVIEW_LINES).join('\n') + (lines.length > PREVIEW_LINES ? '\n…' : '');
}
