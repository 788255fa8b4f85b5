// The conversation. Virtualised with react-virtuoso so a long session keeps only the visible rows in the
// DOM. Virtuoso measures rows with ResizeObserver; where that is missing (jsdom in the tests) the list
// renders every row plainly instead: `virtualize` defaults to "ResizeObserver exists".
import { useCallback, useEffect, useLayoutEffect, useRef } from 'react';
import { Virtuoso, type VirtuosoHandle } from 'react-virtuoso';
import { useEntryIds, useServices } from './context';
import { EntryRow } from './EntryRow';
import { JumpToLatest } from './JumpToLatest';
import { useStickToBottom } from './stickToBottom';
import { Welcome } from './Welcome';

const canVirtualize = () => typeof ResizeObserver !== 'undefined';

const itemContent = (_index: number, id: string) => <EntryRow id={id} />;
const itemKey = (_index: number, id: string) => id;

export function MessageList({ virtualize = canVirtualize(), sessionKey }: { virtualize?: boolean; sessionKey?: string }) {
  const ids = useEntryIds();
  const { store } = useServices();
  const sticky = useStickToBottom();
  const virtuoso = useRef<VirtuosoHandle>(null);
  const plainList = useRef<HTMLDivElement>(null);
  const { stick, follow, isFollowing, setScroller } = sticky;
  const hasEntries = ids.length > 0;

  // Sending a message means "show me the answer": follow again even if the user had scrolled up.
  const lastId = ids[ids.length - 1];
  useEffect(() => {
    if (lastId !== undefined && store.getEntry(lastId)?.kind === 'user') follow();
  }, [lastId, store, follow]);

  // Without Virtuoso there is no size callback: watch the DOM for growth (streamed text, tool output).
  useLayoutEffect(() => {
    if (virtualize || !plainList.current) return;
    stick();
    const observer = new MutationObserver(() => stick());
    observer.observe(plainList.current, { childList: true, subtree: true, characterData: true });
    return () => observer.disconnect();
  }, [virtualize, stick, hasEntries]);

  const jump = useCallback(() => {
    follow();
    virtuoso.current?.scrollToIndex({ index: 'LAST', align: 'end' });
  }, [follow]);

  const setVirtuosoScroller = useCallback(
    (el: HTMLElement | Window | null) => setScroller(el instanceof HTMLElement ? el : null),
    [setScroller],
  );

  const setPlainList = useCallback(
    (el: HTMLDivElement | null) => {
      plainList.current = el;
      setScroller(el);
    },
    [setScroller],
  );

  if (!hasEntries) return <Welcome />;

  return (
    <section className="messages" aria-label="Conversation">
      {virtualize ? (
        <Virtuoso
          key={sessionKey}
          ref={virtuoso}
          className="virtual-list"
          data={ids}
          computeItemKey={itemKey}
          itemContent={itemContent}
          initialTopMostItemIndex={{ index: 'LAST', align: 'end' }}
          followOutput={() => (isFollowing() ? 'auto' : false)}
          totalListHeightChanged={stick}
          scrollerRef={setVirtuosoScroller}
          increaseViewportBy={{ top: 400, bottom: 400 }}
        />
      ) : (
        <div
          className="plain-list"
          ref={setPlainList}
        >
          {ids.map((id) => (
            <EntryRow key={id} id={id} />
          ))}
        </div>
      )}
      {sticky.detached && <JumpToLatest onClick={jump} />}
    </section>
  );
}
