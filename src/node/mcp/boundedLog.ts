// A server's stderr, kept for "Show log" and for the message when it crashes: the newest text only, within
// a byte budget, so a server that logs forever (or a hostile one writing megabytes a second) costs a fixed
// amount of memory. Lines longer than the budget are cut; control characters other than tab are dropped.

export class BoundedLog {
  private readonly lines: string[] = [];
  private size = 0;
  private partial = '';
  private dropped = 0;

  constructor(private readonly maxChars = 64 * 1024) {}

  /** Appends raw text (chunks may split lines anywhere). */
  append(chunk: string): void {
    const text = this.partial + chunk;
    const parts = text.split(/\r?\n/);
    this.partial = parts.pop() ?? '';
    if (this.partial.length > this.maxChars) {
      parts.push(this.partial);
      this.partial = '';
    }
    for (const part of parts) this.push(part);
  }

  /** Appends one line of Tandem's own (start, exit, restart), marked so it cannot pass for the server's. */
  note(line: string): void {
    this.push(`[tandem] ${line}`);
  }

  /** The kept text, oldest first; says how many lines were dropped to stay in budget. */
  text(): string {
    const body = [...this.lines, ...(this.partial ? [this.partial] : [])].join('\n');
    return this.dropped > 0 ? `[${this.dropped} earlier lines dropped]\n${body}` : body;
  }

  /** The last `count` lines, for an error message. */
  tail(count: number): string {
    return [...this.lines, ...(this.partial ? [this.partial] : [])].slice(-count).join('\n');
  }

  private push(raw: string): void {
    // eslint-disable-next-line no-control-regex
    let line = raw.replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '');
    if (line.length > this.maxChars / 4) line = `${line.slice(0, this.maxChars / 4)}…`;
    this.lines.push(line);
    this.size += line.length + 1;
    while (this.size > this.maxChars && this.lines.length > 1) {
      this.size -= this.lines.shift()!.length + 1;
      this.dropped++;
    }
  }
}
