// Whether a configured MCP server may start in this window, before anything runs: the user's own servers
// (settings) always; a server defined by the workspace only in a trusted workspace, and only once the user
// allowed that exact definition (asked once; "Don't Allow" is remembered for the workspace, a dismissed
// question asks again next time). A definition the workspace may not use at all (core/mcp/
// workspaceServerRules.ts) is refused before the question, with the reason. No VS Code import: the host
// passes trust, the remembered answers and the question, so every path is tested without a window.
import type { McpServerConfig } from '../../core/mcp/config';
import { workspaceServerRefusal } from '../../core/mcp/workspaceServerRules';

export type AdmissionRefusal = 'untrusted' | 'declined' | 'unanswered' | 'unsafe';

export type Admission = { start: true } | { start: false; why: AdmissionRefusal; canAllow: boolean; reason?: string };

export interface AdmissionContext {
  trusted: boolean;
  consent: {
    isAllowed(fingerprint: string): boolean;
    isDeclined(fingerprint: string): boolean;
    allow(fingerprint: string): Promise<void>;
    decline(fingerprint: string): Promise<void>;
  };
  /** Asks the user whether the workspace's server may start; `undefined` when the question was dismissed. */
  ask(config: McpServerConfig): Promise<'allow' | 'deny' | undefined>;
}

export async function admitServer(config: McpServerConfig, fingerprint: string, context: AdmissionContext): Promise<Admission> {
  if (config.source !== 'workspace') return { start: true };
  // Trust first: in Restricted Mode the question is not even asked (and an earlier "allow" does not count).
  if (!context.trusted) return { start: false, why: 'untrusted', canAllow: false };
  const refusal = workspaceServerRefusal(config);
  if (refusal !== undefined) return { start: false, why: 'unsafe', canAllow: false, reason: refusal };
  if (context.consent.isAllowed(fingerprint)) return { start: true };
  if (context.consent.isDeclined(fingerprint)) return { start: false, why: 'declined', canAllow: true };
  const answer = await context.ask(config);
  if (answer === 'allow') {
    await context.consent.allow(fingerprint);
    return { start: true };
  }
  if (answer === 'deny') {
    await context.consent.decline(fingerprint);
    return { start: false, why: 'declined', canAllow: true };
  }
  return { start: false, why: 'unanswered', canAllow: true };
}
