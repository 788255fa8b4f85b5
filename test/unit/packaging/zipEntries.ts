// Lists and reads the entries of a VSIX (a zip) from its central directory, with the unix mode each entry
// carries (VS Code applies it when installing, so spawn-helper's x bit must be in the zip). A VSIX is small
// and never zip64; stored and deflated entries only, which is all vsce writes. No dependency: node's zlib.
import { readFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';

export interface ZipEntry {
  name: string;
  /** Unix permission bits (e.g. 0o755), or undefined when the entry was not written on unix. */
  mode: number | undefined;
  size: number;
  read(): Buffer;
}

export function zipEntries(file: string): ZipEntry[] {
  const zip = readFileSync(file);
  // End of central directory: its signature within the last 22 + 65535 (comment) bytes.
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error(`${file}: not a zip (no end of central directory)`);
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let n = 0; n < count; n++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error(`${file}: broken central directory at ${at}`);
    const madeOnUnix = zip[at + 5] === 3;
    const method = zip.readUInt16LE(at + 10);
    const compressed = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const external = zip.readUInt32LE(at + 38);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    if (compressed === 0xffffffff || local === 0xffffffff) throw new Error(`${file}: zip64 entry ${name} not supported`);
    entries.push({
      name,
      mode: madeOnUnix ? (external >>> 16) & 0o7777 : undefined,
      size,
      read() {
        if (zip.readUInt32LE(local) !== 0x04034b50) throw new Error(`${file}: broken local header for ${name}`);
        const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
        const raw = zip.subarray(start, start + compressed);
        if (method === 0) return Buffer.from(raw);
        if (method === 8) return inflateRawSync(raw);
        throw new Error(`${file}: ${name} uses compression method ${method}`);
      },
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}
