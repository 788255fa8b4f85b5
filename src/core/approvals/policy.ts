// The approval policy: given the mode the user picked and the exact command or files, decide whether
// the agent may go ahead, must ask, or is refused. Reasons are shown to the user (on the approval card)
// and to the model (on denial), so they say what was found, not just "no".
//   read-only   — only known read-only commands; no file changes.
//   ask         — known read-only commands run; everything else is asked (or approved for the session).
//   auto        — anything inside the workspace runs; risky commands (see risk.ts) are asked.
//   full-access — everything runs; protected paths in patches are still reviewed.
import { parsedCommandSafety } from './knownSafe';
import { protectedPart, workspaceRelative } from './paths';
import { assessCommandRisks } from './risk';
import { parseShell } from './shellParse';
import { normalizePath } from '../patch/posixPath';

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
  if (policy === 'full-access') return allow('Full access: commands run without asking.');
  const parsed = parseShell(command);
  const safety = parsedCommandSafety(parsed);
  if (safety.safe) return allow('A known read-only command.');
  if (policy === 'read-only') {
    return deny(`Read-only mode only runs known read-only commands, and this is not one: ${safety.reason}.`);
  }
  const risks = assessCommandRisks(parsed, context);
  if (risks.length > 0) return ask(`Needs a look: ${risks.slice(0, 3).join('; ')}.`);
  if (context.sessionApprovals?.isCommandApproved(command)) return allow('Approved for this session.');
  if (policy === 'auto') return allow('Auto mode: runs inside the workspace and nothing risky was found.');
  return ask(`Not a known read-only command: ${safety.reason}.`);
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
