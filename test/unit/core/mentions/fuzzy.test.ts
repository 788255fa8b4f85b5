import { describe, expect, it } from 'vitest';
import { foldersOf, fuzzyScore, rankPaths } from '../../../../src/core/mentions/fuzzy';

describe('fuzzy ranking for @ mentions', () => {
  it('matches a subsequence, case-insensitively, and nothing else', () => {
    expect(fuzzyScore('hel', 'hello.ts')).toBeDefined();
    expect(fuzzyScore('HLO', 'src/hello.ts')).toBeDefined();
    expect(fuzzyScore('hlt', 'hello.ts')).toBeDefined();
    expect(fuzzyScore('xyz', 'hello.ts')).toBeUndefined();
    expect(fuzzyScore('olleh', 'hello.ts')).toBeUndefined();
    expect(fuzzyScore('', 'anything')).toBe(0);
  });

  it('ranks file-name prefixes and word starts above scattered matches', () => {
    const paths = ['src/shell/helpers/other.ts', 'docs/the-help.md', 'hello.ts', 'src/core/hello/world.ts', 'test/hello.test.ts'];
    const ranked = rankPaths('hel', paths);
    expect(ranked[0]).toBe('hello.ts');
    expect(ranked.indexOf('test/hello.test.ts')).toBeLessThan(ranked.indexOf('src/shell/helpers/other.ts'));
    expect(rankPaths('cw', ['src/core/hello/world.ts', 'crowd.ts'])).toEqual(['crowd.ts', 'src/core/hello/world.ts']);
    expect(rankPaths('ctrl', ['src/vscode/chatController.ts', 'src/core/tools/x.ts'])).toEqual(['src/vscode/chatController.ts']);
  });

  it('keeps the top N and lists every folder of the files once', () => {
    const paths = Array.from({ length: 100 }, (_, i) => `dir${i % 3}/file${i}.ts`);
    expect(rankPaths('file', paths, 20)).toHaveLength(20);
    expect(foldersOf(['a/b/c.ts', 'a/d.ts', 'e.ts']).sort()).toEqual(['a', 'a/b']);
  });
});
