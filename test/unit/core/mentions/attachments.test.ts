import { describe, expect, it } from 'vitest';
import { checkImage, fileAttachment, folderAttachment, problemsAttachment, selectionAttachment, terminalAttachment } from '../../../../src/core/mentions/attachments';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]).toString('base64');
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]).toString('base64');
const GIF = Buffer.from('GIF89a\x01\x00', 'latin1').toString('base64');
const WEBP = Buffer.from('RIFF\x10\x00\x00\x00WEBPVP8 ', 'latin1').toString('base64');

describe('@ mention attachments', () => {
  it('attaches a file in a fence, cut with a note past the cap', () => {
    expect(fileAttachment('hello.ts', "export const greeting = 'hello';\n", 'ts')).toBe("The file `hello.ts`:\n```ts\nexport const greeting = 'hello';\n\n```");
    const big = fileAttachment('big.txt', 'x'.repeat(50) + '\n' + 'y'.repeat(100), 'plaintext', 60);
    expect(big).toMatch(/only its first 60 characters/);
    expect(big).toMatch(/Cut here/);
    expect(big).not.toContain('y'.repeat(20));
  });

  it('lists a folder (folders first), the problems, the selection and the terminal', () => {
    expect(folderAttachment('src', [{ name: 'b.ts', folder: false }, { name: 'core', folder: true }])).toContain('core/\nb.ts');
    expect(problemsAttachment([])).toMatch(/no problems/);
    const problems = problemsAttachment([{ path: 'a.ts', diagnostics: [{ range: { start: { line: 2, character: 4 }, end: { line: 2, character: 5 } }, message: 'bad', severity: 'error', source: 'ts', code: '2322' }] }]);
    expect(problems).toContain('`a.ts`:\n- error (ts 2322), line 3, column 5: bad');
    expect(selectionAttachment('a.ts', 4, 6, 'code', 'typescript')).toMatch(/^The selected code in `a.ts`, lines 5–7:\n```typescript\ncode\n```$/);
    expect(terminalAttachment('npm test', 'x'.repeat(30) + 'END', 10)).toContain('…xxxxxxxEND');
    expect(terminalAttachment('npm test', 'ok')).toContain('(`npm test`)');
  });
});

describe('images from the webview are checked on the host', () => {
  it('accepts real PNG, JPEG, GIF and WebP data', () => {
    expect(checkImage('image/png', PNG)).toEqual({ ok: true, bytes: 16 });
    expect(checkImage('image/jpeg', JPEG).ok).toBe(true);
    expect(checkImage('image/gif', GIF).ok).toBe(true);
    expect(checkImage('image/webp', WEBP).ok).toBe(true);
  });

  it('refuses other types, bad base64, a wrong signature and oversize data', () => {
    expect(checkImage('image/svg+xml', PNG)).toMatchObject({ ok: false, reason: expect.stringMatching(/PNG, JPEG, GIF or WebP/) });
    expect(checkImage('image/png', 'not base64!')).toMatchObject({ ok: false, reason: expect.stringMatching(/base64/) });
    expect(checkImage('image/png', PNG.slice(1))).toMatchObject({ ok: false });
    expect(checkImage('image/png', JPEG)).toMatchObject({ ok: false, reason: 'The data is not a PNG image.' });
    expect(checkImage('image/jpeg', Buffer.from('<svg onload=alert(1)>').toString('base64'))).toMatchObject({ ok: false });
    expect(checkImage('image/png', PNG, 10)).toMatchObject({ ok: false, reason: expect.stringMatching(/at most/) });
    expect(checkImage('image/png', '')).toMatchObject({ ok: false });
  });
});
