// FileReader over the local disk. Text is decoded strictly as UTF-8 with any BOM kept, so that what the
// patch engine writes back is byte-identical outside the edited lines; a file that is not UTF-8 (binary,
// Latin-1) is refused rather than silently corrupted.
import { readFile, realpath, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { FileReader } from '../core/ports';

export class NodeFileReader implements FileReader {
  async readText(path: string): Promise<string | undefined> {
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      throw error;
    }
    try {
      return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
    } catch {
      throw new Error(`${path} is not UTF-8 text (a binary file, or text in another encoding such as Latin-1), so it is left alone`);
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

  async isDirectory(path: string): Promise<boolean> {
    try {
      return (await stat(path)).isDirectory();
    } catch {
      return false;
    }
  }
}
