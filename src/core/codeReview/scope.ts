// Scopes as the user names them (CLI flags, the VS Code picker) and the checks their untrusted parts
// pass before they reach a git command line: a ref or SHA is one word of known-safe characters that cannot
// be read as an option (`--output=/x`), a range (`a..b`) or a shell construct.
import type { ReviewScope } from './types';

/** Branch / tag / remote-ref names and revisions like `HEAD~2`, `abc1234`, `origin/main`. */
const REVISION = /^[A-Za-z0-9_][A-Za-z0-9._/~^+-]{0,199}$/;

/** Why `text` cannot be used as a revision (undefined when it can). */
export function whyNotRevision(text: string): string | undefined {
  if (!REVISION.test(text)) return `"${text.slice(0, 80)}" is not a branch, tag or commit name (letters, digits, . _ / ~ ^ + - only, not starting with - or .)`;
  if (text.includes('..')) return `"${text}" is a range; name one branch or commit`;
  if (text.endsWith('.lock') || text.endsWith('/') || text.endsWith('.')) return `"${text}" is not a valid ref name`;
  return undefined;
}

/** "uncommitted changes", "staged changes", "changes against main", "commit 1a2b3c4" … */
export function describeScope(scope: ReviewScope): string {
  switch (scope.kind) {
    case 'uncommitted':
      return 'uncommitted changes';
    case 'staged':
      return 'staged changes';
    case 'base':
      return `changes against ${scope.base}`;
    case 'commit':
      return `commit ${scope.sha}`;
    case 'diff':
      return scope.label;
  }
}

export type ScopeFlags = { uncommitted?: boolean; staged?: boolean; base?: string; commit?: string };

/** The scope the CLI flags ask for (uncommitted when none); an error message for conflicting or bad ones. */
export function scopeFromFlags(flags: ScopeFlags): ReviewScope | { error: string } {
  const chosen = [flags.uncommitted && 'uncommitted', flags.staged && 'staged', flags.base !== undefined && 'base', flags.commit !== undefined && 'commit'].filter(Boolean);
  if (chosen.length > 1) return { error: `choose one of --uncommitted, --staged, --base, --commit (got ${chosen.map((c) => `--${c}`).join(', ')})` };
  if (flags.base !== undefined) {
    const why = whyNotRevision(flags.base);
    return why ? { error: `--base: ${why}` } : { kind: 'base', base: flags.base };
  }
  if (flags.commit !== undefined) {
    const why = whyNotRevision(flags.commit);
    return why ? { error: `--commit: ${why}` } : { kind: 'commit', sha: flags.commit };
  }
  return flags.staged ? { kind: 'staged' } : { kind: 'uncommitted' };
}

/**
 * A scope passed as a command argument (a keybinding, a test, another extension): only
 * `{kind: 'uncommitted' | 'staged'}`, `{kind: 'base', base}` and `{kind: 'commit', sha}`, refs checked;
 * anything else is undefined (the caller shows the picker).
 */
export function scopeFromCommandArg(raw: unknown): ReviewScope | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const arg = raw as Record<string, unknown>;
  if (arg.kind === 'uncommitted' || arg.kind === 'staged') return { kind: arg.kind };
  const flags = arg.kind === 'base' && typeof arg.base === 'string' ? { base: arg.base } : arg.kind === 'commit' && typeof arg.sha === 'string' ? { commit: arg.sha } : undefined;
  if (!flags) return undefined;
  const scope = scopeFromFlags(flags);
  return 'error' in scope ? undefined : scope;
}
