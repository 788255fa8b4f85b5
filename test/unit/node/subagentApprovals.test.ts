// A sub-agent's approval request is judged by its parent exactly as the child's policy judged it. Regression
// test for a red-team finding: input a child sends to a process already running outside the sandbox (after
// one approved escalation) was re-judged by the parent without the process's confinement, so the parent
// answered "approve" with no card, while its own write_stdin to the same process asks every time.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ActionVerdicts } from '../../../src/core/agent/actionVerdicts';
import { PendingApprovals } from '../../../src/core/agent/pendingApprovals';
import { ToolAuthorizer } from '../../../src/core/agent/toolAuthorizer';
import type { AgentSessionOptions } from '../../../src/core/agent/types';
import { SessionApprovals } from '../../../src/core/approvals/sessionApprovals';
import type { ProcessRunner } from '../../../src/core/ports';
import { NodeFileReader } from '../../../src/node/nodeFileReader';
import { askParent } from '../../../src/node/subagents';
import type { AgentEvent } from '../../../src/shared/events';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The parent's authorizer under `auto` with an enforced sandbox; every card it raises is recorded (and left unanswered). */
function parent() {
  const cwd = mkdtempSync(join(tmpdir(), 'tandem-child-approvals-'));
  dirs.push(cwd);
  const runner = { sandboxStatus: () => ({ state: 'enforced', mode: 'workspace-write', network: false, mechanism: 'bubblewrap' }) } as unknown as ProcessRunner;
  const approvals = new SessionApprovals();
  const options = { approvalPolicy: () => 'auto', workspaceRoots: [cwd], cwd, runner, files: new NodeFileReader() } as unknown as AgentSessionOptions;
  const authorizer = new ToolAuthorizer(new ActionVerdicts(options, approvals), approvals, new PendingApprovals(), () => `${Math.random()}`);
  const cards: Extract<AgentEvent, { type: 'approval.requested' }>[] = [];
  const aborter = new AbortController();
  const ctx = {
    authorize: (subject: Parameters<ToolAuthorizer['authorize']>[1], options?: Parameters<ToolAuthorizer['authorize']>[4]) =>
      authorizer.authorize('parent-turn', subject, aborter.signal, (e) => e.type === 'approval.requested' && cards.push(e), options),
  };
  return { cwd, ctx, cards, stop: () => aborter.abort(new Error('test over')) };
}

describe("a child's approval request, passed to its parent", () => {
  it('input to a process running unconfined is asked as a card, never approved by the parent on its own', async () => {
    const p = parent();
    const subject = { kind: 'command' as const, command: 'python3', cwd: p.cwd, reason: 'The agent wants to send input to this running command.' };
    const answers: unknown[] = [];
    const child = { submit: (op: unknown) => (answers.push(op), { id: 'x', [Symbol.asyncIterator]: async function* () {} }) } as never;
    const asked = askParent(p.ctx, { type: 'approval.requested', turnId: 'child-turn', approvalId: 'approval-child-1', subject, running: 'unconfined' }, () => child);
    await expect.poll(() => p.cards.length).toBe(1);
    expect(answers).toEqual([]); // waiting for the user, not answered by the parent's policy
    p.stop();
    await asked;
    expect(answers).toEqual([expect.objectContaining({ type: 'approval', approvalId: 'approval-child-1', decision: 'deny' })]);
  });

  it('the control: the same command as a plain command (no running process) is one the parent may allow in auto', async () => {
    const p = parent();
    const answers: unknown[] = [];
    const child = { submit: (op: unknown) => (answers.push(op), { id: 'x', [Symbol.asyncIterator]: async function* () {} }) } as never;
    await askParent(p.ctx, { type: 'approval.requested', turnId: 'child-turn', approvalId: 'approval-child-2', subject: { kind: 'command', command: 'ls', cwd: p.cwd, reason: 'list' } }, () => child);
    expect(p.cards).toHaveLength(0);
    expect(answers).toEqual([expect.objectContaining({ decision: 'approve' })]);
    p.stop();
  });
});
