// The contract between the agent loop and each tool (one tool per file in this folder).
// A tool parses the model's raw input, may ask the loop for authorisation, runs, and returns the text the
// model sees. Mistakes the model can fix (bad JSON, missing file, patch context not found) are returned
// as output with status 'error'; only failures the model cannot fix throw.
import type { AgentEvent, ApprovalSubject } from '../../shared/events';
import type { ToolSpec } from '../model/types';
import type { CommandConfinement, FileReader, ProcessRunner } from '../ports';
import type { ChangeSet, PatchOutcome } from '../patch/types';
import type { ProcessSessions } from './processSessions';

/** Thrown by `parse` when the model's input is malformed; the message goes back to the model verbatim. */
export class ToolInputError extends Error {
  override name = 'ToolInputError';
}

/** For a command, `confinement` is what the policy lets it do (the runner enforces it; absent: workspace-write). */
export type Authorization = { allowed: true; confinement?: CommandConfinement } | { allowed: false; reason: string };

export interface AuthorizeOptions {
  /**
   * The command already runs under this confinement (write_stdin feeding a background process): an
   * allow that grants less turns into a question to the user (or a denial in read-only mode).
   */
  running?: CommandConfinement;
}

export interface ToolContext {
  turnId: string;
  callId: string;
  /** Default working directory (the workspace root). */
  cwd: string;
  /** Workspace roots; paths outside them are "outside the workspace" for the policy. */
  workspaceRoots: string[];
  /** Aborted when the user presses Stop or the turn hits its wall-time limit. */
  signal: AbortSignal;
  /** Emits an event into the turn's stream (e.g. `tool.output` with live command output). */
  emit(event: AgentEvent): void;
  runner: ProcessRunner;
  files: FileReader;
  /** Long-running processes started by exec_command, polled by write_stdin. Lives as long as the session. */
  sessions: ProcessSessions;
  /**
   * Asks the approval policy (and the user, when the policy says so) whether `subject` may proceed.
   * Resolves `{allowed:false}` on denial, with the user's note in `reason` when there is one.
   */
  authorize(subject: ApprovalSubject, options?: AuthorizeOptions): Promise<Authorization>;
  /**
   * Hands a proposed change set to the host (review UI in VS Code, the writer in the CLI) and resolves
   * with what became of it. The core never writes files itself.
   */
  proposeChanges(changeSet: ChangeSet): Promise<PatchOutcome>;
}

export interface ToolResult {
  /** Text the model receives as the tool output (already framed and truncated to budget). */
  output: string;
  status: 'ok' | 'error' | 'denied' | 'running' | 'cancelled';
  exitCode?: number;
  /** Set when a process keeps running and can be polled with write_stdin. */
  sessionId?: number;
}

export interface Tool<Args = unknown> {
  readonly name: string;
  readonly spec: ToolSpec;
  /** Parses raw input: JSON arguments for function tools, the freeform text for custom tools. */
  parse(input: string): Args;
  /** One-line title for the chat card (the command line, "Edit 2 files", …) and the working dir. */
  describe(args: Args, ctx: Pick<ToolContext, 'cwd'>): { title: string; cwd?: string };
  run(args: Args, ctx: ToolContext): Promise<ToolResult>;
  /**
   * Calls of this tool that follow each other in one model response may run at the same time (sub-agents:
   * each works on its own). Everything else runs one call after another, in the model's order.
   */
  readonly parallel?: boolean;
}
