// spawn_agent: the agent hands a self-contained task to a child agent of its own — a fresh conversation
// with the same tools, workspace, sandbox and approval policy (never wider than the parent's), whose final
// message comes back as this call's output. Several spawn_agent calls in one response run at the same time
// (Tool.parallel; the session caps how many). How a child is made is a port (SubagentLauncher): the node
// layer builds it like any session, so the core stays free of I/O.
// With `"worktree": true` the child works in an isolated git worktree and its edits come back as one change
// set for the parent's review (node/subagents.ts, node/worktrees/). The parameter is in the schema only
// where worktrees can work (a git repository with a commit), so the model never sees an option that fails.
import { parseJsonObject } from './execCommand';
import { ToolInputError, type Tool, type ToolContext } from './types';

export interface SpawnAgentArgs {
  task: string;
  /** Run the child in its own git worktree (only offered where worktrees are available). */
  worktree?: boolean;
}

export interface SubagentResult {
  /** The child's session id: its transcript is logged under it. */
  sessionId: string;
  status: 'completed' | 'failed' | 'stopped';
  /** The child's last message ('' when it said nothing). */
  finalResponse: string;
  /** Why it failed, when it did. */
  error?: string;
  /** With a worktree: what became of its changes (the review's outcome, conflicts, files left behind). */
  worktreeReport?: string;
}

export interface LaunchOptions {
  /** Run the child in an isolated git worktree; its changes come back as one change set to review. */
  worktree?: boolean;
}

/** Whether `worktree` can be offered: where it cannot, why (told to a model that asks for it anyway). */
export type WorktreeOffer = { available: true } | { available: false; reason: string };

export interface SubagentLauncher {
  /**
   * Runs `task` in a child session to its end. The child's approvals and proposed edits go through the
   * parent's `ctx` (the user sees them as the parent's); its progress is reported on the parent's card.
   */
  launch(task: string, ctx: ToolContext, options?: LaunchOptions): Promise<SubagentResult>;
}

/** A task is instructions, not a novel: long enough for a real brief, short enough not to hide a flood of text. */
export const MAX_TASK_CHARS = 20_000;
/** What comes back to the parent of a child's answer (the whole answer is in the child's log). */
export const MAX_RESULT_CHARS = 16_000;

const EXAMPLE = '{"task":"In src/parser, find why empty lines crash tokenize() and fix it; run its tests."}';

function parseArgs(input: string, worktrees: WorktreeOffer): SpawnAgentArgs {
  const obj = parseJsonObject(input, 'spawn_agent', EXAMPLE);
  if (typeof obj.task !== 'string' || obj.task.trim() === '') throw new ToolInputError(`spawn_agent needs "task": the complete instructions for the sub-agent, e.g. ${EXAMPLE}.`);
  if (obj.task.length > MAX_TASK_CHARS) throw new ToolInputError(`"task" is ${obj.task.length} characters; keep it under ${MAX_TASK_CHARS} and let the sub-agent read files itself.`);
  if (obj.worktree !== undefined && typeof obj.worktree !== 'boolean') throw new ToolInputError('"worktree" is true or false.');
  if (obj.worktree === true && !worktrees.available) {
    throw new ToolInputError(`"worktree" is not available here: ${worktrees.reason}. Start the sub-agent without it (it then works in this workspace).`);
  }
  return obj.worktree === true ? { task: obj.task, worktree: true } : { task: obj.task };
}

const WORKTREE_DESCRIPTION =
  'true: the sub-agent works in its own git worktree (a separate checkout of this repository, with the uncommitted changes), so parallel sub-agents do not step on each other or on the user; when it ends, everything it changed comes back as one change set for the user to review. Use it for sub-agents that edit files.';

function firstLine(text: string, max = 80): string {
  const line = text.trim().split('\n', 1)[0]!.replace(/\s+/g, ' ');
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

export function spawnAgentTool(launcher: SubagentLauncher, options: { worktrees?: WorktreeOffer } = {}): Tool<SpawnAgentArgs> {
  const worktrees: WorktreeOffer = options.worktrees ?? { available: false, reason: 'worktrees are not set up for this session' };
  const properties: Record<string, unknown> = { task: { type: 'string', description: 'Complete instructions: the goal, the relevant files, what to return.' } };
  if (worktrees.available) properties.worktree = { type: 'boolean', description: WORKTREE_DESCRIPTION };
  return {
    name: 'spawn_agent',
    parallel: true,
    spec: {
      kind: 'function',
      name: 'spawn_agent',
      description:
        'Starts a sub-agent on a self-contained task and returns its final message. It has its own fresh context (it does not see this conversation: put everything it needs in "task"), the same tools, workspace and permissions. Several spawn_agent calls in one response run in parallel: use it to split independent work, not for one quick command.',
      parameters: {
        type: 'object',
        properties,
        required: ['task'],
        additionalProperties: false,
      },
    },
    parse: (input) => parseArgs(input, worktrees),
    describe: (args) => ({ title: `Sub-agent${args.worktree ? ' (worktree)' : ''}: ${firstLine(args.task)}` }),
    async run(args, ctx) {
      const result = await launcher.launch(args.task, ctx, args.worktree ? { worktree: true } : {});
      const answer = result.finalResponse.length > MAX_RESULT_CHARS ? `${result.finalResponse.slice(0, MAX_RESULT_CHARS)}\n[… answer cut at ${MAX_RESULT_CHARS} characters; the whole transcript is in session ${result.sessionId}]` : result.finalResponse;
      const worktree = result.worktreeReport ? `\n\n[Worktree] ${result.worktreeReport}` : '';
      if (result.status === 'completed') return { status: 'ok', output: `${answer || '(The sub-agent finished without a final message.)'}${worktree}` };
      if (result.status === 'stopped') return { status: 'cancelled', output: `The sub-agent was stopped.${answer ? ` Its last message:\n${answer}` : ''}${worktree}` };
      return { status: 'error', output: `The sub-agent failed: ${result.error ?? 'unknown error'}.${answer ? ` Its last message:\n${answer}` : ''}${worktree}` };
    },
  };
}
