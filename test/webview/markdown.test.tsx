// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { act } from 'react';
import { cleanup, fireEvent, render, waitFor } from '@testing-library/react';
import { fakeChannel, type FakeChannel } from './harness';
import { AppContext } from '../../webview/src/context';
import { splitBlocks } from '../../webview/src/markdown/blocks';
import { ChatStore } from '../../webview/src/store';
import { Markdown } from '../../webview/src/markdown/Markdown';
import { clearMarkdownCache, markdownStats, renderMarkdownBlocks, setHighlightingDeferred } from '../../webview/src/markdown/render';

beforeEach(() => clearMarkdownCache());
afterEach(() => cleanup());

let channel: FakeChannel;
beforeEach(() => {
  channel = fakeChannel();
});

function withHost(node: React.ReactNode) {
  return <AppContext.Provider value={{ store: new ChatStore(), host: channel }}>{node}</AppContext.Provider>;
}

function renderMd(text: string, streaming = false) {
  return render(withHost(<Markdown text={text} streaming={streaming} />)).container;
}

describe('markdown rendering', () => {
  it('with highlighting deferred (the real page), shows new code plain first and coloured once idle, in the same element', async () => {
    setHighlightingDeferred(true);
    try {
      const text = 'Look:\n\n```ts\nconst a = 1;\n```\n\nDone.';
      const el = renderMd(text);
      const code = el.querySelector('pre code');
      expect(code?.textContent).toBe('const a = 1;\n');
      expect(el.querySelector('.hljs-keyword')).toBeNull();
      expect(el.textContent).toContain('Done.');
      await waitFor(() => expect(el.querySelector('pre code .hljs-keyword')?.textContent).toBe('const'));
      expect(el.querySelector('pre code')?.textContent).toBe('const a = 1;\n'); // the same text, now in spans
      // Code highlighted once is highlighted at once the next time (a row scrolled back into view).
      cleanup();
      expect(renderMd(text).querySelector('pre code .hljs-keyword')?.textContent).toBe('const');
      // Text without code never waits.
      cleanup();
      const before = markdownStats.renders;
      expect(renderMd('Just *text*.').querySelector('em')?.textContent).toBe('text');
      expect(markdownStats.renders - before).toBe(1);
    } finally {
      setHighlightingDeferred(false);
    }
  });

  it('renders an unclosed fence as code while streaming, unhighlighted until it closes', () => {
    const open = renderMd('Look:\n\n```ts\nconst a = 1;', true);
    expect(open.querySelector('pre code')?.textContent).toContain('const a = 1;');
    expect(open.querySelector('pre code .hljs-keyword')).toBeNull();
    cleanup();
    const done = renderMd('Look:\n\n```ts\nconst a = 1;\n```', false);
    expect(done.querySelector('pre code .hljs-keyword')?.textContent).toBe('const');
    expect(done.querySelector('button.copy-code')?.getAttribute('aria-label')).toBe('Copy code');
  });

  it('escapes raw HTML: no element is created from model output', () => {
    const el = renderMd('hi <img src=x onerror=alert(1)> <script>alert(2)</script>\n\n<img src=y onerror=alert(3)>');
    expect(el.querySelector('img')).toBeNull();
    expect(el.querySelector('script')).toBeNull();
    expect(el.textContent).toContain('<img src=x onerror=alert(1)>');
  });

  it('drops unsafe link schemes and keeps http(s)/mailto', () => {
    const el = renderMd(
      '[x](javascript:alert(1)) [y](JAVASCRIPT:alert(1)) [d](data:text/html;base64,PHNjcmlwdD4=) [ok](https://example.com) <mailto:a@b.co> ![img](https://e.com/p.png)',
    );
    const hrefs = [...el.querySelectorAll('a')].map((a) => a.getAttribute('href'));
    expect(hrefs.some((h) => /^\s*(javascript|data):/i.test(h ?? ''))).toBe(false);
    expect(hrefs).toContain('https://example.com');
    expect(hrefs).toContain('mailto:a@b.co');
    expect(el.querySelector('img')).toBeNull();
    expect(el.innerHTML).not.toMatch(/href="\s*(javascript|data):/i);
  });

  it('linkifies bare URLs', () => {
    const el = renderMd('see https://example.com/docs for more');
    expect(el.querySelector('a')?.getAttribute('href')).toBe('https://example.com/docs');
  });

  it('copies a code block through the clipboard', async () => {
    const writes: string[] = [];
    Object.defineProperty(navigator, 'clipboard', { value: { writeText: async (t: string) => void writes.push(t) }, configurable: true });
    const el = renderMd('```\necho hi\n```');
    await act(async () => {
      fireEvent.click(el.querySelector('button.copy-code')!);
    });
    expect(writes).toEqual(['echo hi\n']);
  });

  it('asks the host to insert a code block at the cursor', () => {
    const el = renderMd('```ts\nconst a = 1;\n```');
    fireEvent.click(el.querySelector('button.insert-code')!);
    expect(channel.posted).toEqual([{ type: 'insertCode', code: 'const a = 1;\n' }]);
  });

  it('never navigates the webview: safe links go to the host to open, others do nothing', () => {
    const el = renderMd('[docs](https://example.com/docs) and [x](javascript:alert(1))');
    const links = [...el.querySelectorAll('a')];
    for (const link of links) {
      const event = new MouseEvent('click', { bubbles: true, cancelable: true });
      link.dispatchEvent(event);
      expect(event.defaultPrevented).toBe(true);
    }
    expect(channel.posted).toEqual([{ type: 'openLink', url: 'https://example.com/docs' }]);
  });
});

describe('streaming efficiency', () => {
  it('re-renders only the growing last block; finished blocks come from the cache', () => {
    const first = 'Intro paragraph.\n\n```ts\nconst x = 1;\n```\n\n';
    renderMarkdownBlocks(first + 'Grow', true);
    const before = markdownStats.renders;
    renderMarkdownBlocks(first + 'Growing', true);
    renderMarkdownBlocks(first + 'Growing more', true);
    expect(markdownStats.renders - before).toBe(2);
  });

  it('keeps the DOM of finished blocks while the last one streams', () => {
    const first = 'Intro paragraph.\n\n';
    const { container, rerender } = render(withHost(<Markdown text={first + 'a'} streaming />));
    const intro = container.querySelector('.md-block');
    const before = markdownStats.renders;
    rerender(withHost(<Markdown text={first + 'ab'} streaming />));
    expect(markdownStats.renders - before).toBe(1);
    expect(container.querySelector('.md-block')).toBe(intro);
    expect(container.textContent).toContain('ab');
  });
});

describe('block splitting', () => {
  it('splits on blank lines and keeps fences (with blank lines inside) whole', () => {
    const blocks = splitBlocks('para one\nstill one\n\n```\ncode\n\nmore code\n```\nafter fence\n\n- a\n\n  continued', false);
    expect(blocks.map((b) => b.text)).toEqual(['para one\nstill one', '```\ncode\n\nmore code\n```', 'after fence', '- a\n\n  continued']);
    expect(blocks.every((b) => b.complete)).toBe(true);
  });

  it('an unclosed fence runs to the end and is the incomplete block while streaming', () => {
    const blocks = splitBlocks('intro\n\n~~~py\nx = 1\n\ny = 2', true);
    expect(blocks.map((b) => [b.text, b.complete])).toEqual([
      ['intro', true],
      ['~~~py\nx = 1\n\ny = 2', false],
    ]);
  });

  it('renders text with reference definitions as one block', () => {
    expect(splitBlocks('see [a]\n\n[a]: https://x.y', false)).toHaveLength(1);
  });
});
