// update_plan: the model's visible to-do list. The tool does nothing but validate and publish the plan
// as a `plan.updated` event (the chat shows it as a checklist); the plan itself lives in the event log.
import type { PlanStep } from '../../shared/events';
import { parseJsonObject } from './execCommand';
import { ToolInputError, type Tool } from './types';

export interface UpdatePlanArgs {
  explanation?: string;
  plan: PlanStep[];
}

const STATUSES: readonly PlanStep['status'][] = ['pending', 'in_progress', 'completed'];
const EXAMPLE = '{"plan":[{"step":"Reproduce the bug","status":"in_progress"},{"step":"Fix it","status":"pending"}]}';

function parsePlanArgs(input: string): UpdatePlanArgs {
  const obj = parseJsonObject(input, 'update_plan', EXAMPLE);
  if (!Array.isArray(obj.plan)) throw new ToolInputError(`update_plan needs "plan": an array of steps, e.g. ${EXAMPLE}.`);
  const plan = obj.plan.map((item: unknown, index): PlanStep => {
    const entry = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    if (typeof entry.step !== 'string' || entry.step.trim() === '') {
      throw new ToolInputError(`plan[${index}] needs "step": a short description string.`);
    }
    if (!STATUSES.includes(entry.status as PlanStep['status'])) {
      throw new ToolInputError(`plan[${index}].status must be one of ${STATUSES.join(', ')}.`);
    }
    return { step: entry.step, status: entry.status as PlanStep['status'] };
  });
  const inProgress = plan.filter((s) => s.status === 'in_progress').length;
  if (inProgress > 1) throw new ToolInputError(`At most one step may be in_progress; ${inProgress} are.`);
  if (obj.explanation !== undefined && obj.explanation !== null && typeof obj.explanation !== 'string') {
    throw new ToolInputError('"explanation" must be a string.');
  }
  return { ...(typeof obj.explanation === 'string' && obj.explanation !== '' ? { explanation: obj.explanation } : {}), plan };
}

export const updatePlanTool: Tool<UpdatePlanArgs> = {
  name: 'update_plan',
  spec: {
    kind: 'function',
    name: 'update_plan',
    description: 'Replaces the task plan shown to the user. At most one step is in_progress.',
    parameters: {
      type: 'object',
      properties: {
        explanation: { type: 'string' },
        plan: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              step: { type: 'string' },
              status: { type: 'string', enum: STATUSES },
            },
            required: ['step', 'status'],
            additionalProperties: false,
          },
        },
      },
      required: ['plan'],
      additionalProperties: false,
    },
  },

  parse: parsePlanArgs,

  describe(args) {
    const done = args.plan.filter((s) => s.status === 'completed').length;
    return { title: `Plan: ${done}/${args.plan.length} done` };
  },

  async run(args, ctx) {
    ctx.emit({
      type: 'plan.updated',
      turnId: ctx.turnId,
      callId: ctx.callId,
      ...(args.explanation !== undefined ? { explanation: args.explanation } : {}),
      plan: args.plan,
    });
    return { status: 'ok', output: 'Plan updated' };
  },
};
