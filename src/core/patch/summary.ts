// What the user (approval card, review UI) and the policy see of a change set: one entry per file with
// line counts and a unified diff. Paths are relative to the workspace root when inside it and absolute
// otherwise, which is how the policy tells "outside the workspace" apart.
import { structuredPatch, formatPatch, FILE_HEADERS_ONLY } from 'diff';
import type { FileChangeSummary } from '../../shared/events';
import { relativePathInside } from './posixPath';
import type { ChangeSet, FileChange } from './types';

const DIFF_CONTEXT_LINES = 3;

export function summarizeChangeSet(changeSet: ChangeSet, workspaceRoot: string): FileChangeSummary[] {
  return changeSet.changes.map((change) => summarizeChange(change, workspaceRoot));
}

function summarizeChange(change: FileChange, workspaceRoot: string): FileChangeSummary {
  const path = displayPath(change.path, workspaceRoot);
  const movePath = change.movePath === undefined ? undefined : displayPath(change.movePath, workspaceRoot);
  const patch = structuredPatch(
    change.kind === 'add' ? '/dev/null' : path,
    change.kind === 'delete' ? '/dev/null' : (movePath ?? path),
    change.oldText ?? '',
    change.newText ?? '',
    undefined,
    undefined,
    { context: DIFF_CONTEXT_LINES },
  );
  let added = 0;
  let removed = 0;
  for (const hunk of patch.hunks) {
    for (const line of hunk.lines) {
      if (line.startsWith('+')) added++;
      else if (line.startsWith('-')) removed++;
    }
  }
  return {
    path,
    kind: change.kind,
    ...(movePath !== undefined ? { movePath } : {}),
    added,
    removed,
    diff: formatPatch(patch, FILE_HEADERS_ONLY),
  };
}

function displayPath(path: string, workspaceRoot: string): string {
  return relativePathInside(workspaceRoot, path) ?? path;
}
