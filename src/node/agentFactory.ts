// Composition root shared by the extension and the headless CLI: wires the pure core to node adapters.
import { AgentSession } from '../core/agent/agentSession';
import type { AgentSessionOptions } from '../core/agent/types';
import type { ApprovalPolicy } from '../core/approvals/policy';
import { createModelClient } from '../core/model/createClient';
import type { FileReader, ProcessRunner } from '../core/ports';
import { BASE_INSTRUCTIONS } from '../core/prompt/instructions';
import { loadAgentsMd } from '../core/prompt/agentsMd';
import { applyPatchTool } from '../core/tools/applyPatch';
import { execCommandTool } from '../core/tools/execCommand';
import { updatePlanTool } from '../core/tools/updatePlan';
import { writeStdinTool } from '../core/tools/writeStdin';
import type { Tool } from '../core/tools/types';
import { environmentInfo } from './environment';

/** The tool surface, in a fixed order (the request prefix must stay byte-identical between requests). */
export function defaultTools(): Tool[] {
  return [execCommandTool, writeStdinTool, applyPatchTool, updatePlanTool] as Tool[];
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
  runner: ProcessRunner;
  files: FileReader;
  handleChangeSet: AgentSessionOptions['handleChangeSet'];
  recorder?: AgentSessionOptions['recorder'];
  history?: AgentSessionOptions['history'];
  /** Load AGENTS.md (off in untrusted workspaces). */
  loadProjectInstructions?: boolean;
  limits?: AgentSessionOptions['limits'];
}

export async function createAgentSession(options: AgentFactoryOptions): Promise<AgentSession> {
  const projectInstructions =
    options.loadProjectInstructions !== false && !options.history?.length
      ? await loadAgentsMd(options.files, options.workspaceRoots[0] ?? options.cwd, options.cwd)
      : undefined;
  return new AgentSession({
    sessionId: options.sessionId,
    model: createModelClient({ wireApi: options.wireApi, baseUrl: options.baseUrl, apiKey: options.apiKey }),
    modelName: options.model,
    instructions: BASE_INSTRUCTIONS,
    tools: defaultTools(),
    runner: options.runner,
    files: options.files,
    cwd: options.cwd,
    workspaceRoots: options.workspaceRoots,
    approvalPolicy: options.approvalPolicy,
    environment: () => environmentInfo(options.cwd, options.approvalPolicy(), options.runner.shell),
    handleChangeSet: options.handleChangeSet,
    ...(options.recorder ? { recorder: options.recorder } : {}),
    ...(options.history ? { history: options.history } : {}),
    ...(projectInstructions ? { projectInstructions } : {}),
    ...(options.limits ? { limits: options.limits } : {}),
  });
}
