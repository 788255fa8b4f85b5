// The checkpoint store's bounds and clean-up (per-session bytes, LRU of sessions, total bytes, blobs
// nobody refers to), its content addressing, and the root .gitignore reader the snapshot uses.
import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contentHash } from '../../../../src/node/checkpoints/blobStore';
import { CheckpointStore, type Checkpoint } from '../../../../src/node/checkpoints/checkpointStore';
import { IgnoreRules } from '../../../../src/node/checkpoints/ignoreRules';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tandem-ckstore-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function checkpointWith(store: CheckpointStore, turnId: string, contents: string[]): Checkpoint {
  return {
    turnId,
    createdAt: Date.now(),
    files: contents.map((text, i) => {
      const bytes = Buffer.from(text);
      return { path: `/ws/${turnId}-${i}`, before: { hash: store.blobs.put(bytes), size: bytes.length, mode: 0o644 }, after: { absent: true } };
    }),
  };
}

function blobCount(): number {
  let count = 0;
  for (const prefix of readdirSync(join(dir, 'blobs'))) count += readdirSync(join(dir, 'blobs', prefix)).length;
  return count;
}

describe('CheckpointStore', () => {
  it('stores each content once, by its sha-256, and treats a corrupt blob as missing', () => {
    const store = new CheckpointStore(dir);
    const a = store.blobs.put(Buffer.from('same'));
    expect(store.blobs.put(Buffer.from('same'))).toBe(a);
    expect(a).toBe(contentHash(Buffer.from('same')));
    expect(blobCount()).toBe(1);
    writeFileSync(join(dir, 'blobs', a.slice(0, 2), a), 'tampered');
    expect(store.blobs.get(a)).toBeUndefined();
    expect(store.blobs.get('../../etc/passwd')).toBeUndefined();
    expect(() => store.blobs.put(Buffer.from('x'), '../../etc/passwd')).toThrow(/Invalid blob name/);
  });

  it('drops a session\'s oldest checkpoints beyond its byte cap, keeping the newest whole', () => {
    const store = new CheckpointStore(dir, { maxSessionBytes: 250, blobGraceMs: 0 });
    store.save('s', checkpointWith(store, 't1', ['a'.repeat(100)]));
    store.save('s', checkpointWith(store, 't2', ['b'.repeat(100)]));
    store.save('s', checkpointWith(store, 't3', ['c'.repeat(100)]));
    expect(store.load('s').checkpoints.map((c) => c.turnId)).toEqual(['t2', 't3']);
    store.save('s', checkpointWith(store, 't4', ['d'.repeat(400)]));
    expect(store.load('s').checkpoints.map((c) => c.turnId)).toEqual(['t4']);
    const cleaned = store.cleanUp();
    expect(cleaned.blobsRemoved).toBe(3);
    expect(blobCount()).toBe(1);
  });

  it('keeps the most recently used sessions and sweeps the blobs only the dropped ones used', () => {
    const store = new CheckpointStore(dir, { maxSessions: 2, blobGraceMs: 0 });
    for (const [i, id] of ['old', 'middle', 'new'].entries()) {
      store.save(id, checkpointWith(store, 't', [`content of ${id}`, 'shared']));
      const file = join(dir, 'sessions', `${id}.json`);
      const when = new Date(Date.now() - (3 - i) * 60_000);
      utimesSync(file, when, when);
      // updatedAt inside the record decides, not the file's mtime
      const record = store.load(id);
      record.updatedAt = when.getTime();
      writeFileSync(file, JSON.stringify(record));
    }
    const cleaned = store.cleanUp();
    expect(cleaned.sessionsDropped).toEqual(['old']);
    expect(store.load('old').checkpoints).toEqual([]);
    expect(blobCount()).toBe(3); // middle, new, shared
  });

  it('drops least recently used sessions until the total fits, and keeps a live baseline\'s blobs', () => {
    const store = new CheckpointStore(dir, { maxTotalBytes: 150, blobGraceMs: 0 });
    store.save('a', checkpointWith(store, 't', ['x'.repeat(100)]));
    const record = store.load('a');
    record.updatedAt = 1;
    writeFileSync(join(dir, 'sessions', 'a.json'), JSON.stringify(record));
    store.save('b', checkpointWith(store, 't', ['y'.repeat(100)]));
    const baselineBlob = store.blobs.put(Buffer.from('z'.repeat(10)));
    store.saveBaseline('b', [baselineBlob]);
    const cleaned = store.cleanUp();
    expect(cleaned.sessionsDropped).toEqual(['a']);
    expect(store.blobs.get(baselineBlob)?.toString()).toBe('z'.repeat(10));
    expect(blobCount()).toBe(2);
  });

  it('keeps young unreferenced blobs (another window\'s snapshot in progress) and sweeps them once old', () => {
    const young = new CheckpointStore(dir).blobs.put(Buffer.from('just stored by another window'));
    expect(new CheckpointStore(dir).cleanUp().blobsRemoved).toBe(0);
    const file = join(dir, 'blobs', young.slice(0, 2), young);
    const old = new Date(Date.now() - 2 * 3600 * 1000);
    utimesSync(file, old, old);
    expect(new CheckpointStore(dir).cleanUp().blobsRemoved).toBe(1);
  });

  it('refuses session ids that would leave its folder', () => {
    const store = new CheckpointStore(dir);
    expect(() => store.save('../escape', checkpointWith(store, 't', []))).toThrow(/Invalid session id/);
  });
});

describe('IgnoreRules (root .gitignore)', () => {
  const rules = IgnoreRules.parse(['# comment', '', '/dist/', '*.log', '!keep.log', 'build', 'docs/**/*.tmp', 'a?c', '[Tt]emp/', '\\#hash'].join('\n'));
  it.each([
    ['dist', true, true],
    ['sub/dist', true, false], // anchored
    ['x.log', false, true],
    ['deep/x.log', false, true],
    ['keep.log', false, false],
    ['build', false, true],
    ['sub/build', true, true],
    ['docs/a/b/c.tmp', false, true],
    ['docs/c.tmp', false, true],
    ['other/c.tmp', false, false],
    ['abc', false, true],
    ['abbc', false, false],
    ['Temp', true, true],
    ['Temp', false, false], // directory-only rule
    ['#hash', false, true],
    ['src/index.ts', false, false],
  ])('%s (dir: %s) ignored: %s', (p, isDir, expected) => {
    expect(rules.ignores(p, isDir)).toBe(expected);
  });
});

describe('IgnoreRules against hostile patterns (a workspace .gitignore is untrusted)', () => {
  it('matches patterns that make a backtracking regex explode, on long paths, correctly', () => {
    const deep = Array.from({ length: 200 }, () => 'd').join('/');
    const rules = IgnoreRules.parse([`${'**/'.repeat(30)}x`, `${'*a'.repeat(30)}b`, 'q[a-c][!z]'].join('\n'));
    expect(rules.ignores(`${deep}/y`, false)).toBe(false);
    expect(rules.ignores(`${deep}/x`, false)).toBe(true);
    expect(rules.ignores('a'.repeat(250), false)).toBe(false);
    expect(rules.ignores(`${'a'.repeat(249)}b`, false)).toBe(true);
    expect(rules.ignores('qaz', false)).toBe(false);
    expect(rules.ignores('qay', false)).toBe(true);
    expect(rules.ignores('qdy', false)).toBe(false);
    // a line of spaces then a character (quadratic for a trailing-space regex); an escaped trailing space stays
    expect(IgnoreRules.parse(`${' '.repeat(200_000)}x\ntrail\\ `).ignores('trail ', false)).toBe(true);
  });
});
