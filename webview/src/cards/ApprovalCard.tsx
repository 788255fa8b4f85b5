// The agent waits for the user: a command to run or a patch to write. The buttons post the decision;
// the card then shows it once the host confirms (`approval.resolved`).
import { VscodeButton } from '../elements';
import { memo, useState } from 'react';
import type { ChatEntry } from '../../../src/shared/chatState';
import type { ApprovalDecision } from '../../../src/shared/events';
import { usePost } from '../context';
import { FileDiff } from './FileDiff';
import { t } from '../strings';

type ApprovalEntry = Extract<ChatEntry, { kind: 'approval' }>;

const DECIDED: Record<ApprovalDecision, { icon: string; text: string }> = {
  approve: { icon: 'check', text: t('approval.approved') },
  approve_session: { icon: 'check-all', text: t('approval.approvedSession') },
  deny: { icon: 'circle-slash', text: t('approval.denied') },
};

export const ApprovalCard = memo(function ApprovalCard({ entry }: { entry: ApprovalEntry }) {
  const post = usePost();
  // Set on click so a second click cannot send a second decision before the host answers.
  const [sent, setSent] = useState<ApprovalDecision | undefined>(undefined);
  const { subject } = entry;

  const decide = (decision: ApprovalDecision) => {
    if (sent) return;
    setSent(decision);
    post({ type: 'approval', approvalId: entry.id, decision });
  };

  return (
    <div className={`card approval${entry.decision ? ' resolved' : ''}`}>
      <div className="card-title">
        <span className="codicon codicon-shield" aria-hidden="true" />
        {subject.kind === 'command' ? t('approval.command') : t('approval.patch')}
      </div>
      {subject.kind === 'command' ? (
        <>
          <pre className="approval-command">
            <code>{subject.command}</code>
          </pre>
          <div className="muted">{t('approval.cwd', subject.cwd)}</div>
        </>
      ) : (
        subject.files.map((file) => <FileDiff key={file.path} file={file} open={subject.files.length <= 3} />)
      )}
      {subject.reason && <p className="approval-reason">{subject.reason}</p>}
      {entry.decision ? (
        <div className={`decision ${entry.decision}`} role="status">
          <span className={`codicon codicon-${DECIDED[entry.decision].icon}`} aria-hidden="true" />
          {DECIDED[entry.decision].text}
          {entry.note && <span className="muted"> — {entry.note}</span>}
        </div>
      ) : (
        <div className="actions">
          <VscodeButton disabled={sent !== undefined} onClick={() => decide('approve')}>
            {t('approval.approve')}
          </VscodeButton>
          <VscodeButton secondary disabled={sent !== undefined} onClick={() => decide('approve_session')}>
            {t('approval.approveSession')}
          </VscodeButton>
          <VscodeButton secondary disabled={sent !== undefined} onClick={() => decide('deny')}>
            {t('approval.deny')}
          </VscodeButton>
        </div>
      )}
    </div>
  );
});
