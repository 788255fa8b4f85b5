// Lists the files of an npm tarball (gzipped ustar) with their modes and contents, so the npm package test
// reads exactly what `npm pack` wrote rather than trusting npm's own report. No dependency: 512-byte
// headers, octal sizes, data padded to 512.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

export interface TarEntry {
  name: string;
  mode: number;
  content: Buffer;
}

function field(block: Buffer, start: number, length: number): string {
  const raw = block.subarray(start, start + length);
  const end = raw.indexOf(0);
  return raw.toString('utf8', 0, end < 0 ? length : end);
}

export function tarEntries(file: string): TarEntry[] {
  const tar = gunzipSync(readFileSync(file));
  const entries: TarEntry[] = [];
  for (let at = 0; at + 512 <= tar.length; ) {
    const header = tar.subarray(at, at + 512);
    if (header.every((b) => b === 0)) break; // end of archive
    const name = field(header, 0, 100);
    const prefix = field(header, 345, 155);
    const size = parseInt(field(header, 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(header[156] ?? 0);
    const content = tar.subarray(at + 512, at + 512 + size);
    if (type === '0' || type === '\0') entries.push({ name: prefix ? `${prefix}/${name}` : name, mode: parseInt(field(header, 100, 8).trim(), 8), content });
    else if (type !== '5') throw new Error(`${file}: unexpected tar entry type '${type}' for ${name}`);
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return entries;
}
