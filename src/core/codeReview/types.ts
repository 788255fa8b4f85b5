// The shapes of a code review: what is reviewed (a scope), the diff it becomes, and the findings the model
// returns. The findings use exactly the fields of Codex's review output (`findings[…]`, `overall_*`), so a
// tool built for one reads the other's JSON. Priorities are numbers as in Codex (0 = P0, most urgent).

/** What to review. Refs and SHAs are untrusted text (a command line, a branch list): see scope.ts. */
export type ReviewScope =
  /** The working tree against HEAD (staged and unstaged), untracked files included. */
  | { kind: 'uncommitted' }
  /** The index against HEAD. */
  | { kind: 'staged' }
  /** The current branch's commits since it left `base` (`git diff base...HEAD`). */
  | { kind: 'base'; base: string }
  /** One commit against its first parent. */
  | { kind: 'commit'; sha: string }
  /** A unified diff the caller already has (the changes of the agent's last turn). */
  | { kind: 'diff'; label: string; diff: string };

export type Priority = 0 | 1 | 2 | 3;

export interface LineRange {
  /** 1-based, inclusive, lines of the new version of the file. */
  start: number;
  end: number;
}

export interface ReviewFinding {
  title: string;
  body: string;
  /** 0..1 */
  confidence_score: number;
  priority: Priority;
  code_location: { absolute_file_path: string; line_range: LineRange };
}

export interface ReviewOutput {
  findings: ReviewFinding[];
  overall_correctness: string;
  overall_explanation: string;
  /** 0..1 */
  overall_confidence_score: number;
}

/** One hunk of a file's diff: where it sits in the new file and which new lines it adds. */
export interface DiffHunk {
  /** The `@@ -a,b +c,d @@` line. */
  header: string;
  /** 1-based first line and line count in the new file (count 0: a pure deletion after line newStart). */
  newStart: number;
  newLines: number;
  /** 1-based new-file line numbers of `+` lines. */
  added: number[];
  /** The hunk's lines as in the diff (with their ` `, `+`, `-` prefixes). */
  lines: string[];
}

export interface DiffFile {
  /** Path in the new version, relative to the repository root (`/`-separated); the old path when deleted. */
  path: string;
  oldPath?: string;
  status: 'added' | 'deleted' | 'modified' | 'renamed';
  binary: boolean;
  hunks: DiffHunk[];
}

/** What a scope became: the diff text sent to the model and its parse. */
export interface CollectedDiff {
  scope: ReviewScope;
  /** Human label: "uncommitted changes", "changes against main (merge base 1a2b3c4)" … */
  label: string;
  /** Absolute path of the repository's top level: finding paths are resolved against it. */
  root: string;
  text: string;
  files: DiffFile[];
}

export const PRIORITY_LABELS = ['P0', 'P1', 'P2', 'P3'] as const;

/** `P1` → 1; undefined for anything else. */
export function parsePriority(text: string): Priority | undefined {
  const match = /^P([0-3])$/i.exec(text.trim());
  return match ? (Number(match[1]) as Priority) : undefined;
}
