// A code review in the chat (`/review`, or the review after an agent turn): while it runs, one status line;
// then the model's verdict, the kept findings grouped by file (priority, title, line range; each a button
// that asks the host to go to its lines) and how many findings were dropped and why. Finding text is
// model-written: shown as plain text, never as markdown or HTML. The view sends only the review's id and
// the finding's index; the host looks the finding up in its own state.
import { memo } from 'react';
import type { ChatEntry } from '../../../src/shared/chatState';
import type { CodeReviewSummary, ReviewFindingSummary } from '../../../src/shared/events';
import { usePost } from '../context';
import { t } from '../strings';
import '../styles/codeReview.css';

type ReviewEntry = Extract<ChatEntry, { kind: 'review' }>;

const PRIORITY = ['P0', 'P1', 'P2', 'P3'] as const;

/** Findings by file, in the order the review listed them; each keeps its index in the review. */
function byFile(findings: readonly ReviewFindingSummary[]): [string, { finding: ReviewFindingSummary; index: number }[]][] {
  const groups = new Map<string, { finding: ReviewFindingSummary; index: number }[]>();
  findings.forEach((finding, index) => {
    const group = groups.get(finding.path) ?? [];
    group.push({ finding, index });
    groups.set(finding.path, group);
  });
  return [...groups];
}

function lines(f: ReviewFindingSummary): string {
  return f.endLine > f.startLine ? t('review.lines', String(f.startLine), String(f.endLine)) : t('review.line', String(f.startLine));
}

function droppedText(dropped: CodeReviewSummary['dropped']): string | undefined {
  const parts = [
    dropped.outsideChanges && t('review.dropped.outside', String(dropped.outsideChanges)),
    dropped.belowThreshold && t('review.dropped.threshold', String(dropped.belowThreshold)),
    dropped.dismissed && t('review.dropped.dismissed', String(dropped.dismissed)),
    dropped.overLimit && t('review.dropped.limit', String(dropped.overLimit)),
  ].filter(Boolean);
  return parts.length ? t('review.dropped', parts.join(', ')) : undefined;
}

export const ReviewCard = memo(function ReviewCard({ entry }: { entry: ReviewEntry }) {
  const post = usePost();
  const review = entry.review;
  const reviewId = entry.id.slice('review-'.length);
  const title = entry.trigger === 'after-turn' ? t('review.title.afterTurn', entry.scope) : t('review.title', entry.scope);
  if (!review) {
    return (
      <section className="card code-review-card" aria-label={title}>
        <div className="code-review-status" role="status">
          <span className="codicon codicon-loading codicon-modifier-spin" aria-hidden="true" /> {t('review.running', entry.scope)}
        </div>
      </section>
    );
  }
  const dropped = droppedText(review.dropped);
  return (
    <section className="card code-review-card" aria-label={title}>
      <h3 className="code-review-title">
        <span className="codicon codicon-checklist" aria-hidden="true" /> {title}
      </h3>
      {review.outcome === 'failed' && <p className="code-review-error">{t('review.failed', review.error ?? '')}</p>}
      {review.outcome === 'cancelled' && <p className="code-review-note">{review.error ?? t('review.cancelled')}</p>}
      {review.outcome === 'empty' && <p className="code-review-note">{t('review.empty')}</p>}
      {review.verdict && (
        <p className="code-review-verdict">
          <strong>{review.verdict.correctness}</strong>
          {review.verdict.explanation ? ` — ${review.verdict.explanation}` : ''}
        </p>
      )}
      {review.outcome === 'reviewed' && review.findings.length === 0 && <p className="code-review-note">{t('review.none')}</p>}
      {byFile(review.findings).map(([path, group]) => (
        <div className="code-review-file" key={path}>
          <h4 className="code-review-path">{path}</h4>
          <ul className="code-review-findings">
            {group.map(({ finding, index }) => (
              <li key={index}>
                <button
                  type="button"
                  className={`code-review-finding priority-${finding.priority}`}
                  title={t('review.goTo', path, lines(finding))}
                  onClick={() => post({ type: 'revealFinding', reviewId, findingIndex: index })}
                >
                  <span className="code-review-priority">{PRIORITY[finding.priority]}</span> <span className="code-review-finding-title">{finding.title}</span>{' '}
                  <span className="code-review-lines">{lines(finding)}</span>
                </button>
                {finding.body && <p className="code-review-body">{finding.body}</p>}
              </li>
            ))}
          </ul>
        </div>
      ))}
      {dropped && <p className="code-review-note">{dropped}</p>}
    </section>
  );
});
