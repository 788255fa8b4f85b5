import { describe, expect, it } from 'vitest';
import { ToolInputError } from '../../../../src/core/tools/types';
import { updatePlanTool } from '../../../../src/core/tools/updatePlan';
import { makeContext } from './toolContext';

const parse = (args: unknown) => updatePlanTool.parse(typeof args === 'string' ? args : JSON.stringify(args));

describe('update_plan', () => {
  it('publishes the plan as an event', async () => {
    const ctx = makeContext({ cwd: '/w' });
    const args = parse({ explanation: 'Start with the repro', plan: [{ step: 'Reproduce', status: 'in_progress' }, { step: 'Fix', status: 'pending' }] });
    expect(updatePlanTool.describe(args, ctx).title).toBe('Plan: 0/2 done');
    const result = await updatePlanTool.run(args, ctx);
    expect(result).toEqual({ status: 'ok', output: 'Plan updated' });
    expect(ctx.events).toEqual([
      {
        type: 'plan.updated',
        turnId: 'turn-1',
        callId: 'call-1',
        explanation: 'Start with the repro',
        plan: [{ step: 'Reproduce', status: 'in_progress' }, { step: 'Fix', status: 'pending' }],
      },
    ]);
  });

  it('omits an absent explanation and drops unknown step fields', () => {
    expect(parse({ plan: [{ step: 'A', status: 'completed', extra: 1 }] })).toEqual({ plan: [{ step: 'A', status: 'completed' }] });
  });

  it('rejects invalid plans with fixable messages', () => {
    expect(() => parse('{')).toThrow(ToolInputError);
    expect(() => parse({})).toThrow(/needs "plan"/);
    expect(() => parse({ plan: [{ status: 'pending' }] })).toThrow(/plan\[0\] needs "step"/);
    expect(() => parse({ plan: [{ step: 'A', status: 'done' }] })).toThrow(/plan\[0\]\.status must be one of pending, in_progress, completed/);
    expect(() => parse({ plan: [{ step: 'A', status: 'in_progress' }, { step: 'B', status: 'in_progress' }] })).toThrow(/At most one step may be in_progress/);
    expect(() => parse({ explanation: 3, plan: [] })).toThrow(/explanation/);
  });
});
