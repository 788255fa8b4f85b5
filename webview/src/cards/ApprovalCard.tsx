// An approval no command card holds: a change set to apply (approval mode "patch"), or a command
// approval whose command card is not there (an older session log). Commands normally ask inside their
// own card (ToolCard.tsx), so one command never shows twice.
import { memo } from 'react';
import type { ChatEntry } from '../../../src/shared/chatState';
import { ApprovalQuestion } from './ApprovalQuestion';
import { FileDiff } from './FileDiff';
import { t } from '../strings';

type ApprovalEntry = Extract<ChatEntry, { kind: 'approval' }>;

export const ApprovalCard = memo(function ApprovalCard({ entry }: { entry: ApprovalEntry }) {
  const { subject } = entry;
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
      <ApprovalQuestion approvalId={entry.id} reason={subject.reason} decision={entry.decision} note={entry.note} />
    </div>
  );
});
