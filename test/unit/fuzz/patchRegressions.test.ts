// Minimal, deterministic forms of what the apply_patch fuzz found (patchEngine.fuzz.test.ts), so each
// fix stays fixed even if the fuzz's random sequence changes.
import { describe, expect, it } from 'vitest';
import { computeChangeSet, PatchApplyError, PatchParseError } from '../../../src/core/patch/apply';
import { MemoryFiles, patchOf } from '../core/patch/memoryFiles';

const CWD = '/ws';

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the patch to be rejected');
}

describe('apply_patch regressions found by fuzzing', () => {
  it('keeps the line break of the context lines in a mixed LF / CRLF file (only edited lines change)', async () => {
    // Mostly CRLF, but `b` and `d` end in LF: before the fix, the context lines `b` and `d` became CRLF.
    const original = 'a\r\nb\nc\r\nd\ne\r\n';
    const files = new MemoryFiles({ '/ws/m.txt': original });
    const { changes } = await computeChangeSet(patchOf('*** Update File: m.txt', '@@', ' b', '-c', '+C', ' d'), CWD, files);
    expect(changes[0]!.newText).toBe('a\r\nb\nC\r\nd\ne\r\n');
  });

  it.each([
    ['a huge line outside any operation', patchOf(`x${'z'.repeat(2_000_000)}`)],
    ['a huge chunk line', patchOf('*** Update File: f.txt', '@@', `?${'z'.repeat(2_000_000)}`)],
    ['a huge path', patchOf(`*** Delete File: ${'d/'.repeat(1_000_000)}f`)],
    ['a huge first line', `${'z'.repeat(2_000_000)}\n*** End Patch`],
    ['huge context lines that do not match', patchOf('*** Update File: f.txt', '@@', ...Array.from({ length: 30 }, () => ` ${'q'.repeat(100_000)}`), '-x')],
  ])('quotes %s in the error clipped, not whole (the message goes to the model)', async (_what, patch) => {
    const error = await rejection(computeChangeSet(patch, CWD, new MemoryFiles({ '/ws/f.txt': 'x\n' })));
    expect(error instanceof PatchParseError || error instanceof PatchApplyError).toBe(true);
    expect(error.message.length).toBeLessThan(6_000);
    expect(error.message).toMatch(/… \(\d+ more characters\)/);
  });

  it.each([
    ['under an existing file', patchOf('*** Add File: image.png/child.txt', '+x'), /^Cannot add image\.png\/child\.txt: image\.png is a file, not a directory\.$/],
    ['under a file the patch adds', patchOf('*** Add File: a', '+x', '*** Add File: a/b', '+y'), /^Cannot add a\/b: a is a file, not a directory\.$/],
    ['by a move under a file', patchOf('*** Update File: f.txt', '*** Move to: image.png/f.txt', '@@', '-x', '+y'), /^Cannot move f\.txt to image\.png\/f\.txt: image\.png is a file/],
  ])('refuses to create a file %s at once, instead of a change set the writer can only fail on', async (_what, patch, message) => {
    const files = new MemoryFiles({ '/ws/image.png': 'png', '/ws/f.txt': 'x\n' }, ['/ws']);
    const error = await rejection(computeChangeSet(patch, CWD, files));
    expect(error).toBeInstanceOf(PatchApplyError);
    expect(error.message).toMatch(message);
  });

  it('finds a long chunk in a long file of repeated lines in linear time', async () => {
    // Every line of the chunk matches half the file's lines; the naive scan took ~16 s for this.
    const file = `${Array.from({ length: 100_000 }, (_, i) => (i % 2 ? '  }' : '}')).join('\n')}\n`;
    const context = Array.from({ length: 20_000 }, (_, i) => (i % 2 ? '   }' : ' }'));
    // No timing assertion (speed belongs to benchmarks): the 5 s test timeout is the guard against the old scan.
    const error = await rejection(computeChangeSet(patchOf('*** Update File: big.json', '@@', ...context, '-not in the file'), CWD, new MemoryFiles({ '/ws/big.json': file })));
    expect(error).toBeInstanceOf(PatchApplyError);
  }, 5_000);
});
