// A proposed change set, nothing written yet: per-file diffs and Apply / Discard. Shows the outcome
// once the host reports it (`patch.resolved`).
import { VscodeButton } from '../elements';
import { memo, useState } from 'react';
import type { ChatEntry } from '../../../src/shared/chatState';
import { usePost } from '../context';
import { FileDiff } from './FileDiff';

type PatchEntry = Extract<ChatEntry, { kind: 'patch' }>;

const OUTCOME: Record<NonNullable<PatchEntry['outcome']>, { icon: string; text: string }> = {
  applied: { icon: 'check', text: 'Applied' },
  discarded: { icon: 'discard', text: 'Discarded' },
  failed: { icon: 'error', text: 'Failed' },
};

export const PatchCard = memo(function PatchCard({ entry }: { entry: PatchEntry }) {
  const post = usePost();
  const [sent, setSent] = useState(false);
  const added = entry.files.reduce((n, f) => n + f.added, 0);
  const removed = entry.files.reduce((n, f) => n + f.removed, 0);

  const decide = (decision: 'apply' | 'discard') => {
    if (sent) return;
    setSent(true);
    post({ type: 'patchDecision', changeSetId: entry.id, decision });
  };

  return (
    <div className={`card patch${entry.outcome ? ` ${entry.outcome}` : ''}`}>
      <div className="card-title">
        <span className="codicon codicon-diff" aria-hidden="true" />
        {entry.files.length === 1 ? '1 file changed' : `${entry.files.length} files changed`}
        <span className="added">+{added}</span>
        <span className="removed">−{removed}</span>
      </div>
      {entry.files.map((file) => (
        <FileDiff key={file.path} file={file} open={entry.files.length <= 3} />
      ))}
      {entry.outcome ? (
        <div className={`decision ${entry.outcome}`} role="status">
          <span className={`codicon codicon-${OUTCOME[entry.outcome].icon}`} aria-hidden="true" />
          {OUTCOME[entry.outcome].text}
          {entry.message && <span className="muted"> — {entry.message}</span>}
        </div>
      ) : (
        <div className="actions">
          <VscodeButton disabled={sent} onClick={() => decide('apply')}>
            Apply
          </VscodeButton>
          <VscodeButton secondary disabled={sent} onClick={() => decide('discard')}>
            Discard
          </VscodeButton>
        </div>
      )}
    </div>
  );
});
