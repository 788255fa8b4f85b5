// Markdown as plain text, for surfaces that show text literally (notifications, the status bar, quick
// picks): the model answers in markdown, and `npm test`, **bold** or [a link](url) must not show up with
// their backticks, asterisks and brackets. Code keeps its text; emphasis, headings and link targets go.
// Markup is only removed, never interpreted, so the result is safe to show wherever the input was.

const FENCED = /^ {0,3}(`{3,}|~{3,})[^\n]*\n([\s\S]*?)(?:^ {0,3}\1[^\n]*$|(?![\s\S]))/gm;
/** Inline code: a run of backticks, then the code, then the same run (not part of a longer one). */
const INLINE_CODE = /(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)/g;

/** Plain text of `markdown`: code without fences or backticks, emphasis unwrapped, links as their text. */
export function markdownToPlainText(markdown: string): string {
  // Code is cut out first (behind private-use markers) and put back last, so `__init__` or `a*b*c` inside it stays as written.
  const code: string[] = [];
  const keep = (text: string) => `\uE000${code.push(text) - 1}\uE000`;
  const prose = markdown
    .replace(/\uE000/g, '')
    .replace(FENCED, (_all, _fence: string, body: string) => keep(body.replace(/\n$/, '')))
    .replace(INLINE_CODE, (_all, _ticks: string, text: string) => keep(text.trim()));
  return (
    prose
      // images and links: their text
      .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
      // emphasis: ***x***, **x**, *x*, __x__, _x_ (not inside snake_case words), ~~x~~
      .replace(/(\*{1,3})(?=\S)([^*\n]*?\S)\1/g, '$2')
      .replace(/(^|[^\w])(_{1,2})(?=\S)([^_\n]*?\S)\2(?![\w])/g, '$1$3')
      .replace(/~~(?=\S)([^~\n]*?\S)~~/g, '$1')
      // headings and block quotes: the text
      .replace(/^ {0,3}#{1,6}[ \t]+/gm, '')
      .replace(/^ {0,3}> ?/gm, '')
      .replace(/\uE000(\d+)\uE000/g, (_all, n: string) => code[Number(n)] ?? '')
  );
}

/**
 * For the status bar, which draws `$(name)` as an icon: the model's text is plain text and escaped, so
 * an answer cannot put icons (a fake spinner, a check mark) into Tandem's status.
 */
export function statusBarText(markdown: string): string {
  return markdownToPlainText(markdown).replace(/\$\(/g, '\\$(');
}
