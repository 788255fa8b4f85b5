// Fuzzy ranking for the composer's `@` picker: a path matches when the query's characters appear in it in
// order (case-insensitive). Matches score higher for runs of consecutive characters, for characters at a
// word start (after `/`, `.`, `-`, `_`, a case change) and inside the file name rather than its folders.
// Pure: the host feeds it the workspace's relative paths.

/** The score of `query` against `path` (higher is better), or `undefined` when it does not match. */
export function fuzzyScore(query: string, path: string): number | undefined {
  const q = query.toLowerCase().replace(/\s+/g, '');
  if (q === '') return 0;
  const lower = path.toLowerCase();
  const nameStart = path.lastIndexOf('/') + 1;
  let score = 0;
  let from = 0;
  let previous = -2;
  for (const ch of q) {
    const i = lower.indexOf(ch, from);
    if (i < 0) return undefined;
    let points = 1;
    if (i === previous + 1) points += 4; // consecutive
    if (i === 0 || '/._- '.includes(path[i - 1]!) || (path[i] !== lower[i] && path[i - 1] === lower[i - 1])) points += 3; // word start
    if (i >= nameStart) points += 2; // in the file name
    score += points;
    previous = i;
    from = i + 1;
  }
  // Shorter paths first among equal matches; an exact file-name prefix wins outright.
  if (path.slice(nameStart).toLowerCase().startsWith(q)) score += 10;
  return score - path.length / 100;
}

/** The `limit` best matches of `query` among `paths`, best first (ties: shorter, then alphabetical). */
export function rankPaths(query: string, paths: readonly string[], limit = 20): string[] {
  const scored: { path: string; score: number }[] = [];
  for (const path of paths) {
    const score = fuzzyScore(query, path);
    if (score !== undefined) scored.push({ path, score });
  }
  scored.sort((a, b) => b.score - a.score || a.path.length - b.path.length || a.path.localeCompare(b.path));
  return scored.slice(0, limit).map((s) => s.path);
}

/** The folders that hold `files` (relative paths, `/`-separated), each once, without the root. */
export function foldersOf(files: readonly string[]): string[] {
  const folders = new Set<string>();
  for (const file of files) {
    const parts = file.split('/');
    for (let i = 1; i < parts.length; i++) folders.add(parts.slice(0, i).join('/'));
  }
  return [...folders];
}
