// "The enclosing function or block" of a cursor (or of a diagnostic): from the document symbols when the
// language provides them, else from the text itself — matching braces for C-like languages, indentation
// for Python-like ones — and, when nothing fitting encloses it, the statement (brackets balanced) or the
// line. Pure: works on plain lines and symbol data.
import { indentOf, isBlank } from './text';
import type { SymbolInfo, SymbolKindName, TargetKind } from './types';

export interface LineBlock {
  kind: Exclude<TargetKind, 'selection'>;
  startLine: number;
  endLine: number;
  name?: string;
  symbolKind?: SymbolKindName;
}

const FUNCTION_KINDS = new Set<SymbolKindName>(['function', 'method', 'constructor']);
/** Symbols that cover (nearly) the whole file say nothing about where the user is. */
const FILE_KINDS = new Set<SymbolKindName>(['file', 'module', 'namespace', 'package']);

/** Languages whose blocks are made by indentation, not braces. */
const INDENT_LANGUAGES = new Set(['python', 'yaml', 'coffeescript', 'nim', 'pug', 'sass', 'stylus', 'haml', 'slim', 'fsharp', 'elm', 'haskell', 'gdscript', 'mojo', 'cython', 'jade', 'restructuredtext']);

const lineSpan = (b: { startLine: number; endLine: number }) => b.endLine - b.startLine + 1;

/**
 * The block around lines `from`..`to` (0-based, inclusive). `lines` are the document's lines. The result
 * is never longer than `maxLines` unless the range itself is.
 */
export function enclosingBlock(lines: readonly string[], languageId: string, from: number, to: number, maxLines: number, symbols?: readonly SymbolInfo[]): LineBlock {
  const fromSymbols = symbols?.length ? symbolBlock(symbols, from, to, maxLines) : undefined;
  if (fromSymbols) return fromSymbols;
  const structural = INDENT_LANGUAGES.has(languageId) ? indentBlock(lines, from, to, maxLines) : braceBlock(lines, languageId, from, to, maxLines);
  if (structural) return structural;
  return statementAround(lines, languageId, from, to, maxLines);
}

// ---- document symbols ----

/** Containing symbols, outermost first (the smallest child wins where siblings overlap). */
function containingChain(symbols: readonly SymbolInfo[], from: number, to: number): SymbolInfo[] {
  const chain: SymbolInfo[] = [];
  let level: readonly SymbolInfo[] | undefined = symbols;
  while (level?.length) {
    let best: SymbolInfo | undefined;
    for (const s of level) {
      if (s.range.start.line > from || s.range.end.line < to) continue;
      if (!best || lineSpan(rangeLines(s)) < lineSpan(rangeLines(best))) best = s;
    }
    if (!best) break;
    chain.push(best);
    level = best.children;
  }
  return chain;
}

function rangeLines(s: SymbolInfo): { startLine: number; endLine: number } {
  return { startLine: s.range.start.line, endLine: s.range.end.line };
}

function symbolBlock(symbols: readonly SymbolInfo[], from: number, to: number, maxLines: number): LineBlock | undefined {
  const chain = containingChain(symbols, from, to);
  const innermostFirst = [...chain].reverse();
  const asBlock = (s: SymbolInfo): LineBlock => ({ kind: 'symbol', ...rangeLines(s), name: s.name, symbolKind: s.kind });
  const fn = innermostFirst.find((s) => FUNCTION_KINDS.has(s.kind) && lineSpan(rangeLines(s)) <= maxLines);
  if (fn) return asBlock(fn);
  // A function too long to be "the" block: the text's own structure finds a smaller one inside it.
  if (innermostFirst.some((s) => FUNCTION_KINDS.has(s.kind))) return undefined;
  const any = innermostFirst.find((s) => !FILE_KINDS.has(s.kind) && lineSpan(rangeLines(s)) <= maxLines);
  return any ? asBlock(any) : undefined;
}

// ---- braces ----

interface CommentStyle {
  line: string[];
  block: [string, string][];
}

const C_STYLE: CommentStyle = { line: ['//'], block: [['/*', '*/']] };
const COMMENT_STYLES: Record<string, CommentStyle> = {
  php: { line: ['//', '#'], block: [['/*', '*/']] },
  perl: { line: ['#'], block: [] },
  ruby: { line: ['#'], block: [] },
  shellscript: { line: ['#'], block: [] },
  powershell: { line: ['#'], block: [['<#', '#>']] },
  r: { line: ['#'], block: [] },
  lua: { line: ['--'], block: [['--[[', ']]']] },
  sql: { line: ['--'], block: [['/*', '*/']] },
  css: { line: [], block: [['/*', '*/']] },
  html: { line: [], block: [['<!--', '-->']] },
  xml: { line: [], block: [['<!--', '-->']] },
  json: { line: [], block: [] },
  makefile: { line: ['#'], block: [] },
  toml: { line: ['#'], block: [] },
  nix: { line: ['#'], block: [['/*', '*/']] },
  elixir: { line: ['#'], block: [] },
  terraform: { line: ['#', '//'], block: [['/*', '*/']] },
};

interface BracePair {
  openLine: number;
  openChar: number;
  closeLine: number;
}

/** Matching `{ }` pairs, ignoring braces in strings and comments (a simple lexer: good enough to find blocks). */
export function bracePairs(lines: readonly string[], languageId: string): BracePair[] {
  const style = COMMENT_STYLES[languageId] ?? C_STYLE;
  const pairs: BracePair[] = [];
  const stack: { line: number; char: number }[] = [];
  let blockEnd: string | undefined; // inside a block comment: its terminator
  let template = false; // inside a `template literal` (may span lines)
  for (let ln = 0; ln < lines.length; ln++) {
    const line = lines[ln]!;
    let quote: string | undefined; // ' and " strings end at the line's end at the latest
    for (let i = 0; i < line.length; i++) {
      const ch = line[i]!;
      if (blockEnd) {
        if (line.startsWith(blockEnd, i)) {
          i += blockEnd.length - 1;
          blockEnd = undefined;
        }
        continue;
      }
      if (template) {
        if (ch === '\\') i++;
        else if (ch === '`') template = false;
        continue;
      }
      if (quote) {
        if (ch === '\\') i++;
        else if (ch === quote) quote = undefined;
        continue;
      }
      if (style.line.some((t) => line.startsWith(t, i))) break;
      const opened = style.block.find(([open]) => line.startsWith(open, i));
      if (opened) {
        blockEnd = opened[1];
        i += opened[0].length - 1;
        continue;
      }
      if (ch === '"' || ch === "'") quote = ch;
      else if (ch === '`') template = true;
      else if (ch === '{') stack.push({ line: ln, char: i });
      else if (ch === '}') {
        const open = stack.pop();
        if (open) pairs.push({ openLine: open.line, openChar: open.char, closeLine: ln });
      }
    }
  }
  return pairs;
}

const CONTROL_HEAD = /^\s*(\}\s*)?(if|else|for|foreach|while|do|switch|case|default|catch|try|finally|with|using|lock|synchronized|unsafe|select|loop|match|return|throw|yield|await|export\s+default\s+\{)\b/;
const FUNCTION_HEAD = /\b(function|func|fn|def|fun|sub|proc|method|constructor|init|impl)\b|=>\s*$|\)\s*(:\s*[^{=;]+|->\s*[^{;]+|throws\s+[\w.,\s<>]+|const|noexcept|override|final|async|mut)?\s*$/;

/** The header of a block opened on `pair.openLine`: the lines before the `{` that belong to it. */
function headerStart(lines: readonly string[], pair: BracePair): number {
  let start = pair.openLine;
  const before = lines[start]!.slice(0, pair.openChar);
  // `{` alone on its line (Allman style): the header is the line above.
  if (isBlank(before) && start > 0) {
    let prev = start - 1;
    while (prev > 0 && isBlank(lines[prev]!)) prev--;
    start = prev;
  }
  // A signature spread over several lines: go up until its parentheses balance.
  let balance = parenBalance(start === pair.openLine ? before : lines[start]!);
  let guard = 0;
  while (balance < 0 && start > 0 && guard++ < 30) {
    start--;
    balance += parenBalance(lines[start]!);
  }
  // Decorators / attributes directly above (`@Component(…)`, `#[derive(…)]`, `[Fact]`).
  while (start > 0 && /^\s*(@[\w.]+|#\[|\[[A-Z]\w*)/.test(lines[start - 1]!)) start--;
  return start;
}

function parenBalance(text: string): number {
  let n = 0;
  for (const ch of text) {
    if (ch === '(') n++;
    else if (ch === ')') n--;
  }
  return n;
}

function braceBlock(lines: readonly string[], languageId: string, from: number, to: number, maxLines: number): LineBlock | undefined {
  const candidates = bracePairs(lines, languageId)
    .filter((p) => p.closeLine > p.openLine)
    .map((p) => ({ pair: p, startLine: headerStart(lines, p), endLine: p.closeLine }))
    .filter((b) => b.startLine <= from && b.endLine >= to)
    .sort((a, b) => lineSpan(a) - lineSpan(b)); // innermost first
  const fitting = candidates.filter((b) => lineSpan(b) <= maxLines);
  const header = (b: (typeof candidates)[number]) => lines.slice(b.startLine, b.pair.openLine + 1).join(' ').slice(0, 2_000);
  const headerBeforeBrace = (b: (typeof candidates)[number]) => {
    const text = header(b);
    const lastBrace = text.lastIndexOf('{');
    return lastBrace >= 0 ? text.slice(0, lastBrace) : text;
  };
  const fn = fitting.find((b) => !CONTROL_HEAD.test(headerBeforeBrace(b)) && FUNCTION_HEAD.test(headerBeforeBrace(b).trimEnd()));
  const chosen = fn ?? fitting[0];
  return chosen ? { kind: 'block', startLine: chosen.startLine, endLine: chosen.endLine } : undefined;
}

// ---- indentation ----

const PY_FUNCTION_HEAD = /^\s*(async\s+)?(def|fn|func|function|proc|method|let|fun)\b/;

function indentBlock(lines: readonly string[], from: number, to: number, maxLines: number): LineBlock | undefined {
  let anchor = from;
  while (anchor > 0 && isBlank(lines[anchor]!)) anchor--;
  if (isBlank(lines[anchor] ?? '')) return undefined;
  // Headers enclosing the anchor, innermost first; the anchor itself when a deeper-indented body follows it.
  const headers: number[] = [];
  const nextNonBlank = (i: number) => {
    for (let j = i + 1; j < lines.length; j++) if (!isBlank(lines[j]!)) return j;
    return -1;
  };
  const following = nextNonBlank(anchor);
  if (following >= 0 && indentOf(lines[following]!) > indentOf(lines[anchor]!)) headers.push(anchor);
  let level = indentOf(lines[anchor]!);
  for (let i = anchor - 1; i >= 0 && level > 0; i--) {
    const line = lines[i]!;
    if (isBlank(line) || /^\s*#/.test(line)) continue;
    const indent = indentOf(line);
    if (indent < level) {
      headers.push(i);
      level = indent;
    }
  }
  const blocks = headers.map((h) => {
    const indent = indentOf(lines[h]!);
    let end = h;
    for (let j = h + 1; j < lines.length; j++) {
      if (isBlank(lines[j]!)) continue;
      if (indentOf(lines[j]!) <= indent) break;
      end = j;
    }
    let start = h;
    while (start > 0 && /^\s*@/.test(lines[start - 1]!) && indentOf(lines[start - 1]!) === indent) start--; // decorators
    return { startLine: start, endLine: end, head: lines[h]! };
  });
  const fitting = blocks.filter((b) => b.endLine >= to && lineSpan(b) <= maxLines && lineSpan(b) > 1);
  const chosen = fitting.find((b) => PY_FUNCTION_HEAD.test(b.head)) ?? fitting[0];
  return chosen ? { kind: 'block', startLine: chosen.startLine, endLine: chosen.endLine } : undefined;
}

// ---- statement / line ----

/** The lines `from`..`to`, grown until their brackets balance (a call or literal spread over lines). */
function statementAround(lines: readonly string[], languageId: string, from: number, to: number, maxLines: number): LineBlock {
  let start = from;
  let end = Math.min(to, lines.length - 1);
  const style = COMMENT_STYLES[languageId] ?? C_STYLE;
  const depth = (a: number, b: number) => {
    let open = 0;
    let minDepth = 0;
    for (let i = a; i <= b; i++) {
      let line = lines[i]!;
      for (const t of style.line) {
        const at = line.indexOf(t);
        if (at >= 0) line = line.slice(0, at);
      }
      line = line.replace(/(["'`])(?:\\.|(?!\1).)*\1/g, '""'); // strings on one line
      for (const ch of line) {
        if (ch === '(' || ch === '[' || ch === '{') open++;
        else if (ch === ')' || ch === ']' || ch === '}') {
          open--;
          minDepth = Math.min(minDepth, open);
        }
      }
    }
    return { open, minDepth };
  };
  for (let guard = 0; guard < maxLines; guard++) {
    const d = depth(start, end);
    if (d.minDepth < 0 && start > 0) start--;
    else if (d.open - d.minDepth > 0 && end < lines.length - 1) end++;
    else break;
    if (end - start + 1 >= maxLines) break;
  }
  return { kind: start === end ? 'line' : 'statement', startLine: start, endLine: end };
}
