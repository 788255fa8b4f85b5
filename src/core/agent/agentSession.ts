// One conversation with the model, Codex-shaped: operations go in with `submit` (each gets a submission id
// and is queued: a message sent during a turn waits until the model can take it), and one session-wide
// stream of events comes out (sessionStream.ts). `submit` also returns that submission's events — a
// filtered view of the same stream — so a caller can `for await` its own turn; breaking out of it stops
// the turn. Cancellation is by AbortSignal (the caller's, or `interrupt`). The history is append-only so every request's prefix is
// byte-identical to the previous request (prompt caching), and `prompt_cache_key` is the session id.
// The one exception is a compaction (compaction/compactor.ts): the history is replaced by one compaction
// item, and from there the prefix is stable again.
import { knownSecrets } from '../secrets/knownSecrets';
import type { AgentEvent, TurnError } from '../../shared/events';
import { SessionApprovals } from '../approvals/sessionApprovals';
import type { ConversationItem, ModelRequest } from '../model/types';
import { ModelError, toTurnError } from '../model/errors';
import { CompactionError, ContextManager, liveHistory, type CompactionReason } from '../compaction/compactor';
import { contextWindowFor } from './contextWindow';
import { environmentBlock } from '../prompt/environment';
import { ProcessSessions } from '../tools/processSessions';
import type { Tool, ToolContext } from '../tools/types';
import { ActionVerdicts } from './actionVerdicts';
import { ToolAuthorizer } from './toolAuthorizer';
import { runModelStep } from './modelStep';
import { RepeatDetector } from './repeatDetector';
import { SessionStream, type SessionEvent, type Submission } from './sessionStream';
import { executeToolCall } from './toolCall';
import { runLimited, toolBatches } from './toolBatches';
import { outputsForDanglingCalls } from './danglingCalls';
import { PendingApprovals } from './pendingApprovals';
import { DEFAULT_LIMITS, type AgentSessionOptions, type Operation, type TurnInfo, type TurnLimits } from './types';
import { TurnQueue, type QueuedTurn, type TurnOperation } from './turnQueue';

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
  private readonly authorizer: ToolAuthorizer;
  private readonly pendingApprovals = new PendingApprovals();
  readonly processSessions = new ProcessSessions();
  private activeTurn: { id: string; submissionId: string; controller: AbortController } | undefined;
  private readonly queued = new TurnQueue();
  private readonly stream = new SessionStream();
  private turnCounter = 0;
  private submissionCounter = 0;
  private readonly newId: () => string;
  private readonly context: ContextManager;

  constructor(private readonly options: AgentSessionOptions) {
    this.authorizer = new ToolAuthorizer(new ActionVerdicts(options, this.approvals), this.approvals, this.pendingApprovals, () => this.newId());
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

  /** A turn runs, or one waits to run. */
  get isBusy(): boolean {
    return this.activeTurn !== undefined || this.queued.length > 0;
  }

  /**
   * The session's one event stream, from now on: every event of every submission, tagged with its
   * submission id. Ends when `signal` aborts, the reader breaks out, or the session is disposed.
   */
  events(signal?: AbortSignal): AsyncIterable<SessionEvent> {
    return this.stream.subscribe(signal);
  }

  /** The conversation as the model sees it (read-only view, for tests and diagnostics). */
  get conversation(): readonly ConversationItem[] {
    return this.history;
  }

  /** Compactions so far in this session (also those before a reload). */
  get compactions(): number {
    return this.context.compactions;
  }

  /**
   * Submits an operation and returns its submission: the id, and the submission's events as an async
   * iterable (a user turn's or compaction's events until it ends; a review update's one event; nothing for
   * an approval or an interrupt). A turn submitted while another runs is queued, never refused: a message
   * is offered to the running turn (`input.queued`, then `input.delivered`), a compaction waits its turn.
   * Aborting `signal` stops the submission's turn, or withdraws it while it waits.
   */
  submit(op: Operation, signal?: AbortSignal): Submission {
    const submissionId = `${this.id}-op${++this.submissionCounter}`;
    const submission = this.stream.follow(submissionId, () => this.abandon(submissionId));
    switch (op.type) {
      case 'user_turn':
      case 'compact':
        this.enqueueTurn(submissionId, op, signal);
        break;
      case 'approval':
        // a stale click on an already-resolved card finds nothing
        this.pendingApprovals.answer(op.approvalId, { decision: op.decision, ...(op.note !== undefined ? { note: op.note } : {}) });
        this.stream.end(submissionId);
        break;
      case 'interrupt':
        this.interrupt('interrupted');
        this.stream.end(submissionId);
        break;
      case 'review_update':
        this.publish(submissionId, op.event);
        this.stream.end(submissionId);
        break;
    }
    return submission;
  }

  /** Kills background processes, aborts the running turn, withdraws what waits, ends every reader. */
  dispose(): void {
    this.interrupt('disposed');
    this.processSessions.killAll();
    this.stream.close();
  }

  /** Stops the running turn and withdraws the queue: after Stop nothing starts by itself. */
  private interrupt(reason: string): void {
    for (const waiting of this.queued.clear()) this.withdraw(waiting);
    this.activeTurn?.controller.abort(new Error(reason));
  }

  /** The reader of `submissionId` stopped listening: stop its turn, or drop it from the queue. */
  private abandon(submissionId: string): void {
    if (this.activeTurn?.submissionId === submissionId) {
      this.activeTurn.controller.abort(new Error('interrupted'));
      return;
    }
    const waiting = this.queued.remove(submissionId);
    if (waiting) this.withdraw(waiting);
  }

  private withdraw(waiting: QueuedTurn): void {
    if (waiting.op.type === 'user_turn') {
      this.publish(waiting.submissionId, { type: 'input.withdrawn', turnId: this.activeTurn?.id ?? '', submissionId: waiting.submissionId, text: waiting.op.display ?? waiting.op.text, at: Date.now() });
    }
    this.stream.end(waiting.submissionId);
  }

  /** Every event goes to the log first, then out on the one stream. */
  private publish(submissionId: string, event: AgentEvent): void {
    this.options.recorder?.event(event);
    this.stream.publish(submissionId, event);
  }

  private enqueueTurn(submissionId: string, op: TurnOperation, signal?: AbortSignal): void {
    if (!this.activeTurn && this.queued.length === 0) {
      this.startTurn(submissionId, op, signal);
      return;
    }
    if (op.type === 'user_turn') {
      this.publish(submissionId, { type: 'input.queued', turnId: this.activeTurn?.id ?? '', submissionId, text: op.display ?? op.text, at: Date.now() });
    }
    this.queued.add({ submissionId, op, ...(signal ? { signal } : {}) }, () => this.abandon(submissionId));
    if (signal?.aborted) this.abandon(submissionId);
  }

  /** After a turn: the next queued operation starts as a turn of its own. */
  private startNextQueued(): void {
    const next = this.queued.next();
    if (next) this.startTurn(next.submissionId, next.op, next.signal);
  }

  /**
   * Gives the messages waiting at the head of the queue to the running turn (the model takes them with
   * the next request). Returns whether any was delivered. A queued compaction stops the delivery: what
   * comes after it waits for it.
   */
  private deliverQueuedInput(turnId: string): boolean {
    let delivered = false;
    for (const waiting of this.queued.takeMessages()) {
      const op = waiting.op;
      this.appendItem({ type: 'user', text: op.text, ...(op.images?.length ? { images: op.images } : {}) });
      this.stream.joinTurn(waiting.submissionId, turnId);
      this.publish(waiting.submissionId, { type: 'input.delivered', turnId, submissionId: waiting.submissionId, text: op.display ?? op.text, at: Date.now() });
      delivered = true;
    }
    return delivered;
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

  private startTurn(submissionId: string, op: TurnOperation, outerSignal?: AbortSignal): void {
    const turnId = `${this.id}-t${++this.turnCounter}-${this.newId()}`;
    const controller = new AbortController();
    const onOuterAbort = () => controller.abort(outerSignal?.reason);
    if (outerSignal?.aborted) controller.abort(outerSignal.reason);
    else outerSignal?.addEventListener('abort', onOuterAbort, { once: true });
    const wallTimer = setTimeout(() => controller.abort(new TurnFailure({ code: 'limit', message: `The turn ran longer than ${Math.round(this.limits.maxWallMs / 60000)} minutes and was stopped.` })), this.limits.maxWallMs);
    this.activeTurn = { id: turnId, submissionId, controller };
    this.stream.joinTurn(submissionId, turnId);

    const emit = (event: AgentEvent) => this.publish(submissionId, event);
    const turn = { turnId, submissionId, kind: op.type };
    // turn.started goes out synchronously (the chat shows the message at once); the host's begin hook is
    // awaited before the turn does anything else, its end hook before the next turn may start.
    emit({ type: 'turn.started', turnId, text: op.type === 'compact' ? '/compact' : (op.display ?? op.text), at: Date.now(), submissionId });
    const run = (async () => {
      await this.turnHook('begin', turn);
      if (op.type === 'compact') await this.runCompaction(turnId, controller.signal, emit);
      else await this.runTurn(turnId, op, controller.signal, emit);
    })();
    void run
      .finally(() => {
        clearTimeout(wallTimer);
        outerSignal?.removeEventListener('abort', onOuterAbort);
        this.pendingApprovals.denyAll('The turn ended.');
        return this.turnHook('end', turn);
      })
      .finally(() => {
        this.activeTurn = undefined;
        this.stream.endTurn(turnId);
        this.startNextQueued();
      });
  }

  /** Calls the host's turn hook; its failure is the host's to report, never the turn's. */
  private async turnHook(which: 'begin' | 'end', turn: TurnInfo): Promise<void> {
    try {
      await this.options.turnHooks?.[which](turn);
    } catch {
      // a hook is a recording around the turn, not a gate on it
    }
  }

  private async runTurn(turnId: string, op: Extract<Operation, { type: 'user_turn' }>, signal: AbortSignal, emit: (e: AgentEvent) => void): Promise<void> {
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
        // Messages the user sent meanwhile go with this request (after the tool results they followed).
        if (step > 0) this.deliverQueuedInput(turnId);
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
        if (result.toolCalls.length === 0) {
          // The model answered; a message sent meanwhile keeps the turn going instead of waiting for a new one.
          if (this.deliverQueuedInput(turnId)) continue;
          break;
        }
        // One call after another in the model's order, but consecutive sub-agent calls together (toolBatches.ts).
        // Every call gets an output, so the history stays well-formed.
        const tools = this.toolsByName();
        for (const batch of toolBatches(result.toolCalls, tools)) {
          const outputs = await runLimited(
            batch.map((call) => () => executeToolCall(call, this.toolContext(turnId, call.callId, signal, emit), tools, emit, turnId, signal)),
            this.limits.maxParallelTools,
          );
          batch.forEach((call, i) => this.appendItem({ type: 'tool_output', callId: call.callId, output: outputs[i]!, ...(call.custom ? { custom: true } : {}) }));
          for (const [i, call] of batch.entries()) {
            const loop = repeats.add(call.name, call.input, outputs[i]!);
            if (loop) throw new TurnFailure({ code: 'limit', message: loop });
          }
        }
        if (signal.aborted) throw signal.reason;
      }
      emit({ type: 'turn.completed', turnId, stopped: false, at: Date.now() });
    } catch (error) {
      const why = signal.aborted ? 'The user stopped the turn before this call finished.' : 'The turn failed before this call ran.';
      for (const item of outputsForDanglingCalls(this.history, why)) this.appendItem(item);
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
    emit({ type: 'context.compacted', turnId, reason, summary: result.item.state.summary, tokensBefore: result.tokensBefore, tokensAfter: result.tokensAfter, count: result.count, ...(result.native ? { native: true } : {}), at: Date.now() });
  }

  /** `/compact`: a turn of its own that only compacts. */
  private async runCompaction(turnId: string, signal: AbortSignal, emit: (e: AgentEvent) => void): Promise<void> {
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
        const auth = await this.authorizer.authorize(turnId, subject, signal, emit, options);
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
}
