// The findings schema sent to the model as structured output (Responses `text.format` / Chat
// `response_format`, strict), and the validation of what comes back. Structured output is a request, not
// a guarantee (providers without it answer in prose or fenced JSON; a model may still invent fields), so
// the answer is parsed and checked here; anything off is a reason to retry once (see runReview.ts).
import type { Priority, ReviewFinding, ReviewOutput } from './types';

export const REVIEW_SCHEMA_NAME = 'code_review';

/** Codex's review output, as a strict JSON schema (every property required, nothing else allowed). */
export const REVIEW_OUTPUT_SCHEMA: Record<string, unknown> = {
  type: 'object',
  additionalProperties: false,
  required: ['findings', 'overall_correctness', 'overall_explanation', 'overall_confidence_score'],
  properties: {
    findings: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['title', 'body', 'confidence_score', 'priority', 'code_location'],
        properties: {
          title: { type: 'string', description: 'At most 80 characters, imperative, prefixed with the priority tag such as "[P1] ".' },
          body: { type: 'string', description: 'One short paragraph: why this is a problem and when it shows (markdown).' },
          confidence_score: { type: 'number', description: 'Confidence that this is a real problem, 0 to 1.' },
          priority: { type: 'integer', enum: [0, 1, 2, 3], description: '0 = P0 (blocking) … 3 = P3 (nice to have).' },
          code_location: {
            type: 'object',
            additionalProperties: false,
            required: ['absolute_file_path', 'line_range'],
            properties: {
              absolute_file_path: { type: 'string' },
              line_range: {
                type: 'object',
                additionalProperties: false,
                required: ['start', 'end'],
                properties: { start: { type: 'integer' }, end: { type: 'integer' } },
              },
            },
          },
        },
      },
    },
    overall_correctness: { type: 'string', enum: ['patch is correct', 'patch is incorrect'] },
    overall_explanation: { type: 'string' },
    overall_confidence_score: { type: 'number' },
  },
};

/** Longer texts are cut: a model that writes a novel in a title must not flood an editor or a PR. */
const MAX_TITLE = 200;
const MAX_BODY = 4_000;
const MAX_EXPLANATION = 4_000;
const MAX_PATH = 4_096;
/** More findings than this are not read at all (the list is cut to the user's maximum later). */
const MAX_FINDINGS = 200;

export type Validation = { ok: true; output: ReviewOutput } | { ok: false; reason: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);
const score = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : undefined);

/** The JSON text inside an answer: as it is, or inside the one ```json fence a provider without structured output wrapped it in. */
function jsonText(answer: string): string {
  const trimmed = answer.trim();
  const fenced = /^```(?:json)?\s*\n([\s\S]*?)\n```$/.exec(trimmed);
  return fenced ? (fenced[1] as string) : trimmed;
}

function validPriority(v: unknown): Priority | undefined {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 3) return v as Priority;
  return undefined;
}

function validLine(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 10_000_000 ? v : undefined;
}

function validateFinding(raw: unknown, i: number): ReviewFinding | string {
  if (!isObject(raw)) return `findings[${i}] is not an object`;
  if (typeof raw.title !== 'string' || raw.title.trim() === '') return `findings[${i}].title is not a non-empty string`;
  if (typeof raw.body !== 'string') return `findings[${i}].body is not a string`;
  const confidence = score(raw.confidence_score);
  if (confidence === undefined) return `findings[${i}].confidence_score is not a number`;
  const priority = validPriority(raw.priority);
  if (priority === undefined) return `findings[${i}].priority is not 0, 1, 2 or 3`;
  const location = raw.code_location;
  if (!isObject(location)) return `findings[${i}].code_location is not an object`;
  if (typeof location.absolute_file_path !== 'string' || location.absolute_file_path === '' || location.absolute_file_path.length > MAX_PATH) {
    return `findings[${i}].code_location.absolute_file_path is not a path`;
  }
  const range = location.line_range;
  if (!isObject(range)) return `findings[${i}].code_location.line_range is not an object`;
  const start = validLine(range.start);
  const end = validLine(range.end);
  if (start === undefined || end === undefined || end < start) return `findings[${i}].code_location.line_range is not a 1-based start ≤ end`;
  return {
    title: clip(raw.title.trim(), MAX_TITLE),
    body: clip(raw.body.trim(), MAX_BODY),
    confidence_score: confidence,
    priority,
    code_location: { absolute_file_path: location.absolute_file_path, line_range: { start, end } },
  };
}

/** Parses and checks the model's answer; the reason names the first problem (it is sent back on the retry). */
export function validateReviewAnswer(answer: string): Validation {
  let raw: unknown;
  try {
    raw = JSON.parse(jsonText(answer));
  } catch (error) {
    return { ok: false, reason: `the answer is not JSON (${error instanceof Error ? error.message : String(error)})` };
  }
  if (!isObject(raw)) return { ok: false, reason: 'the answer is not a JSON object' };
  if (!Array.isArray(raw.findings)) return { ok: false, reason: 'findings is not an array' };
  if (typeof raw.overall_correctness !== 'string') return { ok: false, reason: 'overall_correctness is not a string' };
  if (typeof raw.overall_explanation !== 'string') return { ok: false, reason: 'overall_explanation is not a string' };
  const overallConfidence = score(raw.overall_confidence_score);
  if (overallConfidence === undefined) return { ok: false, reason: 'overall_confidence_score is not a number' };
  const findings: ReviewFinding[] = [];
  for (const [i, item] of raw.findings.slice(0, MAX_FINDINGS).entries()) {
    const finding = validateFinding(item, i);
    if (typeof finding === 'string') return { ok: false, reason: finding };
    findings.push(finding);
  }
  return {
    ok: true,
    output: {
      findings,
      overall_correctness: clip(raw.overall_correctness.trim(), 100),
      overall_explanation: clip(raw.overall_explanation.trim(), MAX_EXPLANATION),
      overall_confidence_score: overallConfidence,
    },
  };
}
