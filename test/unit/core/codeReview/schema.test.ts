// Validation of the model's review answer: what passes, what is cut, and each shape that must be refused
// (and so retried) rather than half-used.
import { describe, expect, it } from 'vitest';
import { REVIEW_OUTPUT_SCHEMA, validateReviewAnswer } from '../../../../src/core/codeReview/schema';

export const finding = (over: Record<string, unknown> = {}) => ({
  title: '[P1] Off-by-one drops the last item',
  body: 'The loop stops at `n - 1`.',
  confidence_score: 0.8,
  priority: 1,
  code_location: { absolute_file_path: '/repo/src/a.ts', line_range: { start: 2, end: 3 } },
  ...over,
});
const answer = (over: Record<string, unknown> = {}) => ({ findings: [finding()], overall_correctness: 'patch is incorrect', overall_explanation: 'One bug.', overall_confidence_score: 0.7, ...over });

describe('validateReviewAnswer', () => {
  it('accepts Codex-shaped JSON, plain or in one ```json fence', () => {
    const plain = validateReviewAnswer(JSON.stringify(answer()));
    expect(plain).toEqual({ ok: true, output: answer() });
    const fenced = validateReviewAnswer('```json\n' + JSON.stringify(answer()) + '\n```');
    expect(fenced.ok).toBe(true);
  });

  it('clamps scores into 0..1 and cuts overlong texts', () => {
    const result = validateReviewAnswer(JSON.stringify(answer({ overall_confidence_score: 7, findings: [finding({ confidence_score: -1, title: 'x'.repeat(5000) })] })));
    if (!result.ok) throw new Error(result.reason);
    expect(result.output.overall_confidence_score).toBe(1);
    expect(result.output.findings[0]?.confidence_score).toBe(0);
    expect(result.output.findings[0]?.title.length).toBeLessThanOrEqual(200);
  });

  it.each([
    ['prose', 'Looks good to me!', /not JSON/],
    ['an array', '[]', /not a JSON object/],
    ['findings missing', JSON.stringify({ overall_correctness: 'x', overall_explanation: 'y', overall_confidence_score: 1 }), /findings/],
    ['priority as text', JSON.stringify(answer({ findings: [finding({ priority: 'P1' })] })), /priority/],
    ['priority 4', JSON.stringify(answer({ findings: [finding({ priority: 4 })] })), /priority/],
    ['priority 1.5', JSON.stringify(answer({ findings: [finding({ priority: 1.5 })] })), /priority/],
    ['line 0', JSON.stringify(answer({ findings: [finding({ code_location: { absolute_file_path: '/r/a', line_range: { start: 0, end: 1 } } })] })), /line_range/],
    ['end before start', JSON.stringify(answer({ findings: [finding({ code_location: { absolute_file_path: '/r/a', line_range: { start: 5, end: 4 } } })] })), /line_range/],
    ['lines as strings', JSON.stringify(answer({ findings: [finding({ code_location: { absolute_file_path: '/r/a', line_range: { start: '1', end: '2' } } })] })), /line_range/],
    ['empty path', JSON.stringify(answer({ findings: [finding({ code_location: { absolute_file_path: '', line_range: { start: 1, end: 1 } } })] })), /absolute_file_path/],
    ['NaN confidence (as null)', JSON.stringify(answer({ findings: [finding({ confidence_score: null })] })), /confidence_score/],
    ['empty title', JSON.stringify(answer({ findings: [finding({ title: '   ' })] })), /title/],
    ['two fences', '```json\n{}\n```\n```json\n{}\n```', /not JSON/],
  ])('refuses %s', (_name, text, reason) => {
    const result = validateReviewAnswer(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });

  it('the schema is strict: every object lists all its properties as required and allows no others', () => {
    const walk = (node: unknown): void => {
      if (typeof node !== 'object' || node === null) return;
      const n = node as Record<string, unknown>;
      if (n.type === 'object') {
        expect(n.additionalProperties).toBe(false);
        expect([...(n.required as string[])].sort()).toEqual(Object.keys(n.properties as object).sort());
      }
      Object.values(n).forEach(walk);
    };
    walk(REVIEW_OUTPUT_SCHEMA);
    expect(Object.keys((REVIEW_OUTPUT_SCHEMA.properties as object))).toEqual(['findings', 'overall_correctness', 'overall_explanation', 'overall_confidence_score']);
  });
});
