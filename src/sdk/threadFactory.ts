// Makes SDK threads: every thread is a core AgentSession wired to the node adapters exactly as `tandem exec`
// wires it (sandboxed PTY runner, confined atomic writes, the session log under ~/.tandem/sessions), so a
// thread run by the SDK, the CLI or a parent agent behaves the same and can be resumed by any of them.
// Internal: the public `Tandem` (tandem.ts) wraps it, so the published type declarations stay small; the
// sub-agent tool uses it directly to give children tools of their own.
import * as os from 'node:os';
import * as path from 'node:path';
import { createAgentSession } from '../node/agentFactory';
import { rememberSecret } from '../node/commandSecrets';
import { confinedWriterFs } from '../node/confinedWriterFs';
import { createProcessRunner } from '../node/createRunner';
import { writeChangeSetAtomically } from '../node/fsChangeSetWriter';
import { NodeFileReader } from '../node/nodeFileReader';
import { SessionStore, type SessionWriter } from '../node/sessionStore';
import type { AgentSession } from '../core/agent/agentSession';
import type { Tool } from '../core/tools/types';
import { DEFAULT_BASE_URL, DEFAULT_MODEL, type TandemOptions, type ThreadOptions } from './options';
import { Thread } from './thread';
import type { ApprovalPolicy as CoreApprovalPolicy } from '../core/approvals/policy';
import type { SandboxMode as CoreSandboxMode } from '../core/ports';
import type { ApprovalPolicy, SandboxMode } from './options';

// The SDK's own spelling of these unions (options.ts) must stay equal to the core's: a compile error here if not.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const SDK_TYPES_MATCH_CORE: [Same<ApprovalPolicy, CoreApprovalPolicy>, Same<SandboxMode, CoreSandboxMode>] = [true, true];

/** Thread options plus what only Tandem itself sets (`tandem exec`): tools beyond Tandem's own, and the words for an unreviewable change. */
export interface InternalThreadOptions extends ThreadOptions {
  /** Tools beyond Tandem's own (MCP servers' tools), made once the thread's working directory is known. */
  extraTools?: (thread: { threadId: string; cwd: string }) => Tool[] | Promise<Tool[]>;
  /** What the model is told when the policy wants a change reviewed and nobody can review it. */
  unreviewableChange?: string;
}

export class ThreadFactory {
  private readonly store: SessionStore;

  constructor(private readonly options: TandemOptions = {}) {
    this.store = new SessionStore(options.sessionsDir ?? path.join(os.homedir(), '.tandem', 'sessions'));
  }

  /** A new thread. Its id is known at once; its log is written as it runs. */
  startThread(options: InternalThreadOptions = {}): Thread {
    const cwd = path.resolve(options.workingDirectory ?? process.cwd());
    const model = options.model ?? DEFAULT_MODEL;
    const id = newThreadId();
    const writer = this.store.create({ id, createdAt: Date.now(), workspace: cwd, model });
    return this.thread(id, writer, { ...options, workingDirectory: cwd, model });
  }

  /**
   * Continues a logged thread (from the SDK, `tandem exec` or a sub-agent): its conversation, and its
   * working directory and model unless `options` say otherwise. Rejects when there is no such log.
   */
  async resumeThread(id: string, options: InternalThreadOptions = {}): Promise<Thread> {
    const logged = await this.store.load(id);
    if (!logged) throw new Error(`No session ${id} under ${this.store.dir}: nothing to resume.`);
    const cwd = path.resolve(options.workingDirectory ?? logged.meta?.workspace ?? process.cwd());
    const model = options.model ?? logged.meta?.model ?? DEFAULT_MODEL;
    return this.thread(id, this.store.open(id), { ...options, workingDirectory: cwd, model }, logged.items);
  }

  private thread(id: string, writer: SessionWriter, options: InternalThreadOptions, history?: Parameters<typeof createAgentSession>[0]['history']): Thread {
    const session = this.createSession(id, writer, options, history);
    // A failure to start (no key) surfaces on the first run, not as an unhandled rejection now.
    session.catch(() => undefined);
    return new Thread(id, options.workingDirectory!, session, options, () => writer.flush());
  }

  private async createSession(id: string, writer: SessionWriter, options: InternalThreadOptions, history?: Parameters<typeof createAgentSession>[0]['history']): Promise<AgentSession> {
    const apiKey = (this.options.apiKey ?? process.env.OPENAI_API_KEY)?.trim();
    if (!apiKey) throw new Error('No API key: pass { apiKey } to new Tandem() or set OPENAI_API_KEY.');
    rememberSecret(apiKey);
    const cwd = options.workingDirectory!;
    const approval = options.approval ?? 'read-only';
    const extraTools = options.extraTools ? await options.extraTools({ threadId: id, cwd }) : undefined;
    const runner = createProcessRunner({
      onFallback: (reason) => options.onNotice?.(`no pseudo-terminal (${reason}); using pipes`),
      sandbox: {
        settings: () => ({ mode: options.sandbox ?? 'workspace-write', network: options.sandboxNetwork === true }),
        approvalPolicy: () => approval,
        onUnavailable: (reason) => options.onNotice?.(`no OS sandbox: ${reason}`),
      },
    });
    runner.sandboxStatus?.(); // probe now, so a notice about it comes before the run's output
    return createAgentSession({
      sessionId: id,
      apiKey,
      baseUrl: options.baseUrl ?? this.options.baseUrl ?? process.env.OPENAI_BASE_URL ?? DEFAULT_BASE_URL,
      wireApi: options.wireApi ?? this.options.wireApi ?? 'responses',
      model: options.model!,
      cwd,
      workspaceRoots: [cwd],
      approvalPolicy: () => approval,
      runner,
      files: new NodeFileReader(),
      recorder: writer,
      ...(history ? { history } : {}),
      ...(options.maxSteps !== undefined ? { limits: { maxSteps: options.maxSteps } } : {}),
      ...(options.contextWindow !== undefined ? { compaction: { contextWindow: options.contextWindow } } : {}),
      ...(extraTools ? { extraTools } : {}),
      // A sub-agent's transcript is a thread of its own in the same log folder (resumable by its id).
      subagents: { recorderFor: (childId) => this.store.create({ id: childId, createdAt: Date.now(), workspace: cwd, model: options.model! }) },
      // No chat to review in: a change the policy wants reviewed is not written; the model is told so.
      handleChangeSet: async (changeSet, { review }) => {
        if (review) return { outcome: 'discarded', message: options.unreviewableChange ?? `This change needs approval (approval: ${approval}) and there is no one to review it here; nothing was written.` };
        try {
          await writeChangeSetAtomically(changeSet, confinedWriterFs([cwd]));
          return { outcome: 'applied', message: `Applied ${changeSet.changes.length} file change(s).` };
        } catch (error) {
          return { outcome: 'failed', message: `Nothing was written: ${error instanceof Error ? error.message : String(error)}` };
        }
      },
    });
  }
}

/** Sortable by time, unique enough for one user's log folder; the same shape `tandem exec` uses. */
export function newThreadId(): string {
  return `${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '')}-${Math.random().toString(36).slice(2, 8)}`;
}
