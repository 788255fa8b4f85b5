// The approval policy: given the mode the user picked and the exact command or files, decide whether
// the agent may go ahead, must ask, or is refused. Reasons are shown to the user (on the approval card)
// and to the model (on denial), so they say what was found, not just "no".
//   read-only   — only known read-only commands; no file changes.
//   ask         — known read-only commands run; everything else is asked (or approved for the session).
//   auto        — anything inside the workspace runs; risky commands (see risk.ts) are asked.
//   full-access — everything runs, outside the OS sandbox; protected paths in patches are still reviewed.
// The OS sandbox (ports.ts SandboxStatus) is the second line: where one was asked for but cannot work,
// the policy fails closed and asks before every command not known to be read-only, even in auto mode.
import { parsedCommandSafety } from './knownSafe';
import { protectedPart, workspaceRelative } from './paths';
import { assessCommandRisks, protectedPathWrites } from './risk';
import { parseShell } from './shellParse';
import { normalizePath } from '../patch/posixPath';
import type { SandboxMode, SandboxStatus } from '../ports';

export type ApprovalPolicy = 'read-only' | 'ask' | 'auto' | 'full-access';

export interface PolicyVerdict {
  verdict: 'allow' | 'ask' | 'deny';
  reason: string;
}

export interface CommandPolicyContext {
  /** Absolute directory the command starts in. */
  cwd: string;
  workspaceRoots: readonly string[];
  /** Prefixes the user approved for this session. */
  sessionApprovals?: { isCommandApproved(command: string): boolean };
  /** To resolve `~`; without it, `~` paths count as outside the workspace. */
  homeDir?: string;
  /** Where the command would run. Absent: as `off` (runners without a sandbox). */
  sandbox?: SandboxStatus;
}

export interface PatchPolicyContext {
  workspaceRoots: readonly string[];
  /** When given, a session approval of workspace patches turns `ask` into `allow` for them. */
  sessionApprovals?: { arePatchesApproved(): boolean };
}

const allow = (reason: string): PolicyVerdict => ({ verdict: 'allow', reason });
const ask = (reason: string): PolicyVerdict => ({ verdict: 'ask', reason });
const deny = (reason: string): PolicyVerdict => ({ verdict: 'deny', reason });

export function decideCommand(policy: ApprovalPolicy, command: string, context: CommandPolicyContext): PolicyVerdict {
  const parsed = parseShell(command);
  if (policy === 'full-access') {
    // Even full access asks before a command rewrites .git/, .vscode/, .tandem/ or AGENTS.md.
    const guarded = parsed.ok ? protectedPathWrites(parsed, context) : [];
    return guarded.length > 0 ? ask(`Protected paths are always asked: ${guarded.slice(0, 3).join('; ')}.`) : allow('Full access: commands run without asking.');
  }
  const safety = parsedCommandSafety(parsed);
  if (safety.safe) return allow('A known read-only command.');
  if (policy === 'read-only') {
    return deny(`Read-only mode only runs known read-only commands, and this is not one: ${safety.reason}.`);
  }
  const risks = assessCommandRisks(parsed, context);
  if (risks.length > 0) return ask(`Needs a look: ${risks.slice(0, 3).join('; ')}.`);
  // An answer the user gave ("approve for this session") stands with or without a sandbox.
  if (context.sessionApprovals?.isCommandApproved(command)) return allow('Approved for this session.');
  if (context.sandbox?.state === 'unavailable') {
    return ask(`No OS sandbox (${context.sandbox.reason}), so every command that is not known to be read-only is asked.`);
  }
  if (policy === 'auto') return allow('Auto mode: runs inside the workspace and nothing risky was found.');
  return ask(`Not a known read-only command: ${safety.reason}.`);
}

/**
 * The sandbox a command gets: full access means no protection was chosen (like Codex's
 * danger-full-access, it runs unsandboxed); read-only approval also confines the OS side to read-only.
 */
export function effectiveSandboxMode(setting: SandboxMode, policy: ApprovalPolicy): SandboxMode {
  if (setting === 'off' || policy === 'full-access') return 'off';
  return policy === 'read-only' ? 'read-only' : setting;
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
