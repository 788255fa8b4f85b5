// The duration a tool card shows is the tool's own run time: the time the user took to approve a command
// (or review a change) is not in it. The clock is scripted, so the numbers are exact.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { executeToolCall } from '../../../../src/core/agent/toolCall';
import type { Tool, ToolContext } from '../../../../src/core/tools/types';
import type { AgentEvent } from '../../../../src/shared/events';

let now = 1_000;
afterEach(() => vi.restoreAllMocks());

function tool(run: Tool<null>['run']): Tool<null> {
  return { name: 'exec_command', spec: { kind: 'function', name: 'exec_command', description: '', parameters: {} }, parse: () => null, describe: () => ({ title: 'npm test' }), run };
}

async function durationOf(run: Tool<null>['run'], context: Partial<ToolContext>): Promise<number | undefined> {
  vi.spyOn(Date, 'now').mockImplementation(() => now);
  const events: AgentEvent[] = [];
  const ctx = { turnId: 't', callId: 'c', signal: new AbortController().signal, emit: () => undefined, ...context } as unknown as ToolContext;
  const t = tool(run);
  await executeToolCall({ callId: 'c', name: t.name, input: '{}', custom: false }, ctx, new Map([[t.name, t as Tool]]), (e) => events.push(e), 't', new AbortController().signal);
  const ended = events.find((e) => e.type === 'tool.ended');
  return ended?.type === 'tool.ended' ? ended.durationMs : undefined;
}

describe('tool.ended durationMs', () => {
  it('leaves out the time spent waiting for the approval (and a second one, for a re-run outside the sandbox)', async () => {
    const authorize = async () => {
      now += 43_300; // the user reads the card
      return { allowed: true as const };
    };
    const ms = await durationOf(async (_args, ctx) => {
      now += 5;
      await ctx.authorize({ kind: 'command', command: 'npm test', cwd: '/w', reason: '' });
      now += 30; // first run
      await ctx.authorize({ kind: 'command', command: 'npm test', cwd: '/w', reason: '' });
      now += 7; // second run
      return { status: 'ok', output: '', exitCode: 0 };
    }, { authorize });
    expect(ms).toBe(42);
  });

  it('leaves out the time a change set waits for review', async () => {
    const proposeChanges = async () => {
      now += 120_000;
      return { outcome: 'applied' as const, message: '' };
    };
    const ms = await durationOf(async (_args, ctx) => {
      now += 3;
      await ctx.proposeChanges({ id: 'cs', changes: [] });
      now += 2;
      return { status: 'ok', output: '' };
    }, { proposeChanges });
    expect(ms).toBe(5);
  });

  it('counts all of a run without any wait', async () => {
    expect(await durationOf(async () => ((now += 1_234), { status: 'error', output: '', exitCode: 1 }), {})).toBe(1_234);
  });

  it('a denied approval still ends with the time before and after it only', async () => {
    const authorize = async () => ((now += 9_000), { allowed: false as const, reason: 'no' });
    const ms = await durationOf(async (_args, ctx) => {
      now += 1;
      await ctx.authorize({ kind: 'command', command: 'x', cwd: '/w', reason: '' });
      return { status: 'denied', output: '' };
    }, { authorize });
    expect(ms).toBe(1);
  });
});
