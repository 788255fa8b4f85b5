// What the user typed, verbatim (never rendered as markdown: it is the user's own text).
import { memo } from 'react';
import type { ChatEntry } from '../../../src/shared/chatState';

export const UserMessage = memo(function UserMessage({ entry }: { entry: Extract<ChatEntry, { kind: 'user' }> }) {
  return (
    <div className="message user">
      <div className="user-text">{entry.text}</div>
    </div>
  );
});
