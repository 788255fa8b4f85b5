// The agent's event stream: what `Agent.submit()` yields, what the session log stores (one event per
// JSONL line) and what the host forwards to the webview as deltas. Every consumer derives its state from
// these events with the reducer in `chatState.ts`, so the log, the host and the view can never disagree.
// Modelled on Codex's `sdk/typescript/src/events.ts`: one tagged union, every field documented.

/** Token accounting for one model request (from the API's `usage`). */
export interface Usage {
  /** Prompt tokens, including the cached ones. */
  inputTokens: number;
  /** Prompt tokens served from the provider's prompt cache (`input_tokens_details.cached_tokens`). */
  cachedInputTokens: number;
  /** Completion tokens, including reasoning tokens. */
  outputTokens: number;
}

/** One step of a plan, as sent by the model through `update_plan`. */
export interface PlanStep {
  step: string;
  status: 'pending' | 'in_progress' | 'completed';
}

/** Something the user can do about a failure; the host maps `command` to a VS Code command. */
export interface UserAction {
  label: string;
  /**
   * A `tandem.*` command id (e.g. `tandem.setApiKey`) or a pseudo-action: `retry` (send the failed message
   * again) or `continue` (send "continue": the turn paused at its step cap and can go on).
   */
  command: string;
}

/** Classified failure of a turn: `code` is stable (tests and UI key on it), `message` is for humans. */
export interface TurnError {
  code:
    | 'no_api_key'
    | 'auth'
    | 'connection'
    | 'rate_limited'
    | 'server'
    | 'stream_dropped'
    | 'bad_request'
    | 'context_length'
    | 'timeout'
    | 'limit'
    | 'internal';
  /** One or two sentences a user can act on; never contains the API key or a stack trace. */
  message: string;
  action?: UserAction;
}

/** A file in a proposed change set, as shown to the user. Paths are workspace-relative, `/`-separated. */
export interface FileChangeSummary {
  path: string;
  kind: 'add' | 'delete' | 'update';
  /** Destination when an update also renames the file. */
  movePath?: string;
  added: number;
  removed: number;
  /** Unified diff of this file (3 lines of context), for display. */
  diff: string;
  /** The reviewable pieces of this file, when the host reviews the change (absent in approval cards). */
  hunks?: HunkSummary[];
  /** Adds, deletes and moves are accepted or rejected as a whole, with one hunk for the file. */
  wholeFile?: boolean;
}

/**
 * One reviewable hunk: a contiguous run of changed lines. `pending` waits for the user; `stale` means the
 * user edited those lines meanwhile, so it was not applied; `undone` was applied, then undone by the user.
 */
export interface HunkSummary {
  /** Unique within its change set. */
  id: string;
  /** `@@ -a,b +c,d @@`, line numbers as proposed. */
  header: string;
  /** Diff lines with their ' ', '-', '+' prefix, including up to 3 lines of context. */
  lines: string[];
  added: number;
  removed: number;
  /** First line of the hunk in the file as it was when proposed (1-based). */
  line: number;
  state: 'pending' | 'accepted' | 'rejected' | 'stale' | 'undone';
  /** Why a stale hunk went stale (the user edited those lines, the file changed on disk or was deleted). */
  reason?: string;
  /** Applied in the chat's own worktree, not the workspace: nothing here to undo (it is decided at bring-back). */
  inWorktree?: boolean;
}

/** One finding of a code review as the chat shows it (Codex's fields, the path relative to `CodeReviewSummary.root`). */
export interface ReviewFindingSummary {
  title: string;
  /** The model's explanation (untrusted text: shown as plain text). */
  body: string;
  /** 0 = P0, most urgent. */
  priority: 0 | 1 | 2 | 3;
  /** 0..1 */
  confidence: number;
  /** `/`-separated, relative to the repository root. */
  path: string;
  /** 1-based, inclusive lines of the reviewed (new) version of the file. */
  startLine: number;
  endLine: number;
}

/** The outcome of a code review (`review.completed`). */
export interface CodeReviewSummary {
  /**
   * `reviewed`: the model answered (findings may be empty); `empty`: nothing changed in the scope;
   * `failed`: no review could be made (`error` says why); `cancelled`: the user or a newer review stopped it.
   */
  outcome: 'reviewed' | 'empty' | 'failed' | 'cancelled';
  /** Absolute path of the repository (or workspace folder) the findings' paths are relative to. */
  root: string;
  /** What was reviewed, as the review's diff named it ("uncommitted changes", "changes against main …"). */
  label: string;
  /** Kept findings, most urgent first. */
  findings: ReviewFindingSummary[];
  /** The model's overall verdict (`overall_correctness`, `overall_explanation`, `overall_confidence_score`). */
  verdict?: { correctness: string; explanation: string; confidence: number };
  /** Findings the model gave that were not kept, by reason. */
  dropped: { outsideChanges: number; belowThreshold: number; dismissed: number; overLimit: number };
  error?: string;
}

/** What waits on the user. */
export type ApprovalSubject =
  | { kind: 'command'; command: string; cwd: string; reason: string }
  | { kind: 'patch'; files: FileChangeSummary[]; reason: string }
  /**
   * A call to a tool of an MCP server (src/core/mcp). `arguments` is the model's JSON, pretty-printed and
   * capped (untrusted text: shown as plain text). `readOnlyHint` is what the server claims; `serverAllowed`
   * means the user chose "always allow" for this server. `command` is the key "approve for session"
   * remembers (`mcp-server-<name>-<hash>`, one per server), never a command that runs.
   */
  | { kind: 'mcp'; server: string; tool: string; arguments: string; readOnlyHint: boolean; serverAllowed?: boolean; command: string; reason: string };

export type ApprovalDecision = 'approve' | 'approve_session' | 'deny';

export type AgentEvent =
  /**
   * The user's message was accepted and a turn begins. `text` is what the user typed. `submissionId` is the
   * operation that started it (absent in logs written before submissions had ids).
   */
  | { type: 'turn.started'; turnId: string; text: string; at: number; submissionId?: string }
  /**
   * The user sent a message while turn `turnId` was running: it waits (shown as queued) until the model can
   * take it — with the next tool results, after the answer, or as the next turn.
   */
  | { type: 'input.queued'; turnId: string; submissionId: string; text: string; at: number }
  /** The queued message `submissionId` was given to the model inside the running turn `turnId`. */
  | { type: 'input.delivered'; turnId: string; submissionId: string; text: string; at: number }
  /** The queued message `submissionId` will not be sent (the user stopped, or withdrew it); `text` goes back to the composer. */
  | { type: 'input.withdrawn'; turnId: string; submissionId: string; text: string; at: number }
  /** A fragment of the assistant's visible answer. Concatenate deltas with the same `itemId`. */
  | { type: 'message.delta'; turnId: string; itemId: string; delta: string }
  /** The assistant message `itemId` is complete; `text` is the whole message. */
  | { type: 'message.completed'; turnId: string; itemId: string; text: string }
  /** The model called a tool. `title` is a one-line human summary (the command line for exec_command). */
  | { type: 'tool.started'; turnId: string; callId: string; tool: string; title: string; cwd?: string; at: number }
  /** Live output of a running tool (PTY output for commands), in order. */
  | { type: 'tool.output'; turnId: string; callId: string; chunk: string }
  /**
   * The tool finished. `exitCode` is set for processes; `sessionId` when a process keeps running.
   * `durationMs` is the tool's own run time: time spent waiting for the user (approvals, reviews) is not in it.
   */
  | {
      type: 'tool.ended';
      turnId: string;
      callId: string;
      status: 'ok' | 'error' | 'denied' | 'running' | 'cancelled';
      exitCode?: number;
      sessionId?: number;
      durationMs: number;
    }
  /** The plan changed (replaces the previous plan of the session). */
  | { type: 'plan.updated'; turnId: string; callId: string; explanation?: string; plan: PlanStep[] }
  /**
   * The agent waits for the user's decision on `approvalId`. `callId` names the tool call that asks (a
   * command's own card then holds the question); without it the view attaches a command approval to the
   * running command card whose command line is the subject's, and shows any other approval on its own.
   */
  /**
   * The policy wants the user's answer. `running`: the request is input to a process that already runs with
   * this confinement (write_stdin); whoever passes the request on (a parent agent) must judge it the same way.
   */
  | { type: 'approval.requested'; turnId: string; approvalId: string; subject: ApprovalSubject; callId?: string; running?: 'read-only' | 'workspace-write' | 'protected-only' | 'unconfined' }
  /** The user (or the session policy) decided. */
  | { type: 'approval.resolved'; turnId: string; approvalId: string; decision: ApprovalDecision; note?: string }
  /** The model proposed a change set; nothing is on disk yet. */
  | { type: 'patch.proposed'; turnId: string; callId: string; changeSetId: string; files: FileChangeSummary[] }
  /** A hunk of a change set under review changed state (the user accepted, rejected or undid it, or edited it stale). */
  | { type: 'patch.hunk'; turnId: string; changeSetId: string; hunkId: string; state: HunkSummary['state']; note?: string; reason?: string; inWorktree?: boolean }
  /**
   * The change set is decided: every hunk `applied`, none (`discarded`), some (`partial`), or writing
   * `failed` (nothing written). `message` is what the model was told.
   */
  | { type: 'patch.resolved'; turnId: string; changeSetId: string; outcome: 'applied' | 'discarded' | 'partial' | 'failed'; message?: string }
  /** A transient failure is being retried after `delayMs`. */
  | { type: 'retrying'; turnId: string; attempt: number; delayMs: number; reason: string }
  /** Token usage of one model request of this turn. */
  | { type: 'usage'; turnId: string; usage: Usage }
  /**
   * The conversation was compacted to fit the model's context window: automatically at the threshold
   * (`auto`), on request (`manual`), or after the API said the context was too long (`overflow`). The model
   * now sees the project instructions, the user's messages, a ledger and `summary` instead of the earlier
   * transcript (the session log keeps it all). `tokensBefore` / `tokensAfter` are the context's size
   * (reported or estimated); `count` numbers the compactions of the session. `native`: the summary is the
   * provider's own encrypted one (Responses API compaction), so `summary` only says so.
   */
  | { type: 'context.compacted'; turnId: string; reason: 'auto' | 'manual' | 'overflow'; summary: string; tokensBefore: number; tokensAfter: number; count: number; native?: boolean; at: number }
  /**
   * A code review began (`/review` in the composer, or the automatic review after an agent turn that
   * changed files). Not an agent turn: the composer stays free. `turnId` is the reviewed agent turn's for a
   * last-turn review, else `review-<reviewId>`. `scope` names what is reviewed, for the card while it runs.
   */
  | { type: 'review.started'; turnId: string; reviewId: string; scope: string; trigger: 'command' | 'after-turn'; at: number }
  /** The review `reviewId` ended; its card shows `review` (the findings grouped by file, the verdict, what was dropped). */
  | { type: 'review.completed'; turnId: string; reviewId: string; review: CodeReviewSummary; at: number }
  /** The turn ended normally (`stopped` is false) or because the user pressed Stop (`stopped` is true). */
  | { type: 'turn.completed'; turnId: string; stopped: boolean; at: number }
  /** The turn ended with an error the model could not fix. */
  | { type: 'turn.failed'; turnId: string; error: TurnError; at: number };

export type AgentEventType = AgentEvent['type'];
