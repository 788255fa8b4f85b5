import { describe, expect, it } from 'vitest';
import { computeChangeSet, PatchApplyError, PatchParseError } from '../../../../src/core/patch/apply';
import type { ChangeSet } from '../../../../src/core/patch/types';
import { MemoryFiles, patchOf } from './memoryFiles';

const CWD = '/repo';

async function applyTo(content: string, ...lines: string[]): Promise<string | undefined> {
  const changeSet = await computeChangeSet(patchOf('*** Update File: f.txt', ...lines), CWD, new MemoryFiles({ '/repo/f.txt': content }));
  return changeSet.changes[0]?.newText;
}

async function failure(promise: Promise<ChangeSet>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the patch to fail');
}

describe('computeChangeSet: updates', () => {
  it('replaces matched lines and keeps the rest', async () => {
    expect(await applyTo('a\nb\nc\n', '@@', ' a', '-b', '+B', ' c')).toBe('a\nB\nc\n');
  });

  it('applies several chunks in file order', async () => {
    expect(await applyTo('1\n2\n3\n4\n5\n', '@@', '-2', '+two', '@@', '-4', '+four')).toBe('1\ntwo\n3\nfour\n5\n');
  });

  it('uses the relaxed matching tiers (an added line takes the indentation the removed one had)', async () => {
    expect(await applyTo('  if (x) {   \n', '@@', '-if (x) {', '+if (y) {')).toBe('  if (y) {\n');
    expect(await applyTo('say("hi") — ok\n', '@@', '-say(“hi”) - ok', '+done')).toBe('done\n');
  });

  it('writes context lines back as the file has them, not as a loose patch quotes them', async () => {
    const file = '# Title — “draft”  \n\tcall();\nend\t\n';
    expect(await applyTo(file, '@@', ' # Title - "draft"', '-    call();', '+    done();', ' end')).toBe('# Title — “draft”  \n\tdone();\nend\t\n');
  });

  it('keeps the break of a context line between two changes in a mixed file', async () => {
    expect(await applyTo('a\r\nb\nc\r\nd\r\n', '@@', '-a', '+A', ' b', '-c', '+C')).toBe('A\r\nb\nC\r\nd\r\n');
  });

  it('gives a last line without a break one before the lines added after it', async () => {
    expect(await applyTo('x\na', '@@', ' a', '+b')).toBe('x\na\nb\n');
  });

  it('writes a dropped trailing empty context line that had added lines after it as an added blank line', async () => {
    expect(await applyTo('a\n', '@@', ' a', ' ', '+x')).toBe('a\n\nx\n');
  });

  it('finds the @@ anchor first and matches after it', async () => {
    const file = 'def a():\n    return 1\ndef b():\n    return 1\n';
    expect(await applyTo(file, '@@ def b():', '-    return 1', '+    return 2')).toBe('def a():\n    return 1\ndef b():\n    return 2\n');
  });

  it('follows nested anchors in order', async () => {
    const file = 'class A:\n  def m():\n    x\nclass B:\n  def m():\n    x\n';
    expect(await applyTo(file, '@@ class B:', '@@   def m():', '-    x', '+    y')).toContain('class B:\n  def m():\n    y\n');
  });

  it('inserts a pure addition after its anchor, or at the end without one', async () => {
    expect(await applyTo('a\nb\n', '@@ a', '+inserted')).toBe('a\ninserted\nb\n');
    expect(await applyTo('a\nb\n', '@@', '+appended')).toBe('a\nb\nappended\n');
  });

  it('matches an *** End of File chunk at the end of the file', async () => {
    expect(await applyTo('x\nend\nx\nend\n', '@@', ' x', '-end', '+END', '*** End of File')).toBe('x\nend\nx\nEND\n');
  });

  it('drops a trailing empty context line that stands for the final line break', async () => {
    expect(await applyTo('a\nb\n', '@@', ' a', '-b', '+c', ' ')).toBe('a\nc\n');
  });

  it('always ends the result with a line break', async () => {
    expect(await applyTo('one\ntwo', '@@', '-one', '+uno')).toBe('uno\ntwo\n');
  });

  it('preserves CRLF line endings', async () => {
    expect(await applyTo('a\r\nb\r\nc\r\n', '@@', ' a', '-b', '+B1', '+B2')).toBe('a\r\nB1\r\nB2\r\nc\r\n');
  });

  it('keeps each untouched line ending in a mixed file', async () => {
    expect(await applyTo('a\r\nb\nc\r\n', '@@', '-c', '+C')).toBe('a\r\nb\nC\r\n');
  });

  it('preserves a UTF-8 BOM', async () => {
    expect(await applyTo('\uFEFFfirst\nsecond\n', '@@', '-first', '+1st')).toBe('\uFEFF1st\nsecond\n');
  });

  it('empties a file when every line is removed', async () => {
    expect(await applyTo('only\n', '@@', '-only')).toBe('');
  });
});

describe('computeChangeSet: errors the model can act on', () => {
  it('shows the unmatched lines and the closest lines of the file', async () => {
    const files = new MemoryFiles({ '/repo/src/a.ts': 'one\nfunction f() {\n  return 1;\n}\n' });
    const error = await failure(computeChangeSet(patchOf('*** Update File: src/a.ts', '@@', ' function f() {', '-  return 2;', '+  return 3;', ' }'), CWD, files));
    expect(error).toBeInstanceOf(PatchApplyError);
    expect((error as PatchApplyError).path).toBe('src/a.ts');
    expect(error.message).toBe(
      [
        'Could not find these lines in src/a.ts (chunk 1 of 1, patch line 3):',
        '    function f() {',
        '      return 2;',
        '    }',
        'The closest lines in the file (from line 2):',
        '     2 | function f() {',
        '     3 |   return 1;',
        '     4 | }',
        "No file was changed. Read the file again and make the context and '-' lines match it exactly.",
      ].join('\n'),
    );
  });

  it('says when chunks are out of file order', async () => {
    const files = new MemoryFiles({ '/repo/f.txt': 'a\nb\nc\n' });
    const error = await failure(computeChangeSet(patchOf('*** Update File: f.txt', '@@', '-c', '+C', '@@', '-a', '+A'), CWD, files));
    expect(error.message).toMatch(/chunk 2 of 2[\s\S]*only occur before the previous chunk's lines/);
  });

  it('names a missing @@ anchor', async () => {
    const files = new MemoryFiles({ '/repo/f.txt': 'a\n' });
    const error = await failure(computeChangeSet(patchOf('*** Update File: f.txt', '@@ class Missing', '-a', '+b'), CWD, files));
    expect(error.message).toMatch(/Could not find the line '@@ class Missing' in f\.txt/);
  });

  it('rejects updating or deleting what is not there, and directories', async () => {
    const files = new MemoryFiles({}, ['/repo/dir']);
    expect((await failure(computeChangeSet(patchOf('*** Update File: nope.txt', '@@', '-a', '+b'), CWD, files))).message).toMatch(/Cannot update nope\.txt: the file does not exist/);
    expect((await failure(computeChangeSet(patchOf('*** Delete File: nope.txt'), CWD, files))).message).toMatch(/Cannot delete nope\.txt: the file does not exist/);
    expect((await failure(computeChangeSet(patchOf('*** Delete File: dir'), CWD, files))).message).toMatch(/it is a directory/);
    expect((await failure(computeChangeSet(patchOf('*** Add File: dir', '+x'), CWD, files))).message).toMatch(/a directory with that name exists/);
  });

  it('reports parse errors as PatchParseError and no-op patches as errors', async () => {
    const files = new MemoryFiles({ '/repo/f.txt': 'a\n' });
    expect(await failure(computeChangeSet('nonsense', CWD, files))).toBeInstanceOf(PatchParseError);
    expect((await failure(computeChangeSet(patchOf('*** Update File: f.txt', '@@', ' a'), CWD, files))).message).toMatch(/changes nothing/);
  });

  it('wraps read failures with the file name', async () => {
    const files = new MemoryFiles();
    files.readText = async () => {
      throw new Error('f.txt is not UTF-8 text');
    };
    expect((await failure(computeChangeSet(patchOf('*** Delete File: f.txt'), CWD, files))).message).toBe('Cannot read f.txt: f.txt is not UTF-8 text');
  });
});

describe('computeChangeSet: change sets', () => {
  it('resolves paths against cwd and keeps absolute ones', async () => {
    const changeSet = await computeChangeSet(patchOf('*** Add File: ./a/../b/new.txt', '+x', '*** Add File: /tmp/abs.txt', '+y'), CWD, new MemoryFiles(), 'cs-1');
    expect(changeSet).toEqual({
      id: 'cs-1',
      changes: [
        { path: '/repo/b/new.txt', kind: 'add', oldText: undefined, newText: 'x\n' },
        { path: '/tmp/abs.txt', kind: 'add', oldText: undefined, newText: 'y\n' },
      ],
    });
  });

  it('records a move with the old text of the source', async () => {
    const files = new MemoryFiles({ '/repo/old.txt': 'a\n' });
    const changeSet = await computeChangeSet(patchOf('*** Update File: old.txt', '*** Move to: sub/new.txt', '@@', '-a', '+b'), CWD, files);
    expect(changeSet.changes).toEqual([{ path: '/repo/old.txt', kind: 'update', movePath: '/repo/sub/new.txt', oldText: 'a\n', newText: 'b\n' }]);
  });

  it('records Add File over an existing file as an update of it', async () => {
    const files = new MemoryFiles({ '/repo/f.txt': 'old\n' });
    const changeSet = await computeChangeSet(patchOf('*** Add File: f.txt', '+new'), CWD, files);
    expect(changeSet.changes).toEqual([{ path: '/repo/f.txt', kind: 'update', oldText: 'old\n', newText: 'new\n' }]);
  });

  it('folds several operations on one file into one change per path', async () => {
    const files = new MemoryFiles({ '/repo/f.txt': 'a\nb\n' });
    const changeSet = await computeChangeSet(
      patchOf('*** Update File: f.txt', '@@', '-a', '+A', '*** Update File: f.txt', '@@', '-b', '+B', '*** Add File: g.txt', '+g', '*** Update File: g.txt', '@@', '-g', '+G'),
      CWD,
      files,
    );
    expect(changeSet.changes).toEqual([
      { path: '/repo/f.txt', kind: 'update', oldText: 'a\nb\n', newText: 'A\nB\n' },
      { path: '/repo/g.txt', kind: 'add', oldText: undefined, newText: 'G\n' },
    ]);
  });
});
