// The few path operations the patch engine needs, on `/`-separated paths. Core cannot import node's `path`;
// these are plain string functions and never touch the file system (no symlink resolution).

/** Collapses `.`, `..`, repeated and trailing slashes. `..` never climbs above the root of an absolute path. */
export function normalizePath(path: string): string {
  const absolute = path.startsWith('/');
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length > 0 && parts.at(-1) !== '..') parts.pop();
      else if (!absolute) parts.push('..');
      continue;
    }
    parts.push(part);
  }
  const joined = parts.join('/');
  if (absolute) return `/${joined}`;
  return joined === '' ? '.' : joined;
}

/** `path` resolved against `base` (an absolute directory) unless it is absolute already. */
export function resolvePath(base: string, path: string): string {
  return normalizePath(path.startsWith('/') ? path : `${base}/${path}`);
}

/** `path` relative to `root` when it lies inside it (`'.'` for the root itself), otherwise `undefined`. */
export function relativePathInside(root: string, path: string): string | undefined {
  const normalRoot = normalizePath(root);
  const normalPath = normalizePath(path);
  if (normalPath === normalRoot) return '.';
  const prefix = normalRoot === '/' ? '/' : `${normalRoot}/`;
  return normalPath.startsWith(prefix) ? normalPath.slice(prefix.length) : undefined;
}
