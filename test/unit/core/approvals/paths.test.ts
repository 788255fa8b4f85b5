// Path resolution for shell words: `..`, absolute paths, `~`, workspace membership and protected paths.
import { describe, expect, it } from 'vitest';
import { containsWorkspaceRoot, protectedPart, resolveShellPath, workspaceRelative } from '../../../../src/core/approvals/paths';

describe('resolveShellPath', () => {
  it.each<[string, string, string | undefined, string | undefined]>([
    ['/ws', 'a/b.txt', undefined, '/ws/a/b.txt'],
    ['/ws/src', '../x', undefined, '/ws/x'],
    ['/ws/src', '../../etc/passwd', undefined, '/etc/passwd'],
    ['/ws', './a//b/./c/', undefined, '/ws/a/b/c'],
    ['/ws', '/abs/path', undefined, '/abs/path'],
    ['/ws', '/../../x', undefined, '/x'],
    ['/ws', '.', undefined, '/ws'],
    ['/ws', '~', '/home/me', '/home/me'],
    ['/ws', '~/notes/../x', '/home/me', '/home/me/x'],
    ['/ws', '~', undefined, undefined],
    ['/ws', '~root/x', '/home/me', undefined],
    ['relative', 'x', undefined, undefined],
  ])('cwd %s, %s (home %s) -> %s', (cwd, word, home, expected) => {
    expect(resolveShellPath(cwd, word, home)).toBe(expected);
  });
});

describe('workspace membership', () => {
  const roots = ['/ws/app', '/ws/lib'];
  it.each<[string, string | undefined]>([
    ['/ws/app', '.'],
    ['/ws/app/src/a.ts', 'src/a.ts'],
    ['/ws/lib/x', 'x'],
    ['/ws/application/x', undefined],
    ['/ws', undefined],
    ['/etc/passwd', undefined],
    ['relative/x', undefined],
  ])('%s -> %s', (path, expected) => {
    expect(workspaceRelative(roots, path)).toBe(expected);
  });

  it('knows when a path would take a whole workspace root with it', () => {
    expect(containsWorkspaceRoot(roots, '/ws')).toBe(true);
    expect(containsWorkspaceRoot(roots, '/ws/app')).toBe(true);
    expect(containsWorkspaceRoot(roots, '/')).toBe(true);
    expect(containsWorkspaceRoot(roots, '/ws/app/src')).toBe(false);
  });

  it.each<[string, string | undefined]>([
    ['.git/config', '.git/'],
    ['.git', '.git/'],
    ['sub/.git/hooks/pre-commit', '.git/'],
    ['.vscode/settings.json', '.vscode/'],
    ['.tandem/sessions/x.jsonl', '.tandem/'],
    ['AGENTS.md', 'AGENTS.md'],
    ['docs/agents.md', 'agents.md'],
    ['.gitignore', undefined],
    ['src/git/x.ts', undefined],
    ['README.md', undefined],
  ])('protected part of %s is %s', (relative, expected) => {
    expect(protectedPart(relative)).toBe(expected);
  });
});
