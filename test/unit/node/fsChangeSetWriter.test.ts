import * as fs from 'node:fs/promises';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChangeSet, FileChange } from '../../../src/core/patch/types';
import { ChangeSetWriteError, writeChangeSetAtomically, type WriterFileSystem } from '../../../src/node/fsChangeSetWriter';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'tandem-writer-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

const at = (relative: string) => join(root, relative);
const changeSet = (...changes: FileChange[]): ChangeSet => ({ id: 'cs', changes });

/** Every path under root (directories end with '/') with file contents, to prove "nothing changed". */
function tree(dir = root, prefix = ''): Record<string, string> {
  const entries: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) {
      entries[`${prefix}${name}/`] = '';
      Object.assign(entries, tree(full, `${prefix}${name}/`));
    } else {
      entries[`${prefix}${name}`] = readFileSync(full, 'utf8');
    }
  }
  return entries;
}

async function writeError(set: ChangeSet, fileSystem?: WriterFileSystem): Promise<Error> {
  try {
    await writeChangeSetAtomically(set, fileSystem);
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the write to fail');
}

describe('writeChangeSetAtomically', () => {
  it('adds, updates, deletes and moves, creating directories and leaving no temp files', async () => {
    writeFileSync(at('keep.txt'), 'old\n');
    writeFileSync(at('gone.txt'), 'bye\n');
    writeFileSync(at('from.txt'), 'm\n');
    await writeChangeSetAtomically(
      changeSet(
        { path: at('deep/new/file.txt'), kind: 'add', oldText: undefined, newText: 'hi\n' },
        { path: at('keep.txt'), kind: 'update', oldText: 'old\n', newText: 'new\n' },
        { path: at('gone.txt'), kind: 'delete', oldText: 'bye\n', newText: undefined },
        { path: at('from.txt'), kind: 'update', movePath: at('to/there.txt'), oldText: 'm\n', newText: 'M\n' },
      ),
    );
    expect(tree()).toEqual({ 'deep/': '', 'deep/new/': '', 'deep/new/file.txt': 'hi\n', 'keep.txt': 'new\n', 'to/': '', 'to/there.txt': 'M\n' });
  });

  it('writes BOM and CRLF content byte for byte and keeps the file mode', async () => {
    writeFileSync(at('run.sh'), 'echo a\r\n');
    chmodSync(at('run.sh'), 0o755);
    await writeChangeSetAtomically(changeSet({ path: at('run.sh'), kind: 'update', oldText: 'echo a\r\n', newText: '\uFEFFecho b\r\n' }));
    expect(readFileSync(at('run.sh'))).toEqual(Buffer.from([0xef, 0xbb, 0xbf, ...Buffer.from('echo b\r\n')]));
    expect(statSync(at('run.sh')).mode & 0o777).toBe(0o755);
  });

  it('refuses to delete a directory and changes nothing', async () => {
    mkdirSync(at('dir'));
    writeFileSync(at('dir/x.txt'), 'x');
    writeFileSync(at('a.txt'), 'a');
    const before = tree();
    const error = await writeError(
      changeSet({ path: at('a.txt'), kind: 'update', oldText: 'a', newText: 'b' }, { path: at('dir'), kind: 'delete', oldText: '', newText: undefined }),
    );
    expect(error).toBeInstanceOf(ChangeSetWriteError);
    expect(error.message).toMatch(/dir is a directory/);
    expect(tree()).toEqual(before);
  });

  it('refuses when a file changed, appeared or vanished since the patch was computed', async () => {
    writeFileSync(at('a.txt'), 'edited by someone\n');
    writeFileSync(at('b.txt'), 'b');
    const before = tree();
    expect((await writeError(changeSet({ path: at('a.txt'), kind: 'update', oldText: 'a\n', newText: 'x\n' }))).message).toMatch(/a\.txt changed on disk/);
    expect((await writeError(changeSet({ path: at('b.txt'), kind: 'add', oldText: undefined, newText: 'x' }))).message).toMatch(/b\.txt was created/);
    expect((await writeError(changeSet({ path: at('c.txt'), kind: 'delete', oldText: 'c', newText: undefined }))).message).toMatch(/c\.txt was removed/);
    expect(tree()).toEqual(before);
  });

  it('cleans up temp files and created directories when staging fails', async () => {
    writeFileSync(at('a.txt'), 'a');
    writeFileSync(at('blocker'), 'a file where a directory is needed');
    const before = tree();
    const error = await writeError(
      changeSet(
        { path: at('a.txt'), kind: 'update', oldText: 'a', newText: 'b' },
        { path: at('made/here.txt'), kind: 'add', oldText: undefined, newText: 'x' },
        { path: at('blocker/inside.txt'), kind: 'add', oldText: undefined, newText: 'x' },
      ),
    );
    expect(error.message).toMatch(/blocker is not a directory[\s\S]*every file was restored/);
    expect(tree()).toEqual(before);
  });

  it('rolls back files already renamed into place when a later rename fails', async () => {
    writeFileSync(at('one.txt'), '1');
    writeFileSync(at('two.txt'), '2');
    writeFileSync(at('three.txt'), '3');
    const before = tree();
    let renames = 0;
    const failingFs: WriterFileSystem = {
      ...fs,
      rename: async (from, to) => {
        // The third rename into place fails (e.g. the target became a directory, or the disk is full).
        if (String(from).endsWith('.tmp') && ++renames === 3) throw new Error(`EISDIR: cannot rename onto ${String(to)}`);
        return fs.rename(from, to);
      },
    };
    const error = await writeError(
      changeSet(
        { path: at('one.txt'), kind: 'update', oldText: '1', newText: 'one' },
        { path: at('new/two.txt'), kind: 'add', oldText: undefined, newText: 'new' },
        { path: at('two.txt'), kind: 'delete', oldText: '2', newText: undefined },
        { path: at('three.txt'), kind: 'update', movePath: at('moved/three.txt'), oldText: '3', newText: 'three' },
      ),
      failingFs,
    );
    expect(error.message).toMatch(/EISDIR[\s\S]*every file was restored/);
    expect(tree()).toEqual(before);
  });

  it('says so when the rollback itself fails', async () => {
    writeFileSync(at('one.txt'), '1');
    writeFileSync(at('two.txt'), '2');
    let renames = 0;
    const brokenFs: WriterFileSystem = {
      ...fs,
      rename: async (from, to) => {
        renames++;
        if (renames >= 2) throw new Error('disk gone');
        return fs.rename(from, to);
      },
    };
    const error = await writeError(
      changeSet({ path: at('one.txt'), kind: 'update', oldText: '1', newText: 'one' }, { path: at('two.txt'), kind: 'update', oldText: '2', newText: 'two' }),
      brokenFs,
    );
    expect(error.message).toMatch(/disk gone\. Restoring the files also failed, check them: restore .*one\.txt: disk gone/);
  });

  it('refuses a change set that names one path twice', async () => {
    expect(
      (
        await writeError(
          changeSet({ path: at('a'), kind: 'add', oldText: undefined, newText: '' }, { path: at('b'), kind: 'update', movePath: at('a'), oldText: '', newText: '' }),
        )
      ).message,
    ).toMatch(/changes .*a twice/);
    expect(existsSync(at('a'))).toBe(false);
  });
});
