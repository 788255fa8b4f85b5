// The unified-diff reader on the shapes git really prints, and on lines built to look like headers.
import { describe, expect, it } from 'vitest';
import { hunkAtLine, parseUnifiedDiff, unquoteGitPath } from '../../../../src/core/codeReview/diffParse';

const MODIFIED = [
  'diff --git a/src/a.ts b/src/a.ts',
  'index 1111111..2222222 100644',
  '--- a/src/a.ts',
  '+++ b/src/a.ts',
  '@@ -1,4 +1,5 @@',
  ' one',
  '-two',
  '+TWO',
  '+two and a half',
  ' three',
  '',
  '@@ -10,3 +11,2 @@ function f() {',
  ' ten',
  '--- not a header: a removed line starting with two dashes',
  ' twelve',
  '',
].join('\n');

describe('parseUnifiedDiff', () => {
  it('reads hunks by their counts: added lines get new-file numbers, removed "-- x" lines stay in the hunk', () => {
    const [file, ...rest] = parseUnifiedDiff(MODIFIED);
    expect(rest).toEqual([]);
    expect(file?.path).toBe('src/a.ts');
    expect(file?.status).toBe('modified');
    expect(file?.hunks.map((h) => [h.newStart, h.newLines, h.added])).toEqual([
      [1, 5, [2, 3]],
      [11, 2, []],
    ]);
    expect(file?.hunks[1]?.lines).toContain('--- not a header: a removed line starting with two dashes');
    // the blank context line (diff.suppressBlankEmpty prints it without its space) counts as context
    expect(file?.hunks[0]?.lines.at(-1)).toBe('');
    expect(hunkAtLine(file!, 3)?.newStart).toBe(1);
    expect(hunkAtLine(file!, 12)?.newStart).toBe(11);
    expect(hunkAtLine(file!, 40)).toBeUndefined();
  });

  it('reads added, deleted, renamed, binary files and C-quoted names', () => {
    const text = [
      'diff --git a/new.txt b/new.txt',
      'new file mode 100644',
      '--- /dev/null',
      '+++ b/new.txt',
      '@@ -0,0 +1 @@',
      '+hello',
      '\\ No newline at end of file',
      'diff --git a/gone.txt b/gone.txt',
      'deleted file mode 100644',
      '--- a/gone.txt',
      '+++ /dev/null',
      '@@ -1 +0,0 @@',
      '-bye',
      'diff --git a/old name.ts b/new name.ts',
      'similarity index 90%',
      'rename from old name.ts',
      'rename to new name.ts',
      '--- a/old name.ts',
      '+++ b/new name.ts',
      '@@ -1 +1 @@',
      '-x',
      '+y',
      'diff --git a/img.png b/img.png',
      'index 1..2 100644',
      'Binary files a/img.png and b/img.png differ',
      'diff --git "a/tab\\there\\303\\251.txt" "b/tab\\there\\303\\251.txt"',
      'new file mode 100644',
      '--- /dev/null',
      '+++ "b/tab\\there\\303\\251.txt"',
      '@@ -0,0 +1 @@',
      '+z',
    ].join('\n');
    const files = parseUnifiedDiff(text);
    expect(files.map((f) => [f.path, f.status, f.binary, f.oldPath])).toEqual([
      ['new.txt', 'added', false, undefined],
      ['gone.txt', 'deleted', false, undefined],
      ['new name.ts', 'renamed', false, 'old name.ts'],
      ['img.png', 'modified', true, undefined],
      ['tab\thereé.txt', 'added', false, undefined],
    ]);
    expect(files[0]?.hunks[0]?.lines).toEqual(['+hello', '\\ No newline at end of file']);
    expect(files[1]?.hunks[0]?.added).toEqual([]);
  });

  it('a "diff --git" or "@@" line inside a hunk is content, not a new file or hunk', () => {
    const text = ['diff --git a/x.md b/x.md', '--- a/x.md', '+++ b/x.md', '@@ -1,1 +1,3 @@', ' a', '+diff --git a/evil b/evil', '+@@ -1 +1 @@', ''].join('\n');
    const files = parseUnifiedDiff(text);
    expect(files).toHaveLength(1);
    expect(files[0]?.hunks).toHaveLength(1);
    expect(files[0]?.hunks[0]?.added).toEqual([2, 3]);
  });

  it('a truncated diff (hunk shorter than its header says) ends cleanly', () => {
    const files = parseUnifiedDiff(['diff --git a/x b/x', '--- a/x', '+++ b/x', '@@ -1,10 +1,10 @@', ' a', '+b'].join('\n'));
    expect(files[0]?.hunks[0]?.added).toEqual([2]);
  });

  it('unquotes git paths and leaves plain ones alone', () => {
    expect(unquoteGitPath('"a\\"b\\\\c\\nd"')).toBe('a"b\\c\nd');
    expect(unquoteGitPath('plain name')).toBe('plain name');
    expect(unquoteGitPath('"\\346\\227\\245"')).toBe('日');
  });
});
