// Runs one tool call and turns every outcome into the text the model receives. Mistakes the model can
// fix (unknown tool, malformed arguments, a patch that does not apply) come back as tool output; aborts
// propagate so the turn ends as stopped.
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
  const end = (status: Extract<AgentEvent, { type: 'tool.ended' }>['status'], extra: { exitCode?: number; sessionId?: number } = {}) =>
    emit({ type: 'tool.ended', turnId, callId: call.callId, status, durationMs: Date.now() - started, ...extra });

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
    const result = await tool.run(args, ctx);
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
