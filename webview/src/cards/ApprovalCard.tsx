// The agent waits for the user: a command to run or a patch to write. The buttons post the decision;
// the card then shows it once the host confirms (`approval.resolved`).
import { VscodeButton } from '../elements';
import { memo, useState } from 'react';
import type { ChatEntry } from '../../../src/shared/chatState';
import type { ApprovalDecision } from '../../../src/shared/events';
import { usePost } from '../context';
import { FileDiff } from './FileDiff';

type ApprovalEntry = Extract<ChatEntry, { kind: 'approval' }>;

const DECIDED: Record<ApprovalDecision, { icon: string; text: string }> = {
  approve: { icon: 'check', text: 'Approved' },
  approve_session: { icon: 'check-all', text: 'Approved for session' },
  deny: { icon: 'circle-slash', text: 'Denied' },
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
        {subject.kind === 'command' ? 'Run this command?' : 'Apply these changes?'}
      </div>
      {subject.kind === 'command' ? (
        <>
          <pre className="approval-command">
            <code>{subject.command}</code>
          </pre>
          <div className="muted">in {subject.cwd}</div>
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
            Approve
          </VscodeButton>
          <VscodeButton secondary disabled={sent !== undefined} onClick={() => decide('approve_session')}>
            Approve for session
          </VscodeButton>
          <VscodeButton secondary disabled={sent !== undefined} onClick={() => decide('deny')}>
            Deny
          </VscodeButton>
        </div>
      )}
    </div>
  );
});
