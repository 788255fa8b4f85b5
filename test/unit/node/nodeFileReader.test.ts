import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NodeFileReader } from '../../../src/node/nodeFileReader';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'tandem-reader-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('NodeFileReader', () => {
  const reader = new NodeFileReader();

  it('reads UTF-8 text and keeps a BOM', async () => {
    writeFileSync(join(root, 'bom.txt'), Buffer.from([0xef, 0xbb, 0xbf, 0x61, 0x0d, 0x0a]));
    expect(await reader.readText(join(root, 'bom.txt'))).toBe('\uFEFFa\r\n');
  });

  it('returns undefined for missing files, throws for directories and non-UTF-8 bytes', async () => {
    mkdirSync(join(root, 'dir'));
    writeFileSync(join(root, 'latin1.txt'), Buffer.from([0x63, 0x61, 0x66, 0xe9]));
    expect(await reader.readText(join(root, 'missing.txt'))).toBeUndefined();
    expect(await reader.readText(join(root, 'missing', 'deeper.txt'))).toBeUndefined();
    await expect(reader.readText(join(root, 'dir'))).rejects.toThrow(/EISDIR/);
    await expect(reader.readText(join(root, 'latin1.txt'))).rejects.toThrow(/latin1\.txt is not UTF-8 text/);
  });

  it('tells files from directories', async () => {
    mkdirSync(join(root, 'dir'));
    writeFileSync(join(root, 'f'), '');
    expect([await reader.exists(join(root, 'f')), await reader.isDirectory(join(root, 'f'))]).toEqual([true, false]);
    expect([await reader.exists(join(root, 'dir')), await reader.isDirectory(join(root, 'dir'))]).toEqual([true, true]);
    expect([await reader.exists(join(root, 'no')), await reader.isDirectory(join(root, 'no'))]).toEqual([false, false]);
  });
});
