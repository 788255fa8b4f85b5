// Replacing known secrets in text, whole or streamed. Streamed output arrives in chunks cut anywhere, so
// a secret can straddle two chunks (or a `printf` of its halves with a pause between): the streaming
// redactor holds back the shortest tail that could still be the start of a secret and releases it only
// once the next chunk shows it is not (or the stream ends). Nothing else is delayed. Pure: no node imports.

export const REDACTED = '[REDACTED]';

/** `text` with every occurrence of each form replaced by REDACTED (forms longest first). */
export function redactForms(text: string, forms: readonly string[]): string {
  let out = text;
  for (const form of forms) if (out.includes(form)) out = out.split(form).join(REDACTED);
  return out;
}

/** Length of the longest suffix of `text` that is a proper prefix of one of `forms`. */
export function pendingSecretPrefix(text: string, forms: readonly string[]): number {
  let longest = 0;
  for (const form of forms) {
    const from = Math.max(0, text.length - form.length + 1);
    for (let i = from; i < text.length; i++) {
      const length = text.length - i;
      if (length <= longest) break;
      if (text.charCodeAt(i) === form.charCodeAt(0) && form.startsWith(text.slice(i))) {
        longest = length;
        break;
      }
    }
  }
  return longest;
}

/** Redacts a stream chunk by chunk; `forms` is asked again on each chunk so newly known secrets apply. */
export class StreamRedactor {
  private carry = '';

  constructor(private readonly forms: () => readonly string[]) {}

  /** The part of `carry + chunk` that is safe to show now. */
  push(chunk: string): string {
    const forms = this.forms();
    const text = redactForms(this.carry + chunk, forms);
    const hold = pendingSecretPrefix(text, forms);
    this.carry = text.slice(text.length - hold);
    return text.slice(0, text.length - hold);
  }

  /** Whatever is still held back (the stream ended, so it cannot become a secret any more). */
  flush(): string {
    const rest = this.carry;
    this.carry = '';
    return rest;
  }
}
