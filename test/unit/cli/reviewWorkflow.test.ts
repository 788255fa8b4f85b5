// The documented GitHub Actions workflow (docs/github-review-workflow.yml): its github-script step run on
// a review in the CLI's --json shape, against a recording stand-in for the GitHub REST client, and its
// shell steps checked for `${{ }}` pasted into a script (a PR's branch name would be shell code there).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const WORKFLOW = readFileSync('docs/github-review-workflow.yml', 'utf8');

/** The lines of a block scalar (`key: |`) that starts at `marker`, de-indented. */
function block(marker: RegExp): string {
  const lines = WORKFLOW.split('\n');
  const start = lines.findIndex((l) => marker.test(l));
  if (start < 0) throw new Error(`no ${marker} in the workflow`);
  const indent = (lines[start] as string).search(/\S/);
  const body: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.trim() !== '' && line.search(/\S/) <= indent) break;
    body.push(line);
  }
  const strip = Math.min(...body.filter((l) => l.trim()).map((l) => l.search(/\S/)));
  return body.map((l) => l.slice(strip)).join('\n');
}

const WORKSPACE = '/home/runner/work/repo/repo';
const review = {
  findings: [
    { title: '[P1] Reads past the end', body: 'Always undefined.', confidence_score: 0.9, priority: 1, code_location: { absolute_file_path: `${WORKSPACE}/src/last.ts`, line_range: { start: 2, end: 2 } } },
    { title: 'Leaks the handle', body: 'Never closed.', confidence_score: 0.5, priority: 2, code_location: { absolute_file_path: `${WORKSPACE}/src/io.ts`, line_range: { start: 10, end: 14 } } },
  ],
  overall_correctness: 'patch is incorrect',
  overall_explanation: 'Two bugs.',
  overall_confidence_score: 0.8,
};

async function runScript(options: { reviewFails?: boolean }) {
  const calls: { api: string; params: Record<string, unknown> }[] = [];
  const warnings: string[] = [];
  const github = {
    rest: {
      pulls: {
        createReview: async (params: Record<string, unknown>) => {
          calls.push({ api: 'pulls.createReview', params });
          if (options.reviewFails) throw new Error('Unprocessable Entity: line must be part of the diff');
        },
      },
      issues: { createComment: async (params: Record<string, unknown>) => void calls.push({ api: 'issues.createComment', params }) },
    },
  };
  const context = { repo: { owner: 'o', repo: 'r' }, issue: { number: 7 }, payload: { pull_request: { head: { sha: 'abc' } } } };
  const core = { warning: (m: string) => void warnings.push(m) };
  const fakeRequire = (name: string) => {
    if (name !== 'fs') throw new Error(`unexpected require(${name})`);
    return { readFileSync: (file: string) => (file === 'review.json' ? JSON.stringify(review) : '') };
  };
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...values: unknown[]) => Promise<void>;
  const script = new AsyncFunction('require', 'github', 'context', 'core', 'process', block(/^\s+script: \|$/));
  await script(fakeRequire, github, context, core, { env: { GITHUB_WORKSPACE: WORKSPACE } });
  return { calls, warnings };
}

describe('docs/github-review-workflow.yml', () => {
  it('posts one review with a comment per finding on its lines (relative path, right side, multi-line ranges)', async () => {
    const { calls } = await runScript({});
    expect(calls).toHaveLength(1);
    const params = calls[0]!.params as { event: string; body: string; commit_id: string; pull_number: number; comments: Record<string, unknown>[] };
    expect(params).toMatchObject({ owner: 'o', repo: 'r', pull_number: 7, commit_id: 'abc', event: 'COMMENT' });
    expect(params.body).toContain('patch is incorrect');
    expect(params.comments).toEqual([
      { path: 'src/last.ts', line: 2, side: 'RIGHT', body: expect.stringContaining('**[P1] Reads past the end**') },
      { path: 'src/io.ts', line: 14, side: 'RIGHT', start_line: 10, start_side: 'RIGHT', body: expect.stringContaining('**[P2] Leaks the handle**') },
    ]);
  });

  it('falls back to one summary comment when GitHub refuses an inline comment', async () => {
    const { calls, warnings } = await runScript({ reviewFails: true });
    expect(calls.map((c) => c.api)).toEqual(['pulls.createReview', 'issues.createComment']);
    expect(calls[1]!.params.body).toContain('`src/io.ts:10-14`');
    expect(warnings[0]).toMatch(/Inline comments failed/);
  });

  it('runs on pull_request (no secrets for forks), never pastes ${{ }} into a shell script', () => {
    expect(WORKFLOW).toMatch(/^on:\n {2}pull_request:/m);
    expect(WORKFLOW).not.toMatch(/^\s*pull_request_target:/m);
    const review = block(/^\s+run: \|$/);
    expect(review).toContain('npx --yes tandem review --base "$BASE_REF" --json');
    expect(review).not.toContain('${{');
    expect(WORKFLOW).toContain('BASE_REF: ${{ github.base_ref }}');
  });
});
