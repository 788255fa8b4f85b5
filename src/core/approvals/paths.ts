// Path questions the approval policy asks about shell arguments: where a word points once `~`, `..` and
// the working directory are taken into account, and whether that lies in the workspace or a protected
// place. Pure string work (core has no `path`); symlinks are not resolved, which is why the policy only
// uses these answers to decide when to *ask*, never to grant access the mode would otherwise refuse.
import { normalizePath, relativePathInside } from '../patch/posixPath';
import { PROTECTED_DIR_NAMES, PROTECTED_FILE_NAMES } from './protectedNames';

/** Directories and files an agent must not rewrite without a human looking (any depth, case-insensitive). */
const PROTECTED_DIRS = new Set<string>(PROTECTED_DIR_NAMES.map((name) => name.toLowerCase()));
const PROTECTED_FILES = new Set<string>(PROTECTED_FILE_NAMES.map((name) => name.toLowerCase()));

/**
 * The absolute, normalised path a shell word names when the shell runs in `cwd`. `~` and `~/x` use
 * `home` when it is known; `~user` forms and an unknown home give `undefined` ("somewhere unknown").
 */
export function resolveShellPath(cwd: string, word: string, home?: string): string | undefined {
  if (word === '~' || word.startsWith('~/')) {
    return home === undefined ? undefined : normalizePath(`${home}/${word.slice(1)}`);
  }
  if (word.startsWith('~')) return undefined;
  if (word.startsWith('/')) return normalizePath(word);
  if (!cwd.startsWith('/')) return undefined;
  return normalizePath(`${cwd}/${word}`);
}

/** `path` relative to the first workspace root that contains it, or `undefined` when it is outside all. */
export function workspaceRelative(roots: readonly string[], path: string): string | undefined {
  if (!path.startsWith('/')) return undefined;
  for (const root of roots) {
    const relative = relativePathInside(root, path);
    if (relative !== undefined) return relative;
  }
  return undefined;
}

/** True when `path` is a workspace root itself or one of its ancestors (deleting it loses the workspace). */
export function containsWorkspaceRoot(roots: readonly string[], path: string): boolean {
  return roots.some((root) => relativePathInside(path, root) !== undefined);
}

/** The protected part of a workspace-relative path (a name in protectedNames.ts at any depth), if any. */
export function protectedPart(relative: string): string | undefined {
  const parts = relative.split('/');
  const dir = parts.find((part) => PROTECTED_DIRS.has(part.toLowerCase()));
  if (dir !== undefined) return `${dir}/`;
  const last = parts.at(-1) ?? '';
  return PROTECTED_FILES.has(last.toLowerCase()) ? last : undefined;
}
