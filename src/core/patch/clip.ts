// Error messages of the patch engine go to the model as tool output and quote the patch or the file.
// A quoted line or path can be megabytes long (a minified file, a runaway generated line); quoting it
// whole would flood the model's context with the very text it just sent. Quotes are clipped instead.

/** Longest quote of a single line or path in an error message. */
export const MAX_QUOTE_CHARS = 200;

/** `text` cut to `max` characters (never inside a surrogate pair), saying how much was left out. */
export function clip(text: string, max = MAX_QUOTE_CHARS): string {
  if (text.length <= max) return text;
  let end = max;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return `${text.slice(0, end)}… (${text.length - end} more characters)`;
}
