// FileReader over the local disk. Text is decoded strictly as UTF-8 with any BOM kept, so that what the
// patch engine writes back is byte-identical outside the edited lines; a file that is not UTF-8 (binary,
// Latin-1) is refused rather than silently corrupted. `readTextWithRealPath` also says where the file it
// opened really is, taken from the open descriptor (on Linux the kernel's /proc/self/fd link), so a
// caller checking the workspace boundary cannot be fooled by a symlink swapped in after its check.
import { lstat, open, readdir, readFile, readlink, realpath, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { FileReader } from '../core/ports';
import type { RealPathReporting } from '../core/tools/patchConfinement';

function decode(path: string, bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new Error(`${path} is not UTF-8 text (a binary file, or text in another encoding such as Latin-1), so it is left alone`);
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

export class NodeFileReader implements FileReader, RealPathReporting {
  async readText(path: string): Promise<string | undefined> {
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
    return decode(path, bytes);
  }

  async readTextWithRealPath(path: string): Promise<{ text: string | undefined; realPath: string }> {
    let handle;
    try {
      handle = await open(path, 'r');
    } catch (error) {
      if (isMissing(error)) return { text: undefined, realPath: await this.realPath(path) };
      throw error;
    }
    try {
      const realPath = await openedPath(handle.fd, path, (await handle.stat()).ino);
      return { text: decode(path, await handle.readFile()), realPath };
    } finally {
      await handle.close();
    }
  }

  async exists(path: string): Promise<boolean> {
    try {
      await stat(path);
      return true;
    } catch {
      return false;
    }
  }

  async realPath(path: string): Promise<string> {
    const missing: string[] = [];
    for (let current = path; ; current = dirname(current)) {
      try {
        return join(await realpath(current), ...missing.reverse());
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if ((code !== 'ENOENT' && code !== 'ENOTDIR') || dirname(current) === current) return path;
        missing.push(basename(current));
      }
    }
  }

  async isSymbolicLink(path: string): Promise<boolean> {
    try {
      return (await lstat(path)).isSymbolicLink();
    } catch (error) {
      if (isMissing(error)) return false;
      throw error; // unreadable: the caller cannot rule a link out
    }
  }

  async isDirectory(path: string): Promise<boolean> {
    try {
      return (await stat(path)).isDirectory();
    } catch {
      return false;
    }
  }

  async listDirectory(path: string): Promise<string[]> {
    try {
      return await readdir(path);
    } catch (error) {
      if (isMissing(error)) return [];
      throw error; // unreadable: say so rather than pretend it is empty
    }
  }
}

/**
 * The path of the file open on `fd`. Linux names it exactly; elsewhere the resolved path is accepted
 * only if it is still the same file (same inode) as the one open, else the read is refused.
 */
async function openedPath(fd: number, path: string, ino: number): Promise<string> {
  if (process.platform === 'linux') {
    const link = await readlink(`/proc/self/fd/${fd}`).catch(() => undefined);
    if (link?.startsWith('/')) return link;
  }
  const resolved = await realpath(path);
  if ((await stat(resolved)).ino !== ino) throw new Error(`${path} changed while it was being read`);
  return resolved;
}
