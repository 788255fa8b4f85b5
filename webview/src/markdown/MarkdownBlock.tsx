// One top-level markdown block. Memoised on its HTML so finished blocks keep their DOM (and any text
// selection in them) while the message keeps streaming below.
import { memo } from 'react';

export const MarkdownBlock = memo(function MarkdownBlock({ html }: { html: string }) {
  // Safe: `html` comes only from markdown-it with `html: false` and a link allow-list (see markdownIt.ts).
  return <div className="md-block" dangerouslySetInnerHTML={{ __html: html }} />;
});
