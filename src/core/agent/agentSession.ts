// One conversation with the model. Codex-style API: `submit(operation)`; a user turn returns the turn's
// event stream (an async iterable that ends after `turn.completed` / `turn.failed`). Cancellation is by
// AbortSignal (the caller's, or `interrupt`). The history is append-only so every request's prefix is
// byte-identical to the previous request (prompt caching), and `prompt_cache_key` is the session id.
// The one exception is a compaction (compaction/compactor.ts): the history is replaced by one compaction
// item, and from there the prefix is stable again.
import { knownSecrets } from '../secrets/knownSecrets';
import type { AgentEvent, ApprovalDecision, ApprovalSubject, TurnError } from '../../shared/events';
import { isSandboxEscalation } from '../approvals/policy';
import { SessionApprovals } from '../approvals/sessionApprovals';
import type { ConversationItem, ModelRequest } from '../model/types';
import { ModelError, toTurnError } from '../model/errors';
import { CompactionError, ContextManager, liveHistory, type CompactionReason } from '../compaction/compactor';
import { contextWindowFor } from './contextWindow';
import { environmentBlock } from '../prompt/environment';
import { ProcessSessions } from '../tools/processSessions';
import type { CommandConfinement } from '../ports';
import type { Authorization, AuthorizeOptions, Tool, ToolContext } from '../tools/types';
import { ActionVerdicts } from './actionVerdicts';
import { AsyncQueue, raceAbort } from './asyncQueue';
import { runModelStep } from './modelStep';
import { RepeatDetector } from './repeatDetector';
import { executeToolCall } from './toolCall';
import { DEFAULT_LIMITS, type AgentSessionOptions, type Operation, type TurnLimits } from './types';

interface PendingApproval {
  resolve(answer: { decision: ApprovalDecision; note?: string }): void;
}

/** Thrown inside a turn to end it with a classified, user-facing error. */
export class TurnFailure extends Error {
  constructor(readonly error: TurnError) {
    super(error.message);
  }
}

export class AgentSession {
  readonly id: string;
  private readonly history: ConversationItem[];
  private readonly limits: TurnLimits;
  private readonly approvals = new SessionApprovals();
  private readonly verdicts: ActionVerdicts;
  private readonly pendingApprovals = new Map<string, PendingApproval>();
  readonly processSessions = new ProcessSessions();
  private activeTurn: { id: string; controller: AbortController } | undefined;
  private turnCounter = 0;
  private readonly newId: () => string;
  private readonly context: ContextManager;

  constructor(private readonly options: AgentSessionOptions) {
    this.verdicts = new ActionVerdicts(options, this.approvals);
    this.id = options.sessionId;
    // A restored log holds the whole transcript; the model sees it from the last compaction on.
    this.history = liveHistory(options.history ?? []);
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.context = new ContextManager(
      { contextWindow: options.compaction?.contextWindow ?? contextWindowFor(options.modelName), threshold: options.compaction?.threshold ?? Number.NaN },
      this.history,
    );
    let counter = 0;
    this.newId = options.newId ?? (() => `${Date.now().toString(36)}-${(counter++).toString(36)}`);
    if (this.history.length === 0 && options.projectInstructions) {
      this.appendItem({ type: 'user', text: options.projectInstructions });
    }
  }

  get isBusy(): boolean {
    return this.activeTurn !== undefined;
  }

  /** The conversation as the model sees it (read-only view, for tests and diagnostics). */
  get conversation(): readonly ConversationItem[] {
    return this.history;
  }

  /** Compactions so far in this session (also those before a reload). */
  get compactions(): number {
    return this.context.compactions;
  }

  /** Submits an operation. A `user_turn` or `compact` returns its event stream; other operations return nothing. */
  submit(op: Extract<Operation, { type: 'user_turn' | 'compact' }>, signal?: AbortSignal): AsyncIterable<AgentEvent>;
  submit(op: Exclude<Operation, { type: 'user_turn' | 'compact' }>): void;
  submit(op: Operation, signal?: AbortSignal): AsyncIterable<AgentEvent> | void {
    switch (op.type) {
      case 'user_turn':
      case 'compact':
        return this.startTurn(op, signal);
      case 'approval': {
        const pending = this.pendingApprovals.get(op.approvalId);
        if (!pending) return; // stale click on an already-resolved card
        this.pendingApprovals.delete(op.approvalId);
        pending.resolve({ decision: op.decision, ...(op.note !== undefined ? { note: op.note } : {}) });
        return;
      }
      case 'interrupt':
        this.activeTurn?.controller.abort(new Error('interrupted'));
        return;
    }
  }

  /** Kills background processes and aborts the running turn. */
  dispose(): void {
    this.activeTurn?.controller.abort(new Error('disposed'));
    this.processSessions.killAll();
  }

  private appendItem(rawItem: ConversationItem): void {
    // Last line of defence for secrets: whatever a tool returned (command output is already redacted as it
    // streams; file text quoted by a tool, a mention's attachment may not be) reaches the model and the log
    // without a key Tandem knows.
    const item: ConversationItem =
      rawItem.type === 'tool_output' ? { ...rawItem, output: knownSecrets.redact(rawItem.output) }
      : rawItem.type === 'user' ? { ...rawItem, text: knownSecrets.redact(rawItem.text) }
      : rawItem.type === 'compaction' ? { ...rawItem, text: knownSecrets.redact(rawItem.text), state: { ...rawItem.state, summary: knownSecrets.redact(rawItem.state.summary) } }
      : rawItem;
    this.context.noteItem(item);
    this.history.push(item);
    this.options.recorder?.item(item);
  }

  private startTurn(op: Extract<Operation, { type: 'user_turn' | 'compact' }>, outerSignal?: AbortSignal): AsyncIterable<AgentEvent> {
    if (this.activeTurn) throw new Error('A turn is already running; stop it or wait for it to finish.');
    const turnId = `${this.id}-t${++this.turnCounter}-${this.newId()}`;
    const controller = new AbortController();
    const onOuterAbort = () => controller.abort(outerSignal?.reason);
    outerSignal?.addEventListener('abort', onOuterAbort, { once: true });
    const wallTimer = setTimeout(() => controller.abort(new TurnFailure({ code: 'limit', message: `The turn ran longer than ${Math.round(this.limits.maxWallMs / 60000)} minutes and was stopped.` })), this.limits.maxWallMs);
    this.activeTurn = { id: turnId, controller };

    const queue = new AsyncQueue<AgentEvent>();
    const emit = (event: AgentEvent) => {
      this.options.recorder?.event(event);
      queue.push(event);
    };
    const run = op.type === 'compact' ? this.runCompaction(turnId, controller.signal, emit) : this.runTurn(turnId, op, controller.signal, emit);
    void run.finally(() => {
      clearTimeout(wallTimer);
      outerSignal?.removeEventListener('abort', onOuterAbort);
      for (const [id, pending] of this.pendingApprovals) {
        pending.resolve({ decision: 'deny', note: 'The turn ended.' });
        this.pendingApprovals.delete(id);
      }
      this.activeTurn = undefined;
      queue.close();
    });
    return queue;
  }

  private async runTurn(turnId: string, op: Extract<Operation, { type: 'user_turn' }>, signal: AbortSignal, emit: (e: AgentEvent) => void): Promise<void> {
    emit({ type: 'turn.started', turnId, text: op.display ?? op.text, at: Date.now() });
    const env = environmentBlock(this.options.environment());
    this.appendItem({ type: 'user', text: `${op.text}\n\n${env}`, ...(op.images?.length ? { images: op.images } : {}) });
    const repeats = new RepeatDetector(this.limits.maxRepeats);
    try {
      for (let step = 0; ; step++) {
        if (step >= this.limits.maxSteps) {
          throw new TurnFailure({
            code: 'limit',
            message: `Paused after ${this.limits.maxSteps} model requests in one turn (setting tandem.maxStepsPerTurn). Continue to let the agent go on.`,
            action: { label: 'Continue', command: 'continue' },
          });
        }
        if (this.context.needsCompaction(this.history, this.fixedRequest())) await this.compactNow(turnId, 'auto', signal, emit);
        let result: Awaited<ReturnType<typeof runModelStep>>;
        try {
          result = await this.modelStep(turnId, step, signal, emit);
        } catch (error) {
          // The provider counts differently than we estimate: compact once and send the step again.
          const overflow = error instanceof ModelError && error.code === 'context_length';
          if (!overflow || !this.context.canCompact || !this.context.hasCompactableHistory(this.history) || signal.aborted) throw error;
          await this.compactNow(turnId, 'overflow', signal, emit);
          result = await this.modelStep(turnId, step, signal, emit);
        }
        if (result.toolCalls.length === 0) break;
        // Calls run one after another in the order the model gave them: predictable for the user watching,
        // and approvals never interleave. Every call gets an output, so the history stays well-formed.
        for (const call of result.toolCalls) {
          const output = await executeToolCall(call, this.toolContext(turnId, call.callId, signal, emit), this.toolsByName(), emit, turnId, signal);
          this.appendItem({ type: 'tool_output', callId: call.callId, output, ...(call.custom ? { custom: true } : {}) });
          const loop = repeats.add(call.name, call.input, output);
          if (loop) throw new TurnFailure({ code: 'limit', message: loop });
        }
        if (signal.aborted) throw signal.reason;
      }
      emit({ type: 'turn.completed', turnId, stopped: false, at: Date.now() });
    } catch (error) {
      this.answerDanglingCalls(signal.aborted ? 'The user stopped the turn before this call finished.' : 'The turn failed before this call ran.');
      const reason = signal.aborted ? signal.reason : error;
      if (reason instanceof TurnFailure) {
        emit({ type: 'turn.failed', turnId, error: reason.error, at: Date.now() });
      } else if (signal.aborted) {
        this.processSessions.killAll();
        emit({ type: 'turn.completed', turnId, stopped: true, at: Date.now() });
      } else {
        emit({ type: 'turn.failed', turnId, error: toTurnError(error), at: Date.now() });
      }
    }
  }

  /** The part of every request that is not history (for token estimates). */
  private fixedRequest(): Pick<ModelRequest, 'instructions' | 'tools'> {
    return { instructions: this.options.instructions, tools: this.options.tools.map((t) => t.spec) };
  }

  /** One model request over the current history; usage reported for it feeds the context measure. */
  private modelStep(turnId: string, step: number, signal: AbortSignal, emit: (e: AgentEvent) => void): ReturnType<typeof runModelStep> {
    const request: ModelRequest = {
      model: this.options.modelName,
      instructions: this.options.instructions,
      input: [...this.history],
      tools: this.options.tools.map((t) => t.spec),
      promptCacheKey: this.id,
    };
    this.context.noteRequest(this.history.length);
    return runModelStep({
      client: this.options.model,
      request,
      signal,
      turnId,
      itemIdPrefix: `${turnId}-s${step}`,
      emit: (event) => {
        if (event.type === 'usage') this.context.noteUsage(event.usage.inputTokens);
        emit(event);
      },
      appendItem: (item) => this.appendItem(item),
      ...(this.options.retryDelay ? { retryDelay: this.options.retryDelay } : {}),
    });
  }

  /**
   * Replaces the history with a compaction item (the session log keeps the transcript before it) and says
   * so. A compaction that cannot help (no progress since the last one, or still too big) ends the turn.
   */
  private async compactNow(turnId: string, reason: CompactionReason, signal: AbortSignal, emit: (e: AgentEvent) => void): Promise<void> {
    let result;
    try {
      result = await this.context.compact(this.history, {
        client: this.options.model,
        model: this.options.modelName,
        fixed: this.fixedRequest(),
        ...(this.options.loadProjectInstructions ? { loadProjectInstructions: this.options.loadProjectInstructions } : {}),
        reason,
        promptCacheKey: this.id,
        signal,
        ...(this.options.retryDelay ? { sleep: this.options.retryDelay } : {}),
      });
    } catch (error) {
      if (error instanceof CompactionError) throw new TurnFailure({ code: 'context_length', message: error.message });
      throw error;
    }
    this.history.length = 0;
    this.appendItem(result.item);
    emit({ type: 'context.compacted', turnId, reason, summary: result.item.state.summary, tokensBefore: result.tokensBefore, tokensAfter: result.tokensAfter, count: result.count, at: Date.now() });
  }

  /** `/compact`: a turn of its own that only compacts. */
  private async runCompaction(turnId: string, signal: AbortSignal, emit: (e: AgentEvent) => void): Promise<void> {
    emit({ type: 'turn.started', turnId, text: '/compact', at: Date.now() });
    try {
      await this.compactNow(turnId, 'manual', signal, emit);
      emit({ type: 'turn.completed', turnId, stopped: false, at: Date.now() });
    } catch (error) {
      const reason = signal.aborted ? signal.reason : error;
      if (reason instanceof TurnFailure) emit({ type: 'turn.failed', turnId, error: reason.error, at: Date.now() });
      else if (signal.aborted) emit({ type: 'turn.completed', turnId, stopped: true, at: Date.now() });
      else emit({ type: 'turn.failed', turnId, error: toTurnError(error), at: Date.now() });
    }
  }

  /** Every call in the history needs an output, or the next request is rejected by the API. */
  private answerDanglingCalls(output: string): void {
    const answered = new Set<string>();
    for (let i = this.history.length - 1; i >= 0; i--) {
      const item = this.history[i]!;
      if (item.type === 'user') break;
      if (item.type === 'tool_output') answered.add(item.callId);
    }
    const dangling: ConversationItem[] = [];
    for (let i = this.history.length - 1; i >= 0; i--) {
      const item = this.history[i]!;
      if (item.type === 'user') break;
      if ((item.type === 'function_call' || item.type === 'custom_tool_call') && !answered.has(item.callId)) {
        dangling.unshift({ type: 'tool_output', callId: item.callId, output, ...(item.type === 'custom_tool_call' ? { custom: true } : {}) });
      }
    }
    for (const item of dangling) this.appendItem(item);
  }

  private toolsByName(): Map<string, Tool> {
    return new Map(this.options.tools.map((t) => [t.name, t]));
  }

  private toolContext(turnId: string, callId: string, signal: AbortSignal, emit: (e: AgentEvent) => void): ToolContext {
    let patchNeedsReview = false;
    return {
      turnId,
      callId,
      cwd: this.options.cwd,
      workspaceRoots: this.options.workspaceRoots,
      signal,
      emit,
      runner: this.options.runner,
      files: this.options.files,
      sessions: this.processSessions,
      authorize: async (subject, options) => {
        const auth = await this.authorize(turnId, subject, signal, emit, options);
        if (subject.kind === 'patch' && auth.allowed) patchNeedsReview = auth.review;
        if (!auth.allowed) return { allowed: false, reason: auth.reason };
        return auth.confinement ? { allowed: true, confinement: auth.confinement } : { allowed: true };
      },
      proposeChanges: async (changeSet) => {
        const outcome = await this.options.handleChangeSet(changeSet, { review: patchNeedsReview, turnId, signal });
        return outcome;
      },
    };
  }

  /**
   * The policy check, right before execution, on the exact command or files. For patches, "ask" does
   * not raise a separate approval card: the change set itself is shown for review (Apply / Discard).
   * For commands, the answer carries the confinement the runner must enforce.
   */
  private async authorize(
    turnId: string,
    subject: ApprovalSubject,
    signal: AbortSignal,
    emit: (e: AgentEvent) => void,
    options: AuthorizeOptions = {},
  ): Promise<(Authorization & { allowed: false }) | { allowed: true; review: boolean; confinement?: CommandConfinement }> {
    if (subject.kind === 'patch') {
      const verdict = await this.verdicts.patch(subject.files);
      if (verdict.verdict === 'deny') return { allowed: false, reason: verdict.reason };
      const review = verdict.verdict === 'ask' && !this.approvals.arePatchesApproved();
      return { allowed: true, review };
    }
    const escalation = isSandboxEscalation(subject);
    const verdict = await this.verdicts.command(subject, options.running);
    if (verdict.verdict === 'deny') return { allowed: false, reason: verdict.reason };
    const confinement = verdict.confinement ?? 'workspace-write';
    if (verdict.verdict === 'allow') return { allowed: true, review: false, confinement };
    const reason = escalation ? subject.reason : options.running !== undefined ? `${subject.reason} ${verdict.reason}` : verdict.reason;
    const approvalId = `approval-${this.newId()}`;
    const answer = new Promise<{ decision: ApprovalDecision; note?: string }>((resolve) => this.pendingApprovals.set(approvalId, { resolve }));
    emit({ type: 'approval.requested', turnId, approvalId, subject: { ...subject, reason } });
    const { decision, note } = await raceAbort(answer, signal);
    emit({ type: 'approval.resolved', turnId, approvalId, decision, ...(note !== undefined ? { note } : {}) });
    if (decision === 'deny') return { allowed: false, reason: note ? `The user denied it: ${note}` : 'The user denied it.' };
    // A session approval never covers input to a process or an escalation: those are asked each time.
    if (decision === 'approve_session' && !escalation && options.running === undefined) this.approvals.rememberCommand(subject.command);
    return { allowed: true, review: false, confinement };
  }
}
