import { describe, expect, it } from 'vitest';
import { parsePatch, PatchParseError } from '../../../../src/core/patch/parser';
import { patchOf } from './memoryFiles';

function parseError(text: string): PatchParseError {
  try {
    parsePatch(text);
  } catch (error) {
    if (error instanceof PatchParseError) return error;
    throw error;
  }
  throw new Error('expected a PatchParseError');
}

describe('parsePatch', () => {
  it('parses add, delete and update with move, scope and end of file', () => {
    const operations = parsePatch(
      patchOf(
        '*** Add File: a/new.txt',
        '+one',
        '+',
        '*** Delete File: gone.txt',
        '*** Update File: src/x.py',
        '*** Move to: src/y.py',
        '@@ class A',
        ' keep',
        '-old',
        '+new',
        '*** End of File',
      ),
    );
    expect(operations).toEqual([
      { kind: 'add', path: 'a/new.txt', contents: 'one\n\n', line: 2 },
      { kind: 'delete', path: 'gone.txt', line: 5 },
      {
        kind: 'update',
        path: 'src/x.py',
        movePath: 'src/y.py',
        line: 6,
        chunks: [{ scopes: ['class A'], oldLines: ['keep', 'old'], newLines: ['keep', 'new'], contextOf: [0, -1], endOfFile: true, line: 8 }],
      },
    ]);
  });

  it('accepts a first chunk without @@, and splits chunks on @@', () => {
    const [update] = parsePatch(patchOf('*** Update File: f', '-a', '+b', '@@', '-c', '+d'));
    expect(update?.kind === 'update' && update.chunks.map((c) => [c.oldLines, c.newLines])).toEqual([
      [['a'], ['b']],
      [['c'], ['d']],
    ]);
  });

  it('collects nested @@ anchors and reads git-style hunk headers', () => {
    const [update] = parsePatch(patchOf('*** Update File: f', '@@ class A', '@@     def m(self):', '-x', '+y', '@@ -10,2 +10,2 @@ def g():', '-p', '+q', '@@ -1 +1 @@', '-r', '+s'));
    expect(update?.kind === 'update' && update.chunks.map((c) => c.scopes)).toEqual([['class A', '    def m(self):'], ['def g():'], []]);
  });

  it('treats an empty line inside a chunk as empty context', () => {
    const [update] = parsePatch(patchOf('*** Update File: f', '@@', ' a', '', '-b'));
    expect(update?.kind === 'update' && update.chunks[0]).toMatchObject({ oldLines: ['a', '', 'b'], newLines: ['a', ''] });
  });

  it('records which old line each context line repeats, in patch order', () => {
    const [update] = parsePatch(patchOf('*** Update File: f', '@@', ' a', '-b', '+B1', ' c', '+C', '-d', ' e'));
    expect(update?.kind === 'update' && update.chunks[0]).toMatchObject({
      oldLines: ['a', 'b', 'c', 'd', 'e'],
      newLines: ['a', 'B1', 'c', 'C', 'e'],
      contextOf: [0, -1, 2, -1, 4],
    });
  });

  it('tolerates padded markers and headers, CRLF, blank lines between operations', () => {
    const text = ' *** Begin Patch \r\n  *** Delete File: a.txt  \r\n\r\n*** Delete File: b.txt\r\n *** End Patch \r\n\r\n';
    expect(parsePatch(text)).toEqual([
      { kind: 'delete', path: 'a.txt', line: 2 },
      { kind: 'delete', path: 'b.txt', line: 4 },
    ]);
  });

  it.each([
    ["apply_patch <<'EOF'", 'EOF'],
    ['<<EOF', 'EOF'],
    ['<<"PATCH"', 'PATCH'],
  ])('unwraps a heredoc: %s', (opener, closer) => {
    const text = `${opener}\n${patchOf('*** Delete File: a.txt')}${closer}\n`;
    expect(parsePatch(text)).toEqual([{ kind: 'delete', path: 'a.txt', line: 3 }]);
  });

  it('allows a bare rename', () => {
    expect(parsePatch(patchOf('*** Update File: a', '*** Move to: b'))).toEqual([{ kind: 'update', path: 'a', movePath: 'b', chunks: [], line: 2 }]);
  });

  it.each([
    ['', /The patch is empty/],
    ['*** Update File: a\n-x\n*** End Patch', /line 1: expected '\*\*\* Begin Patch' as the first line/],
    ['*** Begin Patch\n*** Delete File: a', /line 2: expected '\*\*\* End Patch' as the last line/],
    [patchOf(), /contains no file operations/],
    [patchOf('*** Frobnicate File: foo'), /line 2: '\*\*\* Frobnicate File: foo' is not a valid file operation/],
    [patchOf('*** Update File: foo'), /line 2: '\*\*\* Update File: foo' has no changes/],
    [patchOf('*** Update File: foo', '@@', '*** Delete File: x'), /line 3: a chunk of foo has no lines/],
    [patchOf('*** Update File: foo', '@@', '-a', 'b'), /line 5: unexpected line 'b' in a chunk of foo/],
    [patchOf('*** Update File: foo', '@@', '-a', '*** End of File', ' b'), /line 6: expected '@@' to start the next chunk of foo/],
    [patchOf('*** Update File: foo', '@@nope', '-a'), /line 3: '@@nope' is not a valid chunk header/],
    [patchOf('*** Add File: new.txt', '+a', 'b'), /line 4: 'b' is not a valid file operation[\s\S]*must start with '\+'/],
    [patchOf('*** Add File:   '), /line 2: the Add File header needs a path/],
  ])('rejects %j', (text, message) => {
    expect(parseError(text).message).toMatch(message);
  });
});
