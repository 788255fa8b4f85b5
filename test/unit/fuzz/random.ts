// A small seeded PRNG for the fuzz suites: the same seed gives the same inputs on every machine, so a
// failure names an input index that reproduces it (set FUZZ_SEED to explore other sequences).

/** The seed every fuzz suite derives its streams from; override with FUZZ_SEED=<integer>. */
export const FUZZ_SEED = Number.parseInt(process.env.FUZZ_SEED ?? '', 10) || 0x7a4d3e11;

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
const PUNCTUATION = [' ', '\t', '-', '_', '.', '/', '"', "'", '\\', '{', '}', '*', '@', '+', '#', ':', ','];
const TYPOGRAPHY = ['é', 'ß', 'ñ', '–', '—', '“', '”', '‘', '’', '…', '\u00a0'];
const CJK = ['日', '本', '語', '中', '文'];
const EMOJI = ['😀', '🚀', '👍🏽', '🇫🇷'];
/** Controls, a BOM, a zero-width space and lone surrogate halves. */
const CONTROLS = ['\u0000', '\u0007', '\u001b', '\r', '\uFEFF', '\u200b', '\uD800', '\uDFFF'];

export class Random {
  private state: number;

  constructor(seed: number) {
    // Spread small seeds (0, 1, 2 …) over the whole state space.
    this.state = (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ 0xc2b2ae35) >>> 0 || 1;
  }

  /** A fresh stream for `label`, independent of how much of this one was used. */
  fork(label: string | number): Random {
    let hash = this.state;
    for (const ch of String(label)) hash = Math.imul(hash ^ ch.charCodeAt(0), 0x01000193) >>> 0;
    return new Random(hash);
  }

  /** Uniform in [0, 1) (mulberry32). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** Picks by weight: `[[weight, value], …]`. */
  weighted<T>(choices: readonly (readonly [number, T])[]): T {
    const total = choices.reduce((sum, [w]) => sum + w, 0);
    let roll = this.next() * total;
    for (const [weight, value] of choices) {
      roll -= weight;
      if (roll < 0) return value;
    }
    return choices.at(-1)![1];
  }

  /** A word from a mixed alphabet: ASCII, punctuation, accents, CJK, emoji (surrogate pairs), controls. */
  word(maxLength = 12): string {
    const length = this.int(0, maxLength);
    let out = '';
    for (let i = 0; i < length; i++) out += this.char();
    return out;
  }

  char(): string {
    const roll = this.next() * 100;
    if (roll < 60) return LETTERS[Math.floor(this.next() * LETTERS.length)]!;
    if (roll < 70) return DIGITS[Math.floor(this.next() * DIGITS.length)]!;
    return this.pick(roll < 80 ? PUNCTUATION : roll < 85 ? TYPOGRAPHY : roll < 90 ? CJK : roll < 95 ? EMOJI : CONTROLS);
  }
}
