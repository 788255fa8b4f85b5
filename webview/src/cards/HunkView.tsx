// One reviewable hunk of a proposed file change: its diff lines (syntax-coloured by the file's language)
// and, while pending, "Accept" / "Reject"; once decided, its state (and "Undo" for accepted hunks, except
// those applied in a chat's own worktree: nothing of the workspace to undo, they are decided at bring-back).
import { memo, useMemo } from 'react';
import type { HunkSummary } from '../../../src/shared/events';
import { VscodeButton } from '../elements';
import { highlightCode } from '../markdown/highlight';
import { t } from '../strings';

const STATE: Record<HunkSummary['state'], { icon: string; text: string }> = {
  pending: { icon: 'circle-large-outline', text: t('hunk.pending') },
  accepted: { icon: 'check', text: t('hunk.accepted') },
  rejected: { icon: 'close', text: t('hunk.rejected') },
  stale: { icon: 'warning', text: t('hunk.stale') },
  undone: { icon: 'discard', text: t('hunk.undone') },
};

export interface HunkViewProps {
  hunk: HunkSummary;
  /** For the buttons' accessible names: "Accept hunk at line 3 of src/a.ts". */
  fileLabel: string;
  language: string;
  onDecide(decision: 'accept' | 'reject' | 'undo'): void;
}

export const HunkView = memo(function HunkView({ hunk, fileLabel, language, onDecide }: HunkViewProps) {
  const rendered = useMemo(
    () =>
      hunk.lines.map((line) => {
        const kind = line.startsWith('+') ? 'add' : line.startsWith('-') ? 'del' : 'ctx';
        const html = highlightCode(line.slice(1), language);
        return { kind, sign: line.slice(0, 1) || ' ', html, text: line.slice(1) };
      }),
    [hunk.lines, language],
  );
  const where = t('hunk.where', hunk.line, fileLabel);
  const state = STATE[hunk.state];
  return (
    <div className={`hunk state-${hunk.state}`} data-hunk-id={hunk.id}>
      <div className="hunk-header">
        <span className="hunk-range">{hunk.header}</span>
        {hunk.state === 'pending' ? (
          <span className="hunk-actions">
            <VscodeButton aria-label={t('hunk.accept.label', where)} onClick={() => onDecide('accept')}>
              {t('hunk.accept')}
            </VscodeButton>
            <VscodeButton secondary aria-label={t('hunk.reject.label', where)} onClick={() => onDecide('reject')}>
              {t('hunk.reject')}
            </VscodeButton>
          </span>
        ) : (
          <span className={`hunk-state ${hunk.state}`} role="status">
            <span className={`codicon codicon-${state.icon}`} aria-hidden="true" />
            {hunk.state === 'stale' && hunk.reason ? t('hunk.staleBecause', hunk.reason) : state.text}
            {hunk.state === 'accepted' && !hunk.inWorktree && (
              <VscodeButton secondary aria-label={t('hunk.undo.label', where)} onClick={() => onDecide('undo')}>
                {t('hunk.undo')}
              </VscodeButton>
            )}
          </span>
        )}
      </div>
      <pre className="diff">
        {rendered.map((line, i) => (
          <span key={i} className={`diff-line ${line.kind}`}>
            <span className="diff-sign" aria-hidden="true">
              {line.sign}
            </span>
            {line.html ? <span dangerouslySetInnerHTML={{ __html: line.html }} /> : line.text}
            {'\n'}
          </span>
        ))}
      </pre>
    </div>
  );
});
