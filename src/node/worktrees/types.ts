// The shapes shared by the worktree manager's parts: what a worktree is, what it started from (its
// baseline), and the limits that keep a copy and a result bounded.

/** The repository a workspace folder belongs to, as git resolved it. */
export interface RepoInfo {
  /** The work tree's top (real path); the workspace folder is it or inside it. */
  toplevel: string;
  /** Its git dir (a linked worktree's own dir when the workspace is one). */
  gitDir: string;
  /** The shared git dir (where `worktrees/` lives). */
  commonDir: string;
  /** The commit HEAD resolves to. */
  head: string;
}

export type WorktreeAvailability = { available: true; repo: RepoInfo } | { available: false; reason: string };

/** What a path held when the worktree was made, where that differs from HEAD's tree. */
export type BaselineEntry =
  | { kind: 'absent' }
  /** `blob`: the file under the worktree's metadata folder holding the bytes. */
  | { kind: 'file'; blob: string; mode: number }
  | { kind: 'symlink'; target: string };

/** A file that could not be carried (into the worktree, or back from it) and why. */
export interface SkippedFile {
  /** Repository-relative path. */
  path: string;
  reason: string;
}

export interface Worktree {
  id: string;
  /** The worktree's top folder. */
  path: string;
  /** The workspace folder's counterpart inside the worktree (the child's cwd and only writable root). */
  workspacePath: string;
  /** The workspace folder it was made for. */
  workspaceRoot: string;
  repo: RepoInfo;
  /** The worktree's own git dir (`<commonDir>/worktrees/<name>`). */
  gitDir: string;
  /** Tandem's folder next to it: owner record and baseline copies. Never inside the worktree. */
  metaDir: string;
  /** Paths whose baseline differs from HEAD (the user's uncommitted changes that were copied in). */
  baseline: Record<string, BaselineEntry>;
  /** What of the user's uncommitted state could not be copied in. */
  skipped: SkippedFile[];
}

export interface WorktreeLimits {
  /** A single file larger than this is neither copied in nor carried back. */
  maxFileBytes: number;
  /** Total bytes of uncommitted files copied into one worktree. */
  maxCopyBytes: number;
  /** Uncommitted files copied into one worktree. */
  maxCopyFiles: number;
  /** Changed files carried back from one worktree. */
  maxChangedFiles: number;
  /** Bytes of changed files (old and new text) held and carried back from one worktree at once. */
  maxChangedBytes: number;
  /** Worktrees of one repository at once (each is a full checkout). */
  maxWorktrees: number;
}

export const DEFAULT_WORKTREE_LIMITS: WorktreeLimits = {
  maxFileBytes: 4 * 1024 * 1024,
  maxCopyBytes: 128 * 1024 * 1024,
  maxCopyFiles: 10_000,
  maxChangedFiles: 2_000,
  maxChangedBytes: 64 * 1024 * 1024,
  maxWorktrees: 16,
};

/** Worktrees older than this, or whose owner process is gone, are left over from a crash. */
export const STALE_AFTER_MS = 24 * 60 * 60 * 1000;
