// The review as plain text for a terminal (`tandem review` without --json): each finding with its place,
// then the model's verdict and what was left out. Model text is printed with control characters removed,
// so a finding cannot move the cursor or recolour the terminal.
import { displayTitle, droppedSummary, type FindingFilter } from './findings';
import type { ReviewResult } from './runReview';

/** Text without terminal control sequences or other C0/C1 controls (newlines and tabs kept). */
export function plainTerminalText(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-?]*[ -/]*[@-~]/g, '').replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '');
}

export function formatReviewText(result: ReviewResult, filter: Pick<FindingFilter, 'threshold' | 'maxFindings'>): string {
  const out: string[] = [];
  const files = result.diff.files.length;
  out.push(`Reviewed ${plainTerminalText(result.diff.label)}: ${files} file${files === 1 ? '' : 's'} changed.`);
  if (!result.output) {
    out.push('Nothing to review.');
    return out.join('\n') + '\n';
  }
  out.push('');
  if (result.kept.length === 0) out.push('No findings.');
  for (const { finding, path } of result.kept) {
    const { start, end } = finding.code_location.line_range;
    out.push(plainTerminalText(displayTitle(finding)));
    out.push(`  ${plainTerminalText(path)}:${start}${end > start ? `-${end}` : ''}  (confidence ${finding.confidence_score.toFixed(2)})`);
    for (const line of plainTerminalText(finding.body).split('\n')) out.push(`  ${line}`);
    out.push('');
  }
  const output = result.output;
  out.push(`Verdict: ${plainTerminalText(output.overall_correctness)} (confidence ${output.overall_confidence_score.toFixed(2)}). ${plainTerminalText(output.overall_explanation)}`);
  const dropped = droppedSummary(result.dropped, filter);
  if (dropped) out.push(dropped);
  return out.join('\n') + '\n';
}
