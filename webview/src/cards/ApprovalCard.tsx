// An approval no command card holds: a change set to apply (approval mode "patch"), a call to an MCP
// server's tool, or a command approval whose command card is not there (an older session log). Commands
// normally ask inside their own card (ToolCard.tsx), so one command never shows twice. Everything shown
// here is untrusted text (model arguments, server and tool names from a config file): rendered as text
// nodes, never as HTML or markdown.
import { memo } from 'react';
import type { ChatEntry } from '../../../src/shared/chatState';
import type { ApprovalSubject } from '../../../src/shared/events';
import { ApprovalQuestion } from './ApprovalQuestion';
import { FileDiff } from './FileDiff';
import { t } from '../strings';

type ApprovalEntry = Extract<ChatEntry, { kind: 'approval' }>;

function title(subject: ApprovalSubject): string {
  if (subject.kind === 'command') return t('approval.command');
  if (subject.kind === 'mcp') return t('approval.mcp');
  return t('approval.patch');
}

function Subject({ subject }: { subject: ApprovalSubject }) {
  if (subject.kind === 'command') {
    return (
      <>
        <pre className="approval-command">
          <code>{subject.command}</code>
        </pre>
        <div className="muted">{t('approval.cwd', subject.cwd)}</div>
      </>
    );
  }
  if (subject.kind === 'mcp') {
    return (
      <>
        <div className="approval-mcp-tool">{t('approval.mcpTool', subject.tool, subject.server)}</div>
        <pre className="approval-command" aria-label={t('approval.mcpTool', subject.tool, subject.server)}>
          <code>{subject.arguments}</code>
        </pre>
        {subject.readOnlyHint && <div className="muted">{t('approval.mcpReadOnly')}</div>}
      </>
    );
  }
  return (
    <>
      {subject.files.map((file) => (
        <FileDiff key={file.path} file={file} open={subject.files.length <= 3} />
      ))}
    </>
  );
}

export const ApprovalCard = memo(function ApprovalCard({ entry }: { entry: ApprovalEntry }) {
  const { subject } = entry;
  return (
    <div className={`card approval${entry.decision ? ' resolved' : ''}`}>
      <div className="card-title">
        <span className="codicon codicon-shield" aria-hidden="true" />
        {title(subject)}
      </div>
      <Subject subject={subject} />
      <ApprovalQuestion approvalId={entry.id} reason={subject.reason} decision={entry.decision} note={entry.note} />
    </div>
  );
});
