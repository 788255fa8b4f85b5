// A ToolContext for tool tests: the real node runner and file reader, recorded events, and hooks for
// the approval answer and the abort signal.
import { readFileSync } from 'node:fs';
import type { AgentEvent } from '../../../../src/shared/events';
import type { ProcessRunner } from '../../../../src/core/ports';
import { ProcessSessions } from '../../../../src/core/tools/processSessions';
import type { Authorization, ToolContext } from '../../../../src/core/tools/types';
import { NodeFileReader } from '../../../../src/node/nodeFileReader';
import { PtyRunner } from '../../../../src/node/ptyRunner';

export interface TestContext extends ToolContext {
  events: AgentEvent[];
  controller: AbortController;
  /** Concatenated tool.output chunks of `callId` (default: this context's call). */
  outputOf(callId?: string): string;
  /** A context for the next call of the same session (shared sessions/events, new callId). */
  next(callId: string): TestContext;
}

export function makeContext(options: { cwd: string; runner?: ProcessRunner; authorize?: (subject: unknown) => Promise<Authorization>; sessions?: ProcessSessions; events?: AgentEvent[]; callId?: string }): TestContext {
  const events = options.events ?? [];
  const controller = new AbortController();
  const sessions = options.sessions ?? new ProcessSessions();
  const runner = options.runner ?? new PtyRunner(undefined, '/bin/bash');
  const callId = options.callId ?? 'call-1';
  const ctx: TestContext = {
    turnId: 'turn-1',
    callId,
    cwd: options.cwd,
    workspaceRoots: [options.cwd],
    signal: controller.signal,
    emit: (event) => events.push(event),
    runner,
    files: new NodeFileReader(),
    sessions,
    authorize: options.authorize ?? (async () => ({ allowed: true })),
    proposeChanges: async () => {
      throw new Error('not used');
    },
    events,
    controller,
    outputOf: (id = callId) =>
      events
        .filter((e): e is Extract<AgentEvent, { type: 'tool.output' }> => e.type === 'tool.output' && e.callId === id)
        .map((e) => e.chunk)
        .join(''),
    next: (nextCallId) => makeContext({ ...options, runner, sessions, events, callId: nextCallId }),
  };
  return ctx;
}

export async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Alive and not a zombie (PID 1 in a container may never reap orphans). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}
