// Makes the children of `spawn_agent` (core/tools/spawnAgent.ts): each child is a session built by the same
// factory as its parent (same model, tools, workspace, runner and sandbox, same approval policy function),
// so it can never do more than its parent. What the user must see or decide goes through the parent's tool
// context: the child's approval requests become the parent's approval cards, the child's edits the
// parent's change sets for review, and the child's progress lines on the parent's sub-agent card. The
// child's own transcript goes to its own log (`recorderFor`), named by its session id.
import type { AgentSession } from '../core/agent/agentSession';
import type { ChangeSetHandler, SessionRecorder } from '../core/agent/types';
import type { AgentEvent, FileChangeSummary } from '../shared/events';
import type { SubagentLauncher, SubagentResult } from '../core/tools/spawnAgent';
import type { ToolContext } from '../core/tools/types';

export interface SubagentSettings {
  /** How deep children may spawn children (default 1: the user's agent spawns, its children do not). */
  maxDepth?: number;
  /** spawn_agent calls from one response running at once (default 4). */
  maxParallel?: number;
  /** This session's depth (0 for the user's own). */
  depth?: number;
  /** Where a child's transcript is logged (by its session id); none: not logged. */
  recorderFor?: (childSessionId: string) => SessionRecorder | undefined;
}

export const DEFAULT_SUBAGENT_DEPTH = 1;
export const DEFAULT_SUBAGENT_PARALLEL = 4;

/** Builds a child session; the launcher supplies the id, the recorder and how its change sets are handled. */
export type ChildSessionFactory = (childSessionId: string, recorder: SessionRecorder, handleChangeSet: ChangeSetHandler) => Promise<AgentSession>;

/** One progress line on the parent's card per thing the child does (its commands, edits, answer). */
function progressLine(event: AgentEvent): string | undefined {
  switch (event.type) {
    case 'tool.started':
      return `› ${event.title}\n`;
    case 'tool.ended':
      return event.status === 'ok' || event.status === 'running' ? undefined : `  (${event.status}${event.exitCode !== undefined ? `, exit ${event.exitCode}` : ''})\n`;
    case 'message.completed':
      return `${event.text}\n`;
    case 'turn.failed':
      return `failed: ${event.error.message}\n`;
    default:
      return undefined;
  }
}

export class ChildAgents implements SubagentLauncher {
  private count = 0;

  constructor(
    private readonly parentSessionId: () => string,
    private readonly createChild: ChildSessionFactory,
    private readonly recorderFor?: (childSessionId: string) => SessionRecorder | undefined,
  ) {}

  async launch(task: string, ctx: ToolContext): Promise<SubagentResult> {
    const sessionId = `${this.parentSessionId()}-agent${++this.count}`;
    const log = this.recorderFor?.(sessionId);
    const proposedFiles = new Map<string, FileChangeSummary[]>();
    let child: AgentSession | undefined;
    const say = (chunk: string) => ctx.emit({ type: 'tool.output', turnId: ctx.turnId, callId: ctx.callId, chunk });

    // Seen synchronously as the child emits, before it goes on: an edit's summary is known by the time
    // its change set arrives, and an approval is passed up at once.
    const recorder: SessionRecorder = {
      item: (item) => log?.item(item),
      event: (event) => {
        log?.event(event);
        if (event.type === 'patch.proposed') proposedFiles.set(event.changeSetId, event.files);
        if (event.type === 'approval.requested') void this.askParent(ctx, event, () => child);
        const line = progressLine(event);
        if (line) say(line);
      },
    };
    // The child's edits are the parent's to review: same policy check, same review, shown on the parent's turn.
    const handleChangeSet: ChangeSetHandler = async (changeSet) => {
      const files = proposedFiles.get(changeSet.id) ?? [];
      const allowed = await ctx.authorize({ kind: 'patch', files, reason: `A sub-agent proposes to change ${files.length === 1 ? '1 file' : `${files.length} files`}` });
      if (!allowed.allowed) return { outcome: 'discarded', message: `Not applied: ${allowed.reason}` };
      ctx.emit({ type: 'patch.proposed', turnId: ctx.turnId, callId: ctx.callId, changeSetId: changeSet.id, files });
      const outcome = await ctx.proposeChanges(changeSet);
      ctx.emit({ type: 'patch.resolved', turnId: ctx.turnId, changeSetId: changeSet.id, outcome: outcome.outcome, message: outcome.message });
      return outcome;
    };

    try {
      child = await this.createChild(sessionId, recorder, handleChangeSet);
    } catch (error) {
      return { sessionId, status: 'failed', finalResponse: '', error: `could not start: ${error instanceof Error ? error.message : String(error)}` };
    }
    let finalResponse = '';
    let status: SubagentResult['status'] = 'failed';
    let failure: string | undefined = 'it ended without finishing its turn';
    try {
      for await (const event of child.submit({ type: 'user_turn', text: task }, ctx.signal)) {
        if (event.type === 'message.completed') finalResponse = event.text;
        if (event.type === 'turn.completed') [status, failure] = [event.stopped ? 'stopped' : 'completed', undefined];
        if (event.type === 'turn.failed') [status, failure] = ['failed', event.error.message];
      }
    } finally {
      child.dispose();
    }
    return { sessionId, status, finalResponse, ...(failure !== undefined ? { error: failure } : {}) };
  }

  /** The child's approval card is asked as the parent's (the user answers it there); the answer goes back down. */
  private async askParent(ctx: ToolContext, request: Extract<AgentEvent, { type: 'approval.requested' }>, child: () => AgentSession | undefined): Promise<void> {
    let answer: { allowed: true } | { allowed: false; reason: string };
    try {
      answer = await ctx.authorize(request.subject);
    } catch (error) {
      answer = { allowed: false, reason: error instanceof Error ? error.message : String(error) };
    }
    child()?.submit({ type: 'approval', approvalId: request.approvalId, decision: answer.allowed ? 'approve' : 'deny', ...(answer.allowed ? {} : { note: answer.reason }) });
  }
}
