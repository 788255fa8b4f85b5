// Signal over noise: a finding is kept only when it points at lines the change touched, its priority is at
// or above the threshold, it was not dismissed before, and it is among the first N (most urgent, then most
// confident). Every finding dropped is counted by reason, so the user hears "2 findings outside the change
// were dropped" instead of silence. The model's paths are untrusted: only a path that names a file of this
// diff (inside the repository root) can be kept.
import { hunkAtLine } from './diffParse';
import type { CollectedDiff, DiffFile, DiffHunk, LineRange, Priority, ReviewFinding } from './types';
import { PRIORITY_LABELS } from './types';

export interface FindingFilter {
  /** Keep priorities up to this one: 1 keeps P0 and P1. */
  threshold: Priority;
  maxFindings: number;
  /** Keys (findingKey) of findings the user dismissed. */
  dismissed?: ReadonlySet<string>;
}

/** A kept finding, tied to its file and hunk in the diff. */
export interface MappedFinding {
  finding: ReviewFinding;
  /** Repository-relative, `/`-separated. */
  path: string;
  hunk: DiffHunk;
  /** Stable across reviews of the same change: file + normalized title + the hunk's content. */
  key: string;
}

export interface DroppedCounts {
  /** Pointing at a file outside the diff or at lines the change did not touch. */
  outsideChanges: number;
  belowThreshold: number;
  dismissed: number;
  overLimit: number;
}

export interface FilteredFindings {
  kept: MappedFinding[];
  dropped: DroppedCounts;
}

/** `[P1] Off-by-one  drops.` → `off-by-one drops` (priority tags, case, spacing and end punctuation do not count). */
export function normalizeTitle(title: string): string {
  return title
    .replace(/^\s*\[?P[0-3]\]?\s*[:-]?\s*/i, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/[\s.!:;,]+$/, '')
    .trim();
}

/** The title without a leading priority tag, for display next to our own tag. */
export function displayTitle(finding: ReviewFinding): string {
  const bare = finding.title.replace(/^\s*\[P[0-3]\]\s*/i, '').trim() || finding.title;
  return `[${PRIORITY_LABELS[finding.priority]}] ${bare}`;
}

/** FNV-1a, 2 × 32 bits with different offsets: a short stable content hash without node's crypto. */
export function contentHash(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c, 0x01000193) >>> 0;
    b = (b ^ (b >>> 13)) >>> 0;
  }
  return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
}

/** Keyed by content, not line numbers: the same change reviewed again (even shifted) gives the same key. */
export function findingKey(path: string, title: string, hunk: DiffHunk): string {
  const body = hunk.lines.filter((l) => l.startsWith('+') || l.startsWith('-')).join('\n');
  return `${path}\n${normalizeTitle(title)}\n${contentHash(body)}`;
}

/** New-file lines a finding may point at: added lines, and the lines around each removal. */
export function changedLines(file: DiffFile): Set<number> {
  const lines = new Set<number>();
  for (const hunk of file.hunks) {
    let line = hunk.newStart;
    hunk.lines.forEach((text, i) => {
      if (text.startsWith('+')) lines.add(line++);
      else if (text.startsWith('-')) {
        // A pure deletion (no `+` right after the removed run) is pointed at by its neighbours; a
        // replacement by its added lines.
        const next = hunk.lines.slice(i + 1).find((l) => !l.startsWith('-') && !l.startsWith('\\'));
        if (next?.startsWith('+') || hunk.lines[i - 1]?.startsWith('-')) return;
        if (line > 1) lines.add(line - 1);
        lines.add(Math.max(1, line));
      } else if (!text.startsWith('\\')) line++;
    });
  }
  return lines;
}

/** The repository-relative path a finding names, or undefined when it is outside the root or malformed. */
export function relativeFindingPath(root: string, raw: string): string | undefined {
  const rootSlash = root.replace(/\\/g, '/').replace(/\/+$/, '');
  let p = raw.replace(/\\/g, '/');
  if (p.startsWith(`${rootSlash}/`)) p = p.slice(rootSlash.length + 1);
  else if (p.startsWith('/') || /^[A-Za-z]:\//.test(p)) return undefined;
  p = p.replace(/^(\.\/)+/, '');
  if (p === '' || p.split('/').some((part) => part === '..' || part === '')) return undefined;
  return p;
}

function overlaps(range: LineRange, lines: Set<number>): number | undefined {
  // Ranges are short; a huge one is capped so a model cannot make this loop run for ever.
  const end = Math.min(range.end, range.start + 5_000);
  for (let line = range.start; line <= end; line++) if (lines.has(line)) return line;
  return undefined;
}

export function filterFindings(diff: CollectedDiff, findings: readonly ReviewFinding[], filter: FindingFilter): FilteredFindings {
  const dropped: DroppedCounts = { outsideChanges: 0, belowThreshold: 0, dismissed: 0, overLimit: 0 };
  const byPath = new Map(diff.files.filter((f) => f.status !== 'deleted' && !f.binary).map((f) => [f.path, f]));
  const changed = new Map<string, Set<number>>();
  const candidates: MappedFinding[] = [];
  for (const finding of findings) {
    const path = relativeFindingPath(diff.root, finding.code_location.absolute_file_path);
    const file = path === undefined ? undefined : byPath.get(path);
    if (!file || path === undefined) {
      dropped.outsideChanges++;
      continue;
    }
    if (!changed.has(path)) changed.set(path, changedLines(file));
    const hit = overlaps(finding.code_location.line_range, changed.get(path) as Set<number>);
    const hunk = hit === undefined ? undefined : hunkAtLine(file, hit);
    if (!hunk) {
      dropped.outsideChanges++;
      continue;
    }
    if (finding.priority > filter.threshold) {
      dropped.belowThreshold++;
      continue;
    }
    const key = findingKey(path, finding.title, hunk);
    if (filter.dismissed?.has(key)) {
      dropped.dismissed++;
      continue;
    }
    const absolute = `${diff.root.replace(/[\\/]+$/, '')}/${path}`;
    candidates.push({ finding: { ...finding, code_location: { ...finding.code_location, absolute_file_path: absolute } }, path, hunk, key });
  }
  candidates.sort((x, y) => x.finding.priority - y.finding.priority || y.finding.confidence_score - x.finding.confidence_score);
  const limit = Math.max(0, Math.floor(filter.maxFindings));
  dropped.overLimit = Math.max(0, candidates.length - limit);
  return { kept: candidates.slice(0, limit), dropped };
}

/** "3 findings dropped: 2 outside the changed lines, 1 over the limit of 5" (empty when none were). */
export function droppedSummary(dropped: DroppedCounts, filter: Pick<FindingFilter, 'threshold' | 'maxFindings'>): string {
  const parts = [
    dropped.outsideChanges && `${dropped.outsideChanges} outside the changed lines`,
    dropped.belowThreshold && `${dropped.belowThreshold} below ${PRIORITY_LABELS[filter.threshold]}`,
    dropped.dismissed && `${dropped.dismissed} dismissed before`,
    dropped.overLimit && `${dropped.overLimit} over the limit of ${filter.maxFindings}`,
  ].filter(Boolean);
  const total = dropped.outsideChanges + dropped.belowThreshold + dropped.dismissed + dropped.overLimit;
  return total === 0 ? '' : `${total} finding${total === 1 ? '' : 's'} not shown: ${parts.join(', ')}.`;
}
