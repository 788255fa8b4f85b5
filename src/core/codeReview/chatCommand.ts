// `/review` typed in the chat's composer: which review it asks for. The host recognises the command when the
// message arrives (the webview only hints), so a message that merely starts with "/reviewer" or quotes the
// command later in the text stays an ordinary message. Refs are untrusted and pass the same checks as the
// CLI's flags (scope.ts) before they reach git.
import { scopeFromFlags } from './scope';
import type { ReviewScope } from './types';

export type ReviewCommand =
  /** A git scope, reviewed like "Tandem: Review Changes" does. */
  | { kind: 'scope'; scope: ReviewScope }
  /** What the agent's last turn changed (accepted and still pending hunks). */
  | { kind: 'last-turn' }
  /** `/review` with words it does not understand: shown to the user, nothing is reviewed. */
  | { kind: 'usage'; error: string };

export const REVIEW_COMMAND_USAGE = 'Use /review (uncommitted changes), /review staged, /review base <branch>, /review commit <sha> or /review last-turn.';

/** The review `text` asks for, or undefined when it is not a `/review` command. */
export function parseReviewCommand(text: string): ReviewCommand | undefined {
  const match = /^\s*\/review(?:\s+([\s\S]*))?$/.exec(text);
  if (!match) return undefined;
  const words = (match[1] ?? '').trim().split(/\s+/).filter(Boolean);
  const [first, second, ...rest] = words.map((w, i) => (i === 0 ? w.replace(/^--?/, '').toLowerCase() : w));
  if (rest.length > 0) return { kind: 'usage', error: `Too many words after /review. ${REVIEW_COMMAND_USAGE}` };
  const oneWord = (scope: ReviewCommand): ReviewCommand => (second === undefined ? scope : { kind: 'usage', error: `/review ${first} takes nothing after it. ${REVIEW_COMMAND_USAGE}` });
  switch (first) {
    case undefined:
    case 'uncommitted':
      return oneWord({ kind: 'scope', scope: { kind: 'uncommitted' } });
    case 'staged':
      return oneWord({ kind: 'scope', scope: { kind: 'staged' } });
    case 'last-turn':
    case 'turn':
      return oneWord({ kind: 'last-turn' });
    case 'base':
    case 'commit': {
      if (second === undefined) return { kind: 'usage', error: `/review ${first} needs a ${first === 'base' ? 'branch' : 'commit'} name. ${REVIEW_COMMAND_USAGE}` };
      const scope = scopeFromFlags(first === 'base' ? { base: second } : { commit: second });
      return 'error' in scope ? { kind: 'usage', error: scope.error.replace(/^--(base|commit): /, '') } : { kind: 'scope', scope };
    }
    default:
      return { kind: 'usage', error: `"${first.slice(0, 40)}" is not a review scope. ${REVIEW_COMMAND_USAGE}` };
  }
}
