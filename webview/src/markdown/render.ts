// Markdown text -> HTML per block, with finished blocks memoised by their text. While a message streams
// only its last block changes, so each delta costs one markdown-it render of that block.
import { splitBlocks } from './blocks';
import { mdHighlighted, mdPlain } from './markdownIt';

/** Finished-block HTML by block text. Bounded: a long session must not grow it forever. */
const cache = new Map<string, string>();
const CACHE_LIMIT = 2000;

/** Counts markdown-it renders (tests check that streaming re-renders only the last block). */
export const markdownStats = { renders: 0 };

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

export function clearMarkdownCache(): void {
  cache.clear();
}
