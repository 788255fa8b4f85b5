// Which settings a workspace may set. A cloned repository's .vscode/settings.json (or a folder's
// settings in a multi-root workspace) is untrusted input: if it could switch Tandem to full-access,
// turn the sandbox off, open the network or point the API key at its own server, opening the
// repository would be enough to take over the agent. So the user's own settings (and the defaults)
// decide, and a workspace value is taken only when it is stricter than that: a workspace may ask for
// read-only or ask, never for auto or full-access; for a read-only sandbox, never for none; for no
// network, never for network; and never for another base URL. Pure: the VS Code glue passes the
// result of `WorkspaceConfiguration.inspect()`.
import type { ApprovalPolicy } from '../approvals/policy';
import type { SandboxMode } from '../ports';

/** The parts of `vscode.WorkspaceConfiguration.inspect()` that matter here. */
export interface InspectedValue<T> {
  defaultValue?: T;
  globalValue?: T;
  workspaceValue?: T;
  workspaceFolderValue?: T;
}

export interface Resolved<T> {
  value: T;
  /** Workspace values that were not applied because they would loosen safety (for a notice). */
  ignored: string[];
}

/** Strictest first. */
const POLICY_ORDER: readonly ApprovalPolicy[] = ['read-only', 'ask', 'auto', 'full-access'];
const SANDBOX_ORDER: readonly SandboxMode[] = ['read-only', 'workspace-write', 'off'];

/**
 * The user's value (or the default) of an ordered setting, tightened by any stricter workspace value.
 * Unknown values count as absent; a workspace value that loosens is reported in `ignored`.
 */
function tightenOnly<T extends string>(name: string, inspected: InspectedValue<unknown>, order: readonly T[], fallback: T): Resolved<T> {
  const valid = (v: unknown): v is T => typeof v === 'string' && (order as readonly string[]).includes(v);
  let value: T = valid(inspected.globalValue) ? inspected.globalValue : valid(inspected.defaultValue) ? inspected.defaultValue : fallback;
  const ignored: string[] = [];
  for (const [scope, candidate] of [
    ['workspace', inspected.workspaceValue],
    ['workspace folder', inspected.workspaceFolderValue],
  ] as const) {
    if (candidate === undefined) continue;
    if (valid(candidate) && order.indexOf(candidate) <= order.indexOf(value)) value = candidate;
    else ignored.push(`${name}: ${JSON.stringify(candidate)} from the ${scope} settings`);
  }
  return { value, ignored };
}

export function resolveApprovalPolicy(inspected: InspectedValue<unknown>, workspaceTrusted: boolean): Resolved<ApprovalPolicy> {
  const resolved = tightenOnly('tandem.approvalPolicy', inspected, POLICY_ORDER, 'ask');
  return workspaceTrusted ? resolved : { ...resolved, value: 'read-only' };
}

export function resolveSandboxMode(inspected: InspectedValue<unknown>): Resolved<SandboxMode> {
  return tightenOnly('tandem.sandbox.mode', inspected, SANDBOX_ORDER, 'workspace-write');
}

/** Network only when the user turned it on and no workspace turned it off; `true` must be exactly true. */
export function resolveSandboxNetwork(inspected: InspectedValue<unknown>): Resolved<boolean> {
  let value = inspected.globalValue === true || (inspected.globalValue === undefined && inspected.defaultValue === true);
  const ignored: string[] = [];
  for (const [scope, candidate] of [
    ['workspace', inspected.workspaceValue],
    ['workspace folder', inspected.workspaceFolderValue],
  ] as const) {
    if (candidate === undefined) continue;
    if (candidate === false) value = false;
    else if (candidate !== value) ignored.push(`tandem.sandbox.network: ${JSON.stringify(candidate)} from the ${scope} settings`);
  }
  return { value, ignored };
}

/**
 * A value only the user may choose (the API base URL, where the key is sent; later MCP servers): any
 * workspace value is ignored, whatever it is. Blank or non-string values mean the default.
 */
export function resolveUserOnlyString(name: string, inspected: InspectedValue<unknown>, fallback: string): Resolved<string> {
  const pick = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
  const value = pick(inspected.globalValue) ?? pick(inspected.defaultValue) ?? fallback;
  const ignored = (
    [
      ['workspace', inspected.workspaceValue],
      ['workspace folder', inspected.workspaceFolderValue],
    ] as const
  )
    .filter(([, v]) => v !== undefined && pick(v) !== value)
    .map(([scope, v]) => `${name}: ${JSON.stringify(v)} from the ${scope} settings`);
  return { value, ignored };
}

/** Bounds of a numeric setting; values outside are clamped, non-numbers mean the default. */
export interface NumberBounds {
  min: number;
  max: number;
  integer: boolean;
}

/**
 * A number only the user may choose (the turn's step cap, the compaction threshold): a repository could
 * otherwise let the agent run for thousands of paid requests unattended, or compact at every step. Any
 * workspace value is ignored (and named in `ignored` when it differs); NaN, strings and other junk in
 * the user's file mean the default; out-of-range values are clamped.
 */
export function resolveUserOnlyNumber(name: string, inspected: InspectedValue<unknown>, fallback: number, bounds: NumberBounds): Resolved<number> {
  const pick = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  const raw = pick(inspected.globalValue) ?? pick(inspected.defaultValue) ?? fallback;
  const clamped = Math.min(bounds.max, Math.max(bounds.min, raw));
  const value = bounds.integer ? Math.floor(clamped) : clamped;
  const ignored = (
    [
      ['workspace', inspected.workspaceValue],
      ['workspace folder', inspected.workspaceFolderValue],
    ] as const
  )
    .filter(([, v]) => v !== undefined && v !== value)
    .map(([scope, v]) => `${name}: ${JSON.stringify(v)} from the ${scope} settings`);
  return { value, ignored };
}
