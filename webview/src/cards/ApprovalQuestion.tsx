// The question an approval asks, its buttons and, once answered, the decision: shared by the command
// card (which asks about its own command) and the standalone approval card (change sets, and any
// approval no card claims). The buttons post the decision; the host confirms with `approval.resolved`.
import { VscodeButton } from '../elements';
import { useState } from 'react';
import type { ApprovalDecision } from '../../../src/shared/events';
import { usePost } from '../context';
import { t } from '../strings';
import { ReasonText } from './reasonText';

const DECIDED: Record<ApprovalDecision, { icon: string; text: string }> = {
  approve: { icon: 'check', text: t('approval.approved') },
  approve_session: { icon: 'check-all', text: t('approval.approvedSession') },
  deny: { icon: 'circle-slash', text: t('approval.denied') },
};

export function ApprovalQuestion({ approvalId, reason, decision, note }: { approvalId: string; reason: string; decision: ApprovalDecision | undefined; note: string | undefined }) {
  const post = usePost();
  // Set on click so a second click cannot send a second decision before the host answers.
  const [sent, setSent] = useState<ApprovalDecision | undefined>(undefined);

  const decide = (choice: ApprovalDecision) => {
    if (sent) return;
    setSent(choice);
    post({ type: 'approval', approvalId, decision: choice });
  };

  if (decision) {
    return (
      <div className={`decision ${decision}`} role="status">
        <span className={`codicon codicon-${DECIDED[decision].icon}`} aria-hidden="true" />
        {DECIDED[decision].text}
        {note && <span className="muted"> — {note}</span>}
      </div>
    );
  }
  return (
    <>
      {reason && <ReasonText reason={reason} />}
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
    </>
  );
}
