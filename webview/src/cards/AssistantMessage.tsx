// The assistant's answer, rendered as markdown while it streams.
import { memo } from 'react';
import type { ChatEntry } from '../../../src/shared/chatState';
import { Markdown } from '../markdown/Markdown';

export const AssistantMessage = memo(function AssistantMessage({ entry }: { entry: Extract<ChatEntry, { kind: 'assistant' }> }) {
  return (
    <div className="message assistant" aria-busy={entry.streaming}>
      <Markdown text={entry.text} streaming={entry.streaming} />
      {entry.streaming && <span className="stream-cursor" aria-hidden="true" />}
    </div>
  );
});
