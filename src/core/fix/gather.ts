// Gathers what a focused "Fix This" / "Explain This" run needs: the target (the selection, or the enclosing
// function/block of the cursor or of the picked diagnostic), the diagnostics touching it and enough of
// the file around it — the whole file when it is small, else the file's head (imports) and a window
// around the target, long lines cut. Pure: the editor layer passes plain data in.
import { enclosingBlock } from './blocks';
import { diagnosticsForLines, lastLineOf } from './diagnostics';
import { clipLine, splitDocumentLines } from './text';
import { DEFAULT_FIX_LIMITS, type FixContext, type FixInput, type FixLimits, type FixTarget, type LineSpan, type TextRange } from './types';

const isEmpty = (r: TextRange) => r.start.line === r.end.line && r.start.character === r.end.character;

export function gatherFixContext(input: FixInput): FixContext {
  const limits: FixLimits = { ...DEFAULT_FIX_LIMITS, ...input.limits };
  const lines = splitDocumentLines(input.text);
  // A trailing newline makes a last empty "line" that holds nothing worth showing.
  const contentLines = lines.length > 1 && lines[lines.length - 1] === '' ? lines.length - 1 : lines.length;
  const target = chooseTarget(input, lines, contentLines, limits);
  const picked = diagnosticsForLines(input.diagnostics, target.startLine, target.endLine, limits.maxDiagnostics, input.focus);

  const small = contentLines <= limits.wholeFileLines && input.text.length <= limits.wholeFileChars;
  const clip = (from: number, to: number): LineSpan | undefined =>
    to < from ? undefined : { startLine: from, lines: lines.slice(from, to + 1).map((l) => clipLine(l, limits.maxLineChars)) };
  let before: LineSpan[];
  let after: LineSpan[];
  if (small) {
    before = compact([clip(0, target.startLine - 1)]);
    after = compact([clip(target.endLine + 1, contentLines - 1)]);
  } else {
    const windowStart = Math.max(0, target.startLine - limits.linesBefore);
    // The file's head (imports, module docs) and a window before the target; one run when they touch.
    before = compact(windowStart > limits.headLines ? [clip(0, limits.headLines - 1), clip(windowStart, target.startLine - 1)] : [clip(0, target.startLine - 1)]);
    after = compact([clip(target.endLine + 1, Math.min(contentLines - 1, target.endLine + limits.linesAfter))]);
  }
  const shown = [...before, ...after].reduce((n, s) => n + s.lines.length, 0) + (target.endLine - target.startLine + 1);
  return {
    path: input.path,
    languageId: input.languageId,
    target,
    diagnostics: picked.diagnostics,
    omittedDiagnostics: picked.omitted,
    elsewhere: picked.elsewhere,
    before,
    after,
    totalLines: contentLines,
    wholeFile: !target.truncated && shown >= contentLines,
  };
}

function compact(spans: (LineSpan | undefined)[]): LineSpan[] {
  return spans.filter((s): s is LineSpan => s !== undefined && s.lines.length > 0);
}

function chooseTarget(input: FixInput, lines: readonly string[], contentLines: number, limits: FixLimits): FixTarget {
  const last = Math.max(0, contentLines - 1);
  const clampLine = (n: number) => Math.min(Math.max(0, n), last);
  const { selection } = input;
  if (!isEmpty(selection)) {
    const startLine = clampLine(selection.start.line);
    const endLine = clampLine(Math.max(startLine, lastLineOf(selection)));
    const partial =
      selection.start.character > firstNonBlank(lines[startLine] ?? '') ||
      (selection.end.character > 0 && selection.end.character < (lines[selection.end.line] ?? '').length);
    const selectedText = partial ? textOf(lines, selection) : undefined;
    return withText({ kind: 'selection', startLine, endLine, ...(selectedText !== undefined && selectedText.trim() !== '' ? { selectedText } : {}) }, lines, limits);
  }
  const anchor = input.focus?.range ?? selection;
  const from = clampLine(anchor.start.line);
  const to = clampLine(Math.max(from, lastLineOf(anchor)));
  const block = enclosingBlock(lines.slice(0, contentLines), input.languageId, from, to, limits.maxBlockLines, input.symbols);
  return withText(
    {
      kind: block.kind,
      startLine: clampLine(block.startLine),
      endLine: clampLine(block.endLine),
      ...(block.name !== undefined ? { name: block.name } : {}),
      ...(block.symbolKind !== undefined ? { symbolKind: block.symbolKind } : {}),
    },
    lines,
    limits,
  );
}

function withText(target: Omit<FixTarget, 'text' | 'truncated'>, lines: readonly string[], limits: FixLimits): FixTarget {
  const all = lines.slice(target.startLine, target.endLine + 1);
  const kept = all.slice(0, limits.maxTargetLines);
  let text = kept.join('\n');
  let truncated = kept.length < all.length;
  if (text.length > limits.maxTargetChars) {
    text = text.slice(0, limits.maxTargetChars);
    const cut = text.lastIndexOf('\n');
    if (cut > 0) text = text.slice(0, cut);
    truncated = true;
  }
  let selectedText = target.selectedText;
  if (selectedText !== undefined && selectedText.length > limits.maxTargetChars) selectedText = undefined;
  return { ...target, ...(selectedText !== undefined ? { selectedText } : {}), text, truncated };
}

function firstNonBlank(line: string): number {
  const m = /\S/.exec(line);
  return m ? m.index : line.length;
}

function textOf(lines: readonly string[], range: TextRange): string {
  if (range.start.line === range.end.line) return (lines[range.start.line] ?? '').slice(range.start.character, range.end.character);
  const parts = [(lines[range.start.line] ?? '').slice(range.start.character)];
  for (let i = range.start.line + 1; i < range.end.line; i++) parts.push(lines[i] ?? '');
  parts.push((lines[range.end.line] ?? '').slice(0, range.end.character));
  return parts.join('\n');
}
