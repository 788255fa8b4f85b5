// The workspace boundary as the agent's file tools must see it: a path is inside when it lies in a
// workspace root both as written and with every symlink resolved (a link in the workspace can point
// anywhere). Shared by apply_patch (patchConfinement.ts) and the instruction-file loader (agentsMd.ts).
// Pure: no node imports; symlinks are resolved through the FileReader port.
import { normalizePath, relativePathInside } from '../patch/posixPath';
import type { FileReader } from '../ports';

/** Optional capability of a FileReader: read a file and say where the opened file really is. */
export interface RealPathReporting {
  readTextWithRealPath(path: string): Promise<{ text: string | undefined; realPath: string }>;
}

export function reportsRealPath(files: FileReader): files is FileReader & RealPathReporting {
  return typeof (files as Partial<RealPathReporting>).readTextWithRealPath === 'function';
}

/** The workspace roots as written and resolved, and the test whether a path is inside them. */
export class WorkspaceScope {
  private constructor(
    private readonly roots: readonly string[],
    private readonly realRoots: readonly string[],
    private readonly files: FileReader,
  ) {}

  static async create(roots: readonly string[], files: FileReader): Promise<WorkspaceScope> {
    const written = roots.map(normalizePath);
    const real = files.realPath ? await Promise.all(written.map((r) => files.realPath!(r))) : [];
    return new WorkspaceScope(written, [...new Set([...written, ...real.map(normalizePath)])], files);
  }

  /** `realPath` (already resolved) lies in a root. */
  holdsRealPath(realPath: string): boolean {
    return this.realRoots.some((root) => relativePathInside(root, realPath) !== undefined);
  }

  /** Where `path` really is, or `undefined` when it (or what it resolves to) is outside every root. */
  async resolveInside(path: string): Promise<string | undefined> {
    const normal = normalizePath(path);
    if (!this.roots.some((root) => relativePathInside(root, normal) !== undefined)) return undefined;
    const real = this.files.realPath ? normalizePath(await this.files.realPath(normal)) : normal;
    return this.holdsRealPath(real) ? real : undefined;
  }
}

