// `tandem/sdk`: run Tandem from a script — the same agent, tools, sandbox and session log as the
// extension and `tandem exec`. Shaped after the Codex TypeScript SDK:
//   const thread = new Tandem().startThread({ workingDirectory, approval: 'auto' });
//   const { finalResponse, items, usage } = await thread.run('Fix the failing test');
//   const { events } = await thread.runStreamed('Now add a changelog entry');   // AgentEvent stream
//   const again = await new Tandem().resumeThread(thread.id);
export { Tandem } from './tandem';
export { Thread, type StreamedRun } from './thread';
export type { TandemOptions, ThreadOptions, TurnOptions, ApprovalRequest, ApprovalPolicy, SandboxMode } from './options';
export type { RunResult, ThreadItem } from './threadItems';
export type { AgentEvent, ApprovalDecision, ApprovalSubject, Usage, TurnError, FileChangeSummary, PlanStep } from '../shared/events';
