// A one-line status from the agent (e.g. a retry after a transient failure).
import { memo } from 'react';
import type { ChatEntry } from '../../../src/shared/chatState';

export const NoticeRow = memo(function NoticeRow({ entry }: { entry: Extract<ChatEntry, { kind: 'notice' }> }) {
  return (
    <div className="notice" role="status">
      <span className="codicon codicon-info" aria-hidden="true" />
      <span>{entry.text}</span>
    </div>
  );
});
