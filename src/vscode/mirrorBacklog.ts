// What the "Tandem" terminal is to show once VS Code opens it. A Pseudoterminal drops whatever is written
// before `open()` (which happens only when the terminal is shown), so output waits here; bounded, because
// a hidden terminal could otherwise collect a chatty build's whole output. No vscode import, so it is
// unit-tested (test/unit/node/mirrorBacklog.test.ts).

const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

export class MirrorBacklog {
  private text = '';
  private dropped = 0;

  constructor(private readonly maxChars: number) {}

  add(text: string): void {
    this.text += text;
    // Trimmed only once it holds twice the bound, so a long output costs O(its length), not O(bound) a chunk.
    if (this.text.length > 2 * this.maxChars) this.trim();
  }

  private trim(): void {
    if (this.text.length <= this.maxChars) return;
    let cut = this.text.length - this.maxChars;
    // Never keep half of a character.
    if (isLowSurrogate(this.text.charCodeAt(cut))) cut++;
    this.dropped += cut;
    this.text = this.text.slice(cut);
  }

  /**
   * Everything kept, in order, and empties the backlog. When the start had to go, a dim line first says
   * how much, so the terminal never passes off a cut output as the whole of it.
   */
  take(): string {
    this.trim();
    const notice = this.dropped > 0 ? `\x1b[2m[… ${this.dropped} earlier characters not shown]\x1b[0m\r\n` : '';
    const text = notice + this.text;
    this.clear();
    return text;
  }

  clear(): void {
    this.text = '';
    this.dropped = 0;
  }
}
