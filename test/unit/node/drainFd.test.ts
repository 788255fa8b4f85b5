// drainFd (src/node/drainFd.ts): reads in order until end of file, stops at its cap, and reports a bad
// descriptor instead of throwing. The non-blocking "empty" end is exercised on real ptys and pipes
// (ptyRunner.test.ts, outputCapture.stress.test.ts).
import { closeSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { drainFd } from '../../../src/node/drainFd';

function fileWith(bytes: Buffer): number {
  const path = join(mkdtempSync(join(tmpdir(), 'tandem-drain-')), 'f');
  writeFileSync(path, bytes);
  return openSync(path, 'r');
}

describe('drainFd', () => {
  const bytes = Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 7) & 0xff));

  it('reads everything, in order, to end of file', () => {
    const fd = fileWith(bytes);
    const chunks: Buffer[] = [];
    expect(drainFd(fd, (chunk) => chunks.push(chunk))).toBe('eof');
    expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
    closeSync(fd);
  });

  it('stops at its cap and says so; the rest stays readable', () => {
    const fd = fileWith(bytes);
    const chunks: Buffer[] = [];
    expect(drainFd(fd, (chunk) => chunks.push(chunk), 70_001)).toBe('capped');
    expect(Buffer.concat(chunks).equals(bytes.subarray(0, 70_001))).toBe(true);
    expect(drainFd(fd, (chunk) => chunks.push(chunk))).toBe('eof');
    expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
    closeSync(fd);
  });

  it('reports a closed descriptor as an error without reading anything', () => {
    const fd = fileWith(bytes);
    closeSync(fd);
    const chunks: Buffer[] = [];
    expect(drainFd(fd, (chunk) => chunks.push(chunk))).toBe('error');
    expect(chunks).toEqual([]);
  });
});
