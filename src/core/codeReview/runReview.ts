// One review, start to end: collect the scope's diff, ask the model for findings as structured output,
// validate the answer (a malformed one is retried once with the reason, then reported), and keep the
// findings that point at changed lines, above the threshold, not dismissed, at most N. Shared by the CLI
// and the editor; nothing here knows which of them asked.
import { streamWithRetry } from '../model/retry';
import type { ModelClient, ConversationItem } from '../model/types';
import type { ProcessRunner } from '../ports';
import { filterFindings, type FilteredFindings, type FindingFilter } from './findings';
import { collectDiff } from './gitDiff';
import { REVIEW_INSTRUCTIONS, reviewPrompt } from './prompt';
import { REVIEW_OUTPUT_SCHEMA, REVIEW_SCHEMA_NAME, validateReviewAnswer } from './schema';
import type { CollectedDiff, ReviewOutput, ReviewScope } from './types';

/** The model answered twice and neither answer was a valid review. */
export class ReviewAnswerError extends Error {}

/** Attempts at a valid answer: the first, and one retry that is told what was wrong. */
const ATTEMPTS = 2;

async function answerText(client: ModelClient, model: string, input: ConversationItem[], signal: AbortSignal, onNote?: (note: string) => void): Promise<string> {
  let done = '';
  let deltas = '';
  const request = { model, instructions: REVIEW_INSTRUCTIONS, input, tools: [], outputSchema: { name: REVIEW_SCHEMA_NAME, schema: REVIEW_OUTPUT_SCHEMA } };
  const onRetry = (_attempt: number, delayMs: number, reason: string) => onNote?.(`${reason} Retrying in ${Math.round(delayMs / 1000)}s…`);
  for await (const event of streamWithRetry(client, request, signal, { onRetry })) {
    if (event.type === 'text.delta') deltas += event.delta;
    if (event.type === 'text.done') done += event.text;
  }
  return done || deltas;
}

/** Asks for the review of `diff`; throws ReviewAnswerError when both answers are malformed (ModelError for API failures). */
export async function requestReview(client: ModelClient, model: string, diff: CollectedDiff, signal: AbortSignal, onNote?: (note: string) => void): Promise<{ output: ReviewOutput; attempts: number; omittedFiles: string[] }> {
  const prompt = reviewPrompt(diff);
  const input: ConversationItem[] = [{ type: 'user', text: prompt.text }];
  let reason = '';
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const answer = await answerText(client, model, input, signal, onNote);
    const checked = validateReviewAnswer(answer);
    if (checked.ok) return { output: checked.output, attempts: attempt, omittedFiles: prompt.omittedFiles };
    reason = checked.reason;
    input.push({ type: 'assistant', text: answer }, { type: 'user', text: `That answer is not a valid review: ${reason}. Answer again with only the JSON object in the required schema.` });
  }
  throw new ReviewAnswerError(`The model's review was malformed twice (${reason}).`);
}

export interface ReviewRequest {
  runner: ProcessRunner;
  client: ModelClient;
  model: string;
  cwd: string;
  /** Folders git may see in the sandbox (workspace folders); default: cwd. */
  roots?: readonly string[];
  scope: ReviewScope;
  filter: FindingFilter;
  signal: AbortSignal;
  onNote?(note: string): void;
  /** Called once the diff is known, before the model is asked (progress). */
  onDiff?(diff: CollectedDiff): void;
}

export interface ReviewResult extends FilteredFindings {
  diff: CollectedDiff;
  /** The model's validated answer (all findings, before filtering); undefined when there was nothing to review. */
  output: ReviewOutput | undefined;
  attempts: number;
}

export async function reviewChanges(request: ReviewRequest): Promise<ReviewResult> {
  const diff = await collectDiff(request.runner, request.cwd, request.scope, { onNote: request.onNote, roots: request.roots });
  request.onDiff?.(diff);
  const reviewable = diff.files.some((f) => f.hunks.length > 0);
  if (!reviewable) return { diff, output: undefined, attempts: 0, kept: [], dropped: { outsideChanges: 0, belowThreshold: 0, dismissed: 0, overLimit: 0 } };
  const { output, attempts, omittedFiles } = await requestReview(request.client, request.model, diff, request.signal, request.onNote);
  if (omittedFiles.length) request.onNote?.(`${omittedFiles.length} file(s) did not fit in the review and were not reviewed: ${omittedFiles.slice(0, 10).join(', ')}${omittedFiles.length > 10 ? ', …' : ''}.`);
  return { diff, output, attempts, ...filterFindings(diff, output.findings, request.filter) };
}

/** The review as Codex's JSON: the kept findings (absolute paths) and the model's overall verdict. */
export function reviewJson(result: ReviewResult): ReviewOutput {
  return {
    findings: result.kept.map((k) => k.finding),
    overall_correctness: result.output?.overall_correctness ?? 'patch is correct',
    overall_explanation: result.output?.overall_explanation ?? 'Nothing to review: the diff is empty.',
    overall_confidence_score: result.output?.overall_confidence_score ?? 1,
  };
}
