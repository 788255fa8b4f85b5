// A tool call: its command line, status, exit code and duration, and the live output. Output is open
// while the tool runs (and when it failed) and folds away when it succeeds; the user's toggle wins.
// A command that needs approval asks right here ("Run this command?"), so it shows once: the question
// becomes the command card when it is answered.
import { VscodeBadge } from '../elements';
import { memo, useMemo, useState } from 'react';
import type { ChatEntry } from '../../../src/shared/chatState';
import { usePost } from '../context';
import { formatCount, formatDuration, terminalText } from '../format';
import { t } from '../strings';
import { ApprovalQuestion } from './ApprovalQuestion';

/** Lines shown of a long output until the user asks for all of it: the tail, where results and errors are. */
export const OUTPUT_PREVIEW_LINES = 200;

type ToolEntry = Extract<ChatEntry, { kind: 'tool' }>;

const STATUS: Record<ToolEntry['status'], { icon: string; label: string }> = {
  running: { icon: 'loading codicon-modifier-spin', label: t('tool.running') },
  ok: { icon: 'check', label: t('tool.ok') },
  error: { icon: 'error', label: t('tool.error') },
  denied: { icon: 'circle-slash', label: t('tool.denied') },
  cancelled: { icon: 'debug-stop', label: t('tool.cancelled') },
  background: { icon: 'debug-disconnect', label: t('tool.background') },
};

export const ToolCard = memo(function ToolCard({ entry }: { entry: ToolEntry }) {
  const [toggled, setToggled] = useState<boolean | undefined>(undefined);
  const [showAll, setShowAll] = useState(false);
  const post = usePost();
  const output = useMemo(() => terminalText(entry.output), [entry.output]);
  const lines = useMemo(() => output.split('\n'), [output]);
  const hidden = showAll ? 0 : Math.max(0, lines.length - OUTPUT_PREVIEW_LINES);
  const shown = hidden > 0 ? lines.slice(hidden).join('\n') : output;
  const approval = entry.approval;
  const awaiting = approval !== undefined && approval.decision === undefined && entry.status === 'running';
  const status = awaiting ? { icon: 'shield', label: t('tool.awaitingApproval') } : STATUS[entry.status];
  const open = toggled ?? (entry.status === 'running' || entry.status === 'error');
  const hasOutput = output.trim().length > 0;
  const outputId = `output-${entry.id}`;

  const summary = (
    <>
      <span className={`codicon codicon-${entry.tool === 'exec_command' ? 'terminal' : 'tools'}`} aria-hidden="true" />
      <code className="tool-title" title={entry.cwd ? t('tool.cwd', entry.cwd) : undefined}>
        {entry.title}
      </code>
    </>
  );

  return (
    <div className={`card tool status-${entry.status}${awaiting ? ' approval' : ''}`}>
      <div className="tool-header">
        {hasOutput ? (
          <button
            type="button"
            className="tool-toggle"
            aria-expanded={open}
            aria-controls={outputId}
            onClick={() => setToggled(!open)}
          >
            <span className={`codicon codicon-chevron-${open ? 'down' : 'right'}`} aria-hidden="true" />
            {summary}
          </button>
        ) : (
          <div className="tool-toggle">{summary}</div>
        )}
        <span className="tool-meta">
          <span className={`codicon codicon-${status.icon} status-icon`} role="img" aria-label={status.label} title={status.label} />
          {entry.exitCode !== undefined && (
            <VscodeBadge className={entry.exitCode === 0 ? 'exit ok' : 'exit failed'} title={t('tool.exitCode.title')}>
              {t('tool.exitCode', entry.exitCode)}
            </VscodeBadge>
          )}
          {entry.durationMs !== undefined && <span className="duration">{formatDuration(entry.durationMs)}</span>}
          {entry.tool === 'exec_command' && entry.status !== 'running' && (
            <button
              type="button"
              className="icon-button"
              title={t('tool.rerun.title')}
              aria-label={t('tool.rerun.label', entry.title)}
              onClick={() => post({ type: 'runInTerminal', command: entry.title, ...(entry.cwd ? { cwd: entry.cwd } : {}) })}
            >
              <span className="codicon codicon-debug-rerun" aria-hidden="true" />
            </button>
          )}
        </span>
      </div>
      {approval && (awaiting || approval.decision) && (
        <div className="tool-approval">
          {awaiting && (
            <div className="card-title">
              <span className="codicon codicon-shield" aria-hidden="true" />
              {t('approval.command')}
            </div>
          )}
          {awaiting && <div className="muted approval-cwd">{t('approval.cwd', approval.subject.cwd)}</div>}
          {/* The reducer only attaches a question about this card's own command; shown anyway if the texts ever differ. */}
          {awaiting && approval.subject.command !== entry.title && (
            <pre className="approval-command">
              <code>{approval.subject.command}</code>
            </pre>
          )}
          <ApprovalQuestion approvalId={approval.id} reason={approval.subject.reason} decision={approval.decision} note={approval.note} />
        </div>
      )}
      {hasOutput && open && (
        <div id={outputId}>
          {hidden > 0 && (
            <button type="button" className="link-button" onClick={() => setShowAll(true)}>
              {t(hidden === 1 ? 'tool.earlierLine' : 'tool.earlierLines', formatCount(hidden))}
            </button>
          )}
          <pre className="tool-output">{shown}</pre>
        </div>
      )}
    </div>
  );
});
