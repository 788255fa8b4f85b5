// `tandem review`: the code review of the core, headless, for a terminal or CI. Prints the findings (a
// readable list, or Codex's JSON with --json) and sets the exit code: 0 reviewed (no finding at or above
// --fail-on), 1 a finding at or above --fail-on, 2 bad usage, 3 the review could not be made (not a
// repository, unknown base, API error, a malformed answer twice). Notes go to stderr, so stdout under
// --json is exactly one JSON document.
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { droppedSummary } from './core/codeReview/findings';
import { formatReviewText } from './core/codeReview/format';
import { reviewChanges, reviewJson } from './core/codeReview/runReview';
import { scopeFromFlags } from './core/codeReview/scope';
import { parsePriority, type Priority } from './core/codeReview/types';
import { createModelClient } from './core/model/createClient';
import { rememberSecret } from './node/commandSecrets';
import { createReviewGitRunner } from './node/reviewGitRunner';

import { ReviewUsageError } from './cliReviewUsage';
export { REVIEW_USAGE, ReviewUsageError } from './cliReviewUsage';

function priorityFlag(name: string, value: string | undefined, fallback: Priority | undefined): Priority | undefined {
  if (value === undefined) return fallback;
  const priority = parsePriority(value);
  if (priority === undefined) throw new ReviewUsageError(`--${name} must be P0, P1, P2 or P3 (got ${value}).`);
  return priority;
}

export async function reviewCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    allowPositionals: false,
    options: {
      uncommitted: { type: 'boolean' },
      staged: { type: 'boolean' },
      base: { type: 'string' },
      commit: { type: 'string' },
      json: { type: 'boolean', default: false },
      'fail-on': { type: 'string' },
      threshold: { type: 'string' },
      'max-findings': { type: 'string' },
      model: { type: 'string', default: 'gpt-5.5' },
      'base-url': { type: 'string' },
      'wire-api': { type: 'string', default: 'responses' },
      cd: { type: 'string' },
    },
  });
  const scope = scopeFromFlags({ uncommitted: values.uncommitted, staged: values.staged, base: values.base, commit: values.commit });
  if ('error' in scope) throw new ReviewUsageError(scope.error);
  const failOn = priorityFlag('fail-on', values['fail-on'], undefined);
  const threshold = priorityFlag('threshold', values.threshold, 2) as Priority;
  const maxFindings = values['max-findings'] === undefined ? 10 : Number(values['max-findings']);
  if (!Number.isInteger(maxFindings) || maxFindings < 1 || maxFindings > 200) throw new ReviewUsageError(`--max-findings must be a whole number from 1 to 200 (got ${values['max-findings']}).`);
  const wireApi = values['wire-api'];
  if (wireApi !== 'responses' && wireApi !== 'chat') throw new ReviewUsageError(`--wire-api must be responses or chat (got ${wireApi}).`);
  const apiKey = process.env.OPENAI_API_KEY?.trim();
  rememberSecret(apiKey);
  if (!apiKey) {
    process.stderr.write('error: OPENAI_API_KEY is not set.\n');
    return 3;
  }
  const cwd = path.resolve(values.cd ?? process.cwd());
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort(new Error('interrupted')));
  const filter = { threshold, maxFindings };
  try {
    const result = await reviewChanges({
      runner: createReviewGitRunner(),
      client: createModelClient({ wireApi, baseUrl: values['base-url'] ?? process.env.OPENAI_BASE_URL ?? 'https://api.openai.com/v1', apiKey }),
      model: values.model,
      cwd,
      scope,
      filter,
      signal: controller.signal,
      onNote: (note) => process.stderr.write(`note: ${note}\n`),
    });
    if (values.json) {
      process.stdout.write(JSON.stringify(reviewJson(result), null, 2) + '\n');
      const dropped = droppedSummary(result.dropped, filter);
      if (dropped) process.stderr.write(`note: ${dropped}\n`);
    } else process.stdout.write(formatReviewText(result, filter));
    const failing = failOn === undefined ? 0 : result.kept.filter((k) => k.finding.priority <= failOn).length;
    return failing > 0 ? 1 : 0;
  } catch (error) {
    process.stderr.write(`error: review failed: ${error instanceof Error ? error.message : String(error)}\n`);
    return 3;
  }
}
