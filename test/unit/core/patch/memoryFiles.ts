// An in-memory FileReader for patch tests: absolute paths to contents, plus explicit directories.
import type { FileReader } from '../../../../src/core/ports';

export class MemoryFiles implements FileReader {
  readonly files: Map<string, string>;

  constructor(
    files: Record<string, string> = {},
    private readonly directories: string[] = [],
  ) {
    this.files = new Map(Object.entries(files));
  }

  async readText(path: string): Promise<string | undefined> {
    if (this.directories.includes(path)) throw new Error(`EISDIR: ${path}`);
    return this.files.get(path);
  }

  async exists(path: string): Promise<boolean> {
    return this.files.has(path) || this.directories.includes(path);
  }

  async isDirectory(path: string): Promise<boolean> {
    return this.directories.includes(path);
  }
}

/** Wraps patch body lines in the Begin/End markers. */
export function patchOf(...lines: string[]): string {
  return ['*** Begin Patch', ...lines, '*** End Patch', ''].join('\n');
}
