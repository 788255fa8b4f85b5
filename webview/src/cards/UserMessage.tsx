// What the user typed, verbatim (never rendered as markdown: it is the user's own text), with
// "Restore checkpoint": the host previews the files changed since this message and restores code,
// conversation or both (src/vscode/checkpoints/checkpointService.ts).
import { memo } from 'react';
import type { ChatEntry } from '../../../src/shared/chatState';
import { usePost } from '../context';
import { t } from '../strings';

export const UserMessage = memo(function UserMessage({ entry }: { entry: Extract<ChatEntry, { kind: 'user' }> }) {
  const post = usePost();
  return (
    <div className="message user">
      <div className="user-actions">
        <button type="button" className="icon-button" title={t('user.restore.title')} aria-label={t('user.restore.label')} onClick={() => post({ type: 'restoreCheckpoint', turnId: entry.turnId })}>
          <span className="codicon codicon-discard" aria-hidden="true" />
        </button>
      </div>
      <div className="user-text">{entry.text}</div>
    </div>
  );
});
