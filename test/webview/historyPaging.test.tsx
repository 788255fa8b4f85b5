// @vitest-environment jsdom
// The view's side of the paged chat history: the snapshot's newest page with "Load earlier messages"
// (a real button, keyboard reachable, that keeps focus while the page comes), one `loadOlder` at a time,
// older pages put in front (stale and other sessions' pages dropped, a new snapshot starting over), and
// in the virtual list: scrolling up near the first row loaded asks for the page before it, and the rows
// put in front leave the row the user was reading exactly where it was. jsdom has no layout, so the test
// lays the rows out itself: the spacers as styled, the button 30 px, and each row at the height the list
// guesses for it (rowHeightGuess.ts: a user row and an answer of one line each at 400 px). Rows that turn out taller
// or shorter than guessed when they mount are Chromium's scroll anchoring's to absorb, which jsdom lacks;
// what is tested here is the list's own step, the page put in front.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { act } from 'react';
import { fireEvent, screen } from '@testing-library/react';
import { fakeChannel, setup, snapshot, SESSION, type Harness } from './harness';
import type { ChatEntry } from '../../src/shared/chatState';
import type { HostToWebview, WebviewToHost } from '../../src/shared/protocol';
import { mount, type Mounted } from '../../webview/src/mount';
import { estimateHeight } from '../../webview/src/rowHeightGuess';

function turns(from: number, to: number): ChatEntry[] {
  const entries: ChatEntry[] = [];
  for (let t = from; t <= to; t++) {
    entries.push({ kind: 'user', id: `user-t${t}`, turnId: `t${t}`, text: `question ${t}`, at: t });
    entries.push({ kind: 'assistant', id: `msg-t${t}`, turnId: `t${t}`, text: `answer ${t}`, streaming: false });
  }
  return entries;
}

const older = (beforeId: string, entries: ChatEntry[], olderCount: number, sessionId = SESSION): HostToWebview => ({ type: 'olderEntries', sessionId, beforeId, entries, olderCount });
const loadRequests = (sent: WebviewToHost[]) => sent.filter((m) => m.type === 'loadOlder');

let h: Harness | undefined;
afterEach(() => {
  h?.dispose();
  h = undefined;
});

describe('paged history (plain list)', () => {
  it('offers "Load earlier messages" as a real button, asks once, and puts the page in front', () => {
    h = setup(snapshot(turns(3, 4), undefined, undefined, 4));
    const button = screen.getByRole('button', { name: 'Load earlier messages' });
    expect(button.tagName).toBe('BUTTON');
    button.focus();
    expect(document.activeElement).toBe(button);
    fireEvent.click(button); // what Enter and Space do on a focused button
    expect(loadRequests(h.sent())).toEqual([{ type: 'loadOlder', sessionId: SESSION, beforeId: 'user-t3' }]);
    // While the page is on its way the button stays (and keeps focus), says so, and asks nothing more.
    expect(button.getAttribute('aria-busy')).toBe('true');
    expect(button.textContent).toBe('Loading earlier messages…');
    expect(document.activeElement).toBe(button);
    fireEvent.click(button);
    expect(loadRequests(h.sent())).toHaveLength(1);

    h.emit(older('user-t3', turns(2, 2), 2));
    expect(document.activeElement).toBe(button);
    expect(button.getAttribute('aria-busy')).toBe('false');
    expect([...h.container.querySelectorAll('.row-user')].map((r) => r.textContent)).toEqual(['question 2', 'question 3', 'question 4']);
    fireEvent.click(button);
    expect(loadRequests(h.sent())[1]).toEqual({ type: 'loadOlder', sessionId: SESSION, beforeId: 'user-t2' });
    h.emit(older('user-t2', turns(1, 1), 0));
    expect(screen.queryByRole('button', { name: /earlier messages/ })).toBeNull(); // the whole history is here
    expect(h.mounted.store.getIds()).toEqual(turns(1, 4).map((e) => e.id));
  });

  it('drops pages it did not ask for: another session, another position, or after a new snapshot', () => {
    h = setup(snapshot(turns(3, 4), undefined, undefined, 4));
    fireEvent.click(screen.getByRole('button', { name: 'Load earlier messages' }));
    h.emit(older('user-t3', turns(1, 2), 0, 'other-session'));
    h.emit(older('msg-t3', turns(1, 2), 0));
    expect(h.mounted.store.getIds()).toEqual(turns(3, 4).map((e) => e.id));
    // A new snapshot (New Chat, a switch) starts over: the page asked for before it is stale.
    h.emit(snapshot(turns(7, 8), undefined, undefined, 12));
    h.emit(older('user-t3', turns(1, 2), 0));
    expect(h.mounted.store.getIds()).toEqual(turns(7, 8).map((e) => e.id));
    expect(h.mounted.store.getMeta()).toMatchObject({ olderCount: 12, loadingOlder: false });
    fireEvent.click(screen.getByRole('button', { name: 'Load earlier messages' }));
    expect(loadRequests(h.sent()).at(-1)).toEqual({ type: 'loadOlder', sessionId: SESSION, beforeId: 'user-t7' });
  });

  it('keeps what events did while the page was away: the entries the view holds win', () => {
    h = setup(snapshot(turns(3, 3), 't3', undefined, 4));
    fireEvent.click(screen.getByRole('button', { name: 'Load earlier messages' }));
    h.events({ type: 'message.completed', turnId: 't3', itemId: 'msg-t3', text: 'answer 3, final' }, { type: 'turn.completed', turnId: 't3', stopped: false, at: 9 });
    // A page cut before those events, with an older copy of an entry the view holds, changes nothing of it.
    h.emit(older('user-t3', [...turns(1, 2), { kind: 'assistant', id: 'msg-t3', turnId: 't3', text: 'answer 3', streaming: true }], 0));
    expect(h.mounted.store.getIds()).toEqual(turns(1, 3).map((e) => e.id));
    expect(h.mounted.store.getEntry('msg-t3')).toMatchObject({ text: 'answer 3, final', streaming: false });
    expect(h.mounted.store.lastUserText()).toBe('question 3');
  });
});

// A layout for jsdom: rows, spacers and the button stacked in the scroller, which is VIEW px high.
const BUTTON = 30;
const VIEW = 500;
/** Rows lay out at their guessed heights (one short line each: the same for every turn of these tests), at jsdom's font size. */
const FONT_PX = parseFloat(getComputedStyle(document.body).fontSize);
const USER_ROW = estimateHeight(turns(1, 1)[0], 400, FONT_PX);
const ANSWER_ROW = estimateHeight(turns(1, 1)[1], 400, FONT_PX);
const heightOf = (el: Element): number => {
  if (!(el instanceof HTMLElement)) return 0;
  if (el.dataset.id !== undefined) return el.querySelector('.row-user') ? USER_ROW : ANSWER_ROW;
  if (el.classList.contains('load-earlier')) return BUTTON;
  return parseFloat(el.style.height) || 0;
};
const isScroller = (el: Element) => el.classList.contains('virtual-list');
function topOf(el: Element): number {
  const scroller = el.parentElement;
  if (!scroller || !isScroller(scroller)) return 0;
  let y = -scroller.scrollTop;
  for (const sibling of scroller.children) {
    if (sibling === el) break;
    y += heightOf(sibling);
  }
  return y;
}

describe('paged history (virtual list)', () => {
  const restore: (() => void)[] = [];
  const patch = <T extends object>(target: T, key: string, descriptor: PropertyDescriptor) => {
    const before = Object.getOwnPropertyDescriptor(target, key);
    Object.defineProperty(target, key, { configurable: true, ...descriptor });
    restore.push(() => (before ? Object.defineProperty(target, key, before) : delete (target as Record<string, unknown>)[key]));
  };
  let mounted: Mounted | undefined;
  let container: HTMLElement | undefined;

  beforeEach(() => {
    patch(globalThis, 'ResizeObserver', {
      value: class {
        observe() {}
        unobserve() {}
        disconnect() {}
      },
      writable: true,
    });
    patch(HTMLElement.prototype, 'offsetHeight', { get: function (this: HTMLElement) { return heightOf(this); } });
    patch(HTMLElement.prototype, 'clientHeight', { get: function (this: HTMLElement) { return isScroller(this) ? VIEW : 0; } });
    patch(HTMLElement.prototype, 'clientWidth', { get: function (this: HTMLElement) { return isScroller(this) ? 400 : 0; } });
    patch(HTMLElement.prototype, 'scrollHeight', {
      get: function (this: HTMLElement) {
        return isScroller(this) ? [...this.children].reduce((sum, child) => sum + heightOf(child), 0) : 0;
      },
    });
    // Scrolling clamps to the content, as a browser does.
    const tops = new WeakMap<Element, number>();
    patch(Element.prototype, 'scrollTop', {
      get: function (this: Element) { return tops.get(this) ?? 0; },
      set: function (this: HTMLElement, value: number) { tops.set(this, Math.max(0, Math.min(value, this.scrollHeight - this.clientHeight))); },
    });
    patch(Element.prototype, 'getBoundingClientRect', {
      value: function (this: Element) {
        const top = topOf(this);
        const height = this instanceof HTMLElement ? (isScroller(this) ? VIEW : heightOf(this)) : 0;
        return { top, bottom: top + height, left: 0, right: 400, width: 400, height, x: 0, y: top, toJSON: () => ({}) } as DOMRect;
      },
    });
  });

  afterEach(() => {
    if (mounted) act(() => mounted!.unmount());
    container?.remove();
    mounted = undefined;
    while (restore.length) restore.pop()!();
  });

  /** The first row whose bottom is below the scroller's top, and where its top is. */
  function rowInView(scroller: HTMLElement): { id: string; top: number } {
    for (const row of scroller.querySelectorAll<HTMLElement>(':scope > [data-id]')) {
      const box = row.getBoundingClientRect();
      if (box.bottom > 0) return { id: row.dataset.id!, top: box.top };
    }
    throw new Error('no row in view');
  }

  it('asks for the older page when scrolled up near the first row loaded, and the row in view stays put', () => {
    const channel = fakeChannel();
    container = document.createElement('div');
    document.body.appendChild(container);
    act(() => {
      mounted = mount(container!, channel, { virtualize: true });
    });
    const emit = (msg: HostToWebview) => act(() => channel.emit(msg));
    emit(snapshot(turns(41, 80), undefined, undefined, 80)); // 80 rows, 80 entries older
    const scroller = container.querySelector<HTMLElement>('.virtual-list')!;
    expect(scroller.scrollTop).toBe(scroller.scrollHeight - VIEW); // opens at the end
    act(() => scroller.dispatchEvent(new Event('scroll'))); // as the browser reports that scroll
    expect(loadRequests(channel.posted)).toHaveLength(0); // far from the top: nothing asked yet

    // The user scrolls up to within three screens of the first row loaded.
    act(() => {
      scroller.scrollTop = 1_000;
      scroller.dispatchEvent(new Event('scroll'));
    });
    expect(loadRequests(channel.posted)).toEqual([{ type: 'loadOlder', sessionId: SESSION, beforeId: 'user-t41' }]);
    const before = rowInView(scroller);
    const scrollBefore = scroller.scrollTop;

    emit(older('user-t41', turns(1, 40), 0));
    expect(mounted!.store.getIds()[0]).toBe('user-t1');
    const after = scroller.querySelector<HTMLElement>(`[data-id="${before.id}"]`);
    expect(after?.getBoundingClientRect().top).toBeCloseTo(before.top, 6); // the same row, at the same place on screen (guesses are fractional px)
    expect(scroller.scrollTop).toBeCloseTo(scrollBefore + 40 * (USER_ROW + ANSWER_ROW) - BUTTON, 2); // by the rows put in front, less the button now gone
    expect(container.querySelector('.load-earlier')).toBeNull(); // nothing older is left
    // Still reading up there: not pulled to the end (Jump to latest is offered), and no second request.
    expect(screen.getByRole('button', { name: 'Jump to latest' })).toBeTruthy();
    expect(loadRequests(channel.posted)).toHaveLength(1);
  });

  it('keeps following the end when a page arrives while the user is at the end', () => {
    const channel = fakeChannel();
    container = document.createElement('div');
    document.body.appendChild(container);
    act(() => {
      mounted = mount(container!, channel, { virtualize: true });
    });
    // A short newest page: the view is near the top of what it has, so it asks at once.
    act(() => channel.emit(snapshot(turns(10, 11), undefined, undefined, 18)));
    expect(loadRequests(channel.posted)).toEqual([{ type: 'loadOlder', sessionId: SESSION, beforeId: 'user-t10' }]);
    const scroller = container.querySelector<HTMLElement>('.virtual-list')!;
    act(() => channel.emit(older('user-t10', turns(1, 9), 0)));
    expect(scroller.scrollTop).toBe(scroller.scrollHeight - VIEW);
    expect(scroller.querySelector('[data-id="msg-t11"]')).not.toBeNull();
  });
});
