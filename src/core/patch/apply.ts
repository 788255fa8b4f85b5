// Turns patch text into a ChangeSet: parses it, reads the files it names through the FileReader port and
// applies every operation in memory. Nothing is written here. Operations run in order against a pending
// view of the files, so a later operation sees what an earlier one did (Codex applies them one by one on
// disk). Any failure rejects the whole patch; the writer then applies all of it or nothing.
import type { FileReader } from '../ports';
import { applyChunks, PatchApplyError } from './applyChunks';
import { clip, MAX_QUOTE_CHARS } from './clip';
import { parsePatch, type PatchOperation } from './parser';
import { relativePathInside, resolvePath } from './posixPath';
import type { ChangeSet, FileChange } from './types';

export { PatchApplyError } from './applyChunks';
export { PatchParseError } from './parser';

let changeSetCounter = 0;

export async function computeChangeSet(patchText: string, cwd: string, files: FileReader, id?: string): Promise<ChangeSet> {
  const operations = parsePatch(patchText);
  const pending = new PendingFiles(files);
  const applied: AppliedOperation[] = [];
  for (const operation of operations) applied.push(await applyOperation(operation, cwd, pending));
  const changes = collectChanges(applied, pending);
  if (changes.length === 0) {
    throw new PatchApplyError('The patch applies but changes nothing: the files already have this content.');
  }
  return { id: id ?? `changeset-${Date.now().toString(36)}-${++changeSetCounter}`, changes };
}

interface AppliedOperation {
  kind: FileChange['kind'];
  path: string;
  movePath?: string;
}

async function applyOperation(operation: PatchOperation, cwd: string, pending: PendingFiles): Promise<AppliedOperation> {
  const path = resolvePath(cwd, operation.path);
  // As the patch wrote it, for messages (clipped: a path can be a megabyte of garbage).
  const shown = clip(operation.path);
  switch (operation.kind) {
    case 'add': {
      if (await pending.isDirectory(path)) throw new PatchApplyError(`Cannot add ${shown}: a directory with that name exists.`, shown);
      await refuseUnderFile(path, cwd, pending, `Cannot add ${shown}`, shown);
      // Adding over an existing file replaces it (as in Codex); it is recorded as an update of that file.
      await pending.read(path, shown);
      pending.write(path, operation.contents);
      return { kind: 'add', path };
    }
    case 'delete': {
      if (await pending.isDirectory(path)) throw new PatchApplyError(`Cannot delete ${shown}: it is a directory, and '*** Delete File:' only deletes files.`, shown);
      if ((await pending.read(path, shown)) === undefined) throw new PatchApplyError(`Cannot delete ${shown}: the file does not exist.`, shown);
      pending.write(path, undefined);
      return { kind: 'delete', path };
    }
    case 'update': {
      if (await pending.isDirectory(path)) throw new PatchApplyError(`Cannot update ${shown}: it is a directory.`, shown);
      const current = await pending.read(path, shown);
      if (current === undefined) {
        throw new PatchApplyError(`Cannot update ${shown}: the file does not exist. Use '*** Add File: ${shown}' to create it.`, shown);
      }
      const updated = applyChunks(current, operation.chunks, shown);
      const movePath = operation.movePath === undefined ? undefined : resolvePath(cwd, operation.movePath);
      if (movePath === undefined || movePath === path) {
        pending.write(path, updated);
        return { kind: 'update', path };
      }
      if (await pending.isDirectory(movePath)) throw new PatchApplyError(`Cannot move ${shown} to ${clip(operation.movePath ?? '')}: that is a directory.`, shown);
      await refuseUnderFile(movePath, cwd, pending, `Cannot move ${shown} to ${clip(operation.movePath ?? '')}`, shown);
      // Moving onto an existing file replaces it (as in Codex).
      await pending.read(movePath, clip(operation.movePath ?? movePath));
      pending.write(path, undefined);
      pending.write(movePath, updated);
      return { kind: 'update', path, movePath };
    }
  }
}

/**
 * A file cannot be created where a parent "directory" is a file (or one this patch adds or deletes: the
 * writer stages new files before it removes old ones). Caught here, the model hears it at once; left
 * to the writer, the change would be reviewed first and only then fail.
 */
async function refuseUnderFile(path: string, cwd: string, pending: PendingFiles, what: string, shown: string): Promise<void> {
  const file = await pending.fileAncestor(path);
  if (file !== undefined) throw new PatchApplyError(`${what}: ${clip(relativePathInside(cwd, file) ?? file)} is a file, not a directory.`, shown);
}

/**
 * One FileChange per operation when each path is touched once (the usual case, and the only one that can
 * express a move). When operations overlap (two updates of one file, add then update, …) each path gets
 * one change from its original to its final content instead, so the writer can check every file against
 * the state it was read in.
 */
function collectChanges(applied: AppliedOperation[], pending: PendingFiles): FileChange[] {
  const touches = applied.flatMap((op) => (op.movePath ? [op.path, op.movePath] : [op.path]));
  if (new Set(touches).size === touches.length) {
    return applied.flatMap((op): FileChange[] => {
      const oldText = pending.original(op.path);
      const newText = pending.current(op.movePath ?? op.path);
      if (op.kind === 'delete') return [{ path: op.path, kind: 'delete', oldText, newText: undefined }];
      if (oldText === undefined) return [{ path: op.path, kind: 'add', oldText, newText }];
      if (op.movePath) return [{ path: op.path, kind: 'update', movePath: op.movePath, oldText, newText }];
      return oldText === newText ? [] : [{ path: op.path, kind: 'update', oldText, newText }];
    });
  }
  return [...new Set(touches)].flatMap((path): FileChange[] => {
    const oldText = pending.original(path);
    const newText = pending.current(path);
    if (oldText === newText) return [];
    if (oldText === undefined) return [{ path, kind: 'add', oldText, newText }];
    if (newText === undefined) return [{ path, kind: 'delete', oldText, newText }];
    return [{ path, kind: 'update', oldText, newText }];
  });
}

/** The files as the patch has left them so far, over what the FileReader returns. */
class PendingFiles {
  private readonly originals = new Map<string, string | undefined>();
  private readonly contents = new Map<string, string | undefined>();
  private readonly directories = new Map<string, boolean>();

  constructor(private readonly files: FileReader) {}

  async isDirectory(path: string): Promise<boolean> {
    if (this.contents.get(path) !== undefined) return false;
    let known = this.directories.get(path);
    if (known === undefined) {
      known = await this.files.isDirectory(path);
      this.directories.set(path, known);
    }
    return known;
  }

  /** The nearest proper ancestor of `path` that is (or was, before this patch) a file, if any. */
  async fileAncestor(path: string): Promise<string | undefined> {
    for (let dir = parentOf(path); dir !== '/'; dir = parentOf(dir)) {
      if (this.contents.has(dir) && (this.contents.get(dir) !== undefined || this.originals.get(dir) !== undefined)) return dir;
      if (await this.isDirectory(dir)) return undefined;
      if (await this.files.exists(dir)) return dir;
    }
    return undefined;
  }

  async read(path: string, shown: string): Promise<string | undefined> {
    if (!this.contents.has(path)) {
      let text: string | undefined;
      try {
        text = await this.files.readText(path);
      } catch (error) {
        throw new PatchApplyError(`Cannot read ${shown}: ${clip(error instanceof Error ? error.message : String(error), 2 * MAX_QUOTE_CHARS)}`, shown);
      }
      this.originals.set(path, text);
      this.contents.set(path, text);
    }
    return this.contents.get(path);
  }

  /** Callers read a path before writing it, so its original content is known. */
  write(path: string, text: string | undefined): void {
    this.contents.set(path, text);
  }

  original(path: string): string | undefined {
    return this.originals.get(path);
  }

  current(path: string): string | undefined {
    return this.contents.get(path);
  }
}

function parentOf(path: string): string {
  return path.slice(0, path.lastIndexOf('/')) || '/';
}
