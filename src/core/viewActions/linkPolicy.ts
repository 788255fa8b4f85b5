// Which links from the chat Tandem opens. A link in an answer was written by the model, which may be
// following a prompt injected through a file or a web page, so it is untrusted: `vscode:` /
// `vscode-insiders:` URIs run extension handlers, `command:` runs VS Code commands, `file:` opens
// local files, `javascript:` / `data:` run or render content. Only web links (http, https) and mail
// (mailto) are ever opened, and only after the user confirms with the real target in view; every other
// scheme is refused. A link with control, whitespace or invisible characters is refused outright rather
// than cleaned up: parsers disagree about them, and what the user confirms must be what opens.
// Pure: no node imports (URL is a standard global).

export type LinkDecision =
  | { action: 'confirm'; scheme: 'http' | 'https' | 'mailto'; url: string; host?: string }
  | { action: 'refuse'; reason: string };

// C0 and C1 controls, DEL, any whitespace, zero-width and bidirectional formatting characters.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const SUSPICIOUS = /[\u0000-\u0020\u007f-\u009f\u00a0\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\ufeff]/u;
const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;
const MAX_LINK_LENGTH = 8_192;

export function decideLink(raw: string): LinkDecision {
  if (raw.length === 0 || raw.length > MAX_LINK_LENGTH) return { action: 'refuse', reason: 'the link is empty or too long' };
  if (SUSPICIOUS.test(raw)) return { action: 'refuse', reason: 'the link contains spaces, control or invisible characters' };
  const scheme = SCHEME.exec(raw)?.[1]?.toLowerCase();
  if (!scheme) return { action: 'refuse', reason: 'the link has no scheme (only http, https and mailto links open)' };
  if (scheme !== 'http' && scheme !== 'https' && scheme !== 'mailto') {
    return { action: 'refuse', reason: `${scheme}: links are never opened from an answer (only http, https and mailto)` };
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { action: 'refuse', reason: 'the link is not a valid URL' };
  }
  if (url.protocol !== `${scheme}:`) return { action: 'refuse', reason: 'the link is not a valid URL' };
  if (scheme === 'mailto') return url.pathname ? { action: 'confirm', scheme, url: url.href } : { action: 'refuse', reason: 'the mail link has no address' };
  // Only the plain `scheme://host` spelling: parsers disagree on `https:host` and `https:///host`.
  if (!/^https?:\/\/[^/\\]/i.test(raw) || !url.hostname) return { action: 'refuse', reason: 'the link has no host right after //' };
  // `https://github.com@evil.example` reads as GitHub and goes to evil.example.
  if (url.username || url.password) return { action: 'refuse', reason: 'links with a user name or password are not opened' };
  return { action: 'confirm', scheme, url: url.href, host: url.host };
}
