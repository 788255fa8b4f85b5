// One SDK thread: a logged agent session in one working directory, run prompt by prompt. `run` collects a
// run into items and a final response; `runStreamed` hands out the run's events as they happen (the same
// typed events as src/shared/events.ts, read from the session's one stream). Approval requests are
// answered by the thread's `onApproval` hook, or denied when there is none. Runs sent while another runs
// are queued by the session, never refused.
import type { AgentEvent, ApprovalDecision } from '../shared/events';
import { RunCollector, type RunResult } from './threadItems';
import type { ApprovalRequest, ThreadOptions, TurnOptions } from './options';

/**
 * What a thread needs of its agent session (core/agent/agentSession.ts satisfies it). Narrow on purpose:
 * the SDK's published declarations stop here instead of pulling in the whole core.
 */
export interface ThreadSession {
  submit(op: { type: 'user_turn'; text: string } | { type: 'approval'; approvalId: string; decision: ApprovalDecision; note?: string }, signal?: AbortSignal): AsyncIterable<AgentEvent>;
  dispose(): void;
}

export interface StreamedRun {
  /** The run's events, ending after `turn.completed` or `turn.failed`. Breaking out of it stops the run. */
  events: AsyncIterable<AgentEvent>;
}

export class Thread {
  private closed = false;

  constructor(
    /** The session id: pass it to `resumeThread` to continue later (also `tandem exec --resume`). */
    readonly id: string,
    /** The folder the agent works in (for a resumed thread: the logged one, unless the options said otherwise). */
    readonly workingDirectory: string,
    private readonly session: Promise<ThreadSession>,
    private readonly options: ThreadOptions,
    private readonly flush: () => Promise<void>,
  ) {}

  /** Runs `prompt` to the end of its turn. */
  async run(prompt: string, turnOptions: TurnOptions = {}): Promise<RunResult> {
    const collector = new RunCollector();
    const { events } = await this.runStreamed(prompt, turnOptions);
    for await (const event of events) collector.add(event);
    return collector.result();
  }

  /** Starts `prompt` and returns its events as they happen. */
  async runStreamed(prompt: string, turnOptions: TurnOptions = {}): Promise<StreamedRun> {
    if (this.closed) throw new Error(`Thread ${this.id} is closed.`);
    const session = await this.session;
    const submission = session.submit({ type: 'user_turn', text: prompt }, turnOptions.signal);
    return { events: this.answerApprovals(session, submission) };
  }

  /** Stops background processes and the running turn; the thread's log stays for `resumeThread`. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    (await this.session).dispose();
    await this.flush();
  }

  private async *answerApprovals(session: ThreadSession, events: AsyncIterable<AgentEvent>): AsyncGenerator<AgentEvent> {
    try {
      for await (const event of events) {
        yield event;
        if (event.type === 'approval.requested') void this.answer(session, { threadId: this.id, approvalId: event.approvalId, subject: event.subject });
      }
    } finally {
      await this.flush();
    }
  }

  private async answer(session: ThreadSession, request: ApprovalRequest): Promise<void> {
    let answer: Awaited<ReturnType<NonNullable<ThreadOptions['onApproval']>>>;
    try {
      answer = this.options.onApproval ? await this.options.onApproval(request) : { decision: 'deny', note: 'No one can approve this here (the SDK thread has no onApproval hook).' };
    } catch (error) {
      answer = { decision: 'deny', note: `The approval hook failed: ${error instanceof Error ? error.message : String(error)}` };
    }
    const { decision, note } = typeof answer === 'string' ? { decision: answer, note: undefined } : answer;
    session.submit({ type: 'approval', approvalId: request.approvalId, decision, ...(note !== undefined ? { note } : {}) });
  }
}
