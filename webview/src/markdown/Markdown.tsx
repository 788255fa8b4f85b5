// Rendered markdown of an assistant message. Clicks are delegated here because the HTML is injected:
// the code blocks' Copy and "Insert at cursor" buttons, and links, which never navigate the webview:
// the host opens them (external ones after the user confirms).
import { memo, startTransition, useCallback, useEffect, useMemo, useState, type MouseEvent } from 'react';
import type { WebviewToHost } from '../../../src/shared/protocol';
import { usePost } from '../context';
import { isSafeLink } from './markdownIt';
import { MarkdownBlock } from './MarkdownBlock';
import { renderMarkdownForView } from './render';
import { t } from '../strings';

const COPIED_MS = 1500;

function copyCode(button: HTMLElement): void {
  const text = codeOf(button);
  const icon = button.querySelector('.codicon');
  void navigator.clipboard?.writeText(text).then(
    () => {
      icon?.classList.replace('codicon-copy', 'codicon-check');
      button.setAttribute('aria-label', t('code.copied'));
      setTimeout(() => {
        icon?.classList.replace('codicon-check', 'codicon-copy');
        button.setAttribute('aria-label', t('code.copy'));
      }, COPIED_MS);
    },
    () => undefined,
  );
}

const codeOf = (button: Element) => button.closest('.code-block')?.querySelector('pre code, pre')?.textContent ?? '';

function onClick(e: MouseEvent<HTMLDivElement>, post: (msg: WebviewToHost) => void): void {
  const target = e.target as Element;
  const copy = target.closest('button.copy-code');
  if (copy instanceof HTMLElement) {
    e.preventDefault();
    copyCode(copy);
    return;
  }
  const insert = target.closest('button.insert-code');
  if (insert) {
    e.preventDefault();
    post({ type: 'insertCode', code: codeOf(insert) });
    return;
  }
  const link = target.closest('a');
  if (!link) return;
  e.preventDefault();
  const href = link.getAttribute('href') ?? '';
  if (isSafeLink(href)) post({ type: 'openLink', url: href });
}

/** Runs `fn` once the page is idle (within a few hundred ms at the latest); returns the cancel function. */
function whenIdle(fn: () => void): () => void {
  if (typeof requestIdleCallback === 'function') {
    const id = requestIdleCallback(fn, { timeout: 300 });
    return () => cancelIdleCallback(id);
  }
  const id = setTimeout(fn, 0);
  return () => clearTimeout(id);
}

export const Markdown = memo(function Markdown({ text, streaming }: { text: string; streaming: boolean }) {
  // Code shown plain first (render.ts, deferred highlighting) is highlighted once the page is idle, as a
  // transition: the rows that wait render one by one with the page free in between, not in one long task.
  const [highlightNow, setHighlightNow] = useState(false);
  const { html: blocks, pending } = useMemo(() => renderMarkdownForView(text, streaming, highlightNow), [text, streaming, highlightNow]);
  useEffect(() => (pending ? whenIdle(() => startTransition(() => setHighlightNow(true))) : undefined), [pending]);
  const post = usePost();
  const handleClick = useCallback((e: MouseEvent<HTMLDivElement>) => onClick(e, post), [post]);
  return (
    <div className="markdown" onClick={handleClick}>
      {blocks.map((html, i) => (
        <MarkdownBlock key={i} html={html} />
      ))}
    </div>
  );
});
