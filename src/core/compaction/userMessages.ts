// The user's own messages survive a compaction verbatim (they are the task; a summary may not paraphrase
// them away), newest first within a budget. The newest message is always kept: if it alone is over the
// budget, its head and tail are kept with a marker, so the latest instruction is never lost entirely.

export interface KeptUserMessages {
  /** Oldest first. */
  messages: string[];
  /** How many older messages did not fit. */
  omitted: number;
}

export function keepUserMessages(messages: readonly string[], budgetChars: number): KeptUserMessages {
  const kept: string[] = [];
  let used = 0;
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i]!;
    if (used + message.length <= budgetChars) {
      kept.unshift(message);
      used += message.length;
      continue;
    }
    if (kept.length > 0) return { messages: kept, omitted: i + 1 };
    // The newest message alone is over the budget: keep what fits of it, everything older is dropped.
    return { messages: [headAndTail(message, Math.max(budgetChars, 200))], omitted: i };
  }
  return { messages: kept, omitted: 0 };
}

function headAndTail(text: string, max: number): string {
  const marker = `\n[… ${(text.length - max).toLocaleString('en-US')} characters of this message not kept …]\n`;
  const half = Math.floor(max / 2);
  return `${text.slice(0, half)}${marker}${text.slice(text.length - half)}`;
}
