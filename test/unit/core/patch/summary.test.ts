import { describe, expect, it } from 'vitest';
import { summarizeChangeSet } from '../../../../src/core/patch/summary';

describe('summarizeChangeSet', () => {
  it('gives workspace-relative paths, line counts and a unified diff', () => {
    const [summary] = summarizeChangeSet({ id: 'c', changes: [{ path: '/ws/src/a.txt', kind: 'update', oldText: '1\n2\n3\n4\n5\n', newText: '1\n2\nthree\n4\n5\n' }] }, '/ws/');
    expect(summary).toEqual({
      path: 'src/a.txt',
      kind: 'update',
      added: 1,
      removed: 1,
      diff: '--- src/a.txt\n+++ src/a.txt\n@@ -1,5 +1,5 @@\n 1\n 2\n-3\n+three\n 4\n 5\n',
    });
  });

  it('uses /dev/null for adds and deletes and keeps outside paths absolute', () => {
    const summaries = summarizeChangeSet(
      {
        id: 'c',
        changes: [
          { path: '/ws/new.txt', kind: 'add', oldText: undefined, newText: 'a\nb\n' },
          { path: '/elsewhere/old.txt', kind: 'delete', oldText: 'x\n', newText: undefined },
        ],
      },
      '/ws',
    );
    expect(summaries.map((s) => [s.path, s.added, s.removed, s.diff.split('\n').slice(0, 2).join(' ')])).toEqual([
      ['new.txt', 2, 0, '--- /dev/null +++ new.txt'],
      ['/elsewhere/old.txt', 0, 1, '--- /elsewhere/old.txt +++ /dev/null'],
    ]);
  });

  it('shows a move with its destination', () => {
    const [summary] = summarizeChangeSet({ id: 'c', changes: [{ path: '/ws/a.txt', kind: 'update', movePath: '/ws/d/b.txt', oldText: 'x\n', newText: 'x\n' }] }, '/ws');
    expect(summary).toMatchObject({ path: 'a.txt', movePath: 'd/b.txt', added: 0, removed: 0 });
    expect(summary?.diff).toBe('--- a.txt\n+++ d/b.txt\n');
  });
});
