// The `tandem review` usage text and its usage error, apart from the review itself: `tandem --help` and
// `tandem exec` print and catch these without loading the review code (and with it the openai SDK).
export const REVIEW_USAGE = `  tandem review [--uncommitted | --staged | --base BRANCH | --commit SHA] [--json] [--fail-on P0|P1|P2|P3]
                [--threshold P0|P1|P2|P3] [--max-findings N] [--model M] [--base-url URL]
                [--wire-api responses|chat] [--cd DIR]
                                 review changes (default: uncommitted, untracked files included); --base
                                 reviews the branch since it left BRANCH (origin/BRANCH when BRANCH is not
                                 local). Findings below --threshold (default P2) or past --max-findings
                                 (default 10) are not shown. Exit 1 when a finding at or above --fail-on
                                 exists, 3 when the review could not be made.`;

export class ReviewUsageError extends Error {}
