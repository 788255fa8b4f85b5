// Re-indents a chunk's added lines to the file's style when the patch quoted the file's lines with other
// indentation. Models often write spaces where a file has tabs (Go, C, Makefiles, where a recipe line
// indented with spaces no longer works) or copy a block one level too shallow or too deep; the loose
// match tiers find such lines, and the '+' lines, written in the patch's style, would land in the file
// in the wrong one. So the lines a chunk matched (context and '-' lines, paired with the file lines they
// matched) are searched for ONE consistent rule that turns every patch indentation into the file's:
//   - identical everywhere: nothing to do (always so for the exact and trailing-whitespace tiers);
//   - a constant offset: the file has a fixed prefix more ('\t' or '    ' deeper) or less than the patch;
//   - tabs for spaces: the file has one tab where the patch has W spaces (W learned, the same on every
//     line; spaces left over after whole tabs stay spaces, as in '\t  ' alignment), or the reverse.
// The rule must explain every non-blank matched pair, or nothing is changed: with contradicting pairs
// there is nothing to learn, and a guess would move code. An added line whose indentation the rule cannot
// map (less indented than a removed offset) leaves all of the chunk's added lines as written, not some.
// Blank and whitespace-only added lines stay as written; only leading spaces and tabs ever change.

/** A line of the patch (context or '-') and the file line it matched. */
export interface MatchedPair {
  patch: string;
  file: string;
}

/** Maps a patch line's leading indentation to the file's; undefined when it cannot. */
type IndentRule = (indent: string) => string | undefined;

/** The added lines in the file's indentation style, or as written when no single rule explains the match. */
export function reindentAddedLines(matched: readonly MatchedPair[], added: readonly string[]): string[] {
  const rule = learnRule(matched);
  if (!rule) return [...added];
  const mapped: string[] = [];
  for (const line of added) {
    if (line.trim() === '') {
      mapped.push(line);
      continue;
    }
    const indent = leadingIndent(line);
    const replaced = rule(indent);
    if (replaced === undefined) return [...added];
    mapped.push(replaced + line.slice(indent.length));
  }
  return mapped;
}

function leadingIndent(line: string): string {
  return /^[ \t]*/.exec(line)![0];
}

function learnRule(matched: readonly MatchedPair[]): IndentRule | undefined {
  const pairs = matched
    .filter(({ patch, file }) => patch.trim() !== '' && file.trim() !== '')
    .map(({ patch, file }) => ({ patch: leadingIndent(patch), file: leadingIndent(file) }));
  const first = pairs.find(({ patch, file }) => patch !== file);
  if (!first) return undefined;
  return candidateRules(first.patch, first.file).find((rule) => pairs.every(({ patch, file }) => rule(patch) === file));
}

/** The rules that turn `patch` into `file`; the caller keeps the first that holds for every pair. */
function candidateRules(patch: string, file: string): IndentRule[] {
  const rules: IndentRule[] = [];
  if (file.endsWith(patch)) {
    const extra = file.slice(0, file.length - patch.length);
    rules.push((indent) => extra + indent);
  }
  if (patch.endsWith(file)) {
    const surplus = patch.slice(0, patch.length - file.length);
    rules.push((indent) => (indent.startsWith(surplus) ? indent.slice(surplus.length) : undefined));
  }
  const fileTabs = /^(\t+)( *)$/.exec(file);
  if (fileTabs && /^ +$/.test(patch)) {
    const width = (patch.length - fileTabs[2]!.length) / fileTabs[1]!.length;
    if (Number.isInteger(width) && width >= 1) rules.push((indent) => (/^ *$/.test(indent) ? spacesToTabs(indent.length, width) : indent));
  }
  const patchTabs = /^(\t+)( *)$/.exec(patch);
  if (patchTabs && /^ +$/.test(file)) {
    const width = (file.length - patchTabs[2]!.length) / patchTabs[1]!.length;
    if (Number.isInteger(width) && width >= 1) rules.push((indent) => indent.replaceAll('\t', ' '.repeat(width)));
  }
  return rules;
}

function spacesToTabs(columns: number, width: number): string {
  return '\t'.repeat(Math.floor(columns / width)) + ' '.repeat(columns % width);
}
