// Stick-to-bottom for the conversation: follow new output while the user is at the end, let go as soon
// as they scroll up, and pick up again once they are back at the end (by scrolling or "Jump to latest").
// Content growth never lowers scrollTop, so a decreasing scrollTop away from the end means the user
// scrolled; that is the only signal that turns following off.
import { useCallback, useRef, useState } from 'react';

/** Pixels from the end that still count as "at the end". */
const AT_END_PX = 40;

export interface StickToBottom {
  /** Ref callback for the scrolling element. */
  setScroller: (el: HTMLElement | null) => void;
  /** Scrolls to the end if following; call whenever content grew. */
  stick: () => void;
  /** Starts following again and scrolls to the end. */
  follow: () => void;
  isFollowing: () => boolean;
  /** The user scrolled away from the end: offer "Jump to latest". */
  detached: boolean;
}

export function useStickToBottom(): StickToBottom {
  const scroller = useRef<HTMLElement | null>(null);
  const following = useRef(true);
  const lastTop = useRef(0);
  const [detached, setDetached] = useState(false);

  const onScroll = useCallback(() => {
    const el = scroller.current;
    if (!el) return;
    const distance = el.scrollHeight - el.scrollTop - el.clientHeight;
    if (distance <= AT_END_PX) following.current = true;
    else if (el.scrollTop < lastTop.current) following.current = false;
    lastTop.current = el.scrollTop;
    setDetached(!following.current);
  }, []);

  const setScroller = useCallback(
    (el: HTMLElement | null) => {
      if (scroller.current === el) return;
      scroller.current?.removeEventListener('scroll', onScroll);
      scroller.current = el;
      el?.addEventListener('scroll', onScroll, { passive: true });
    },
    [onScroll],
  );

  const stick = useCallback(() => {
    const el = scroller.current;
    if (el && following.current) el.scrollTop = el.scrollHeight;
  }, []);

  const follow = useCallback(() => {
    following.current = true;
    setDetached(false);
    const el = scroller.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, []);

  const isFollowing = useCallback(() => following.current, []);

  return { setScroller, stick, follow, isFollowing, detached };
}
