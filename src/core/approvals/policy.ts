// The approval policy: given the mode the user picked and the exact command or files, decide whether
// the agent may go ahead, must ask, or is refused, and for a command, what it may do once it runs (its
// confinement, enforced by the OS sandbox). Reasons are shown to the user (on the approval card) and to
// the model (on denial), so they say what was found, not just "no".
//
// Enforce, don't guess: the shell classifier only decides whether to ask. What a command can do is
// bounded by the sandbox profile picked here:
//   judged read-only by the classifier, any mode  -> runs unasked, confined `read-only` (no writes, no network)
//   approved to write (user, session, auto mode)  -> `workspace-write`
//   full-access                                   -> `protected-only` (all writable but .git/.vscode/.tandem/AGENTS.md)
//   a command the user approved to run outside    -> `unconfined` (escalation card, or a protected write in full access)
// Where no sandbox works (or it is turned off), only a strict allowlist of exact read-only argv shapes
// runs unasked and everything else asks, in auto too; full access still runs everything.
import { parsedCommandSafety } from './knownSafe';
import { protectedPart, workspaceRelative } from './paths';
import { protectedNamesText } from './protectedNames';
import { assessCommandRisks, protectedPathWrites } from './risk';
import { parseShell, type ParseResult } from './shellParse';
import { isStrictlyAllowlisted } from './strictAllowlist';
import { normalizePath } from '../patch/posixPath';
import type { CommandConfinement, SandboxStatus } from '../ports';

export type ApprovalPolicy = 'read-only' | 'ask' | 'auto' | 'full-access';

export interface PolicyVerdict {
  verdict: 'allow' | 'ask' | 'deny';
  reason: string;
}

export interface CommandVerdict extends PolicyVerdict {
  /** `allow`: what the command runs under; `ask`: what it runs under once the user approves; `deny`: absent. */
  confinement?: CommandConfinement;
}

export interface CommandPolicyContext {
  /** Absolute directory the command starts in. */
  cwd: string;
  workspaceRoots: readonly string[];
  /** Prefixes the user approved for this session. */
  sessionApprovals?: { isCommandApproved(command: string): boolean };
  /** To resolve `~`; without it, `~` paths count as outside the workspace. */
  homeDir?: string;
  /** Where the command would run. Absent: no sandbox (runners without one). */
  sandbox?: SandboxStatus;
}

export interface PatchPolicyContext {
  workspaceRoots: readonly string[];
  /** When given, a session approval of workspace patches turns `ask` into `allow` for them. */
  sessionApprovals?: { arePatchesApproved(): boolean };
}

const allow = (reason: string, confinement?: CommandConfinement): CommandVerdict => ({ verdict: 'allow', reason, ...(confinement ? { confinement } : {}) });
const ask = (reason: string, confinement?: CommandConfinement): CommandVerdict => ({ verdict: 'ask', reason, ...(confinement ? { confinement } : {}) });
const deny = (reason: string): PolicyVerdict => ({ verdict: 'deny', reason });

/**
 * Without a sandbox nothing bounds a classifier miss, so only exact, strictly validated argv shapes run
 * unasked. Its git shapes count only where the runner applies the git overrides to read-only commands,
 * which every runner that reports a sandbox status does (SandboxedRunner, also when no sandbox works).
 */
function strictlyAllowlisted(parsed: ParseResult, context: CommandPolicyContext): boolean {
  return isStrictlyAllowlisted(parsed, { gitEnvironmentApplied: context.sandbox !== undefined });
}

/** Why commands are not confined, for reasons shown to the user; `undefined` when they are. */
function missingSandbox(status: SandboxStatus | undefined): string | undefined {
  if (!status) return 'this runner has none';
  return status.state === 'enforced' ? undefined : status.reason;
}

export function decideCommand(policy: ApprovalPolicy, command: string, context: CommandPolicyContext): CommandVerdict {
  const parsed = parseShell(command);
  const noSandbox = missingSandbox(context.sandbox);
  if (policy === 'full-access') {
    // Even full access asks before a command rewrites a protected name (protectedNames.ts); once the
    // user approved that exact command, it runs outside the sandbox (the protection is what it needed).
    const guarded = parsed.ok ? protectedPathWrites(parsed, context) : [];
    if (guarded.length > 0) return ask(`Protected paths are always asked: ${guarded.slice(0, 3).join('; ')}.`, 'unconfined');
    return allow(noSandbox ? 'Full access: commands run without asking.' : `Full access: commands run without asking; ${protectedNamesText()} stay read-only.`, 'protected-only');
  }
  const safety = parsedCommandSafety(parsed);
  if (noSandbox === undefined && safety.safe) return allow('A known read-only command (runs in the read-only sandbox).', 'read-only');
  if (noSandbox !== undefined && strictlyAllowlisted(parsed, context)) return allow('A read-only command on the strict allowlist.', 'read-only');
  if (policy === 'read-only') {
    return deny(
      noSandbox === undefined
        ? `Read-only mode only runs known read-only commands, and this is not one: ${safety.reason}.`
        : `Read-only mode without an OS sandbox (${noSandbox}) only runs a strict allowlist of read-only commands, and this is not on it.`,
    );
  }
  const risks = assessCommandRisks(parsed, context);
  if (risks.length > 0) return ask(`Needs a look: ${risks.slice(0, 3).join('; ')}.`, 'workspace-write');
  // An answer the user gave ("approve for this session") stands with or without a sandbox.
  if (context.sessionApprovals?.isCommandApproved(command)) return allow('Approved for this session.', 'workspace-write');
  if (noSandbox !== undefined) {
    return ask(`No OS sandbox (${noSandbox}), so every command not on the strict read-only allowlist is asked.`, 'workspace-write');
  }
  if (policy === 'auto') return allow('Auto mode: runs inside the workspace and nothing risky was found.', 'workspace-write');
  return ask(`Not a known read-only command: ${safety.reason}.`, 'workspace-write');
}

// ---- confinement: what the OS actually enforces -------------------------------------------------------

const STRENGTH: Record<CommandConfinement, number> = { 'read-only': 0, 'workspace-write': 1, 'protected-only': 2, unconfined: 3 };

/** Whether a process running under `running` can do no more than `granted` allows. */
export function confinementWithin(running: CommandConfinement, granted: CommandConfinement): boolean {
  return STRENGTH[running] <= STRENGTH[granted];
}

/**
 * The profile a command really gets: none without a sandbox (the policy asked for everything that
 * needs one), and never more than the `tandem.sandbox.mode` setting allows (`read-only` caps writers).
 */
export function enforcedConfinement(requested: CommandConfinement, status: SandboxStatus | undefined): CommandConfinement {
  if (status?.state !== 'enforced' || requested === 'unconfined') return 'unconfined';
  return status.mode === 'read-only' ? 'read-only' : requested;
}

/** One sentence on what a command under `requested` can do here (UI, README, the model's environment). */
export function describeConfinement(requested: CommandConfinement, status: SandboxStatus | undefined): string {
  const actual = enforcedConfinement(requested, status);
  const protectedText = `${protectedNamesText()} stay read-only`;
  switch (actual) {
    case 'read-only':
      return 'Read-only sandbox: nothing is writable except a private temp dir (the workspace neither), no network.';
    case 'workspace-write':
      return `Workspace sandbox: only the workspace folders and a private temp dir are writable (${protectedText}), network ${status?.state === 'enforced' && status.network ? 'on' : 'off'}.`;
    case 'protected-only':
      return `Full access in the sandbox: everything is writable and the network is open, but ${protectedText}.`;
    case 'unconfined':
      return status?.state === 'enforced'
        ? 'No sandbox: the user approved running this command outside it; it can do whatever the user can.'
        : `No sandbox (${missingSandbox(status)}): the command can do whatever the user can; only patches are guarded for protected paths.`;
  }
}

// ---- escalation: re-running a command outside the sandbox ------------------------------------------
// A command that failed because of the sandbox may run again without it only after an approval card
// that says why. The card is a `command` approval whose reason starts with this prefix; authorize()
// always asks for it (no mode, session approval or known-safe verdict skips it), so a look-alike reason
// could only ever make Tandem ask more, never less.

const ESCALATION_PREFIX = 'Failed inside the sandbox: ';

export function escalationReason(why: string): string {
  return `${ESCALATION_PREFIX}${why}; run it again without the sandbox?`;
}

export function isSandboxEscalation(subject: { kind: string; reason: string }): boolean {
  return subject.kind === 'command' && subject.reason.startsWith(ESCALATION_PREFIX);
}

/** The escalation card is never offered in read-only mode; elsewhere it always asks. */
export function decideEscalation(policy: ApprovalPolicy): CommandVerdict {
  if (policy === 'read-only') return deny('Read-only mode never runs a command outside the sandbox.');
  return ask('', 'unconfined');
}

/** `paths` are the absolute paths a change set adds, updates, deletes or moves to. */
export function decidePatch(policy: ApprovalPolicy, paths: readonly string[], context: PatchPolicyContext): PolicyVerdict {
  if (policy === 'read-only') return deny('Read-only mode: files cannot be changed.');
  const outside: string[] = [];
  const guarded: string[] = [];
  for (const path of paths) {
    const relative = path.startsWith('/') ? workspaceRelative(context.workspaceRoots, normalizePath(path)) : undefined;
    if (relative === undefined) outside.push(path);
    else if (protectedPart(relative) !== undefined) guarded.push(relative);
  }
  if (guarded.length > 0) return ask(`Changes protected files (${guarded.join(', ')}); these are always reviewed.`);
  if (outside.length > 0) return ask(`Changes files outside the workspace (${outside.join(', ')}).`);
  if (policy === 'ask') {
    if (context.sessionApprovals?.arePatchesApproved()) return allow('Workspace edits approved for this session.');
    return ask('Ask mode: file changes are reviewed before they are written.');
  }
  return allow(policy === 'auto' ? 'Auto mode: changes inside the workspace.' : 'Full access: changes inside the workspace.');
}

// ---- MCP tool calls ------------------------------------------------------------------------------------
// A tool of an MCP server is code Tandem cannot see into: the policy cannot judge what a call does, so it
// asks unless the user said otherwise. The server's `readOnlyHint` is a claim, trusted only in `auto`
// (where Tandem already works freely inside the workspace); `read-only` and `ask` ask every time unless the
// user allowed that server's tools for the session or always. Full access runs them.

export interface McpPolicyContext {
  /** "Approve for session" remembered for this server (its session key, see core/mcp/mcpTool.ts). */
  sessionApprovals?: { isMcpServerApproved(serverKey: string): boolean };
}

export function decideMcpCall(
  policy: ApprovalPolicy,
  subject: { server: string; readOnlyHint: boolean; serverAllowed?: boolean; command: string },
  context: McpPolicyContext = {},
): PolicyVerdict {
  if (policy === 'full-access') return allow('Full access: MCP tools run without asking.');
  if (subject.serverAllowed === true) return allow(`You always allow the tools of the MCP server "${subject.server}".`);
  if (context.sessionApprovals?.isMcpServerApproved(subject.command)) return allow(`The tools of the MCP server "${subject.server}" are approved for this session.`);
  if (policy === 'auto' && subject.readOnlyHint) return allow('Auto mode: the server marks this tool read-only.');
  if (policy === 'auto') return ask(`The MCP server "${subject.server}" does not mark this tool read-only.`);
  return ask(`${policy === 'read-only' ? 'Read-only' : 'Ask'} mode: every MCP tool call is asked unless you allow the server's tools.`);
}
