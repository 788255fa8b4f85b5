// `/review` in the composer: the scopes it names, what is not the command at all, and refs that must not
// reach git (options, ranges, shell).
import { describe, expect, it } from 'vitest';
import { parseReviewCommand } from '../../../../src/core/codeReview/chatCommand';

describe('parseReviewCommand', () => {
  it('reads each scope', () => {
    expect(parseReviewCommand('/review')).toEqual({ kind: 'scope', scope: { kind: 'uncommitted' } });
    expect(parseReviewCommand('  /review  \n')).toEqual({ kind: 'scope', scope: { kind: 'uncommitted' } });
    expect(parseReviewCommand('/review uncommitted')).toEqual({ kind: 'scope', scope: { kind: 'uncommitted' } });
    expect(parseReviewCommand('/review staged')).toEqual({ kind: 'scope', scope: { kind: 'staged' } });
    expect(parseReviewCommand('/review --staged')).toEqual({ kind: 'scope', scope: { kind: 'staged' } });
    expect(parseReviewCommand('/review base main')).toEqual({ kind: 'scope', scope: { kind: 'base', base: 'main' } });
    expect(parseReviewCommand('/review base origin/release-1.2')).toEqual({ kind: 'scope', scope: { kind: 'base', base: 'origin/release-1.2' } });
    expect(parseReviewCommand('/review commit 1a2b3c4')).toEqual({ kind: 'scope', scope: { kind: 'commit', sha: '1a2b3c4' } });
    expect(parseReviewCommand('/review last-turn')).toEqual({ kind: 'last-turn' });
  });

  it('is not the command when the text only looks like it', () => {
    for (const text of ['/reviewer', 'please /review this', 'review', '/Review', '/reviews staged', '']) expect(parseReviewCommand(text)).toBeUndefined();
  });

  it('refuses refs that git would read as options, ranges or shell, and stray words', () => {
    for (const text of [
      '/review base --output=/tmp/x',
      '/review base -p',
      '/review commit a..b',
      '/review base main;rm',
      '/review base $(id)',
      '/review commit `id`',
      '/review base',
      '/review commit',
      '/review staged extra',
      '/review base main extra',
      '/review everything',
    ]) expect(parseReviewCommand(text)).toMatchObject({ kind: 'usage' });
  });
});
