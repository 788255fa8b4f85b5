// The markdown-it configuration. Model output is untrusted: raw HTML is escaped (`html: false`), links
// are limited to a few schemes, and images become plain links (the CSP would block them anyway, and a
// remote image is a tracking pixel).
import MarkdownIt from 'markdown-it';

type Md = ReturnType<typeof MarkdownIt>;
import { highlightCode } from './highlight';
import { t } from '../strings';

/** Schemes a rendered link may use. Everything else (`javascript:`, `data:`, `file:`, `command:`) is left as text. */
const SAFE_LINK = /^(https?:|mailto:|vscode:|vscode-insiders:)/i;

export function isSafeLink(url: string): boolean {
  return SAFE_LINK.test(url.trim());
}

const CODE_ACTIONS =
  '<div class="code-actions">' +
  `<button type="button" class="code-action insert-code" aria-label="${t('code.insert')}" title="${t('code.insert')}">` +
  '<span class="codicon codicon-insert" aria-hidden="true"></span></button>' +
  `<button type="button" class="code-action copy-code" aria-label="${t('code.copy')}" title="${t('code.copy')}">` +
  '<span class="codicon codicon-copy" aria-hidden="true"></span></button>' +
  '</div>';

function create(highlight: boolean): Md {
  const md = new MarkdownIt({
    html: false,
    linkify: true,
    breaks: false,
    ...(highlight ? { highlight: (code: string, lang: string) => highlightCode(code, lang) } : {}),
  });
  md.validateLink = isSafeLink;

  const fence = md.renderer.rules.fence;
  md.renderer.rules.fence = (tokens, idx, options, env, self) => {
    const inner = fence ? fence(tokens, idx, options, env, self) : self.renderToken(tokens, idx, options);
    return `<div class="code-block">${CODE_ACTIONS}${inner}</div>`;
  };

  md.renderer.rules.image = (tokens, idx) => {
    const token = tokens[idx];
    const src = String(token?.attrGet('src') ?? '');
    const alt = String(token?.content || src);
    return `<a href="${md.utils.escapeHtml(src)}">${md.utils.escapeHtml(alt)}</a>`;
  };
  return md;
}

/** For finished blocks: code is highlighted. */
export const mdHighlighted = create(true);
/** For the block still streaming: highlighting a half-written fence on every delta is wasted work. */
export const mdPlain = create(false);
