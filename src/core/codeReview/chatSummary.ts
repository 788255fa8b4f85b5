// A review's result as the chat's event carries it (`review.completed`): only the kept findings, their paths
// relative to the repository, the model's verdict, the counts of what was dropped. The text comes from the
// model (untrusted) and goes into the session log, so every string is bounded here.
import type { CodeReviewSummary, ReviewFindingSummary } from '../../shared/events';
import type { MappedFinding } from './findings';
import type { ReviewResult } from './runReview';
import type { LineRange } from './types';

const MAX_TITLE_CHARS = 300;
const MAX_BODY_CHARS = 4_000;
const MAX_VERDICT_CHARS = 4_000;

function bounded(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * The summary of a finished review. `lines` may move a finding to where the editor shows it (a last-turn
 * review's pending hunks are not in the file yet); by default the finding's own range is used.
 */
export function reviewSummary(result: ReviewResult, lines: (kept: MappedFinding) => LineRange = (k) => k.finding.code_location.line_range): CodeReviewSummary {
  const findings: ReviewFindingSummary[] = result.kept.map((kept) => {
    const { start, end } = lines(kept);
    return {
      title: bounded(kept.finding.title, MAX_TITLE_CHARS),
      body: bounded(kept.finding.body, MAX_BODY_CHARS),
      priority: kept.finding.priority,
      confidence: kept.finding.confidence_score,
      path: kept.path,
      startLine: start,
      endLine: Math.max(start, end),
    };
  });
  const output = result.output;
  return {
    outcome: output ? 'reviewed' : 'empty',
    root: result.diff.root,
    label: result.diff.label,
    findings,
    ...(output
      ? { verdict: { correctness: bounded(output.overall_correctness, 200), explanation: bounded(output.overall_explanation, MAX_VERDICT_CHARS), confidence: output.overall_confidence_score } }
      : {}),
    dropped: { ...result.dropped },
  };
}

/** A review that produced no result: `failed` with the reason, or `cancelled`. */
export function unfinishedSummary(outcome: 'failed' | 'cancelled', root: string, label: string, error?: string): CodeReviewSummary {
  return { outcome, root, label, findings: [], dropped: { outsideChanges: 0, belowThreshold: 0, dismissed: 0, overLimit: 0 }, ...(error ? { error: bounded(error, 1_000) } : {}) };
}
