// Chat state derived from agent events. The same reducer runs in the host (source of truth, rebuilt from
// the session log) and in the webview (applying the deltas it is sent), so both always agree.
// Entries are updated immutably so React can memoise rows by identity; everything is O(1) per event
// except locating an entry, which goes through the `index` map.
import type { AgentEvent, ApprovalDecision, ApprovalSubject, CodeReviewSummary, FileChangeSummary, PlanStep, TurnError } from './events';

export type ChatEntry =
  /** `retried`: this message failed and was sent again successfully (the chat no longer shows it). */
  | { kind: 'user'; id: string; turnId: string; text: string; at: number; retried?: true }
  | { kind: 'assistant'; id: string; turnId: string; text: string; streaming: boolean }
  | {
      kind: 'tool';
      id: string;
      turnId: string;
      tool: string;
      title: string;
      cwd?: string;
      output: string;
      status: 'running' | 'ok' | 'error' | 'denied' | 'cancelled' | 'background';
      exitCode?: number;
      durationMs?: number;
      /**
       * The approval this command waits for (or waited for): the command's card asks the question itself,
       * so a command waiting for approval shows once. The latest one when it asked twice (a re-run outside
       * the sandbox).
       */
      approval?: ToolApproval;
    }
  | { kind: 'plan'; id: string; turnId: string; explanation?: string; plan: PlanStep[] }
  | { kind: 'approval'; id: string; turnId: string; subject: ApprovalSubject; decision?: ApprovalDecision; note?: string }
  | { kind: 'patch'; id: string; turnId: string; files: FileChangeSummary[]; outcome?: 'applied' | 'discarded' | 'partial' | 'failed'; message?: string }
  | { kind: 'notice'; id: string; turnId: string; text: string; retried?: true }
  /** `retried`: the same message was sent again and succeeded, so the failure is no longer news. */
  | { kind: 'error'; id: string; turnId: string; error: TurnError; retried?: true }
  | { kind: 'stopped'; id: string; turnId: string }
  /** A code review (`review.started`); `review` is set once it ended (`review.completed`). */
  | { kind: 'review'; id: string; turnId: string; scope: string; trigger: 'command' | 'after-turn'; review?: CodeReviewSummary }
  /** The context was compacted (`context.compacted`): the row says so and can show the summary. */
  | { kind: 'compaction'; id: string; turnId: string; reason: 'auto' | 'manual' | 'overflow'; summary: string; tokensBefore: number; tokensAfter: number; count: number };

/** An approval held by the command card it is about. */
export interface ToolApproval {
  id: string;
  subject: Extract<ApprovalSubject, { kind: 'command' }>;
  decision?: ApprovalDecision;
  note?: string;
}

/** What a running turn waits for from the user, if anything (the composer says so). */
export type UserWait = 'approval' | 'review' | undefined;

export interface ChatState {
  entries: ChatEntry[];
  /** entry id -> position in `entries` */
  index: Map<string, number>;
  /** The turn in progress, if any. */
  activeTurnId: string | undefined;
  /**
   * Messages sent while a turn ran that the model has not taken yet (`input.queued`), oldest first. Each
   * leaves when it is delivered into the turn (`input.delivered`), starts a turn of its own (`turn.started`
   * with its submission id) or is withdrawn (`input.withdrawn`). Replaced, never mutated, so a view can
   * compare it by identity.
   */
  pending: readonly PendingInput[];
  usage: { inputTokens: number; cachedInputTokens: number; outputTokens: number; lastInputTokens: number; lastCachedInputTokens: number };
}

/** A message waiting for the running turn (see `ChatState.pending`). */
export interface PendingInput {
  submissionId: string;
  text: string;
  at: number;
}

/** Cap on tool output kept in chat state per card; the session log keeps the model-visible output. */
export const MAX_TOOL_OUTPUT_CHARS = 200_000;

export function emptyChatState(): ChatState {
  return {
    entries: [],
    index: new Map(),
    activeTurnId: undefined,
    pending: [],
    usage: { inputTokens: 0, cachedInputTokens: 0, outputTokens: 0, lastInputTokens: 0, lastCachedInputTokens: 0 },
  };
}

function push(state: ChatState, entry: ChatEntry): void {
  state.index.set(entry.id, state.entries.length);
  state.entries.push(entry);
}

function update<K extends ChatEntry['kind']>(
  state: ChatState,
  id: string,
  kind: K,
  change: (entry: Extract<ChatEntry, { kind: K }>) => Extract<ChatEntry, { kind: K }>,
): void {
  const at = state.index.get(id);
  if (at === undefined) return;
  const entry = state.entries[at];
  if (!entry || entry.kind !== kind) return;
  state.entries[at] = change(entry as Extract<ChatEntry, { kind: K }>);
}

function appendCapped(output: string, chunk: string): string {
  const next = output + chunk;
  return next.length > MAX_TOOL_OUTPUT_CHARS ? next.slice(next.length - MAX_TOOL_OUTPUT_CHARS) : next;
}

/**
 * Applies one event in place to `state.entries` (the array is mutated, changed entries are replaced by
 * new objects). Returns the ids of entries that were added or changed, so a view can re-render just those.
 */
export function applyEvent(state: ChatState, event: AgentEvent): string[] {
  switch (event.type) {
    case 'turn.started': {
      state.activeTurnId = event.turnId;
      if (event.submissionId !== undefined) dropPending(state, event.submissionId);
      const id = `user-${event.turnId}`;
      push(state, { kind: 'user', id, turnId: event.turnId, text: event.text, at: event.at });
      return [id];
    }
    // A message sent during a turn shows where the model took it; while it waits the composer shows it.
    case 'input.delivered': {
      dropPending(state, event.submissionId);
      const id = `user-${event.submissionId}`;
      push(state, { kind: 'user', id, turnId: event.turnId, text: event.text, at: event.at });
      return [id];
    }
    case 'input.queued':
      if (!state.pending.some((p) => p.submissionId === event.submissionId)) state.pending = [...state.pending, { submissionId: event.submissionId, text: event.text, at: event.at }];
      return [];
    case 'input.withdrawn':
      dropPending(state, event.submissionId);
      return [];
    case 'message.delta': {
      if (!state.index.has(event.itemId)) {
        push(state, { kind: 'assistant', id: event.itemId, turnId: event.turnId, text: event.delta, streaming: true });
      } else {
        update(state, event.itemId, 'assistant', (e) => ({ ...e, text: e.text + event.delta }));
      }
      return [event.itemId];
    }
    case 'message.completed': {
      if (!state.index.has(event.itemId)) {
        push(state, { kind: 'assistant', id: event.itemId, turnId: event.turnId, text: event.text, streaming: false });
      } else {
        update(state, event.itemId, 'assistant', (e) => ({ ...e, text: event.text, streaming: false }));
      }
      return [event.itemId];
    }
    case 'tool.started': {
      if (event.tool === 'update_plan') return [];
      push(state, {
        kind: 'tool',
        id: event.callId,
        turnId: event.turnId,
        tool: event.tool,
        title: event.title,
        ...(event.cwd !== undefined ? { cwd: event.cwd } : {}),
        output: '',
        status: 'running',
      });
      return [event.callId];
    }
    case 'tool.output':
      update(state, event.callId, 'tool', (e) => ({ ...e, output: appendCapped(e.output, event.chunk) }));
      return [event.callId];
    case 'tool.ended':
      update(state, event.callId, 'tool', (e) => ({
        ...e,
        status: event.status === 'running' ? 'background' : event.status,
        ...(event.exitCode !== undefined ? { exitCode: event.exitCode } : {}),
        durationMs: event.durationMs,
      }));
      return [event.callId];
    case 'plan.updated': {
      const id = `plan-${event.callId}`;
      push(state, {
        kind: 'plan',
        id,
        turnId: event.turnId,
        plan: event.plan,
        ...(event.explanation !== undefined ? { explanation: event.explanation } : {}),
      });
      return [id];
    }
    case 'approval.requested': {
      const { subject } = event;
      const host = subject.kind === 'command' ? commandCardFor(state, event.turnId, subject.command, event.callId) : undefined;
      if (host !== undefined && subject.kind === 'command') {
        update(state, host, 'tool', (e) => ({ ...e, approval: { id: event.approvalId, subject } }));
        return [host];
      }
      push(state, { kind: 'approval', id: event.approvalId, turnId: event.turnId, subject });
      return [event.approvalId];
    }
    case 'approval.resolved': {
      const decided = { decision: event.decision, ...(event.note !== undefined ? { note: event.note } : {}) };
      if (state.entries[state.index.get(event.approvalId) ?? -1]?.kind === 'approval') {
        update(state, event.approvalId, 'approval', (e) => ({ ...e, ...decided }));
        return [event.approvalId];
      }
      const host = cardHoldingApproval(state, event.approvalId);
      if (host === undefined) return [];
      update(state, host, 'tool', (e) => (e.approval ? { ...e, approval: { ...e.approval, ...decided } } : e));
      return [host];
    }
    case 'patch.proposed':
      push(state, { kind: 'patch', id: event.changeSetId, turnId: event.turnId, files: event.files });
      return [event.changeSetId];
    case 'patch.hunk':
      update(state, event.changeSetId, 'patch', (e) => ({
        ...e,
        files: e.files.map((file) =>
          file.hunks?.some((h) => h.id === event.hunkId)
            ? { ...file, hunks: file.hunks.map((h) => (h.id === event.hunkId ? { ...h, state: event.state, ...(event.reason ? { reason: event.reason } : {}), ...(event.inWorktree ? { inWorktree: true } : {}) } : h)) }
            : file,
        ),
      }));
      return [event.changeSetId];
    case 'patch.resolved':
      update(state, event.changeSetId, 'patch', (e) => ({
        ...e,
        outcome: event.outcome,
        ...(event.message !== undefined ? { message: event.message } : {}),
      }));
      return [event.changeSetId];
    case 'retrying': {
      const id = `retry-${event.turnId}-${event.attempt}`;
      const seconds = Math.max(1, Math.round(event.delayMs / 1000));
      push(state, { kind: 'notice', id, turnId: event.turnId, text: `${event.reason} Retrying in ${seconds}s (attempt ${event.attempt}).` });
      return [id];
    }
    case 'usage': {
      const u = state.usage;
      state.usage = {
        inputTokens: u.inputTokens + event.usage.inputTokens,
        cachedInputTokens: u.cachedInputTokens + event.usage.cachedInputTokens,
        outputTokens: u.outputTokens + event.usage.outputTokens,
        lastInputTokens: event.usage.inputTokens,
        lastCachedInputTokens: event.usage.cachedInputTokens,
      };
      return [];
    }
    case 'context.compacted': {
      const id = `compaction-${event.turnId}-${event.count}`;
      const { reason, summary, tokensBefore, tokensAfter, count } = event;
      push(state, { kind: 'compaction', id, turnId: event.turnId, reason, summary, tokensBefore, tokensAfter, count });
      // The context meter shows the last request's size; until the next request reports one, it is this.
      state.usage = { ...state.usage, lastInputTokens: tokensAfter, lastCachedInputTokens: 0 };
      return [id];
    }
    case 'review.started': {
      // The card takes its place when the review starts, so a result arriving during a later turn updates it there.
      const id = `review-${event.reviewId}`;
      if (state.index.has(id)) return [];
      push(state, { kind: 'review', id, turnId: event.turnId, scope: event.scope, trigger: event.trigger });
      return [id];
    }
    case 'review.completed': {
      const id = `review-${event.reviewId}`;
      if (!state.index.has(id)) {
        push(state, { kind: 'review', id, turnId: event.turnId, scope: event.review.label, trigger: 'command', review: event.review });
        return [id];
      }
      update(state, id, 'review', (e) => ({ ...e, review: event.review }));
      return [id];
    }
    case 'turn.completed': {
      const changed = finishTurn(state, event.turnId, event.stopped);
      if (!event.stopped) changed.push(...markRetried(state, event.turnId));
      if (event.stopped) {
        const id = `stopped-${event.turnId}`;
        push(state, { kind: 'stopped', id, turnId: event.turnId });
        changed.push(id);
      }
      return changed;
    }
    case 'turn.failed': {
      const changed = finishTurn(state, event.turnId, false);
      const id = `error-${event.turnId}`;
      push(state, { kind: 'error', id, turnId: event.turnId, error: event.error });
      changed.push(id);
      return changed;
    }
  }
}

function dropPending(state: ChatState, submissionId: string): void {
  if (state.pending.some((p) => p.submissionId === submissionId)) state.pending = state.pending.filter((p) => p.submissionId !== submissionId);
}

/**
 * The running command card of `turnId` that an approval for `command` belongs to: the card of `callId`
 * when the event names it, else the turn's running card with exactly that command line (tool calls run
 * one at a time, so at most one card runs). The command line must match either way, so a card can never
 * show the question about one command under another command's title.
 */
function commandCardFor(state: ChatState, turnId: string, command: string, callId: string | undefined): string | undefined {
  for (let i = state.entries.length - 1; i >= 0; i--) {
    const entry = state.entries[i];
    if (!entry || entry.turnId !== turnId) break;
    if (entry.kind !== 'tool' || entry.status !== 'running') continue;
    if (callId !== undefined && entry.id !== callId) continue;
    return entry.title === command ? entry.id : undefined;
  }
  return undefined;
}

/** The command card holding approval `approvalId` (searched from the end: it is the newest turn's). */
function cardHoldingApproval(state: ChatState, approvalId: string): string | undefined {
  for (let i = state.entries.length - 1; i >= 0; i--) {
    const entry = state.entries[i];
    if (entry?.kind === 'tool' && entry.approval?.id === approvalId) return entry.id;
  }
  return undefined;
}

/**
 * What the active turn waits for from the user: an undecided approval, or a change set under review
 * (no outcome yet and a hunk still pending). Only the active turn's entries are looked at, from the end.
 */
export function userWait(state: ChatState): UserWait {
  const turnId = state.activeTurnId;
  if (turnId === undefined) return undefined;
  for (let i = state.entries.length - 1; i >= 0; i--) {
    const entry = state.entries[i];
    if (!entry || entry.turnId !== turnId) break;
    if (entry.kind === 'approval' && !entry.decision) return 'approval';
    if (entry.kind === 'tool' && entry.approval && !entry.approval.decision && entry.status === 'running') return 'approval';
    if (entry.kind === 'patch' && !entry.outcome && entry.files.some((f) => f.hunks?.some((h) => h.state === 'pending'))) return 'review';
  }
  return undefined;
}

/** Closes whatever the turn left open: streaming messages stop streaming, running tools are cancelled. */
function finishTurn(state: ChatState, turnId: string, stopped: boolean): string[] {
  if (state.activeTurnId === turnId) state.activeTurnId = undefined;
  const changed: string[] = [];
  // Only the tail can belong to the finishing turn: walk back until an older turn shows up.
  for (let i = state.entries.length - 1; i >= 0; i--) {
    const entry = state.entries[i];
    if (!entry || entry.turnId !== turnId) break;
    if (entry.kind === 'assistant' && entry.streaming) {
      state.entries[i] = { ...entry, streaming: false };
      changed.push(entry.id);
    } else if (entry.kind === 'tool' && entry.status === 'running') {
      state.entries[i] = { ...entry, status: stopped ? 'cancelled' : 'error' };
      changed.push(entry.id);
    }
  }
  return changed;
}

/**
 * A turn that succeeded with the same text as the failed turns right before it (Retry, or the user sending
 * it again) supersedes them: their user message, notices ("retrying in 2s") and error card are marked
 * `retried`. Only turns that failed before doing anything qualify (a turn that ran a tool or answered in
 * part stays as it was). Derived from the entries alone, so the host, the view and a replay of the log agree.
 */
function markRetried(state: ChatState, turnId: string): string[] {
  const at = state.index.get(`user-${turnId}`);
  const retry = at === undefined ? undefined : state.entries[at];
  if (at === undefined || retry?.kind !== 'user') return [];
  const changed: string[] = [];
  let end = at; // entries before `end` are still to look at
  for (;;) {
    const error = state.entries[end - 1];
    if (error?.kind !== 'error' || error.retried) break;
    let start = end - 2;
    while (start >= 0 && state.entries[start]?.kind === 'notice' && state.entries[start]?.turnId === error.turnId) start--;
    const user = state.entries[start];
    if (start < 0 || user?.kind !== 'user' || user.turnId !== error.turnId || user.text !== retry.text) break;
    for (let i = start; i < end; i++) {
      const entry = state.entries[i];
      if (entry && (entry.kind === 'user' || entry.kind === 'notice' || entry.kind === 'error')) {
        state.entries[i] = { ...entry, retried: true };
        changed.push(entry.id);
      }
    }
    end = start;
  }
  return changed;
}

export function chatStateFromEvents(events: Iterable<AgentEvent>): ChatState {
  const state = emptyChatState();
  for (const event of events) applyEvent(state, event);
  return state;
}
