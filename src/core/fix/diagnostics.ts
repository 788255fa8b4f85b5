// Which of the document's diagnostics belong to the code being fixed, in what order, and how they read in
// the prompt.
import type { DiagnosticInfo, DiagnosticSeverity } from './types';

const SEVERITY_RANK: Record<DiagnosticSeverity, number> = { error: 0, warning: 1, information: 2, hint: 3 };

/** The last line a range really covers: a range ending at column 0 stops at the line before. */
export function lastLineOf(range: DiagnosticInfo['range']): number {
  return range.end.character === 0 && range.end.line > range.start.line ? range.end.line - 1 : range.end.line;
}

export function touchesLines(d: DiagnosticInfo, startLine: number, endLine: number): boolean {
  return d.range.start.line <= endLine && lastLineOf(d.range) >= startLine;
}

export function sameDiagnostic(a: DiagnosticInfo, b: DiagnosticInfo): boolean {
  return (
    a.message === b.message &&
    a.source === b.source &&
    a.code === b.code &&
    a.range.start.line === b.range.start.line &&
    a.range.start.character === b.range.start.character &&
    a.range.end.line === b.range.end.line &&
    a.range.end.character === b.range.end.character
  );
}

export interface SelectedDiagnostics {
  diagnostics: DiagnosticInfo[];
  omitted: number;
  /** Errors and warnings outside the lines. */
  elsewhere: number;
}

/**
 * The diagnostics touching lines `startLine`..`endLine`: errors, warnings and information (hints, such as
 * "unused", only when picked), the focused one first, then by severity and position, without duplicates
 * (two language servers often report the same problem), at most `max`.
 */
export function diagnosticsForLines(all: readonly DiagnosticInfo[], startLine: number, endLine: number, max: number, focus?: DiagnosticInfo): SelectedDiagnostics {
  const inRange: DiagnosticInfo[] = [];
  let elsewhere = 0;
  for (const d of all) {
    if (focus && sameDiagnostic(d, focus)) continue;
    if (!touchesLines(d, startLine, endLine)) {
      if (d.severity === 'error' || d.severity === 'warning') elsewhere++;
      continue;
    }
    if (d.severity === 'hint') continue;
    if (inRange.some((other) => sameDiagnostic(other, d))) continue;
    inRange.push(d);
  }
  inRange.sort(
    (a, b) =>
      SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
      a.range.start.line - b.range.start.line ||
      a.range.start.character - b.range.start.character,
  );
  const ordered = focus ? [focus, ...inRange] : inRange;
  return { diagnostics: ordered.slice(0, max), omitted: Math.max(0, ordered.length - max), elsewhere };
}

/** `error TS2322 (ts), line 7, column 10: Type 'string' is not assignable to type 'number'.` */
export function formatDiagnostic(d: DiagnosticInfo): string {
  const origin = [d.source, d.code].filter((s) => s !== undefined && s !== '').join(' ');
  const where = `line ${d.range.start.line + 1}, column ${d.range.start.character + 1}`;
  const message = d.message.trim().replace(/\r?\n/g, '\n    ');
  const related = (d.related ?? []).slice(0, 5).map((r) => `\n    related: ${r.replace(/\r?\n/g, ' ')}`).join('');
  return `${d.severity}${origin ? ` (${origin})` : ''}, ${where}: ${message}${related}`;
}
