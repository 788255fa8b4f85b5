// Links from an answer: a table of schemes and the tricks that get a non-web scheme (or a disguised
// host) past a check: case, whitespace, NUL and other controls, invisible characters, scheme-relative
// links, nested vscode:// targets, user-info hosts and backslashes.
import { describe, expect, it } from 'vitest';
import { decideLink } from '../../../../src/core/viewActions/linkPolicy';

const REFUSED = [
  'vscode://ms-python.python/install',
  'vscode-insiders://ms-vscode.remote-server/x',
  'VSCODE://x',
  'vScOdE:extension/x',
  'command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22rm%20-rf%20~%5Cn%22%7D',
  'Command:workbench.action.reloadWindow',
  'file:///etc/passwd',
  'FILE:///home/user/.ssh/id_rsa',
  'javascript:alert(1)',
  'JaVaScRiPt:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'vbscript:msgbox(1)',
  'ftp://example.com/x',
  'ssh://example.com',
  'git+ssh://example.com/repo',
  'x-github-client://openRepo/x',
  '//evil.example/path',
  '/etc/passwd',
  'evil.example',
  ' https://example.com',
  'https://example.com ',
  '\thttps://example.com',
  '\u0000https://example.com',
  'https://exa\u0000mple.com',
  'java\u0000script:alert(1)',
  'java\nscript:alert(1)',
  'java\tscript:alert(1)',
  '\u200bvscode://x',
  'https://exa\u200bmple.com',
  'https://example.com/\u202egnp.exe',
  'https://\u00a0example.com',
  'https://github.com@evil.example/login',
  'https://user:pass@example.com/',
  'https://',
  'http:///path',
  'https:example.com',
  'https:/example.com',
  'https:\\\\example.com',
  'mailto:',
  '',
  'https:' + 'a'.repeat(9000),
];

const CONFIRMED: Array<[string, string, string | undefined]> = [
  ['https://example.com/docs?q=1#x', 'https://example.com/docs?q=1#x', 'example.com'],
  ['HTTPS://Example.COM/Path', 'https://example.com/Path', 'example.com'],
  ['http://localhost:3000/', 'http://localhost:3000/', 'localhost:3000'],
  ['https://evil.example\\@good.example/', 'https://evil.example/@good.example/', 'evil.example'],
  ['https://xn--80ak6aa92e.com/', 'https://xn--80ak6aa92e.com/', 'xn--80ak6aa92e.com'],
  ['mailto:someone@example.com', 'mailto:someone@example.com', undefined],
  ['MAILTO:someone@example.com?subject=hi', 'mailto:someone@example.com?subject=hi', undefined],
];

describe('decideLink', () => {
  it.each(REFUSED.map((url) => [JSON.stringify(url).slice(0, 80), url]))('refuses %s', (_shown, url) => {
    expect(decideLink(url).action).toBe('refuse');
  });

  it.each(CONFIRMED)('asks before opening %s, showing where it really goes', (url, href, host) => {
    const decision = decideLink(url);
    expect(decision).toEqual({ action: 'confirm', scheme: href.split(':')[0], url: href, ...(host ? { host } : {}) });
  });

  it('never confirms anything but http, https and mailto, whatever the spelling', () => {
    for (const scheme of ['vscode', 'command', 'file', 'javascript', 'data', 'blob', 'about', 'chrome', 'vscode-webview', 'vscode-file', 'tandem-proposal', 'untitled']) {
      for (const spelled of [scheme, scheme.toUpperCase(), scheme[0]!.toUpperCase() + scheme.slice(1)]) {
        for (const rest of ['://x/y', ':x', ':///x', ':https://example.com']) {
          expect(decideLink(`${spelled}${rest}`).action, `${spelled}${rest}`).toBe('refuse');
        }
      }
    }
  });
});
