// The policy check of one tool call, right before it runs, on the exact command or files: the verdict
// (actionVerdicts.ts), and when the verdict is "ask", the approval card and the user's answer. Kept out of
// AgentSession so the session is about turns and the stream, and this about one decision.
import type { AgentEvent, ApprovalSubject } from '../../shared/events';
import { isSandboxEscalation } from '../approvals/policy';
import type { SessionApprovals } from '../approvals/sessionApprovals';
import type { CommandConfinement } from '../ports';
import type { Authorization, AuthorizeOptions } from '../tools/types';
import type { ActionVerdicts } from './actionVerdicts';
import { raceAbort } from './asyncQueue';
import type { PendingApprovals } from './pendingApprovals';

export type AuthorizeResult = (Authorization & { allowed: false }) | { allowed: true; review: boolean; confinement?: CommandConfinement };

export class ToolAuthorizer {
  constructor(
    private readonly verdicts: ActionVerdicts,
    private readonly approvals: SessionApprovals,
    private readonly pending: PendingApprovals,
    private readonly newId: () => string,
  ) {}

  /**
   * The policy check, right before execution, on the exact command or files. For patches, "ask" does
   * not raise a separate approval card: the change set itself is shown for review (Apply / Discard).
   * For commands, the answer carries the confinement the runner must enforce.
   */
  async authorize(
    turnId: string,
    subject: ApprovalSubject,
    signal: AbortSignal,
    emit: (e: AgentEvent) => void,
    options: AuthorizeOptions = {},
  ): Promise<(Authorization & { allowed: false }) | { allowed: true; review: boolean; confinement?: CommandConfinement }> {
    if (subject.kind === 'patch') {
      const verdict = await this.verdicts.patch(subject.files);
      if (verdict.verdict === 'deny') return { allowed: false, reason: verdict.reason };
      const review = verdict.verdict === 'ask' && !this.approvals.arePatchesApproved();
      return { allowed: true, review };
    }
    const escalation = isSandboxEscalation(subject);
    const verdict = await this.verdicts.command(subject, options.running);
    if (verdict.verdict === 'deny') return { allowed: false, reason: verdict.reason };
    const confinement = verdict.confinement ?? 'workspace-write';
    if (verdict.verdict === 'allow') return { allowed: true, review: false, confinement };
    const reason = escalation ? subject.reason : options.running !== undefined ? `${subject.reason} ${verdict.reason}` : verdict.reason;
    const approvalId = `approval-${this.newId()}`;
    const answer = this.pending.wait(approvalId);
    emit({ type: 'approval.requested', turnId, approvalId, subject: { ...subject, reason }, ...(options.running !== undefined ? { running: options.running } : {}) });
    const { decision, note } = await raceAbort(answer, signal);
    emit({ type: 'approval.resolved', turnId, approvalId, decision, ...(note !== undefined ? { note } : {}) });
    if (decision === 'deny') return { allowed: false, reason: note ? `The user denied it: ${note}` : 'The user denied it.' };
    // A session approval never covers input to a process or an escalation: those are asked each time.
    // An MCP server's approval is kept apart from shell commands: its key must never approve a command line.
    if (decision === 'approve_session' && subject.kind === 'mcp') this.approvals.rememberMcpServer(subject.command);
    else if (decision === 'approve_session' && !escalation && options.running === undefined) this.approvals.rememberCommand(subject.command);
    return { allowed: true, review: false, confinement };
  }
}
