// The data a compaction keeps outside the model-written summary. It lives in the `compaction`
// conversation item (model/types.ts) so the next compaction, and a session resumed from its log, start
// from exactly what the previous one kept, without re-reading the transcript that it replaced.
import type { PlanStep } from '../../shared/events';

/** What the agent did to one file, built from tool calls alone (never from the model's prose). */
export interface LedgerFile {
  path: string;
  /** How often a command read it, and the last such command (shortened). */
  reads: number;
  lastRead?: string;
  /** Patches that touched it, and what the last one did. */
  changes: number;
  lastChange?: 'added' | 'updated' | 'deleted' | 'moved';
  /** Destination of the last move. */
  movedTo?: string;
  /** First line of what the patch tool answered for the last change ("Applied …", or why not). */
  lastChangeResult?: string;
  /** A patch changed it after the last read: what the model read is out of date. */
  changedSinceRead: boolean;
  /** Recency (ledger sequence number of the last touch), so the oldest entries go first under a budget. */
  touched: number;
}

export interface LedgerFailure {
  command: string;
  exitCode: number;
  /** Last lines of the output: usually the error. */
  tail: string;
  touched: number;
}

export interface Ledger {
  files: LedgerFile[];
  plan?: { explanation?: string; steps: PlanStep[] };
  /** Commands whose last run failed (a later successful run of the same command removes them). */
  failures: LedgerFailure[];
  /** Sequence counter for `touched`. */
  seq: number;
}

/** Everything a compaction keeps by construction, besides the fresh instructions. */
export interface CompactionState {
  /** 1-based number of this compaction in the session. */
  count: number;
  /** The user's messages kept verbatim, oldest first. */
  userMessages: string[];
  /** User messages dropped by the budget, over all compactions. */
  omittedUserMessages: number;
  ledger: Ledger;
  summary: string;
}

export const emptyLedger = (): Ledger => ({ files: [], failures: [], seq: 0 });
