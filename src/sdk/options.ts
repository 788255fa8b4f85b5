// The SDK's options, Codex-SDK-shaped (`new Tandem(options).startThread(threadOptions)`), and how they
// resolve against the environment: an explicit option wins, then OPENAI_API_KEY / OPENAI_BASE_URL, then
// the defaults a headless run has always had (read-only approval, workspace-write sandbox).
import type { ApprovalSubject, ApprovalDecision } from '../shared/events';

// Spelled out here so the published declarations stop at src/shared; threadFactory.ts checks they equal the core's.
export type ApprovalPolicy = 'read-only' | 'ask' | 'auto' | 'full-access';
export type SandboxMode = 'workspace-write' | 'read-only' | 'off';

export interface TandemOptions {
  /** Default: OPENAI_API_KEY. */
  apiKey?: string;
  /** Default: OPENAI_BASE_URL, else https://api.openai.com/v1. */
  baseUrl?: string;
  /** Default: 'responses'. */
  wireApi?: 'responses' | 'chat';
  /** Where threads are logged (and resumed from). Default: ~/.tandem/sessions, shared with `tandem exec`. */
  sessionsDir?: string;
}

/** What an `onApproval` hook is asked; its answer decides (there is no chat to show a card in). */
export interface ApprovalRequest {
  threadId: string;
  approvalId: string;
  subject: ApprovalSubject;
}

export interface ThreadOptions {
  /** The workspace the agent works in. Default: the process's current directory. */
  workingDirectory?: string;
  /** The approval policy (as `tandem.approvalPolicy`). Default: 'read-only'. */
  approval?: ApprovalPolicy;
  /** The OS sandbox for commands. Default: 'workspace-write'. */
  sandbox?: SandboxMode;
  /** Network inside the sandbox for commands allowed to write. Default: off. */
  sandboxNetwork?: boolean;
  /** Default: 'gpt-5.5'. */
  model?: string;
  baseUrl?: string;
  wireApi?: 'responses' | 'chat';
  /** Overrides the context window the model id implies (tokens). */
  contextWindow?: number;
  /** Model requests per run before it pauses. Default 400. */
  maxSteps?: number;
  /**
   * Decides what the policy would ask the user about. Without it every such request is denied (the run
   * goes on and the model is told). A parent agent passes its own user's answer down to a child here.
   */
  onApproval?: (request: ApprovalRequest) => Promise<ApprovalDecision | { decision: ApprovalDecision; note?: string }>;
  /** Told about what could not be set up as asked (no sandbox, no pseudo-terminal). Default: ignored. */
  onNotice?: (notice: string) => void;
}

export interface TurnOptions {
  /** Stops the run (its turn ends as stopped). */
  signal?: AbortSignal;
}

export const DEFAULT_MODEL = 'gpt-5.5';
export const DEFAULT_BASE_URL = 'https://api.openai.com/v1';
