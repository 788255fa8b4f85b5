// apply_patch must know where a patch really reads and writes before it reads anything, and must never
// quote a file the agent may not see. A path is "inside" when it lies in a workspace root both as
// written and with every symlink resolved (a link in the workspace can point anywhere). Targets outside
// are authorized before they are read (read-only mode refuses them without touching them), and any
// failure of a patch that touched a file outside is reported without a line of that file: the engine's
// "closest lines" and even "changes nothing" would otherwise let the model read a file line by line.
// Reads go through a reader that re-checks the real path of each file it opens, so a directory swapped
// for a symlink after the first check is caught (by the opened file's own path where the reader can
// report it, see NodeFileReader.readTextWithRealPath). Pure: no node imports.
import { PatchApplyError } from '../patch/apply';
import type { PatchOperation } from '../patch/parser';
import { normalizePath, relativePathInside, resolvePath } from '../patch/posixPath';
import type { FileReader } from '../ports';
import { reportsRealPath, type WorkspaceScope } from './workspaceScope';

export type { RealPathReporting } from './workspaceScope';
export { WorkspaceScope } from './workspaceScope';

/** Every path the operations read or write (move destinations included), absolute. */
export function patchPaths(operations: readonly PatchOperation[], cwd: string): string[] {
  const paths = operations.flatMap((op) => [resolvePath(cwd, op.path), ...(op.kind === 'update' && op.movePath !== undefined ? [resolvePath(cwd, op.movePath)] : [])]);
  return [...new Set(paths)];
}

/** The paths among `paths` that are outside the workspace, as written or resolved. */
export async function outsidePaths(paths: readonly string[], scope: WorkspaceScope): Promise<string[]> {
  const outside: string[] = [];
  for (const path of paths) if ((await scope.resolveInside(path)) === undefined) outside.push(path);
  return outside;
}

/**
 * The FileReader the patch engine gets. Paths outside the workspace that were not authorized up front
 * (a link swapped in after the check) are refused before their content is returned; any contact with a
 * path outside sets `touchedOutside`, so the caller reports failures without quoting.
 */
export class ConfinedPatchReader implements FileReader {
  touchedOutside = false;

  constructor(
    private readonly inner: FileReader,
    private readonly scope: WorkspaceScope,
    private readonly authorizedOutside: ReadonlySet<string>,
  ) {
    if (inner.realPath) this.realPath = (path) => inner.realPath!(path);
  }

  realPath?: (path: string) => Promise<string>;

  async readText(path: string): Promise<string | undefined> {
    await this.check(path);
    if (reportsRealPath(this.inner)) {
      const { text, realPath } = await this.inner.readTextWithRealPath(path);
      // The opened file's own path: nothing can be swapped between this check and the content.
      if (text !== undefined && !this.scope.holdsRealPath(normalizePath(realPath))) this.outside(path);
      return text;
    }
    const text = await this.inner.readText(path);
    await this.check(path); // a swap during the read shows here, unless swapped back in between
    return text;
  }

  async exists(path: string): Promise<boolean> {
    await this.check(path);
    return this.inner.exists(path);
  }

  async isDirectory(path: string): Promise<boolean> {
    await this.check(path);
    return this.inner.isDirectory(path);
  }

  private async check(path: string): Promise<void> {
    if ((await this.scope.resolveInside(path)) !== undefined) return;
    this.outside(path);
  }

  /** Records contact with the outside; refuses it unless it is an authorized target or one of its parents. */
  private outside(path: string): void {
    this.touchedOutside = true;
    const normal = normalizePath(path);
    if ([...this.authorizedOutside].some((allowed) => relativePathInside(normal, allowed) !== undefined)) return;
    throw new PatchApplyError(`${path} resolves outside the workspace (it changed while the patch was being prepared); nothing was read from it.`, path);
  }
}

/** The failure message for a patch that touched files outside the workspace: no line of any file. */
export function contentFreeFailure(outside: readonly string[]): string {
  const list = outside.slice(0, 5).join(', ') + (outside.length > 5 ? ', …' : '');
  return (
    `The patch could not be applied. It involves files outside the workspace (${list}), and Tandem never quotes ` +
    'the content of files outside the workspace, so no lines are shown. Nothing was written. Check the file ' +
    'another way if the approval policy allows it, then send a patch whose context lines match exactly.'
  );
}

/**
 * The paths of a patch, as written, that are absolute or climb out of the directory the patch is
 * applied in (`../x`, `a/../../x`). `tandem apply-patch` refuses these, as `git apply` does.
 */
export function pathsLeavingDirectory(operations: readonly PatchOperation[]): string[] {
  const written = operations.flatMap((op) => [op.path, ...(op.kind === 'update' && op.movePath !== undefined ? [op.movePath] : [])]);
  return written.filter((path) => {
    const normal = normalizePath(path);
    return path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\') || normal === '..' || normal.startsWith('../');
  });
}
