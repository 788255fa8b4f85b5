// spawn_agent: the agent hands a self-contained task to a child agent of its own — a fresh conversation
// with the same tools, workspace, sandbox and approval policy (never wider than the parent's), whose final
// message comes back as this call's output. Several spawn_agent calls in one response run at the same time
// (Tool.parallel; the session caps how many). How a child is made is a port (SubagentLauncher): the node
// layer builds it like any session, so the core stays free of I/O.
import { parseJsonObject } from './execCommand';
import { ToolInputError, type Tool, type ToolContext } from './types';

export interface SpawnAgentArgs {
  task: string;
}

export interface SubagentResult {
  /** The child's session id: its transcript is logged under it. */
  sessionId: string;
  status: 'completed' | 'failed' | 'stopped';
  /** The child's last message ('' when it said nothing). */
  finalResponse: string;
  /** Why it failed, when it did. */
  error?: string;
}

export interface SubagentLauncher {
  /**
   * Runs `task` in a child session to its end. The child's approvals and proposed edits go through the
   * parent's `ctx` (the user sees them as the parent's); its progress is reported on the parent's card.
   */
  launch(task: string, ctx: ToolContext): Promise<SubagentResult>;
}

/** A task is instructions, not a novel: long enough for a real brief, short enough not to hide a flood of text. */
export const MAX_TASK_CHARS = 20_000;
/** What comes back to the parent of a child's answer (the whole answer is in the child's log). */
export const MAX_RESULT_CHARS = 16_000;

const EXAMPLE = '{"task":"In src/parser, find why empty lines crash tokenize() and fix it; run its tests."}';

function parseArgs(input: string): SpawnAgentArgs {
  const obj = parseJsonObject(input, 'spawn_agent', EXAMPLE);
  if (typeof obj.task !== 'string' || obj.task.trim() === '') throw new ToolInputError(`spawn_agent needs "task": the complete instructions for the sub-agent, e.g. ${EXAMPLE}.`);
  if (obj.task.length > MAX_TASK_CHARS) throw new ToolInputError(`"task" is ${obj.task.length} characters; keep it under ${MAX_TASK_CHARS} and let the sub-agent read files itself.`);
  return { task: obj.task };
}

function firstLine(text: string, max = 80): string {
  const line = text.trim().split('\n', 1)[0]!.replace(/\s+/g, ' ');
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

export function spawnAgentTool(launcher: SubagentLauncher): Tool<SpawnAgentArgs> {
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
        properties: { task: { type: 'string', description: 'Complete instructions: the goal, the relevant files, what to return.' } },
        required: ['task'],
        additionalProperties: false,
      },
    },
    parse: parseArgs,
    describe: (args) => ({ title: `Sub-agent: ${firstLine(args.task)}` }),
    async run(args, ctx) {
      const result = await launcher.launch(args.task, ctx);
      const answer = result.finalResponse.length > MAX_RESULT_CHARS ? `${result.finalResponse.slice(0, MAX_RESULT_CHARS)}\n[… answer cut at ${MAX_RESULT_CHARS} characters; the whole transcript is in session ${result.sessionId}]` : result.finalResponse;
      if (result.status === 'completed') return { status: 'ok', output: answer || '(The sub-agent finished without a final message.)' };
      if (result.status === 'stopped') return { status: 'cancelled', output: `The sub-agent was stopped.${answer ? ` Its last message:\n${answer}` : ''}` };
      return { status: 'error', output: `The sub-agent failed: ${result.error ?? 'unknown error'}.${answer ? ` Its last message:\n${answer}` : ''}` };
    },
  };
}
