// Markdown text -> HTML per block, with finished blocks memoised by their text. While a message streams
// only its last block changes, so each delta costs one markdown-it render of that block.
// Highlighting may be deferred (the page turns it on, main.tsx): a finished code block not highlighted yet
// is first shown plain and highlighted once the page is idle (Markdown.tsx). Opening a long chat otherwise
// spent a third of its first frame in highlight.js, compiling grammars on first use included; plain and
// highlighted code take the same lines, so nothing moves when the colours arrive.
import { splitBlocks } from './blocks';
import { mdHighlighted, mdPlain } from './markdownIt';

/** Finished-block HTML by block text. Bounded: a long session must not grow it forever. */
const cache = new Map<string, string>();
const CACHE_LIMIT = 2000;

/** Counts markdown-it renders (tests check that streaming re-renders only the last block). */
export const markdownStats = { renders: 0 };

let deferHighlighting = false;
/** Whether code not highlighted yet is shown plain first (`renderMarkdownForView`); on in the real page. */
export function setHighlightingDeferred(on: boolean): void {
  deferHighlighting = on;
}

/** An opening fence with an info string: the only blocks highlighting changes. */
const FENCE_WITH_LANGUAGE = /^ {0,3}(?:`{3,}|~{3,})[ \t]*[^\s`]/m;

function renderBlock(text: string, complete: boolean): string {
  if (!complete) {
    markdownStats.renders++;
    return mdPlain.render(text);
  }
  const hit = cache.get(text);
  if (hit !== undefined) {
    // Refresh recency so the oldest entries are the ones dropped.
    cache.delete(text);
    cache.set(text, hit);
    return hit;
  }
  markdownStats.renders++;
  const html = mdHighlighted.render(text);
  cache.set(text, html);
  if (cache.size > CACHE_LIMIT) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  return html;
}

/** The HTML of each top-level block of `text`. */
export function renderMarkdownBlocks(text: string, streaming: boolean): string[] {
  return splitBlocks(text, streaming).map((b) => renderBlock(b.text, b.complete));
}

/**
 * The blocks of `text` for the view: as `renderMarkdownBlocks`, except that while highlighting is deferred
 * and `highlightNow` is false, a finished code block not highlighted before is rendered plain (not cached)
 * and `pending` says so: render again with `highlightNow` once the page is idle.
 */
export function renderMarkdownForView(text: string, streaming: boolean, highlightNow: boolean): { html: string[]; pending: boolean } {
  let pending = false;
  const html = splitBlocks(text, streaming).map((b) => {
    if (highlightNow || !deferHighlighting || !b.complete || cache.has(b.text) || !FENCE_WITH_LANGUAGE.test(b.text)) return renderBlock(b.text, b.complete);
    pending = true;
    return renderBlock(b.text, false);
  });
  return { html, pending };
}

export function clearMarkdownCache(): void {
  cache.clear();
}
