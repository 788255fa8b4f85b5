// @vitest-environment jsdom
// The first frame of a long chat (issue 13): the virtual list picks the rows that fill the viewport from
// height guesses (rowHeightGuess.ts) and must get them in one commit; a second render before that frame
// paints (rows added because the guesses were too high, or dropped because one reached above the viewport)
// doubled the open's longest frame. jsdom has no layout, so the rows are laid out here at their guessed
// heights times a factor (how wrong the guesses are); mutations of the list tell whether rows came or went
// after the commit that mounted it. Whatever the guesses, the view opens on the last rows, in order, with
// the viewport covered and the scroll position at the end.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { act } from 'react';
import { fakeChannel, snapshot } from './harness';
import type { ChatEntry } from '../../src/shared/chatState';
import { mount, type Mounted } from '../../webview/src/mount';
import { estimateHeight } from '../../webview/src/rowHeightGuess';

const VIEW = 500;
const WIDTH = 400;

/** Turns shaped like the bench workload's: a question, a command, an answer with a heading, a list and code. */
function history(turns: number): ChatEntry[] {
  const entries: ChatEntry[] = [];
  for (let t = 1; t <= turns; t++) {
    const turnId = `t${t}`;
    entries.push({ kind: 'user', id: `user-${t}`, turnId, text: `Please look at module ${t} in \`src/m${t}.ts\`.`, at: t });
    if (t % 3 === 0) entries.push({ kind: 'tool', id: `call-${t}`, turnId, tool: 'exec_command', title: 'npm test', output: 'ok\n'.repeat(30), status: t % 2 ? 'error' : 'ok' });
    const code = t % 2 ? `\n\n\`\`\`ts\n${Array.from({ length: 6 }, (_, i) => `export const v${i} = ${i * t};`).join('\n')}\n\`\`\`` : '';
    entries.push({ kind: 'assistant', id: `msg-${t}`, turnId, text: `## Step ${t}\n\n${'word '.repeat(40)}\n\n- one\n- two${code}`, streaming: false });
  }
  return entries;
}

describe('the first frame of a long chat', () => {
  const restore: (() => void)[] = [];
  const patch = <T extends object>(target: T, key: string, descriptor: PropertyDescriptor) => {
    const before = Object.getOwnPropertyDescriptor(target, key);
    Object.defineProperty(target, key, { configurable: true, ...descriptor });
    restore.push(() => (before ? Object.defineProperty(target, key, before) : delete (target as Record<string, unknown>)[key]));
  };
  let mounted: Mounted | undefined;
  let container: HTMLElement | undefined;
  /** Laid-out height over guessed height. */
  let factor = 1;

  const isScroller = (el: Element) => el.classList.contains('virtual-list');
  const fontPx = () => parseFloat(getComputedStyle(document.body).fontSize);
  const heightOf = (el: Element): number => {
    if (!(el instanceof HTMLElement)) return 0;
    const id = el.dataset.id;
    if (id !== undefined) return factor * estimateHeight(mounted?.store.getEntry(id), WIDTH, fontPx());
    return parseFloat(el.style.height) || 0;
  };
  const topOf = (el: Element): number => {
    const scroller = el.parentElement;
    if (!scroller || !isScroller(scroller)) return 0;
    let y = -scroller.scrollTop;
    for (const sibling of scroller.children) {
      if (sibling === el) break;
      y += heightOf(sibling);
    }
    return y;
  };

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
    patch(HTMLElement.prototype, 'clientWidth', { get: function (this: HTMLElement) { return isScroller(this) ? WIDTH : 0; } });
    patch(HTMLElement.prototype, 'scrollHeight', {
      get: function (this: HTMLElement) {
        return isScroller(this) ? [...this.children].reduce((sum, child) => sum + heightOf(child), 0) : 0;
      },
    });
    const tops = new WeakMap<Element, number>();
    patch(Element.prototype, 'scrollTop', {
      get: function (this: Element) { return tops.get(this) ?? 0; },
      set: function (this: HTMLElement, value: number) { tops.set(this, Math.max(0, Math.min(value, this.scrollHeight - this.clientHeight))); },
    });
    patch(Element.prototype, 'getBoundingClientRect', {
      value: function (this: Element) {
        const top = topOf(this);
        const height = this instanceof HTMLElement ? (isScroller(this) ? VIEW : heightOf(this)) : 0;
        return { top, bottom: top + height, left: 0, right: WIDTH, width: WIDTH, height, x: 0, y: top, toJSON: () => ({}) } as DOMRect;
      },
    });
  });

  afterEach(() => {
    if (mounted) act(() => mounted!.unmount());
    container?.remove();
    mounted = undefined;
    factor = 1;
    while (restore.length) restore.pop()!();
  });

  /** Opens `entries` and returns the rows rendered, and whether rows came or went after the commit that mounted the list. */
  function open(entries: ChatEntry[]) {
    const channel = fakeChannel();
    container = document.createElement('div');
    document.body.appendChild(container);
    act(() => {
      mounted = mount(container!, channel, { virtualize: true });
    });
    const observer = new MutationObserver(() => undefined);
    observer.observe(container, { childList: true, subtree: true });
    act(() => channel.emit(snapshot(entries)));
    const isRow = (n: Node) => n instanceof HTMLElement && n.dataset.id !== undefined;
    const rowChanges = observer.takeRecords().filter((r) => [...r.addedNodes, ...r.removedNodes].some(isRow)).length;
    observer.disconnect();
    const scroller = container.querySelector<HTMLElement>('.virtual-list')!;
    const rows = [...scroller.querySelectorAll<HTMLElement>(':scope > [data-id]')];
    return { scroller, rows, rowChanges };
  }

  function expectOpenAtTheEnd({ scroller, rows }: ReturnType<typeof open>, entries: ChatEntry[]) {
    // The last rows, in order, and nothing but them.
    const ids = entries.map((e) => e.id);
    const first = ids.length - rows.length;
    expect(rows.map((r) => r.dataset.id)).toEqual(ids.slice(first));
    expect(rows.map((r) => Number(r.dataset.index))).toEqual(ids.slice(first).map((_, i) => first + i));
    // At the end, and the viewport covered from its top.
    expect(scroller.scrollTop).toBeCloseTo(scroller.scrollHeight - VIEW, 6);
    expect(rows[0]!.getBoundingClientRect().top).toBeLessThanOrEqual(0);
  }

  it('renders the rows that fill the viewport in one commit when the guesses are right', () => {
    const entries = history(60);
    const opened = open(entries);
    expect(opened.rowChanges).toBe(0);
    expectOpenAtTheEnd(opened, entries);
    // Enough to cover the viewport, not the whole history.
    expect(opened.rows.length).toBeGreaterThan(1);
    expect(opened.rows.length).toBeLessThan(20);
  });

  it.each([0.95, 1.05, 1.5])('still in one commit when rows lay out at %s times their guess', (f) => {
    factor = f;
    const entries = history(60);
    const opened = open(entries);
    expect(opened.rowChanges).toBe(0);
    expectOpenAtTheEnd(opened, entries);
  });

  it('fills the viewport before the frame paints even when the guesses are far too high (rows at 40% of them)', () => {
    factor = 0.4;
    const entries = history(60);
    const opened = open(entries);
    // A second render was needed, and it happened within the same task.
    expect(opened.rowChanges).toBeGreaterThan(0);
    expectOpenAtTheEnd(opened, entries);
  });
});
