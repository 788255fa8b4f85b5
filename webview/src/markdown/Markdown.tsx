// Rendered markdown of an assistant message. Clicks are delegated here because the HTML is injected:
// the code blocks' Copy buttons, and links (checked once more before the webview's default handling,
// which asks VS Code to open them externally).
import { memo, useMemo, type MouseEvent } from 'react';
import { isSafeLink } from './markdownIt';
import { MarkdownBlock } from './MarkdownBlock';
import { renderMarkdownBlocks } from './render';

const COPIED_MS = 1500;

function copyCode(button: HTMLElement): void {
  const code = button.parentElement?.querySelector('pre code, pre');
  const text = code?.textContent ?? '';
  const icon = button.querySelector('.codicon');
  void navigator.clipboard?.writeText(text).then(
    () => {
      icon?.classList.replace('codicon-copy', 'codicon-check');
      button.setAttribute('aria-label', 'Copied');
      setTimeout(() => {
        icon?.classList.replace('codicon-check', 'codicon-copy');
        button.setAttribute('aria-label', 'Copy code');
      }, COPIED_MS);
    },
    () => undefined,
  );
}

function onClick(e: MouseEvent<HTMLDivElement>): void {
  const target = e.target as Element;
  const copy = target.closest('button.copy-code');
  if (copy instanceof HTMLElement) {
    e.preventDefault();
    copyCode(copy);
    return;
  }
  const link = target.closest('a');
  if (link && !isSafeLink(link.getAttribute('href') ?? '')) e.preventDefault();
}

export const Markdown = memo(function Markdown({ text, streaming }: { text: string; streaming: boolean }) {
  const blocks = useMemo(() => renderMarkdownBlocks(text, streaming), [text, streaming]);
  return (
    <div className="markdown" onClick={onClick}>
      {blocks.map((html, i) => (
        <MarkdownBlock key={i} html={html} />
      ))}
    </div>
  );
});
