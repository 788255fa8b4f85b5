import * as vscode from 'vscode';
import type { ApprovalPolicy } from '../core/approvals/policy';
import type { SandboxMode } from '../core/ports';
import type { SandboxSettings } from '../node/sandbox/sandboxPlan';

export interface TandemConfig {
  baseUrl: string;
  model: string;
  wireApi: 'responses' | 'chat';
  approvalPolicy: ApprovalPolicy;
  sandbox: SandboxSettings;
}

const POLICIES: ApprovalPolicy[] = ['read-only', 'ask', 'auto', 'full-access'];
const SANDBOX_MODES: SandboxMode[] = ['workspace-write', 'read-only', 'off'];

/**
 * Reads Tandem's settings. `baseUrl`, `model` and `wireApi` are application-scoped in package.json, so
 * VS Code ignores them in a workspace's .vscode/settings.json: a cloned repository cannot redirect the key.
 * In an untrusted workspace the policy is forced to read-only. `tandem.sandbox.mode` and
 * `tandem.sandbox.network` are machine-scoped: a workspace cannot turn the sandbox off or the network on,
 * and an unknown value means the default (sandboxed, no network), never "off".
 */
export function readConfig(): TandemConfig {
  const c = vscode.workspace.getConfiguration('tandem');
  const policy = c.get<string>('approvalPolicy', 'ask');
  const wireApi = c.get<string>('wireApi', 'responses');
  const sandboxMode = c.get<string>('sandbox.mode', 'workspace-write');
  return {
    baseUrl: c.get<string>('baseUrl', 'https://api.openai.com/v1').trim() || 'https://api.openai.com/v1',
    model: c.get<string>('model', 'gpt-5.5').trim() || 'gpt-5.5',
    wireApi: wireApi === 'chat' ? 'chat' : 'responses',
    approvalPolicy: !vscode.workspace.isTrusted ? 'read-only' : POLICIES.includes(policy as ApprovalPolicy) ? (policy as ApprovalPolicy) : 'ask',
    sandbox: {
      mode: SANDBOX_MODES.includes(sandboxMode as SandboxMode) ? (sandboxMode as SandboxMode) : 'workspace-write',
      network: c.get<boolean>('sandbox.network', false) === true,
    },
  };
}
