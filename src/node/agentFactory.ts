// Composition root shared by the extension and the headless CLI: wires the pure core to node adapters.
import { rememberSecret } from './commandSecrets';
import { AgentSession } from '../core/agent/agentSession';
import type { AgentSessionOptions } from '../core/agent/types';
import type { ApprovalPolicy } from '../core/approvals/policy';
import { protectedNamesText } from '../core/approvals/protectedNames';
import { createModelClient } from '../core/model/createClient';
import type { FileReader, ProcessRunner, SandboxStatus } from '../core/ports';
import { BASE_INSTRUCTIONS } from '../core/prompt/instructions';
import { loadAgentsMd } from '../core/prompt/agentsMd';
import { applyPatchTool } from '../core/tools/applyPatch';
import { execCommandTool } from '../core/tools/execCommand';
import { updatePlanTool } from '../core/tools/updatePlan';
import { writeStdinTool } from '../core/tools/writeStdin';
import type { Tool } from '../core/tools/types';
import type { ModelClient } from '../core/model/types';
import { spawnAgentTool } from '../core/tools/spawnAgent';
import { ChildAgents, DEFAULT_SUBAGENT_DEPTH, DEFAULT_SUBAGENT_PARALLEL, type SubagentSettings } from './subagents';
import { WorktreeManager } from './worktrees/worktreeManager';
import { environmentInfo } from './environment';
import { instructionsWithSkills, loadSessionSkills, type SessionSkills } from './skills/sessionSkills';

/** The tool surface, in a fixed order (the request prefix must stay byte-identical between requests). */
export function defaultTools(): Tool[] {
  return [execCommandTool, writeStdinTool, applyPatchTool, updatePlanTool] as Tool[];
}

/**
 * The sandbox line of the model's environment block: what will fail, so it does not try workarounds.
 * The confinement is per command (policy.ts); this says what each kind of command gets in this mode.
 */
export function describeSandbox(status: SandboxStatus | undefined, policy?: ApprovalPolicy): string | undefined {
  if (!status) return undefined;
  if (status.state === 'enforced') {
    const guarded = `${protectedNamesText()} are read-only`;
    if (policy === 'full-access') {
      return status.mode === 'read-only'
        ? `${status.mechanism}, read-only (only $TMPDIR is writable, no network)`
        : `${status.mechanism}: everything writable and network on, but ${guarded}; the user is asked to re-run a command the sandbox blocked`;
    }
    const readOnly = 'commands run without approval are read-only (only $TMPDIR writable, no network)';
    const writers =
      policy === 'read-only' ? '' : status.mode === 'read-only' ? '; approved commands are read-only too' : `; approved commands write only the workspace and $TMPDIR (network ${status.network ? 'on' : 'off'}, ${guarded})`;
    const escalation = policy === 'read-only' ? '' : '; the user is asked to re-run a command the sandbox blocked';
    return `${status.mechanism}: ${readOnly}${writers}${escalation}`;
  }
  return `none (${status.reason}); only a short allowlist of read-only commands runs without the user's approval`;
}

export interface AgentFactoryOptions {
  sessionId: string;
  apiKey: string;
  baseUrl: string;
  wireApi: 'responses' | 'chat';
  model: string;
  cwd: string;
  workspaceRoots: string[];
  approvalPolicy: () => ApprovalPolicy;
  /** Sandboxed when created with createProcessRunner({ sandbox }); its status feeds the policy and prompt. */
  runner: ProcessRunner;
  files: FileReader;
  handleChangeSet: AgentSessionOptions['handleChangeSet'];
  recorder?: AgentSessionOptions['recorder'];
  /** Around every turn of this session (checkpoints); a sub-agent's turns are inside its parent's, so it gets none. */
  turnHooks?: AgentSessionOptions['turnHooks'];
  history?: AgentSessionOptions['history'];
  /** Load AGENTS.md (off in untrusted workspaces). */
  loadProjectInstructions?: boolean;
  limits?: AgentSessionOptions['limits'];
  /** Context window override and compaction threshold (compaction/compactor.ts). */
  compaction?: AgentSessionOptions['compaction'];
  /** Home folder for the user's skills (~/.agents/skills, ~/.tandem/skills); default: the OS user's. */
  userHome?: string;
  /** Told which skills were found, skipped, listed in the prompt or left out for room (for the log). */
  onSkills?: (skills: SessionSkills) => void;
  /**
   * A model client made elsewhere (VS Code's language models, src/vscode): used instead of the OpenAI-compatible
   * client that `wireApi`/`baseUrl`/`apiKey` would make.
   */
  modelClient?: ModelClient;
  /**
   * Tools beyond Tandem's own (MCP servers' tools), appended after them in a stable order so every request's
   * prefix stays the same within a session.
   */
  extraTools?: Tool[];
  /**
   * Sub-agents (spawn_agent, subagents.ts): on by default with depth 1 and 4 at once; `false` leaves the tool
   * out. A child is made by this same function with the parent's options, one level deeper.
   */
  subagents?: SubagentSettings | false;
}

export async function createAgentSession(options: AgentFactoryOptions): Promise<AgentSession> {
  // The key is a secret wherever it came from (SecretStorage, the environment, a test): commands never see it.
  rememberSecret(options.apiKey);
  const projectInstructions =
    options.loadProjectInstructions !== false && !options.history?.length
      ? await loadAgentsMd(options.files, options.workspaceRoots[0] ?? options.cwd, options.cwd)
      : undefined;
  // Skills are listed in the instructions, found once per session so every request's prefix is the same.
  // Project skills follow AGENTS.md: none where project instructions are off (an untrusted workspace).
  const skills = await loadSessionSkills(options.files, {
    workspaceRoot: options.workspaceRoots[0] ?? options.cwd,
    cwd: options.cwd,
    includeProject: options.loadProjectInstructions !== false,
    ...(options.userHome !== undefined ? { home: options.userHome } : {}),
  });
  options.onSkills?.(skills);
  return new AgentSession({
    sessionId: options.sessionId,
    model: options.modelClient ?? createModelClient({ wireApi: options.wireApi, baseUrl: options.baseUrl, apiKey: options.apiKey }),
    modelName: options.model,
    instructions: instructionsWithSkills(BASE_INSTRUCTIONS, skills),
    tools: [...defaultTools(), ...(await subagentTools(options)), ...(options.extraTools ?? [])],
    runner: options.runner,
    files: options.files,
    cwd: options.cwd,
    workspaceRoots: options.workspaceRoots,
    approvalPolicy: options.approvalPolicy,
    environment: () => {
      const sandbox = describeSandbox(options.runner.sandboxStatus?.(), options.approvalPolicy());
      return { ...environmentInfo(options.cwd, options.approvalPolicy(), options.runner.shell), ...(sandbox ? { sandbox } : {}) };
    },
    handleChangeSet: options.handleChangeSet,
    ...(options.recorder ? { recorder: options.recorder } : {}),
    ...(options.turnHooks ? { turnHooks: options.turnHooks } : {}),
    ...(options.history ? { history: options.history } : {}),
    ...(projectInstructions ? { projectInstructions } : {}),
    limits: { ...options.limits, ...(options.subagents ? { maxParallelTools: options.subagents.maxParallel ?? DEFAULT_SUBAGENT_PARALLEL } : {}) },
    ...(options.compaction ? { compaction: options.compaction } : {}),
    // A compaction re-injects AGENTS.md read fresh (also in a session resumed from its log).
    ...(options.loadProjectInstructions !== false ? { loadProjectInstructions: () => loadAgentsMd(options.files, options.workspaceRoots[0] ?? options.cwd, options.cwd) } : {}),
  });
}

/**
 * spawn_agent while this session is shallower than the depth limit. Its children are sessions made here
 * from the parent's own options (model, runner and sandbox, policy, workspace, MCP tools), so a child can
 * never be allowed more than its parent; only the id, log, change-set handling and depth differ, and for
 * a child in a worktree its cwd and workspace roots (the worktree: narrower than the parent's, never wider).
 * `"worktree"` is offered only when the workspace is a git repository with a commit (asked once, here, so
 * the tool's schema stays the same for the whole session).
 */
async function subagentTools(options: AgentFactoryOptions): Promise<Tool[]> {
  if (options.subagents === false) return [];
  const settings = options.subagents ?? {};
  const depth = settings.depth ?? 0;
  if (depth >= (settings.maxDepth ?? DEFAULT_SUBAGENT_DEPTH)) return [];
  const workspaceRoot = options.workspaceRoots[0] ?? options.cwd;
  const manager = settings.worktrees === false ? undefined : (settings.worktrees ?? new WorktreeManager());
  const availability = manager ? await manager.isAvailable(workspaceRoot) : ({ available: false, reason: 'worktrees are turned off' } as const);
  // Worktrees a crashed window left behind go now, in the background (never one a live session owns).
  if (manager && availability.available && depth === 0) void manager.cleanupStale(workspaceRoot).catch(() => undefined);
  const children = new ChildAgents(
    () => options.sessionId,
    (sessionId, recorder, handleChangeSet, placement) =>
      createAgentSession({
        ...options,
        ...placement,
        sessionId,
        recorder,
        handleChangeSet,
        history: undefined,
        turnHooks: undefined,
        onSkills: undefined,
        subagents: { ...settings, depth: depth + 1 },
      }),
    settings.recorderFor,
    manager && availability.available ? { manager, workspaceRoot } : undefined,
  );
  const worktrees = availability.available ? ({ available: true } as const) : { available: false as const, reason: availability.reason };
  return [spawnAgentTool(children, { worktrees }) as Tool];
}
