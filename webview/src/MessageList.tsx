// The conversation. Long sessions are virtualised: only the rows near the viewport are in the DOM, two
// spacers stand in for the rest, sized from each row's measured height (or an estimate until it has been
// on screen). The list is anchored at the end, as a chat is: it opens on the last message in its first
// frame, follows new output while the user is at the end, and Chromium's scroll anchoring keeps what the
// user looks at in place when rows above it mount or change size (the spacers opt out of anchoring).
// Where ResizeObserver is missing (jsdom in the tests) every row renders plainly instead: `virtualize`
// defaults to "ResizeObserver exists". The offset arithmetic (which rows, spacer heights, height guesses) is
// in virtualListMath.ts, pure and unit-tested; this file owns the state, the measuring and the scrolling.
// A long chat's history arrives in pages (src/shared/chatHistoryPages.ts): scrolling up to within a few
// screens of the first row loaded asks for the page before it, and "Load earlier messages" at the top does
// the same from the keyboard. A page put in front keeps what the user looks at where it was: the first
// row in view is found again after the commit and the scroll position moved by however far it went.
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useEntryIds, usePost, useServices } from './context';
import { EntryRow } from './EntryRow';
import { JumpToLatest } from './JumpToLatest';
import { LoadEarlier } from './LoadEarlier';
import { useStickToBottom, type StickToBottom } from './stickToBottom';
import type { ChatStore } from './store';
import { Welcome } from './Welcome';
import { t } from './strings';
import { BASE_FONT_PX } from './rowHeightGuess';
import { estimateHeight, needsRewindow, rangeFor as rangeIn, RowHeights, sameRange, shiftRange, shownRange, spacers, tailRange as tailIn, type Range } from './virtualListMath';

const canVirtualize = () => typeof ResizeObserver !== 'undefined';

/** Rendered content kept beyond each edge of the viewport. */
const OVERSCAN_PX = 800;
/** Re-window once less than this much rendered content is left beyond an edge (or far more than needed). */
const REFILL_PX = 200;
/** Ask for the older page once the view is within this many viewport heights of the first row loaded. */
const LOAD_OLDER_SCREENS = 3;

/** The first row (a `[data-id]` child of the scroller) whose bottom is below the scroller's top, and where it is. */
function rowInView(scroller: HTMLElement): { id: string; top: number } | undefined {
  const top = scroller.getBoundingClientRect().top;
  for (const row of scroller.querySelectorAll<HTMLElement>(':scope > [data-id]')) {
    const box = row.getBoundingClientRect();
    if (box.bottom > top) return { id: row.dataset.id!, top: box.top - top };
  }
  return undefined;
}

export function MessageList({ virtualize = canVirtualize(), sessionKey }: { virtualize?: boolean; sessionKey?: string }) {
  const ids = useEntryIds();
  const sticky = useStickToBottom();
  const hasEntries = ids.length > 0;

  if (!hasEntries) return <Welcome />;

  // A zero flex basis: the scroller's content (the whole conversation's height) must not count as the
  // section's size, or the header and composer get squeezed to make room for it.
  return (
    <section className="messages" aria-label={t('conversation.label')} style={{ flexBasis: 0 }}>
      {virtualize ? <VirtualList key={sessionKey} ids={ids} sticky={sticky} /> : <PlainList ids={ids} sticky={sticky} />}
    </section>
  );
}

/** Sending a message means "show me the answer": follow again even if the user had scrolled up. */
function useFollowOnSend(ids: readonly string[], store: ChatStore, follow: () => void): void {
  const lastId = ids[ids.length - 1];
  useEffect(() => {
    if (lastId !== undefined && store.getEntry(lastId)?.kind === 'user') follow();
  }, [lastId, store, follow]);
}

function PlainList({ ids, sticky }: { ids: readonly string[]; sticky: StickToBottom }) {
  const { store } = useServices();
  const list = useRef<HTMLDivElement | null>(null);
  const { stick, follow, setScroller } = sticky;
  useFollowOnSend(ids, store, follow);

  // There is no size callback here: watch the DOM for growth (streamed text, tool output).
  useLayoutEffect(() => {
    if (!list.current) return;
    stick();
    const observer = new MutationObserver(() => stick());
    observer.observe(list.current, { childList: true, subtree: true, characterData: true });
    return () => observer.disconnect();
  }, [stick]);

  const setList = useCallback(
    (el: HTMLDivElement | null) => {
      list.current = el;
      setScroller(el);
    },
    [setScroller],
  );

  return (
    <>
      <div className="plain-list" ref={setList}>
        <LoadEarlier />
        {ids.map((id) => (
          <EntryRow key={id} id={id} />
        ))}
      </div>
      {sticky.detached && <JumpToLatest onClick={follow} />}
    </>
  );
}

function VirtualList({ ids, sticky }: { ids: readonly string[]; sticky: StickToBottom }) {
  const { store } = useServices();
  const post = usePost();
  const { stick, follow, setScroller } = sticky;
  const scroller = useRef<HTMLDivElement | null>(null);
  // Row heights by position (measured, or guessed from the text until a row has been laid out) and the
  // offsets summed from them, updated at the cost of what changed: a row growing at the end of a long chat
  // does not re-sum the thousands above it.
  const heights = useRef(new RowHeights());
  const idsRef = useRef(ids);
  idsRef.current = ids;
  /** Rows put in front of the list (an older page) that the row heights have not taken yet. */
  const putInFront = useRef(0);
  /** The row in view when an older page was put in front, and where it was: put back there after the commit. */
  const anchor = useRef<{ id: string; top: number } | undefined>(undefined);

  /** The page's font size (the guesses scale with it), read once. */
  const fontPx = useRef<number | undefined>(undefined);
  const syncRows = useCallback(() => {
    const current = idsRef.current;
    // Read (and lay out for) the width only when a row is guessed.
    let width: number | undefined;
    const guess = (i: number) => {
      width ??= scroller.current?.clientWidth ?? window.innerWidth;
      fontPx.current ??= parseFloat(getComputedStyle(document.body).fontSize) || BASE_FONT_PX;
      return estimateHeight(store.getEntry(current[i]!), width, fontPx.current);
    };
    heights.current.sync(current, guess, putInFront.current);
    putInFront.current = 0;
  }, [store]);

  // A new id list: rows appended (events), put in front (an older page), or a list that is neither (a new
  // snapshot), which starts over at the end. Worked out before anything below reads the offsets.
  const previous = useRef(ids);
  let restart = false;
  let shift = 0;
  if (previous.current !== ids) {
    const before = previous.current;
    previous.current = ids;
    const inFront = store.rowsPutInFront(before, ids);
    if (inFront === undefined) restart = true;
    else if (inFront > 0) {
      shift = inFront;
      putInFront.current = inFront;
      // Where the user's view is now, read before the rows above it change (once per page).
      if (scroller.current && !sticky.isFollowing()) anchor.current = rowInView(scroller.current);
    }
  }

  /** offsets[i] = top of row i; offsets[n] = total height. */
  const offsets = useCallback((): Float64Array => {
    syncRows();
    return heights.current.currentOffsets();
  }, [syncRows]);

  /** Records a rendered row's height; `index` comes from the row's data-index and is checked against its id. */
  const measureRow = useCallback(
    (row: HTMLElement, height: number) => {
      const id = row.dataset.id;
      if (id === undefined) return;
      syncRows();
      heights.current.measure(Number(row.dataset.index), id, height);
    },
    [syncRows],
  );

  /** The rows that cover [top, bottom] (in content pixels). */
  const rangeFor = useCallback((top: number, bottom: number): Range => rangeIn(offsets(), top, bottom), [offsets]);

  /** The last rows, enough to fill `viewport` plus `above` pixels. */
  const tailRange = useCallback((viewport: number, above: number): Range => tailIn(offsets(), viewport, above), [offsets]);

  // First frame: only what fills the viewport, so the last message paints as early as possible; the
  // overscan above it follows once that frame is out.
  const [range, setRange] = useState<Range>(() => tailRange(window.innerHeight, 0));
  const opened = useRef(false);
  const stickRef = useRef(stick);
  stickRef.current = stick;
  const rewindowRef = useRef<() => void>(() => undefined);
  const rangeRef = useRef(range);
  const shown = shownRange(range, ids.length);
  rangeRef.current = shown;

  const update = useCallback(
    (next: Range) => {
      if (!sameRange(next, rangeRef.current)) setRange(next);
    },
    [],
  );

  /** Re-windows when the rendered rows no longer cover the viewport with some margin, or cover far too much. */
  const rewindow = useCallback(
    (overscan = opened.current ? OVERSCAN_PX : 0) => {
      const el = scroller.current;
      if (!el) return;
      const top = el.scrollTop;
      const bottom = top + el.clientHeight;
      if (!needsRewindow(offsets(), rangeRef.current, top, bottom, overscan, REFILL_PX)) return;
      const next = sticky.isFollowing() ? tailRange(el.clientHeight, overscan) : rangeFor(top - overscan, bottom + overscan);
      update(next);
    },
    [offsets, rangeFor, tailRange, update, sticky],
  );
  rewindowRef.current = rewindow;

  /** After a page was put in front: scrolls by however far the row that was in view moved. */
  const keepAnchor = (el: HTMLElement) => {
    const was = anchor.current;
    anchor.current = undefined;
    if (!was || sticky.isFollowing()) return;
    const now = [...el.querySelectorAll<HTMLElement>(':scope > [data-id]')].find((row) => row.dataset.id === was.id);
    if (!now) return;
    const moved = now.getBoundingClientRect().top - el.getBoundingClientRect().top - was.top;
    if (moved !== 0) el.scrollTop += moved;
  };

  /** Near the top of what is loaded: ask for the page before it (the store asks once at a time). */
  const loadOlderNearTop = useCallback(() => {
    const el = scroller.current;
    if (!el || store.getMeta().olderCount === 0) return;
    if (el.scrollTop <= LOAD_OLDER_SCREENS * el.clientHeight) store.requestOlder(post);
  }, [store, post]);
  const loadOlderRef = useRef(loadOlderNearTop);
  loadOlderRef.current = loadOlderNearTop;

  // Row heights, as the browser lays them out. A change moves the offsets (the spacers follow on the next
  // re-window) and, while following, the end of the list. The callback runs after layout, before paint.
  const [observer] = useState(() =>
    typeof ResizeObserver === 'undefined'
      ? undefined
      : new ResizeObserver((entries, self) => {
          for (const e of entries) {
            const el = e.target as HTMLElement;
            if (!el.isConnected) {
              self.unobserve(el);
              continue;
            }
            measureRow(el, e.borderBoxSize?.[0]?.blockSize ?? el.offsetHeight);
          }
          stickRef.current();
          rewindowRef.current();
        }),
  );
  useEffect(() => () => observer?.disconnect(), [observer]);

  const observeRow = useCallback(
    (el: HTMLDivElement | null) => {
      if (!el || !observer) return;
      observer.observe(el);
      return () => observer.unobserve(el);
    },
    [observer],
  );

  // After every commit, before paint: measure what mounted, keep the end in view while following, and
  // fill the viewport if the estimates were short (a synchronous re-render, still before paint).
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    for (const row of el.querySelectorAll<HTMLElement>(':scope > [data-id]')) measureRow(row, row.offsetHeight);
    keepAnchor(el);
    stick();
    rewindow();
    loadOlderNearTop();
  });

  // The overscan above the first screen, once that frame is out.
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(() => {
        opened.current = true;
        rewindowRef.current();
      }, 0);
    });
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, []);

  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const onScroll = () => {
      rewindowRef.current();
      loadOlderRef.current();
    };
    el.addEventListener('scroll', onScroll, { passive: true });
    return () => el.removeEventListener('scroll', onScroll);
  }, []);

  // A snapshot that is not an extension of the previous list (rows replaced or dropped) starts over at the
  // end (the row heights start over by themselves: RowHeights.sync sees the same); a page put in front
  // keeps the same rows rendered, further down.
  if (restart || shift > 0) {
    const next = restart ? tailRange(scroller.current?.clientHeight ?? window.innerHeight, OVERSCAN_PX) : shiftRange(rangeRef.current, shift);
    rangeRef.current = next;
    setRange(next);
  }

  const followEnd = useCallback(() => {
    follow();
    const el = scroller.current;
    update(tailRange(el?.clientHeight ?? window.innerHeight, OVERSCAN_PX));
  }, [follow, tailRange, update]);
  useFollowOnSend(ids, store, followEnd);

  const setList = useCallback(
    (el: HTMLDivElement | null) => {
      scroller.current = el;
      setScroller(el);
    },
    [setScroller],
  );

  const { top: topSpace, bottom: bottomSpace } = spacers(offsets(), shown);
  const rows = ids.slice(shown.start, shown.end);

  return (
    <>
      <div className="plain-list virtual-list" ref={setList}>
        <LoadEarlier />
        <div aria-hidden="true" style={{ height: topSpace, overflowAnchor: 'none' }} />
        {rows.map((id, i) => (
          <div key={id} data-id={id} data-index={shown.start + i} ref={observeRow}>
            <EntryRow id={id} />
          </div>
        ))}
        <div aria-hidden="true" style={{ height: bottomSpace, overflowAnchor: 'none' }} />
      </div>
      {sticky.detached && <JumpToLatest onClick={followEnd} />}
    </>
  );
}
