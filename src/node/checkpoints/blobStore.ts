// Content-addressed file contents for checkpoints: `<dir>/blobs/<2 hex>/<sha-256>`. The same content is
// stored once, however many checkpoints, sessions or workspaces refer to it. Writes go to a temp file and
// are renamed into place, so a blob is either complete or missing; a blob whose bytes do not hash to its
// name (a torn or tampered file) is treated as missing. The store lives in the host's storage (VS Code's
// globalStorage, ~/.tandem for the CLI), never in the user's repository; private permissions, because
// the contents are the user's files.
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

const PRIVATE_DIR_MODE = 0o700;
const PRIVATE_FILE_MODE = 0o600;

export function contentHash(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export class BlobStore {
  readonly dir: string;

  constructor(storeDir: string) {
    this.dir = path.join(storeDir, 'blobs');
  }

  private fileOf(hash: string): string {
    if (!/^[0-9a-f]{64}$/.test(hash)) throw new Error(`Invalid blob name: ${hash}`);
    return path.join(this.dir, hash.slice(0, 2), hash);
  }

  has(hash: string): boolean {
    try {
      return statSync(this.fileOf(hash)).isFile();
    } catch {
      return false;
    }
  }

  /** Stores `bytes` (once) and returns its hash. */
  put(bytes: Uint8Array, knownHash?: string): string {
    const hash = knownHash ?? contentHash(bytes);
    if (this.has(hash)) return hash;
    const file = this.fileOf(hash);
    mkdirSync(path.dirname(file), { recursive: true, mode: PRIVATE_DIR_MODE });
    const temp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      writeFileSync(temp, bytes, { mode: PRIVATE_FILE_MODE, flag: 'wx' });
      renameSync(temp, file);
    } catch (error) {
      rmSync(temp, { force: true });
      throw error;
    }
    return hash;
  }

  /** The content, or `undefined` when missing or corrupt. */
  get(hash: string): Buffer | undefined {
    try {
      const bytes = readFileSync(this.fileOf(hash));
      return contentHash(bytes) === hash ? bytes : undefined;
    } catch {
      return undefined;
    }
  }

  size(hash: string): number {
    try {
      return statSync(this.fileOf(hash)).size;
    } catch {
      return 0;
    }
  }

  /**
   * Deletes every blob not in `keep` (and stale temp files); returns the count and bytes freed. Blobs
   * younger than `graceMs` stay: another window may have just stored them for a snapshot it has not
   * recorded anywhere yet.
   */
  sweep(keep: ReadonlySet<string>, graceMs = 0): { removed: number; bytes: number; kept: number; keptBytes: number } {
    let removed = 0;
    let bytes = 0;
    let kept = 0;
    let keptBytes = 0;
    let prefixes: string[];
    try {
      prefixes = readdirSync(this.dir);
    } catch {
      return { removed, bytes, kept, keptBytes };
    }
    for (const prefix of prefixes) {
      const folder = path.join(this.dir, prefix);
      let names: string[];
      try {
        names = readdirSync(folder);
      } catch {
        continue;
      }
      for (const name of names) {
        const file = path.join(folder, name);
        let size = 0;
        try {
          const stats = statSync(file);
          // A temp file may be another window's write in progress: leave young ones alone.
          if (name.endsWith('.tmp') && Date.now() - stats.mtimeMs < 60_000) continue;
          if (!keep.has(name) && Date.now() - stats.mtimeMs < graceMs) continue;
          size = stats.size;
        } catch {
          continue;
        }
        if (keep.has(name)) {
          kept++;
          keptBytes += size;
          continue;
        }
        try {
          unlinkSync(file);
          removed++;
          bytes += size;
        } catch {
          // another window may have removed it first
        }
      }
    }
    return { removed, bytes, kept, keptBytes };
  }
}
