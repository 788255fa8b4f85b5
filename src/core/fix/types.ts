// Plain data for "Fix This" / "Explain This" / "Add to Chat": what the editor layer reads from VS Code (the
// document's text, the selection, document symbols, diagnostics) and what the pure context gathering
// makes of it. Lines and characters are 0-based, like VS Code's; ranges are end-exclusive in characters.

export interface TextPosition {
  line: number;
  character: number;
}

export interface TextRange {
  start: TextPosition;
  end: TextPosition;
}

export type DiagnosticSeverity = 'error' | 'warning' | 'information' | 'hint';

/** One problem reported for the document (a language server, a linter, a compiler task). */
export interface DiagnosticInfo {
  range: TextRange;
  message: string;
  severity: DiagnosticSeverity;
  /** `ts`, `eslint`, `Pylance` … */
  source?: string;
  /** `2322`, `no-unused-vars` … */
  code?: string;
  /** Related locations (e.g. "'x' is declared here"), already rendered as `path:line: message`. */
  related?: string[];
}

/**
 * Kinds of document symbols, by VS Code's `SymbolKind` names (lower case). Function-like kinds are what
 * "the enclosing function" means; containers (classes, modules) are used only when nothing smaller fits.
 */
export type SymbolKindName =
  | 'file' | 'module' | 'namespace' | 'package' | 'class' | 'method' | 'property' | 'field' | 'constructor'
  | 'enum' | 'interface' | 'function' | 'variable' | 'constant' | 'string' | 'number' | 'boolean' | 'array'
  | 'object' | 'key' | 'null' | 'enummember' | 'struct' | 'event' | 'operator' | 'typeparameter';

export interface SymbolInfo {
  name: string;
  kind: SymbolKindName;
  /** The whole declaration (VS Code's `DocumentSymbol.range`), not only its name. */
  range: TextRange;
  children?: SymbolInfo[];
}

/** What to fix or explain: the document and where the user is. */
export interface FixInput {
  /** The file as the agent should name it: relative to the agent's working directory when inside it. */
  path: string;
  languageId: string;
  /** The whole document, as the editor holds it (possibly unsaved). */
  text: string;
  /** The selection; empty (start = end) when the user only put the cursor somewhere. */
  selection: TextRange;
  /** Document symbols when the language provides them (hierarchical, as VS Code returns them). */
  symbols?: readonly SymbolInfo[];
  /** Every diagnostic of the document; the gathering keeps the ones touching the target. */
  diagnostics: readonly DiagnosticInfo[];
  /** The diagnostic picked in the quick-fix menu: the target is built around it, and it comes first. */
  focus?: DiagnosticInfo;
  limits?: Partial<FixLimits>;
}

export interface FixLimits {
  /** A function/block longer than this is not "the enclosing block": a smaller one or a window is used. */
  maxBlockLines: number;
  /** The target's text is cut after this many lines / characters (the model reads the rest itself). */
  maxTargetLines: number;
  maxTargetChars: number;
  /** Files up to this size go along whole as context; bigger ones are trimmed around the target. */
  wholeFileLines: number;
  wholeFileChars: number;
  /** Context kept around the target in a trimmed file, and the file's head (imports) kept on top. */
  linesBefore: number;
  linesAfter: number;
  headLines: number;
  /** Longer lines are cut (minified code) in the context; the target's lines too, marked. */
  maxLineChars: number;
  /** At most this many diagnostics are listed. */
  maxDiagnostics: number;
}

export const DEFAULT_FIX_LIMITS: FixLimits = {
  maxBlockLines: 150,
  maxTargetLines: 400,
  maxTargetChars: 24_000,
  wholeFileLines: 250,
  wholeFileChars: 12_000,
  linesBefore: 30,
  linesAfter: 15,
  headLines: 12,
  maxLineChars: 400,
  maxDiagnostics: 20,
};

/** How the target was chosen (said in the prompt, and shown to the user). */
export type TargetKind = 'selection' | 'symbol' | 'block' | 'statement' | 'line';

/** A run of the file's lines, from `startLine` (0-based). */
export interface LineSpan {
  startLine: number;
  lines: string[];
}

export interface FixTarget {
  kind: TargetKind;
  /** First and last line, 0-based, inclusive. */
  startLine: number;
  endLine: number;
  /** The enclosing symbol's name and kind, for `symbol` targets. */
  name?: string;
  symbolKind?: SymbolKindName;
  /** The target's lines (cut when it is too long: see `truncated`). */
  text: string;
  truncated: boolean;
  /** When the selection covers only part of a line: exactly what was selected. */
  selectedText?: string;
}

export interface FixContext {
  path: string;
  languageId: string;
  target: FixTarget;
  /** Diagnostics touching the target, the focused one first, then by severity and position. */
  diagnostics: DiagnosticInfo[];
  /** Diagnostics in range left out by `maxDiagnostics`. */
  omittedDiagnostics: number;
  /** Diagnostics (errors and warnings) elsewhere in the file. */
  elsewhere: number;
  /** The surrounding code, without the target: runs of lines with gaps between them. */
  before: LineSpan[];
  after: LineSpan[];
  totalLines: number;
  /** True when `before` + target + `after` is the whole file. */
  wholeFile: boolean;
}
