// Operations the host submits to an agent session, and the session's dependencies.
import type { AgentEvent, ApprovalDecision, ApprovalSubject } from '../../shared/events';
import type { ConversationItem, ModelClient } from '../model/types';
import type { ChangeSet, PatchOutcome } from '../patch/types';
import type { FileReader, ProcessRunner } from '../ports';
import type { EnvironmentInfo } from '../prompt/environment';
import type { ApprovalPolicy } from '../approvals/policy';
import type { Tool } from '../tools/types';

export type Operation =
  /** Start a turn with the user's message. */
  /**
   * Start a turn with the user's message. `display` is what the chat shows as that message when it differs
   * from what the model gets (an editor command's one-line summary of a long generated prompt).
   */
  | { type: 'user_turn'; text: string; display?: string; images?: { mediaType: string; dataBase64: string }[] }
  /** Answer an `approval.requested` event. */
  | { type: 'approval'; approvalId: string; decision: ApprovalDecision; note?: string }
  /** Stop the running turn (same as aborting the turn's signal). */
  | { type: 'interrupt' }
  /** Compact the conversation now (`/compact`); runs like a turn and streams `context.compacted`. */
  | { type: 'compact' }
  /**
   * A review outcome reached in the host (a hunk accepted in the editor, a change set resolved, a code
   * review started or finished): it goes out on the session's one event stream and into the session log.
   */
  | { type: 'review_update'; event: ReviewUpdateEvent };

/** The events the host reports through `review_update`. */
export type ReviewUpdateEvent = Extract<AgentEvent, { type: 'patch.hunk' | 'patch.resolved' | 'review.started' | 'review.completed' }>;

/** What the host does with a proposed change set. `review` is true when the policy wants the user to decide. */
export type ChangeSetHandler = (changeSet: ChangeSet, options: { review: boolean; turnId: string; signal: AbortSignal }) => Promise<PatchOutcome>;

/** Persists everything needed to rebuild the chat and resume the conversation. */
export interface SessionRecorder {
  event(event: AgentEvent): void;
  item(item: ConversationItem): void;
}

/** A turn as the host's turn hooks see it. */
export interface TurnInfo {
  turnId: string;
  submissionId: string;
  kind: TurnOperationKind;
}

export type TurnOperationKind = Extract<Operation, { type: 'user_turn' | 'compact' }>['type'];

/**
 * Told when each turn begins and ends, whatever started it (a message, a message that waited in the queue
 * until the turn before ended, `/compact`, Continue), so the host can record around every turn (checkpoints).
 * Both are awaited: `begin` runs after `turn.started` and before the turn's first model request; the session
 * stays busy until `end` has returned, and the next queued turn starts only then. A hook that throws never
 * fails the turn (the host reports its own failures).
 */
export interface TurnHooks {
  begin(turn: TurnInfo): Promise<void>;
  end(turn: TurnInfo): Promise<void>;
}

export interface TurnLimits {
  /** Model requests per turn before the turn pauses (code 'limit' with a Continue action); `tandem.maxStepsPerTurn`. */
  maxSteps: number;
  /** The same tool call with the same result this many times in a row stops the turn (a loop). */
  maxRepeats: number;
  /** Wall time per turn (ms), including time waiting for approvals. */
  maxWallMs: number;
  /** Calls of a parallel tool (spawn_agent) from one response running at once; `tandem.subagents.maxParallel`. */
  maxParallelTools: number;
}

export const DEFAULT_LIMITS: TurnLimits = { maxSteps: 400, maxRepeats: 5, maxWallMs: 60 * 60 * 1000, maxParallelTools: 4 };

export interface AgentSessionOptions {
  sessionId: string;
  model: ModelClient;
  modelName: string;
  instructions: string;
  tools: Tool[];
  runner: ProcessRunner;
  files: FileReader;
  cwd: string;
  workspaceRoots: string[];
  /** Read on every decision so a settings change applies at once. */
  approvalPolicy: () => ApprovalPolicy;
  environment: () => EnvironmentInfo;
  handleChangeSet: ChangeSetHandler;
  recorder?: SessionRecorder;
  /** Around every turn (see TurnHooks). */
  turnHooks?: TurnHooks;
  /** Conversation restored from the session log (append-only). */
  history?: ConversationItem[];
  limits?: Partial<TurnLimits>;
  /** AGENTS.md text, added once as the first user item of a new session. */
  projectInstructions?: string;
  /** Reads AGENTS.md again; a compaction re-injects what it returns (fresh, never summarised). */
  loadProjectInstructions?: () => Promise<string | undefined>;
  /**
   * Context management: `contextWindow` overrides the model's window (contextWindow.ts), `threshold` is the
   * share of it at which the conversation is compacted (default 0.8, clamped to 0.5–0.95).
   */
  compaction?: { contextWindow?: number; threshold?: number };
  /** Injected for tests: sleep used between retries. */
  retryDelay?: (ms: number, signal: AbortSignal) => Promise<void>;
  newId?: () => string;
}

export type { ApprovalSubject };
