// Runs one tool call and turns every outcome into the text the model receives. Mistakes the model can
// fix (unknown tool, malformed arguments, a patch that does not apply) come back as tool output; aborts
// propagate so the turn ends as stopped.
// The duration reported with `tool.ended` is the tool's own run time: the time the call spent waiting for
// the user (an approval card, a change set under review) is measured and left out, so a command that ran
// for 40 ms after a 40 s approval says 40 ms.
import type { AgentEvent } from '../../shared/events';
import { ToolInputError, type Tool, type ToolContext } from '../tools/types';
import type { PendingToolCall } from './modelStep';

export async function executeToolCall(
  call: PendingToolCall,
  ctx: ToolContext,
  tools: Map<string, Tool>,
  emit: (event: AgentEvent) => void,
  turnId: string,
  signal: AbortSignal,
): Promise<string> {
  const started = Date.now();
  const tool = tools.get(call.name);
  const waits = new UserWaits();
  const end = (status: Extract<AgentEvent, { type: 'tool.ended' }>['status'], extra: { exitCode?: number; sessionId?: number } = {}) =>
    emit({ type: 'tool.ended', turnId, callId: call.callId, status, durationMs: Math.max(0, Date.now() - started - waits.totalMs()), ...extra });

  if (!tool) {
    emit({ type: 'tool.started', turnId, callId: call.callId, tool: call.name, title: `Unknown tool ${call.name}`, at: started });
    end('error');
    return `Unknown tool "${call.name}". Available tools: ${[...tools.keys()].join(', ')}.`;
  }

  let args: unknown;
  try {
    args = tool.parse(call.input);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    emit({ type: 'tool.started', turnId, callId: call.callId, tool: call.name, title: `${call.name} (invalid arguments)`, at: started });
    end('error');
    return `Invalid arguments for ${call.name}: ${message}`;
  }

  const { title, cwd } = tool.describe(args, ctx);
  emit({ type: 'tool.started', turnId, callId: call.callId, tool: call.name, title, ...(cwd !== undefined ? { cwd } : {}), at: started });
  try {
    const result = await tool.run(args, waits.wrap(ctx));
    end(result.status, {
      ...(result.exitCode !== undefined ? { exitCode: result.exitCode } : {}),
      ...(result.sessionId !== undefined ? { sessionId: result.sessionId } : {}),
    });
    if (signal.aborted) throw signal.reason;
    return result.output;
  } catch (error) {
    if (signal.aborted) {
      end('cancelled');
      throw signal.reason;
    }
    end('error');
    if (error instanceof ToolInputError) return error.message;
    throw error;
  }
}

/**
 * Times what a tool call spends waiting on the user: `authorize` (which may show an approval card) and
 * `proposeChanges` (which may wait for a review). A policy answer without a card takes microseconds, so
 * timing every call costs nothing and needs no knowledge of whether a card was shown.
 */
class UserWaits {
  private waitedMs = 0;
  private since: number | undefined;
  private depth = 0;

  totalMs(): number {
    return this.waitedMs + (this.since !== undefined ? Date.now() - this.since : 0);
  }

  wrap(ctx: ToolContext): ToolContext {
    return {
      ...ctx,
      authorize: (subject, options) => this.time(() => ctx.authorize(subject, options)),
      proposeChanges: (changeSet) => this.time(() => ctx.proposeChanges(changeSet)),
    };
  }

  private async time<T>(wait: () => Promise<T>): Promise<T> {
    // Nested or overlapping waits count once.
    if (this.depth++ === 0) this.since = Date.now();
    try {
      return await wait();
    } finally {
      if (--this.depth === 0 && this.since !== undefined) {
        this.waitedMs += Date.now() - this.since;
        this.since = undefined;
      }
    }
  }
}
