// What the policy says about one action the agent wants to take, before anyone is asked: a patch's
// verdict from where it really writes (symlinks resolved), a command's from its words (policy.ts), from
// what a running process already may do (write_stdin), and from what only the disk can tell
// (approvals/diskChecks.ts). AgentSession turns an `ask` into an approval card; this file never asks.
import type { ApprovalSubject, FileChangeSummary } from '../../shared/events';
import { protectedSymlinks, strictReadEscape } from '../approvals/diskChecks';
import { confinementWithin, decideCommand, decideEscalation, decideMcpCall, decidePatch, enforcedConfinement, isSandboxEscalation, type ApprovalPolicy, type CommandVerdict, type PolicyVerdict } from '../approvals/policy';
import type { SessionApprovals } from '../approvals/sessionApprovals';
import type { CommandConfinement, SandboxStatus } from '../ports';
import type { AgentSessionOptions } from './types';

export class ActionVerdicts {
  constructor(
    private readonly options: Pick<AgentSessionOptions, 'approvalPolicy' | 'workspaceRoots' | 'cwd' | 'runner' | 'files'>,
    private readonly approvals: SessionApprovals,
  ) {}

  async patch(files: readonly FileChangeSummary[]): Promise<PolicyVerdict> {
    const { paths, workspaceRoots } = await this.patchTargets(files);
    return decidePatch(this.options.approvalPolicy(), paths, { workspaceRoots });
  }

  /**
   * A command's verdict, with the confinement the runner must enforce. Running a command again outside
   * the sandbox is always the user's call, only for this once, and never offered in read-only mode.
   * `running`: the confinement of the process that would take this input (write_stdin).
   */
  async command(subject: Exclude<ApprovalSubject, { kind: 'patch' }>, running?: CommandConfinement): Promise<CommandVerdict> {
    const policy = this.options.approvalPolicy();
    // An MCP call asks like a command (AgentSession shows the card and remembers "approve for session" by
    // the subject's `command`, the server's key); no process of ours runs, so no confinement applies.
    if (subject.kind === 'mcp') return decideMcpCall(policy, subject, { sessionApprovals: this.approvals });
    if (isSandboxEscalation(subject)) return decideEscalation(policy);
    const sandbox = this.options.runner.sandboxStatus?.();
    let verdict = decideCommand(policy, subject.command, { cwd: subject.cwd, workspaceRoots: this.options.workspaceRoots, sessionApprovals: this.approvals, ...(sandbox ? { sandbox } : {}) });
    verdict = this.coverRunning(policy, verdict, running);
    return this.checkOnDisk(policy, verdict, subject.command, subject.cwd, sandbox);
  }

  /**
   * What the command's words cannot tell (approvals/diskChecks.ts): without a sandbox, a strictly
   * allowlisted reader whose operands lead out of the workspace through a symlink is asked (refused in
   * read-only mode); with one, a command that would write unasked while a protected top-level name is a
   * symlink (which the sandbox cannot keep in place) is asked.
   */
  private async checkOnDisk(policy: ApprovalPolicy, verdict: CommandVerdict, command: string, cwd: string, sandbox: SandboxStatus | undefined): Promise<CommandVerdict> {
    if (verdict.verdict !== 'allow') return verdict;
    const roots = this.options.workspaceRoots;
    const files = this.options.files;
    const requested = verdict.confinement ?? 'workspace-write';
    if (requested === 'read-only' && sandbox?.state !== 'enforced') {
      const escape = await strictReadEscape(command, cwd, roots, files, sandbox !== undefined);
      if (escape === undefined) return verdict;
      if (policy === 'read-only') return { verdict: 'deny', reason: `Read-only mode without an OS sandbox only reads inside the workspace: ${escape}.` };
      return { verdict: 'ask', reason: `No OS sandbox, and this read leaves the workspace: ${escape}.`, confinement: 'read-only' };
    }
    const actual = enforcedConfinement(requested, sandbox);
    if (actual !== 'workspace-write' && actual !== 'protected-only') return verdict;
    const links = await protectedSymlinks(roots, files);
    if (links.length === 0) return verdict;
    return {
      verdict: 'ask',
      reason: `${links.join(', ')} ${links.length === 1 ? 'is a symlink' : 'are symlinks'}: the sandbox protects only the target, so a command could replace the link; writing commands are asked here.`,
      confinement: requested,
    };
  }

  /**
   * Input to a process that already runs: allowed as is only when the current policy would let its
   * command run with at least the power it has; otherwise the user is asked (read-only mode refuses).
   */
  private coverRunning(policy: ApprovalPolicy, verdict: CommandVerdict, running: CommandConfinement | undefined): CommandVerdict {
    if (running === undefined || verdict.verdict === 'deny') return verdict;
    const granted = verdict.confinement ?? 'workspace-write';
    if (confinementWithin(running, granted)) return verdict;
    if (policy === 'read-only') return { verdict: 'deny', reason: `Read-only mode never lets this process take input: it runs with more access (${running}) than read-only.` };
    return { verdict: 'ask', reason: `This process runs with more access (${running}) than the current mode gives its command (${granted}).`, confinement: running };
  }

  /**
   * Every path a patch writes, as written and with symlinks resolved (a link inside the workspace may
   * point outside it, and the write would follow it), and the workspace roots both ways too (the roots
   * themselves may sit behind a link, like /tmp on macOS).
   */
  private async patchTargets(files: readonly FileChangeSummary[]): Promise<{ paths: string[]; workspaceRoots: string[] }> {
    const written = files.flatMap((f) => [absolute(this.options.cwd, f.path), ...(f.movePath ? [absolute(this.options.cwd, f.movePath)] : [])]);
    const realPath = this.options.files.realPath?.bind(this.options.files);
    if (!realPath) return { paths: written, workspaceRoots: this.options.workspaceRoots };
    const [resolved, realRoots] = await Promise.all([Promise.all(written.map(realPath)), Promise.all(this.options.workspaceRoots.map(realPath))]);
    return { paths: [...new Set([...written, ...resolved])], workspaceRoots: [...new Set([...this.options.workspaceRoots, ...realRoots])] };
  }
}

/** Workspace-relative summary paths back to absolute ones for the policy check. */
function absolute(cwd: string, path: string): string {
  return path.startsWith('/') ? path : `${cwd.replace(/\/+$/, '')}/${path}`;
}
