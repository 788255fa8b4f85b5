// Builds the agent session of one chat: the provider's client, the window's runner and files, the running MCP
// servers' tools. Split from chat.ts so a Chat is about the conversation and this file about the model setup.
// The agent, its tools and the openai SDK are loaded on the first message, not at activation (see
// loadAgentFactory).
import * as vscode from 'vscode';
import type { AgentSession } from '../../core/agent/agentSession';
import type { ChangeSetHandler, TurnHooks } from '../../core/agent/types';
import type { ProcessRunner } from '../../core/ports';
import type * as AgentFactory from '../../node/agentFactory';
import type { createAgentSession } from '../../node/agentFactory';
import type { SessionWriter } from '../../node/sessionStore';
import type { SessionStore } from '../../node/sessionStore';
import { providerNeedsKey } from '../../shared/providers';
import type { ApiKeyStore } from '../apiKey';
import { readConfig } from '../config';
import { mcpSessionTools } from '../mcp/mcpService';
import type { VscodeFileReader } from '../vscodeFileReader';

/** Sent as the bearer token to local servers (Ollama, LM Studio) that need no key; too short to be redacted as a secret. */
const NO_KEY = 'no-key';

export type AgentHistory = NonNullable<Parameters<typeof createAgentSession>[0]['history']>;

/** What a chat's agent is made with, besides its own session. */
export interface AgentEnvironment {
  context: vscode.ExtensionContext;
  apiKeys: ApiKeyStore;
  runner: ProcessRunner;
  files: VscodeFileReader;
  /** Where a sub-agent's transcript is logged, as a session of its own (`<chat id>-agent<n>`). */
  store?: SessionStore;
}

/** The key for the next turn: the stored one, a placeholder for providers that need none, else undefined. */
export async function apiKeyForTurn(apiKeys: ApiKeyStore): Promise<string | undefined> {
  // The provider decides: local servers and VS Code's language models work without a key.
  return (await apiKeys.get()) ?? (providerNeedsKey(readConfig().provider) ? undefined : NO_KEY);
}

/**
 * Changes when the provider, endpoint, model (or its overrides), key, limits or the running MCP servers'
 * tools change: the agent is then rebuilt between turns (keeping the conversation).
 */
export function agentFingerprint(apiKey: string, model: string): string {
  const config = { ...readConfig(), model };
  const mcpTools = mcpSessionTools().map((tool) => tool.name);
  return JSON.stringify([config.provider, config.baseUrl, config.model, config.modelOverride ?? null, config.wireApi, apiKey.length, apiKey.slice(-4), config.maxStepsPerTurn, config.compactionThreshold, mcpTools]);
}

export async function createChatAgent(
  env: AgentEnvironment,
  session: {
    id: string;
    model: string;
    writer: SessionWriter;
    history: AgentHistory;
    approvalPolicy: () => ReturnType<typeof readConfig>['approvalPolicy'];
    handleChangeSet: ChangeSetHandler;
    /** Around every turn, whatever started it (the chat's checkpoints). */
    turnHooks?: TurnHooks;
    /** A chat in a worktree: its cwd and only workspace root (what approvals, the sandbox and patches are confined to). */
    placement?: { cwd: string; workspaceRoots: string[] };
  },
  apiKey: string,
): Promise<AgentSession> {
  // The chat's model (its own choice, else the default tandem.model); everything else from the settings.
  const config = { ...readConfig(), model: session.model };
  const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? env.context.globalStorageUri.fsPath;
  const placement = session.placement ?? { cwd: root, workspaceRoots: (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath) };
  return loadAgentFactory().createAgentSession({
    sessionId: session.id,
    apiKey,
    baseUrl: config.baseUrl,
    wireApi: config.wireApi,
    model: config.model,
    // AGENTS.md and skills are read from there too (the worktree holds the workspace's copy).
    cwd: placement.cwd,
    workspaceRoots: placement.workspaceRoots,
    approvalPolicy: session.approvalPolicy,
    runner: env.runner,
    files: env.files,
    recorder: session.writer,
    ...(session.turnHooks ? { turnHooks: session.turnHooks } : {}),
    history: session.history,
    loadProjectInstructions: vscode.workspace.isTrusted,
    limits: { maxSteps: config.maxStepsPerTurn },
    // The provider's client (auth style, model capabilities; VS Code's language models for `vscode-lm`) and
    // the compaction settings with the model's window (setup/sessionModel.ts, loaded with the first session).
    ...(await (await import('../setup/sessionModel')).sessionModelOptions(config, env.apiKeys)),
    handleChangeSet: session.handleChangeSet,
    extraTools: mcpSessionTools(), // the running MCP servers' tools (src/vscode/mcp)
    // A chat in a worktree is isolated already: its sub-agents work in the same worktree (no worktree of a worktree).
    ...(env.store ? { subagents: { recorderFor: (childId: string) => env.store!.create({ id: childId, createdAt: Date.now(), ...(root ? { workspace: root } : {}) }), ...(session.placement ? { worktrees: false as const } : {}) } } : {}),
  });
}

/**
 * The agent, its tools and the openai SDK are loaded on the first message, not at activation: evaluating
 * the SDK alone takes longer than the whole activation budget (50 ms). esbuild turns this require() of an
 * ES module into a lazily initialised part of the one bundle (nothing is read from disk).
 */
function loadAgentFactory(): typeof AgentFactory {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberate: deferred module evaluation
  return require('../../node/agentFactory') as typeof AgentFactory;
}
