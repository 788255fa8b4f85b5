// One review end to end in the core, on a diff the caller already has (the "last agent turn" scope), with
// the real SDK clients against the scripted mock: findings mapped and filtered, the retry, the failure.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReviewAnswerError, reviewChanges, reviewJson } from '../../../../src/core/codeReview/runReview';
import { createModelClient } from '../../../../src/core/model/createClient';
import { createReviewGitRunner } from '../../../../src/node/reviewGitRunner';
import { mock, startMockOpenAI, type MockOpenAI } from '../../../fixtures/mockOpenAI';

let api: MockOpenAI;
beforeAll(async () => {
  api = await startMockOpenAI();
});
afterAll(async () => api.close());

const DIFF = ['diff --git a/src/a.ts b/src/a.ts', '--- a/src/a.ts', '+++ b/src/a.ts', '@@ -1,2 +1,2 @@', ' const a = 1;', '-const b = a + 1;', '+const b = a - 1;', ''].join('\n');
const answer = (line: number) =>
  JSON.stringify({
    findings: [{ title: '[P0] Subtracts instead of adding', body: 'b is 0.', confidence_score: 0.7, priority: 0, code_location: { absolute_file_path: '/ws/src/a.ts', line_range: { start: line, end: line } } }],
    overall_correctness: 'patch is incorrect',
    overall_explanation: 'Wrong sign.',
    overall_confidence_score: 0.6,
  });

const run = (wireApi: 'responses' | 'chat') =>
  reviewChanges({
    runner: createReviewGitRunner(),
    client: createModelClient({ wireApi, baseUrl: api.baseUrl, apiKey: 'k' }),
    model: 'm',
    cwd: '/ws',
    scope: { kind: 'diff', label: 'changes of the last agent turn', diff: DIFF },
    filter: { threshold: 1, maxFindings: 5 },
    signal: new AbortController().signal,
  });

describe('reviewChanges on a given diff', () => {
  it.each(['responses', 'chat'] as const)('maps the finding to its changed line (%s)', async (wireApi) => {
    api.setScript([{ steps: [mock.text(answer(2))] }]);
    const result = await run(wireApi);
    expect(result.attempts).toBe(1);
    expect(result.kept.map((k) => [k.path, k.finding.code_location.line_range.start])).toEqual([['src/a.ts', 2]]);
    expect(reviewJson(result).findings[0]?.code_location.absolute_file_path).toBe('/ws/src/a.ts');
    expect(JSON.stringify(api.requests.at(-1)?.body)).toContain('Review the changes of the last agent turn.');
  });

  it('a finding on an unchanged line is dropped and counted', async () => {
    api.setScript([{ steps: [mock.text(answer(1))] }]);
    const result = await run('responses');
    expect(result.kept).toEqual([]);
    expect(result.dropped.outsideChanges).toBe(1);
  });

  it('two malformed answers: ReviewAnswerError after exactly two requests', async () => {
    api.setScript([{ steps: [mock.text('{')] }, { steps: [mock.text('[]')] }]);
    const before = api.requests.length;
    await expect(run('chat')).rejects.toBeInstanceOf(ReviewAnswerError);
    expect(api.requests.length - before).toBe(2);
  });
});
