// Chats that run in a git worktree of their own ("New Chat in Worktree", issue 15): which chat has which
// worktree, kept in the workspace's state (VS Code's storage, which no model can write) so that after a
// reload the restored chat finds its worktree again (WorktreeManager.attach checks it against Tandem's
// records next to it), and the worktree lives exactly as long as its chat. The folder shown and opened
// is always the one recorded here when Tandem made it, never a path read from the worktree.
// The chat's agent works inside the worktree (chatAgent.ts: its cwd and only workspace root); its edits
// are written there at once (worktreeWriter.ts); "Review changes in workspace" brings them back through
// the usual per-hunk review (chatWorktreeBringBack.ts).
// No runtime `vscode` here (the window's folder and trust come in through `folder`), so the unit tests run it
// against real git repositories.
import { basename, isAbsolute } from 'node:path';
import type * as vscode from 'vscode';
import type { ChangeSet, PatchOutcome } from '../../core/patch/types';
import { createChangeSetReview } from '../../core/review/changeSetReview';
import type { AgentEvent } from '../../shared/events';
import type { Worktree, WorktreeAvailability } from '../../node/worktrees/types';
import type { WorktreeOffer } from '../../shared/protocol';
import { isWorktreeName, WorktreeManager, type WorktreeHandle } from '../../node/worktrees/worktreeManager';
import { writeInWorktree } from '../../node/worktrees/worktreeWriter';

const STATE_KEY = 'tandem.chatWorktrees';
/** Chats whose worktree was removed are remembered (so they never fall back to the workspace), this many at most. */
const MAX_REMOVED = 200;

/** A chat's worktree record: the handle, or that it was removed (the chat then cannot run: it was isolated). */
type Record = { handle: WorktreeHandle; createdAt: number } | { removed: true; name: string };

/** The window's workspace folder (a local one) and whether it is trusted; undefined: no folder. */
export type WorkspaceFolderFacts = () => { root: string; trusted: boolean } | undefined;

/** What the chat's header shows of its worktree. */
export interface WorktreeFacts {
  name: string;
  path: string;
  /** The worktree was removed: the chat shows its history but runs no more. */
  removed?: boolean;
}

export class ChatWorktrees {
  private readonly loaded = new Map<string, Promise<Worktree>>();
  private offered: WorktreeOffer | undefined;

  constructor(
    private readonly state: Pick<vscode.Memento, 'get' | 'update'>,
    private readonly log: Pick<vscode.LogOutputChannel, 'warn' | 'info'>,
    private readonly folder: WorkspaceFolderFacts,
    readonly manager = new WorktreeManager(),
  ) {}

  private records(): Partial<globalThis.Record<string, Record>> {
    const raw = this.state.get<unknown>(STATE_KEY);
    return typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as globalThis.Record<string, Record>) : {};
  }

  private async save(chatId: string, record: Record | undefined): Promise<void> {
    const records = { ...this.records() };
    if (record) records[chatId] = record;
    else delete records[chatId];
    const removed = Object.keys(records).filter((id) => records[id] && 'removed' in records[id]!);
    for (const id of removed.slice(0, Math.max(0, removed.length - MAX_REMOVED))) delete records[id];
    await this.state.update(STATE_KEY, records);
  }

  /** The chat's record; anything stored there that is not a record Tandem writes reads as a removed worktree. */
  private record(chatId: string): Record | undefined {
    const raw: unknown = this.records()[chatId];
    if (raw === undefined) return undefined;
    if (typeof raw !== 'object' || raw === null || (!('removed' in raw) && !('handle' in raw))) return { removed: true, name: '' };
    return raw as Record;
  }

  private handle(chatId: string): WorktreeHandle | undefined {
    const record = this.record(chatId);
    if (!record || 'removed' in record) return undefined;
    const h = record.handle as Partial<WorktreeHandle> | undefined;
    // Only the shape Tandem writes: a folder it names, at an absolute path ending in that name.
    if (typeof h?.id !== 'string' || typeof h.path !== 'string' || typeof h.workspaceRoot !== 'string') return undefined;
    if (!isWorktreeName(h.id) || !isAbsolute(h.path) || basename(h.path) !== h.id) return undefined;
    return { id: h.id, path: h.path, workspaceRoot: h.workspaceRoot };
  }

  /** The chat was made to run in a worktree (whether or not that worktree still exists). */
  isolated(chatId: string): boolean {
    return this.record(chatId) !== undefined;
  }

  /** The header's facts for the chat's worktree, from the record (never from the worktree itself). */
  facts(chatId: string): WorktreeFacts | undefined {
    const record = this.record(chatId);
    if (!record) return undefined;
    if ('removed' in record) return { name: typeof record.name === 'string' ? record.name : '', path: '', removed: true };
    const handle = this.handle(chatId);
    return handle ? { name: handle.id, path: handle.path } : undefined;
  }

  /** Whether "New Chat in Worktree" can be offered (the chat list's entry), or why not; undefined until known. */
  get offer(): WorktreeOffer | undefined {
    return this.offered;
  }

  /** Asks again whether worktrees can be made here; true when the answer changed. */
  async refreshOffer(): Promise<boolean> {
    const availability = await this.availability().catch((error: unknown) => ({ available: false as const, reason: error instanceof Error ? error.message : String(error) }));
    const offer: WorktreeOffer = availability.available ? { available: true } : { available: false, reason: availability.reason };
    if (JSON.stringify(offer) === JSON.stringify(this.offered)) return false;
    this.offered = offer;
    return true;
  }

  /** Whether this window's workspace folder can have worktrees; why not when it cannot. */
  async availability(): Promise<WorktreeAvailability> {
    const folder = this.folder();
    if (!folder) return { available: false, reason: 'no folder is open' };
    if (!folder.trusted) return { available: false, reason: 'the workspace is not trusted' };
    return this.manager.isAvailable(folder.root);
  }

  /** A new worktree of the workspace folder (HEAD plus the user's uncommitted changes). */
  async create(label: string): Promise<Worktree> {
    const folder = this.folder();
    if (!folder?.trusted) throw new Error('no trusted folder is open');
    return this.manager.create(folder.root, label);
  }

  /** `worktree` is chat `chatId`'s from now on (recorded before the chat can send anything). */
  async bind(chatId: string, worktree: Worktree): Promise<void> {
    this.manager.claim(worktree, chatId);
    this.loaded.set(chatId, Promise.resolve(worktree));
    await this.save(chatId, { handle: { id: worktree.id, path: worktree.path, workspaceRoot: worktree.workspaceRoot }, createdAt: Date.now() });
  }

  /**
   * The chat's worktree (found again after a reload), undefined for a chat without one. Throws when the
   * chat was isolated but its worktree is gone: such a chat must never run in the workspace instead.
   */
  async worktreeFor(chatId: string): Promise<Worktree | undefined> {
    const record = this.record(chatId);
    if (!record) return undefined;
    if ('removed' in record) throw new Error('This chat’s worktree was removed, so it cannot run any more. Start a new chat (in a worktree or not).');
    let loading = this.loaded.get(chatId);
    if (!loading) {
      const handle = this.handle(chatId);
      if (!handle) throw new Error('This chat’s worktree record is unreadable.');
      loading = this.manager.attach(handle, chatId);
      this.loaded.set(chatId, loading);
      loading.catch(() => this.loaded.delete(chatId)); // tried again next time
    }
    try {
      return await loading;
    } catch (error) {
      throw new Error(`This chat’s worktree cannot be used: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  }

  /**
   * An edit of the chat's agent, written in its worktree. Its card's hunks are reported applied in the
   * worktree (`report`), so the card offers nothing to decide, Undo included: the decision comes when the
   * worktree's changes are brought back.
   */
  async write(chatId: string, changeSet: ChangeSet, turnId: string, report: (event: AgentEvent) => void): Promise<PatchOutcome> {
    const worktree = await this.worktreeFor(chatId);
    if (!worktree) return { outcome: 'failed', message: 'Not applied: this chat has no worktree.' };
    const outcome = await writeInWorktree(changeSet, worktree, 'Applied in this chat’s worktree. The user brings the worktree’s changes to the workspace with “Review changes in workspace” and reviews them there.');
    if (outcome.outcome === 'applied') {
      for (const file of createChangeSetReview(changeSet, turnId, (path) => path).files) {
        for (const hunk of file.hunks) report({ type: 'patch.hunk', turnId, changeSetId: changeSet.id, hunkId: hunk.id, state: 'accepted', inWorktree: true });
      }
    }
    return outcome;
  }

  /** Files the worktree changed that were not brought back (or could not be), for the question before removing it. */
  async unbroughtChanges(chatId: string): Promise<number> {
    const worktree = await this.worktreeFor(chatId).catch(() => undefined);
    if (!worktree) return 0;
    const { changeSet, skipped } = await this.manager.changes(worktree);
    return changeSet.changes.length + skipped.length;
  }

  /** Removes the chat's worktree; the chat stays isolated (it never runs in the workspace instead). */
  async remove(chatId: string): Promise<void> {
    const record = this.record(chatId);
    if (!record || 'removed' in record) return;
    const worktree = await this.worktreeFor(chatId).catch(() => undefined);
    if (worktree) await this.manager.remove(worktree);
    else this.log.warn(`Chat ${chatId}: its worktree could not be found again to remove it (${this.handle(chatId)?.path ?? 'unreadable record'}).`);
    this.loaded.delete(chatId);
    await this.save(chatId, { removed: true, name: this.handle(chatId)?.id ?? '' });
  }

  /** The chat is deleted for good: its record goes too (with its worktree). */
  async forget(chatId: string): Promise<void> {
    await this.remove(chatId);
    await this.save(chatId, undefined);
  }

  /**
   * After the chats were restored: worktrees of crashed windows go (cleanupStale keeps every worktree whose
   * chat is recorded here), and a chat that never got a message (a reload does not reopen it, nothing can)
   * loses its worktree when that holds nothing.
   */
  async cleanup(neverUsed: (chatId: string) => Promise<boolean>): Promise<void> {
    const folder = this.folder();
    if (!folder?.trusted) return;
    const records = this.records();
    for (const [chatId, record] of Object.entries(records)) {
      if (!record || 'removed' in record || this.loaded.has(chatId)) continue;
      try {
        if ((await neverUsed(chatId)) && (await this.unbroughtChanges(chatId)) === 0) await this.forget(chatId);
      } catch (error) {
        this.log.warn(`Chat ${chatId}: its worktree could not be checked:`, error);
      }
    }
    const removed = await this.manager.cleanupStale(folder.root, { chatExists: (id) => this.handle(id) !== undefined });
    if (removed.length) this.log.info(`Removed worktrees left over from an earlier window: ${removed.join(', ')}`);
  }
}
