// Reads what the pure context gathering (core/fix) needs from VS Code: the document, the selection, its
// document symbols (from whatever language extension provides them) and diagnostics, as plain data.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DiagnosticInfo, DiagnosticSeverity, FixInput, SymbolInfo, SymbolKindName, TextRange } from '../../core/fix/types';

/** Symbols come from the language server: a cold one may take a moment, but never holds a fix up for long. */
const SYMBOLS_TIMEOUT_MS = 2_500;

const SEVERITIES: Record<vscode.DiagnosticSeverity, DiagnosticSeverity> = {
  [vscode.DiagnosticSeverity.Error]: 'error',
  [vscode.DiagnosticSeverity.Warning]: 'warning',
  [vscode.DiagnosticSeverity.Information]: 'information',
  [vscode.DiagnosticSeverity.Hint]: 'hint',
};

export function toTextRange(range: vscode.Range): TextRange {
  return { start: { line: range.start.line, character: range.start.character }, end: { line: range.end.line, character: range.end.character } };
}

export function toVscodeRange(range: TextRange): vscode.Range {
  return new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
}

export function toDiagnosticInfo(d: vscode.Diagnostic): DiagnosticInfo {
  const code = typeof d.code === 'object' ? d.code.value : d.code;
  const related = (d.relatedInformation ?? []).map((r) => `${agentPath(r.location.uri)}:${r.location.range.start.line + 1}: ${r.message}`);
  return {
    range: toTextRange(d.range),
    message: d.message,
    severity: SEVERITIES[d.severity] ?? 'error',
    ...(d.source ? { source: d.source } : {}),
    ...(code !== undefined && code !== '' ? { code: String(code) } : {}),
    ...(related.length ? { related } : {}),
  };
}

/**
 * The file as the agent names it: relative to its working directory (the first workspace folder) when
 * inside it, else absolute. Untitled and virtual documents keep their name.
 */
export function agentPath(uri: vscode.Uri): string {
  if (uri.scheme !== 'file') return uri.scheme === 'untitled' ? uri.path : uri.toString(true);
  const root = vscode.workspace.workspaceFolders?.[0]?.uri;
  if (root?.scheme === 'file') {
    const relative = path.relative(root.fsPath, uri.fsPath);
    if (relative && !relative.startsWith('..') && !path.isAbsolute(relative)) return relative.split(path.sep).join('/');
  }
  return uri.fsPath;
}

function kindName(kind: vscode.SymbolKind): SymbolKindName {
  return (vscode.SymbolKind[kind] ?? 'variable').toLowerCase() as SymbolKindName;
}

function toSymbolInfo(symbol: vscode.DocumentSymbol, depth: number): SymbolInfo {
  return {
    name: symbol.name,
    kind: kindName(symbol.kind),
    range: toTextRange(symbol.range),
    ...(symbol.children.length && depth < 20 ? { children: symbol.children.map((c) => toSymbolInfo(c, depth + 1)) } : {}),
  };
}

/** The document's symbols, or undefined when no provider answers in time (the text's structure is used instead). */
export async function documentSymbols(document: vscode.TextDocument): Promise<SymbolInfo[] | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), SYMBOLS_TIMEOUT_MS)));
  try {
    const result = await Promise.race([
      vscode.commands.executeCommand<(vscode.DocumentSymbol | vscode.SymbolInformation)[] | undefined>('vscode.executeDocumentSymbolProvider', document.uri).then(
        (r) => r,
        () => undefined,
      ),
      timeout,
    ]);
    if (!result?.length) return undefined;
    return result.map((s) =>
      'children' in s && 'range' in s
        ? toSymbolInfo(s, 0)
        : { name: s.name, kind: kindName(s.kind), range: toTextRange((s as vscode.SymbolInformation).location.range) },
    );
  } finally {
    clearTimeout(timer);
  }
}

/** Everything `gatherFixContext` needs for this document and selection (`focus`: the quick-fix diagnostic). */
export async function readFixInput(document: vscode.TextDocument, selection: vscode.Range, focus?: DiagnosticInfo): Promise<FixInput> {
  const symbols = await documentSymbols(document);
  return {
    path: agentPath(document.uri),
    languageId: document.languageId,
    text: document.getText(),
    selection: toTextRange(selection),
    ...(symbols ? { symbols } : {}),
    diagnostics: vscode.languages.getDiagnostics(document.uri).map(toDiagnosticInfo),
    ...(focus ? { focus } : {}),
  };
}
