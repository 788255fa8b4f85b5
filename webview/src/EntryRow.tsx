// One row of the conversation. It subscribes to its own entry, so a streaming delta re-renders only the
// row it changed; the cards below are memoised on the entry object as a second guard.
import { memo } from 'react';
import { AssistantMessage } from './cards/AssistantMessage';
import { CompactionRow } from './cards/CompactionRow';
import { ApprovalCard } from './cards/ApprovalCard';
import { ErrorCard } from './cards/ErrorCard';
import { NoticeRow } from './cards/NoticeRow';
import { PatchCard } from './cards/PatchCard';
import { PlanCard } from './cards/PlanCard';
import { ReviewCard } from './cards/ReviewCard';
import { StoppedMarker } from './cards/StoppedMarker';
import { ToolCard } from './cards/ToolCard';
import { UserMessage } from './cards/UserMessage';
import { useEntry } from './context';

export const EntryRow = memo(function EntryRow({ id }: { id: string }) {
  const entry = useEntry(id);
  // A failed turn that a retry superseded (chatState.ts markRetried) is no longer shown.
  if (!entry || ('retried' in entry && entry.retried)) return null;
  let content;
  switch (entry.kind) {
    case 'user':
      content = <UserMessage entry={entry} />;
      break;
    case 'assistant':
      content = <AssistantMessage entry={entry} />;
      break;
    case 'tool':
      content = <ToolCard entry={entry} />;
      break;
    case 'plan':
      content = <PlanCard entry={entry} />;
      break;
    case 'approval':
      content = <ApprovalCard entry={entry} />;
      break;
    case 'patch':
      content = <PatchCard entry={entry} />;
      break;
    case 'notice':
      content = <NoticeRow entry={entry} />;
      break;
    case 'error':
      content = <ErrorCard entry={entry} />;
      break;
    case 'stopped':
      content = <StoppedMarker />;
      break;
    case 'review':
      content = <ReviewCard entry={entry} />;
      break;
    case 'compaction':
      content = <CompactionRow entry={entry} />;
      break;
  }
  // Padding, not margin, separates rows: the virtual list measures each row's box.
  return <div className={`row row-${entry.kind}`}>{content}</div>;
});
