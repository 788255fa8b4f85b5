// A proposed change set: the result of parsing and applying a patch in memory. Nothing here is on disk;
// whoever receives it (review UI, CLI writer) decides whether and how it is written, all-or-nothing.

export interface FileChange {
  /** Absolute path of the file as it is now (for 'add': the path to create). */
  path: string;
  kind: 'add' | 'delete' | 'update';
  /** Absolute destination path when an update also moves the file. */
  movePath?: string;
  /** Current content; `undefined` for 'add'. */
  oldText: string | undefined;
  /** Proposed content; `undefined` for 'delete'. */
  newText: string | undefined;
}

export interface ChangeSet {
  id: string;
  changes: FileChange[];
}

export interface PatchOutcome {
  /** 'applied': every change written; 'discarded': the user said no; 'failed': nothing written. */
  outcome: 'applied' | 'discarded' | 'failed' | 'partial';
  /** For the model: what happened (per-hunk decisions, the user's note, or why writing failed). */
  message: string;
}
