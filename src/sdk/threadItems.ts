// What a finished run hands back to an SDK caller: the run's items (messages, commands, file changes,
// plan updates, errors) and its token usage, folded from the run's events. A pure fold over the same
// event stream every other consumer reads, so `run()` and `runStreamed()` can never disagree.
import type { AgentEvent, FileChangeSummary, PlanStep, TurnError, Usage } from '../shared/events';

export type ThreadItem =
  | { type: 'agent_message'; id: string; text: string }
  | { type: 'user_message'; id: string; text: string }
  | {
      type: 'command';
      id: string;
      /** The tool's one-line title (the command line for exec_command). */
      title: string;
      tool: string;
      output: string;
      status: 'ok' | 'error' | 'denied' | 'running' | 'cancelled' | 'in_progress';
      exitCode?: number;
    }
  | { type: 'file_change'; id: string; files: FileChangeSummary[]; outcome?: 'applied' | 'discarded' | 'partial' | 'failed'; message?: string }
  | { type: 'plan'; id: string; plan: PlanStep[] }
  | { type: 'error'; id: string; error: TurnError };

export interface RunResult {
  items: ThreadItem[];
  /** The last agent message of the run ('' when the model said nothing). */
  finalResponse: string;
  usage: Usage;
  /** How the run ended. */
  status: 'completed' | 'stopped' | 'failed';
}

/** Tool output kept per command item: enough to read the result, bounded so a chatty command cannot grow memory without end. */
const MAX_OUTPUT_CHARS = 64 * 1024;

export class RunCollector {
  private readonly items: ThreadItem[] = [];
  private readonly byId = new Map<string, ThreadItem>();
  private readonly usage: Usage = { inputTokens: 0, cachedInputTokens: 0, outputTokens: 0 };
  private status: RunResult['status'] = 'completed';

  add(event: AgentEvent): void {
    switch (event.type) {
      case 'message.completed':
        this.put({ type: 'agent_message', id: event.itemId, text: event.text });
        break;
      case 'input.delivered':
        this.put({ type: 'user_message', id: event.submissionId, text: event.text });
        break;
      case 'tool.started':
        if (event.tool === 'apply_patch') break; // a patch shows as its file change
        this.put({ type: 'command', id: event.callId, title: event.title, tool: event.tool, output: '', status: 'in_progress' });
        break;
      case 'tool.output': {
        const item = this.byId.get(event.callId);
        if (item?.type === 'command' && item.output.length < MAX_OUTPUT_CHARS) item.output = (item.output + event.chunk).slice(0, MAX_OUTPUT_CHARS);
        break;
      }
      case 'tool.ended': {
        const item = this.byId.get(event.callId);
        if (item?.type === 'command') {
          item.status = event.status;
          if (event.exitCode !== undefined) item.exitCode = event.exitCode;
        }
        break;
      }
      case 'patch.proposed':
        this.put({ type: 'file_change', id: event.changeSetId, files: event.files });
        break;
      case 'patch.resolved': {
        const item = this.byId.get(event.changeSetId);
        if (item?.type === 'file_change') {
          item.outcome = event.outcome;
          if (event.message !== undefined) item.message = event.message;
        }
        break;
      }
      case 'plan.updated':
        this.put({ type: 'plan', id: `plan-${this.items.length}`, plan: event.plan });
        break;
      case 'usage':
        this.usage.inputTokens += event.usage.inputTokens;
        this.usage.cachedInputTokens += event.usage.cachedInputTokens;
        this.usage.outputTokens += event.usage.outputTokens;
        break;
      case 'turn.failed':
        this.status = 'failed';
        this.put({ type: 'error', id: `error-${event.turnId}`, error: event.error });
        break;
      case 'turn.completed':
        if (event.stopped) this.status = 'stopped';
        break;
      default:
        break;
    }
  }

  result(): RunResult {
    const lastMessage = [...this.items].reverse().find((item) => item.type === 'agent_message');
    return { items: this.items, finalResponse: lastMessage?.type === 'agent_message' ? lastMessage.text : '', usage: { ...this.usage }, status: this.status };
  }

  private put(item: ThreadItem): void {
    this.items.push(item);
    this.byId.set(item.id, item);
  }
}
