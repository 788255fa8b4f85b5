// Approval cards the user has not answered yet, by approval id. A turn waits on its card's promise; the
// `approval` operation answers it; a turn that ends denies whatever it still waits for, so no promise is
// left hanging and a late click on a closed card finds nothing.
import type { ApprovalDecision } from '../../shared/events';

export interface ApprovalAnswer {
  decision: ApprovalDecision;
  note?: string;
}

export class PendingApprovals {
  private readonly waiting = new Map<string, (answer: ApprovalAnswer) => void>();

  /** The user's answer to card `approvalId`, whenever it comes. */
  wait(approvalId: string): Promise<ApprovalAnswer> {
    return new Promise((resolve) => this.waiting.set(approvalId, resolve));
  }

  /** Answers a card; false when it is not waiting (already answered, or its turn ended). */
  answer(approvalId: string, answer: ApprovalAnswer): boolean {
    const resolve = this.waiting.get(approvalId);
    if (!resolve) return false;
    this.waiting.delete(approvalId);
    resolve(answer);
    return true;
  }

  /** Denies every open card (the turn ended). */
  denyAll(note: string): void {
    for (const [id, resolve] of this.waiting) {
      this.waiting.delete(id);
      resolve({ decision: 'deny', note });
    }
  }
}
