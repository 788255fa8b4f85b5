// Arguments of `tandem.fixThis` / `tandem.explainThis`. The quick-fix action passes the document and the
// diagnostic it was offered on; anything else (the context menu passes the resource URI, a keybinding may
// pass arbitrary JSON) is not trusted: only this exact shape is used, everything else means "the active
// editor, its selection".
import type { DiagnosticInfo, DiagnosticSeverity, TextRange } from './types';

export interface FixCommandArgs {
  /** `Uri.toString()` of the document. */
  uri: string;
  diagnostic: DiagnosticInfo;
}

const SEVERITIES: readonly DiagnosticSeverity[] = ['error', 'warning', 'information', 'hint'];
const MAX_MESSAGE = 10_000;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isLine = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 100_000_000;
const optionalString = (v: unknown, max: number): string | undefined => (typeof v === 'string' && v.length <= max ? v : undefined);

function parseRange(raw: unknown): TextRange | undefined {
  if (!isObject(raw) || !isObject(raw.start) || !isObject(raw.end)) return undefined;
  const { start, end } = raw;
  if (!isLine(start.line) || !isLine(start.character) || !isLine(end.line) || !isLine(end.character)) return undefined;
  if (end.line < start.line || (end.line === start.line && end.character < start.character)) return undefined;
  return { start: { line: start.line, character: start.character }, end: { line: end.line, character: end.character } };
}

export function parseDiagnosticInfo(raw: unknown): DiagnosticInfo | undefined {
  if (!isObject(raw)) return undefined;
  const range = parseRange(raw.range);
  const message = optionalString(raw.message, MAX_MESSAGE);
  const severity = SEVERITIES.find((s) => s === raw.severity);
  if (!range || message === undefined || !severity) return undefined;
  const source = optionalString(raw.source, 200);
  const code = optionalString(raw.code, 200);
  const related = Array.isArray(raw.related) ? raw.related.filter((r): r is string => typeof r === 'string' && r.length <= 2_000).slice(0, 10) : undefined;
  return { range, message, severity, ...(source ? { source } : {}), ...(code ? { code } : {}), ...(related?.length ? { related } : {}) };
}

/** The quick-fix arguments, or `undefined` when the command was run any other way. */
export function parseFixCommandArgs(raw: unknown): FixCommandArgs | undefined {
  if (!isObject(raw) || raw.kind !== 'tandem.fix') return undefined;
  const uri = optionalString(raw.uri, 10_000);
  const diagnostic = parseDiagnosticInfo(raw.diagnostic);
  return uri && diagnostic ? { uri, diagnostic } : undefined;
}

/** What the quick-fix action puts in its command's arguments (round-trips through `parseFixCommandArgs`). */
export function fixCommandArgs(uri: string, diagnostic: DiagnosticInfo): Record<string, unknown> {
  return { kind: 'tandem.fix', uri, diagnostic };
}
