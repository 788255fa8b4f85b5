// "Context compacted": the conversation was compacted to fit the model's window (context.compacted).
// One quiet line with the numbers; the summary the model now works from opens below it. The summary is
// model-written text, shown as plain text (never as markdown or HTML).
import { memo } from 'react';
import type { ChatEntry } from '../../../src/shared/chatState';
import { t } from '../strings';

export const CompactionRow = memo(function CompactionRow({ entry }: { entry: Extract<ChatEntry, { kind: 'compaction' }> }) {
  const tokens = `${entry.tokensBefore.toLocaleString()} → ${entry.tokensAfter.toLocaleString()}`;
  return (
    <details className="notice compaction" role="status">
      <summary>
        <span className="codicon codicon-fold" aria-hidden="true" />
        <span>{t('compaction.title', String(entry.count), tokens)}</span>
      </summary>
      <pre className="compaction-summary">{entry.summary || t('compaction.empty')}</pre>
    </details>
  );
});
