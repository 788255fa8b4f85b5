// Writes a ChangeSet to disk all-or-nothing, for the headless CLI (the extension goes through a VS Code
// WorkspaceEdit instead). Three phases:
//   1. verify: every file still has the content the patch was computed from (an add's path is still free);
//   2. stage:  each new content goes to a temp file next to its target (same file system, so rename works);
//   3. commit: renames into place, keeping each replaced or deleted file as a backup.
// If anything fails, the commit is undone from the backups, temp files and directories created here are
// removed, and the error says what failed. A rename is atomic, so each file is always either old or new.
// Pass confinedWriterFs(workspaceRoots) as the file system to make every change land inside the
// workspace even while a directory is being swapped for a symlink (see confinedWriterFs.ts). A target
// that is itself a symbolic link is refused: replacing it would turn the link into a plain file.
import { randomBytes } from 'node:crypto';
import * as nodeFs from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { ChangeSet } from '../core/patch/types';

/** The file-system calls the writer makes; tests substitute failing ones to exercise the rollback. */
export type WriterFileSystem = Pick<typeof nodeFs, 'readFile' | 'writeFile' | 'rename' | 'link' | 'copyFile' | 'unlink' | 'mkdir' | 'rmdir' | 'lstat' | 'stat' | 'chmod'>;

export class ChangeSetWriteError extends Error {
  override name = 'ChangeSetWriteError';
}

interface Step {
  target: string;
  /** New content, or `undefined` to remove the file. */
  content: string | undefined;
  /** What must be on disk: the old text, 'absent' for an add, 'any-file' for the destination of a move. */
  expect: { text: string } | 'absent' | 'any-file';
  /** Temp file holding `content`, once staged. */
  staged?: string;
  /** A file is there now (it gets backed up before being replaced or removed). */
  existed?: boolean;
  /** Mode of the file being replaced, kept for the new content (e.g. executable scripts). */
  mode?: number;
}

interface JournalEntry {
  target: string;
  /** Hard link (or copy) of the original, or the original itself renamed away for a removal. */
  backup?: string;
  /** The target now holds the new state (new content, or nothing for a removal). */
  replaced: boolean;
}

export async function writeChangeSetAtomically(changeSet: ChangeSet, fs: WriterFileSystem = nodeFs): Promise<void> {
  const steps = planSteps(changeSet);
  for (const step of steps) await verify(step, fs);

  const createdDirectories: string[] = [];
  const journal: JournalEntry[] = [];
  try {
    for (const step of steps) if (step.content !== undefined) await stage(step, fs, createdDirectories);
    for (const step of steps) await commit(step, fs, journal);
  } catch (error) {
    const rollbackProblems = await rollBack(steps, journal, createdDirectories, fs);
    const reason = error instanceof Error ? error.message : String(error);
    if (rollbackProblems.length === 0) throw new ChangeSetWriteError(`${reason} (every file was restored)`);
    throw new ChangeSetWriteError(`${reason}. Restoring the files also failed, check them: ${rollbackProblems.join('; ')}`);
  }
  for (const entry of journal) if (entry.backup) await fs.unlink(entry.backup).catch(() => undefined);
}

function planSteps(changeSet: ChangeSet): Step[] {
  const steps: Step[] = [];
  for (const change of changeSet.changes) {
    if (change.kind === 'add') {
      steps.push({ target: change.path, content: change.newText ?? '', expect: 'absent' });
    } else if (change.kind === 'delete') {
      steps.push({ target: change.path, content: undefined, expect: { text: change.oldText ?? '' } });
    } else if (change.movePath !== undefined && change.movePath !== change.path) {
      // Write the destination first, then remove the source: a failure in between is rolled back anyway.
      steps.push({ target: change.movePath, content: change.newText ?? '', expect: 'any-file' });
      steps.push({ target: change.path, content: undefined, expect: { text: change.oldText ?? '' } });
    } else {
      steps.push({ target: change.path, content: change.newText ?? '', expect: { text: change.oldText ?? '' } });
    }
  }
  const targets = steps.map((s) => s.target);
  const repeated = targets.find((target, i) => targets.indexOf(target) !== i);
  if (repeated !== undefined) throw new ChangeSetWriteError(`The change set changes ${repeated} twice.`);
  return steps;
}

async function verify(step: Step, fs: WriterFileSystem): Promise<void> {
  const stats = await fs.lstat(step.target).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
    throw new ChangeSetWriteError(`Cannot check ${step.target}: ${error.message}`);
  });
  if (stats?.isDirectory()) throw new ChangeSetWriteError(`${step.target} is a directory.`);
  if (stats?.isSymbolicLink() && step.expect !== 'absent') {
    throw new ChangeSetWriteError(`${step.target} is a symbolic link; edit the file it points to instead (a write would replace the link).`);
  }
  if (step.expect === 'absent') {
    if (stats) throw new ChangeSetWriteError(`${step.target} was created since the patch was computed.`);
    return;
  }
  step.existed = stats !== undefined;
  if (step.expect === 'any-file') {
    if (stats) step.mode = (await fs.stat(step.target)).mode;
    return;
  }
  if (!stats) throw new ChangeSetWriteError(`${step.target} was removed since the patch was computed.`);
  const bytes = await fs.readFile(step.target);
  if (!bytes.equals(Buffer.from(step.expect.text, 'utf8'))) throw new ChangeSetWriteError(`${step.target} changed on disk since the patch was computed.`);
  step.mode = (await fs.stat(step.target)).mode;
}

async function stage(step: Step, fs: WriterFileSystem, createdDirectories: string[]): Promise<void> {
  await ensureDirectory(dirname(step.target), fs, createdDirectories);
  const temp = siblingName(step.target, 'tmp');
  step.staged = temp; // before writing: a failed write can leave a partial file to clean up
  await fs.writeFile(temp, step.content ?? '', { flag: 'wx' });
  if (step.mode !== undefined) await fs.chmod(temp, step.mode & 0o7777);
}

async function commit(step: Step, fs: WriterFileSystem, journal: JournalEntry[]): Promise<void> {
  if (step.content === undefined) {
    const backup = siblingName(step.target, 'bak');
    await fs.rename(step.target, backup);
    journal.push({ target: step.target, backup, replaced: true });
    return;
  }
  const entry: JournalEntry = { target: step.target, replaced: false };
  if (step.existed) {
    // A hard link keeps the original without a moment where the target is missing.
    const backup = siblingName(step.target, 'bak');
    await fs.link(step.target, backup).catch(() => fs.copyFile(step.target, backup));
    entry.backup = backup;
  }
  journal.push(entry);
  await fs.rename(step.staged!, step.target);
  step.staged = undefined;
  entry.replaced = true;
}

/** Undoes the commit back to front; returns what could not be undone. */
async function rollBack(steps: Step[], journal: JournalEntry[], createdDirectories: string[], fs: WriterFileSystem): Promise<string[]> {
  const problems: string[] = [];
  const attempt = async (what: string, action: () => Promise<unknown>) => {
    try {
      await action();
    } catch (error) {
      problems.push(`${what}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  for (const entry of [...journal].reverse()) {
    const { target, backup } = entry;
    if (entry.replaced && backup) await attempt(`restore ${target}`, () => fs.rename(backup, target));
    else if (entry.replaced) await attempt(`remove ${target}`, () => fs.unlink(target));
    else if (backup) await attempt(`remove ${backup}`, () => fs.unlink(backup));
  }
  for (const step of steps) {
    const staged = step.staged;
    if (staged) await attempt(`remove ${staged}`, () => fs.unlink(staged).catch(ignoreMissing));
  }
  for (const directory of [...createdDirectories].reverse()) await attempt(`remove ${directory}`, () => fs.rmdir(directory));
  return problems;
}

/** Creates the missing directories above `directory`, recording each so a rollback can remove it. */
async function ensureDirectory(directory: string, fs: WriterFileSystem, createdDirectories: string[]): Promise<void> {
  const missing: string[] = [];
  for (let current = directory; ; current = dirname(current)) {
    const stats = await fs.stat(current).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (stats) {
      if (!stats.isDirectory()) throw new ChangeSetWriteError(`Cannot create ${directory}: ${current} is not a directory.`);
      break;
    }
    missing.push(current);
    if (dirname(current) === current) break;
  }
  for (const dir of missing.reverse()) {
    await fs.mkdir(dir);
    createdDirectories.push(dir);
  }
}

function ignoreMissing(error: NodeJS.ErrnoException): void {
  if (error.code !== 'ENOENT') throw error;
}

/** A hidden name in the target's own directory, so renames stay on one file system. */
function siblingName(target: string, purpose: 'tmp' | 'bak'): string {
  return join(dirname(target), `.${basename(target)}.tandem-${randomBytes(4).toString('hex')}.${purpose}`);
}
