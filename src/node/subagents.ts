// Makes the children of `spawn_agent` (core/tools/spawnAgent.ts): each child is a session built by the same
// factory as its parent (same model, tools, workspace, runner and sandbox, same approval policy function),
// so it can never do more than its parent. What the user must see or decide goes through the parent's tool
// context: the child's approval requests become the parent's approval cards, the child's edits the
// parent's change sets for review, and the child's progress lines on the parent's sub-agent card. The
// child's own transcript goes to its own log (`recorderFor`), named by its session id.
//
// With a worktree (`spawn_agent {"worktree": true}`) the child is placed in an isolated git worktree
// (worktrees/): its cwd and only workspace root are the worktree's copy of the workspace folder, so the
// policy and the sandbox confine its commands there, and its edits are written there at once (they are the
// child's scratch space). When it has finished, everything it changed comes back as ONE change set, put
// through the parent's policy (`ctx.authorize`) and review (`ctx.proposeChanges`) like any patch; then the
// worktree is removed. A child that failed or was stopped leaves nothing behind.
import { realpathSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { AgentSession } from '../core/agent/agentSession';
import type { ChangeSetHandler, SessionRecorder } from '../core/agent/types';
import type { ProcessRunner } from '../core/ports';
import { summarizeChangeSet } from '../core/patch/summary';
import type { ChangeSet, PatchOutcome } from '../core/patch/types';
import { createChangeSetReview, withHunkSummaries } from '../core/review/changeSetReview';
import type { AgentEvent, FileChangeSummary } from '../shared/events';
import type { LaunchOptions, SubagentLauncher, SubagentResult } from '../core/tools/spawnAgent';
import type { ToolContext } from '../core/tools/types';
import { confinedWriterFs } from './confinedWriterFs';
import { writeChangeSetAtomically } from './fsChangeSetWriter';
import type { Worktree } from './worktrees/types';
import { keepingRepositoryReadOnly } from './worktrees/worktreeRunner';
import type { WorktreeManager } from './worktrees/worktreeManager';

export interface SubagentSettings {
  /** How deep children may spawn children (default 1: the user's agent spawns, its children do not). */
  maxDepth?: number;
  /** spawn_agent calls from one response running at once (default 4). */
  maxParallel?: number;
  /** This session's depth (0 for the user's own). */
  depth?: number;
  /** Where a child's transcript is logged (by its session id); none: not logged. */
  recorderFor?: (childSessionId: string) => SessionRecorder | undefined;
  /** Makes the worktrees of `"worktree": true` (default: one over the `git` CLI); `false`: never offered. */
  worktrees?: WorktreeManager | false;
}

export const DEFAULT_SUBAGENT_DEPTH = 1;
export const DEFAULT_SUBAGENT_PARALLEL = 4;

/** Where a child works when it is not where its parent works (its worktree). */
export interface ChildPlacement {
  cwd: string;
  workspaceRoots: string[];
  /** The parent's runner keeping the repository the worktree was made from read-only (worktreeRunner.ts). */
  runner: ProcessRunner;
}

/**
 * Builds a child session; the launcher supplies the id, the recorder, how its change sets are handled and,
 * for a worktree, where it works (cwd and workspace roots: what its policy and sandbox confine it to).
 */
export type ChildSessionFactory = (childSessionId: string, recorder: SessionRecorder, handleChangeSet: ChangeSetHandler, placement?: ChildPlacement) => Promise<AgentSession>;

/** The worktree side of a launcher: the manager and the workspace folder worktrees are made of. */
export interface ChildWorktrees {
  manager: WorktreeManager;
  workspaceRoot: string;
}

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
    private readonly worktrees?: ChildWorktrees,
  ) {}

  async launch(task: string, ctx: ToolContext, options: LaunchOptions = {}): Promise<SubagentResult> {
    const sessionId = `${this.parentSessionId()}-agent${++this.count}`;
    if (options.worktree) return this.launchInWorktree(sessionId, task, ctx);
    const proposedFiles = new Map<string, FileChangeSummary[]>();
    // The child's edits are the parent's to review: same policy check, same review, shown on the parent's turn.
    const handleChangeSet: ChangeSetHandler = async (changeSet) => {
      const files = proposedFiles.get(changeSet.id) ?? [];
      return this.proposeToParent(ctx, changeSet, files, `A sub-agent proposes to change ${files.length === 1 ? '1 file' : `${files.length} files`}`);
    };
    return this.runChild(sessionId, task, ctx, handleChangeSet, proposedFiles);
  }

  /**
   * The child in a worktree of its own. The worktree is made before the child and removed after its changes
   * were decided, whatever happens in between.
   */
  private async launchInWorktree(sessionId: string, task: string, ctx: ToolContext): Promise<SubagentResult> {
    if (!this.worktrees) return { sessionId, status: 'failed', finalResponse: '', error: 'worktrees are not available in this session' };
    const { manager, workspaceRoot } = this.worktrees;
    let worktree: Worktree;
    try {
      worktree = await manager.create(workspaceRoot, `agent-${this.count}`);
    } catch (error) {
      return { sessionId, status: 'failed', finalResponse: '', error: `its worktree could not be made: ${error instanceof Error ? error.message : String(error)}` };
    }
    try {
      // Its commands cannot write the repository the worktree came from, full access included (red-team P10).
      const placement: ChildPlacement = { cwd: placeInWorktree(ctx.cwd, worktree), workspaceRoots: [worktree.workspacePath], runner: keepingRepositoryReadOnly(ctx.runner, worktree) };
      const result = await this.runChild(sessionId, task, ctx, (changeSet) => writeInWorktree(changeSet, worktree), new Map(), placement);
      if (result.status !== 'completed') {
        return { ...result, worktreeReport: `The sub-agent did not finish, so nothing it changed in its worktree was kept (the worktree is removed).` };
      }
      return { ...result, worktreeReport: await this.bringBack(worktree, ctx) };
    } catch (error) {
      return { sessionId, status: 'failed', finalResponse: '', error: `its worktree's changes could not be read: ${error instanceof Error ? error.message : String(error)}` };
    } finally {
      await manager.remove(worktree).catch(() => undefined);
    }
  }

  /** The worktree's changes as one change set through the parent's policy and review; says what became of it. */
  private async bringBack(worktree: Worktree, ctx: ToolContext): Promise<string> {
    const { changeSet, conflicts, skipped } = await this.worktrees!.manager.changes(worktree);
    const notes = [
      ...conflicts.map((c) => `${c.path}: ${c.reason}; its changes there show as stale in the review and are not applied.`),
      ...skipped.map((s) => `${s.path}: not carried back (${s.reason}).`),
    ];
    const tail = notes.length ? `\n${notes.join('\n')}` : '';
    if (changeSet.changes.length === 0) return `The sub-agent changed no files that can be carried back.${tail}`;
    // Summarised like apply_patch's: relative to the parent's cwd, with the review's own hunk ids.
    const files = withHunkSummaries(summarizeChangeSet(changeSet, ctx.cwd), createChangeSetReview(changeSet, ctx.turnId, (path) => path));
    const count = files.length === 1 ? '1 file' : `${files.length} files`;
    const outcome = await this.proposeToParent(ctx, changeSet, files, `A sub-agent's work in its worktree changes ${count}`);
    return `Its changes to ${count} were proposed as one change set. ${outcome.message}${tail}`;
  }

  /** A change set of the child's goes through the parent's policy check and review, shown on the parent's card. */
  private async proposeToParent(ctx: ToolContext, changeSet: ChangeSet, files: FileChangeSummary[], reason: string): Promise<PatchOutcome> {
    const allowed = await ctx.authorize({ kind: 'patch', files, reason });
    if (!allowed.allowed) return { outcome: 'discarded', message: `Not applied: ${allowed.reason}` };
    ctx.emit({ type: 'patch.proposed', turnId: ctx.turnId, callId: ctx.callId, changeSetId: changeSet.id, files });
    const outcome = await ctx.proposeChanges(changeSet);
    ctx.emit({ type: 'patch.resolved', turnId: ctx.turnId, changeSetId: changeSet.id, outcome: outcome.outcome, message: outcome.message });
    return outcome;
  }

  /** Runs the child session to the end of its one turn, its events passed up as progress and approvals. */
  private async runChild(
    sessionId: string,
    task: string,
    ctx: ToolContext,
    handleChangeSet: ChangeSetHandler,
    proposedFiles: Map<string, FileChangeSummary[]>,
    placement?: ChildPlacement,
  ): Promise<SubagentResult> {
    const log = this.recorderFor?.(sessionId);
    let child: AgentSession | undefined;
    const say = (chunk: string) => ctx.emit({ type: 'tool.output', turnId: ctx.turnId, callId: ctx.callId, chunk });

    // Seen synchronously as the child emits, before it goes on: an edit's summary is known by the time
    // its change set arrives, and an approval is passed up at once.
    const recorder: SessionRecorder = {
      item: (item) => log?.item(item),
      event: (event) => {
        log?.event(event);
        if (event.type === 'patch.proposed') proposedFiles.set(event.changeSetId, event.files);
        if (event.type === 'approval.requested') void askParent(ctx, event, () => child);
        const line = progressLine(event);
        if (line) say(line);
      },
    };

    try {
      child = await this.createChild(sessionId, recorder, handleChangeSet, placement);
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
}

/**
 * A child's approval card is asked as the parent's (the user answers it there) and the answer goes back
 * down. The parent judges exactly what the child's policy judged: input to a running process carries that
 * process's confinement (`running`), so the parent asks as it would for its own write_stdin.
 */
export async function askParent(ctx: Pick<ToolContext, 'authorize'>, request: Extract<AgentEvent, { type: 'approval.requested' }>, child: () => Pick<AgentSession, 'submit'> | undefined): Promise<void> {
  let answer: { allowed: true } | { allowed: false; reason: string };
  try {
    answer = await ctx.authorize(request.subject, request.running !== undefined ? { running: request.running } : {});
  } catch (error) {
    answer = { allowed: false, reason: error instanceof Error ? error.message : String(error) };
  }
  child()?.submit({ type: 'approval', approvalId: request.approvalId, decision: answer.allowed ? 'approve' : 'deny', ...(answer.allowed ? {} : { note: answer.reason }) });
}

/** The parent's cwd, moved into the worktree (the worktree's workspace folder when it is not inside it). */
function placeInWorktree(cwd: string, worktree: Worktree): string {
  let inside: string;
  try {
    inside = relative(realpathSync(worktree.workspaceRoot), realpathSync(cwd));
  } catch {
    return worktree.workspacePath;
  }
  return inside === '' || inside.startsWith('..') || inside.startsWith('/') ? worktree.workspacePath : join(worktree.workspacePath, inside);
}

/**
 * A child's own edit in its worktree: written there at once, confined to it (its review comes when it
 * ends, as one change set). Nothing outside the worktree's workspace folder and nothing in a `.git`.
 */
async function writeInWorktree(changeSet: ChangeSet, worktree: Worktree): Promise<PatchOutcome> {
  const root = worktree.workspacePath;
  for (const change of changeSet.changes) {
    for (const path of [change.path, change.movePath]) {
      if (path === undefined) continue;
      const rel = relative(root, path);
      if (rel === '' || rel.startsWith('..') || rel.startsWith('/')) {
        return { outcome: 'failed', message: `Not applied: a sub-agent in a worktree changes only files inside it (${root}), and ${path} is not.` };
      }
      if (rel.split('/').some((part) => part.toLowerCase() === '.git')) return { outcome: 'failed', message: `Not applied: ${rel} is inside a .git folder.` };
    }
  }
  try {
    await writeChangeSetAtomically(changeSet, confinedWriterFs([root]));
  } catch (error) {
    return { outcome: 'failed', message: `Not applied: ${error instanceof Error ? error.message : String(error)}` };
  }
  return { outcome: 'applied', message: 'Applied in your worktree; the user reviews all your changes together when you finish.' };
}
