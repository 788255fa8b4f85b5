// "Load earlier messages": the top of the loaded part of a long chat (the history comes in pages, see
// src/shared/chatHistoryPages.ts). Scrolling up loads the next page by itself (MessageList.tsx); this real
// button does the same from the keyboard. (No count in it: it renders as the chat opens, and the first
// toLocaleString() of a page costs 18-40 ms.) It stays enabled while a page is on
// its way (focus must not drop to the body) and says so instead; a second press does nothing then.
import { useMeta, usePost, useServices } from './context';
import { t } from './strings';

export function LoadEarlier() {
  const { store } = useServices();
  const post = usePost();
  const { olderCount, loadingOlder } = useMeta();
  if (olderCount === 0) return null;
  return (
    <button type="button" className="link-button load-earlier" aria-busy={loadingOlder} onClick={() => store.requestOlder(post)}>
      {loadingOlder ? t('conversation.loadingEarlier') : t('conversation.loadEarlier')}
    </button>
  );
}
