// Shown when the user has scrolled away from the end of the conversation.
import { t } from './strings';
export function JumpToLatest({ onClick }: { onClick: () => void }) {
  return (
    <button type="button" className="jump-to-latest" aria-label={t('conversation.jumpToLatest')} title={t('conversation.jumpToLatest')} onClick={onClick}>
      <span className="codicon codicon-arrow-down" aria-hidden="true" />
    </button>
  );
}
