// Plain-text surfaces (notifications, the status bar, chat history titles) never show markdown syntax.
import { describe, expect, it } from 'vitest';
import { markdownToPlainText, statusBarText } from '../../../src/shared/plainText';

describe('markdownToPlainText', () => {
  it('drops the backticks of inline code, keeping the code', () => {
    expect(markdownToPlainText('Fixed `parsePort` in `src/port.ts`: it returns `Number(port)`.')).toBe('Fixed parsePort in src/port.ts: it returns Number(port).');
    expect(markdownToPlainText('Use ``a `tick` inside`` here')).toBe('Use a `tick` inside here');
    expect(markdownToPlainText('fixing function `__init__` and `a*b*c` (`[x](y)`)')).toBe('fixing function __init__ and a*b*c ([x](y))');
  });

  it('keeps the content of fenced code blocks, without the fences', () => {
    expect(markdownToPlainText('Run:\n```bash\nnpm test\n```\nthen look.')).toBe('Run:\nnpm test\nthen look.');
    expect(markdownToPlainText('Unclosed:\n```\ncode')).toBe('Unclosed:\ncode');
  });

  it('unwraps emphasis, links, headings and quotes; leaves snake_case and lone symbols alone', () => {
    expect(markdownToPlainText('**Done**: *now* ~~never~~ __ok__ _it_')).toBe('Done: now never ok it');
    expect(markdownToPlainText('See [the docs](https://example.com) and ![logo](x.png).')).toBe('See the docs and logo.');
    expect(markdownToPlainText('## Summary\n> quoted')).toBe('Summary\nquoted');
    expect(markdownToPlainText('my_var_name stays, 2 * 3 = 6, a_b')).toBe('my_var_name stays, 2 * 3 = 6, a_b');
    expect(markdownToPlainText('an unpaired ` backtick')).toBe('an unpaired ` backtick');
  });

  it('never adds markup (an HTML-looking answer stays literal text)', () => {
    expect(markdownToPlainText('<b>x</b> `<script>`')).toBe('<b>x</b> <script>');
  });
});

describe('statusBarText', () => {
  it('escapes $(icon) syntax so the model cannot draw icons into the status bar', () => {
    expect(statusBarText('Fixed `x` $(check) done')).toBe('Fixed x \\$(check) done');
  });
});
