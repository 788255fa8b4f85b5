// Finds where a chunk's old lines sit in a file. Models copy context imperfectly (trailing spaces, changed
// indentation, typographic quotes and dashes), so matching relaxes in tiers. Every tier scans the whole
// search range before the next, looser one is tried: an exact match later in the file beats a loose one
// earlier. A match only locates lines: applyChunks keeps the file's bytes for everything but '-' lines.

export type MatchTier = 'exact' | 'trailing-whitespace' | 'trimmed' | 'punctuation';

export interface LineMatch {
  /** Index of the first matched line. */
  index: number;
  tier: MatchTier;
}

const TIERS: { tier: MatchTier; canonical: (line: string) => string }[] = [
  { tier: 'exact', canonical: (line) => line },
  { tier: 'trailing-whitespace', canonical: (line) => line.trimEnd() },
  { tier: 'trimmed', canonical: (line) => line.trim() },
  { tier: 'punctuation', canonical: (line) => normalizePunctuation(line).trim() },
];

// Typographic characters that models (or editors) substitute for their ASCII counterparts.
const PUNCTUATION_TO_ASCII: [RegExp, string][] = [
  [/[\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uFE58\uFE63\uFF0D]/g, '-'],
  [/[\u2018\u2019\u201A\u201B\u2032\uFF07]/g, "'"],
  [/[\u201C\u201D\u201E\u201F\u2033\u00AB\u00BB\uFF02]/g, '"'],
  [/[\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]/g, ' '],
  // An alternation, not a class: a zero-width joiner inside a class reads as a joined sequence.
  [/\u200B|\u200C|\u200D|\u2060|\uFEFF/g, ''],
  [/\u2026/g, '...'],
];

/** Maps Unicode dashes, quotes and spaces to ASCII, drops zero-width characters. */
export function normalizePunctuation(line: string): string {
  let result = line;
  for (const [pattern, ascii] of PUNCTUATION_TO_ASCII) result = result.replace(pattern, ascii);
  return result;
}

/**
 * First index `>= from` where `pattern` occurs in `lines`, trying each tier in turn. With `atEnd`, a match
 * that ends exactly at the last line is preferred (the `*** End of File` marker); when the lines are not
 * at the end they are looked for anywhere, as the marker is only a hint about where to look.
 * An empty pattern matches at `from` (or at the end with `atEnd`).
 * Linear in the file and pattern size per tier (KMP over interned lines): a naive scan is
 * O(lines × pattern), seconds of blocked host for a long chunk against a file of repeated lines.
 */
export function seekLines(lines: readonly string[], pattern: readonly string[], from: number, atEnd = false): LineMatch | undefined {
  if (pattern.length === 0) return { index: atEnd ? lines.length : Math.min(from, lines.length), tier: 'exact' };
  const lastStart = lines.length - pattern.length;
  if (lastStart < from) return undefined;
  // Canonical forms are computed once per tier, and only for tiers that get tried.
  const canonicalized = TIERS.map(({ tier, canonical }) => {
    let forms: InternedLines | undefined;
    return { tier, get: () => (forms ??= intern(lines.map(canonical), pattern.map(canonical))) };
  });
  if (atEnd) {
    for (const { tier, get } of canonicalized) {
      if (matchesAt(get(), lastStart)) return { index: lastStart, tier };
    }
  }
  for (const { tier, get } of canonicalized) {
    const index = firstMatch(get(), from);
    if (index !== undefined) return { index, tier };
  }
  return undefined;
}

/** Lines as numbers: each distinct pattern line gets an id, file lines that are in no pattern line get -1. */
interface InternedLines {
  lines: Int32Array;
  pattern: Int32Array;
}

function intern(lines: string[], pattern: string[]): InternedLines {
  const ids = new Map<string, number>();
  const patternIds = Int32Array.from(pattern, (line) => {
    let id = ids.get(line);
    if (id === undefined) ids.set(line, (id = ids.size));
    return id;
  });
  return { lines: Int32Array.from(lines, (line) => ids.get(line) ?? -1), pattern: patternIds };
}

function matchesAt(forms: InternedLines, start: number): boolean {
  for (let i = 0; i < forms.pattern.length; i++) {
    if (forms.lines[start + i] !== forms.pattern[i]) return false;
  }
  return true;
}

/** Knuth-Morris-Pratt: the first start `>= from` where the pattern occurs. */
function firstMatch({ lines, pattern }: InternedLines, from: number): number | undefined {
  const failure = new Int32Array(pattern.length);
  for (let i = 1, k = 0; i < pattern.length; i++) {
    while (k > 0 && pattern[i] !== pattern[k]) k = failure[k - 1]!;
    if (pattern[i] === pattern[k]) k++;
    failure[i] = k;
  }
  for (let i = from, k = 0; i < lines.length; i++) {
    while (k > 0 && lines[i] !== pattern[k]) k = failure[k - 1]!;
    if (lines[i] === pattern[k]) k++;
    if (k === pattern.length) return i - pattern.length + 1;
  }
  return undefined;
}
