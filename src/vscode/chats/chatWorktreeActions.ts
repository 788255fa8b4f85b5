// What the user does with chats in worktrees: start one ("New Chat in Worktree", offered only in a trusted
// workspace whose folder is in a git repository with a commit; otherwise the chat list's entry is disabled
// with the reason and the command says why), bring its changes back ("Review changes in workspace"), open
// or reveal its folder, and remove it ("Discard worktree", or closing the chat), asking first when it
// holds changes that were not brought back. The worktree is made when the chat is: the header shows the
// isolation from the start and the first message never waits for a checkout.
import * as vscode from 'vscode';
import type { ReviewManager } from '../review/reviewManager';
import type { Chat } from './chat';
import type { ChatRegistry } from './chatRegistry';
import { WorktreeBringBack } from './chatWorktreeBringBack';
import { ChatWorktrees } from './chatWorktrees';

/** The controller's side: the chats and where they are shown. */
export interface WorktreeChatHost {
  registry(): ChatRegistry;
  activeChat(): Chat;
  /** Shows the chat where it is (its editor tab, else the sidebar). */
  select(chat: Chat): void;
  switchTo(chat: Chat): void;
  /** The sidebar is shown (after the command palette started a chat). */
  revealView(): Promise<void>;
  /** The chat list changed. */
  listChanged(): void;
  /** Whether a chat in a worktree can be offered changed (every view's header facts carry it). */
  offerChanged(): void;
}

export class WorktreeChatActions implements vscode.Disposable {
  readonly worktrees: ChatWorktrees;
  private readonly bringBack: WorktreeBringBack;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
    reviews: ReviewManager,
    private readonly host: WorktreeChatHost,
  ) {
    this.worktrees = new ChatWorktrees(context.workspaceState, log, () => {
      const folder = vscode.workspace.workspaceFolders?.[0];
      return folder?.uri.scheme === 'file' ? { root: folder.uri.fsPath, trusted: vscode.workspace.isTrusted } : undefined;
    });
    this.bringBack = new WorktreeBringBack(this.worktrees, reviews);
    const refresh = () => void this.refreshOffer();
    this.disposables.push(
      vscode.workspace.onDidChangeWorkspaceFolders(refresh),
      vscode.workspace.onDidGrantWorkspaceTrust(refresh),
      vscode.commands.registerCommand('tandem.newChatInWorktree', () => this.newChat()),
      vscode.commands.registerCommand('tandem.reviewWorktreeChanges', (chatId?: unknown) => this.review(this.target(chatId))),
      vscode.commands.registerCommand('tandem.openWorktreeFolder', (chatId?: unknown) => this.openFolder(this.target(chatId))),
      vscode.commands.registerCommand('tandem.discardWorktree', (chatId?: unknown) => this.discard(this.target(chatId))),
    );
    // First asked when a view is ready (ChatController.onReady), not during activation: git is a process to start.
  }

  async refreshOffer(): Promise<void> {
    if (await this.worktrees.refreshOffer()) this.host.offerChanged();
  }

  /** The chat a command is about: the one named (a view's header passes its chat), else the sidebar's. */
  private target(chatId: unknown): Chat {
    return (typeof chatId === 'string' ? this.host.registry().get(chatId) : undefined) ?? this.host.activeChat();
  }

  /** A new chat whose agent works in a new worktree of the workspace, shown in the sidebar. */
  async newChat(): Promise<void> {
    void this.refreshOffer(); // git may have been set up since: the entry follows
    const availability = await this.worktrees.availability();
    if (!availability.available) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Tandem: a chat in a worktree is not available here: {0}.', availability.reason));
      return;
    }
    let chat: Chat | undefined;
    try {
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Tandem: making a worktree for the new chat…') }, async () => {
        const worktree = await this.worktrees.create('chat');
        // Bound before anything can be sent: the chat's first agent is made in the worktree.
        chat = this.host.registry().create(vscode.l10n.t('New chat in worktree'));
        await this.worktrees.bind(chat.id, worktree);
      });
    } catch (error) {
      if (chat) this.host.registry().close(chat.id);
      this.log.error('Could not make a worktree for a new chat:', error);
      void vscode.window.showErrorMessage(vscode.l10n.t('Tandem could not make a worktree: {0}', error instanceof Error ? error.message : String(error)));
      return;
    }
    // An unused empty chat the sidebar showed makes way (as New Chat would have reused it).
    const blank = this.host.activeChat();
    this.host.switchTo(chat!);
    if (blank !== chat && blank.currentStatus === 'new' && !blank.isBusy && !this.worktrees.isolated(blank.id)) this.host.registry().close(blank.id);
    this.host.listChanged();
    await this.host.revealView();
  }

  async review(chat: Chat): Promise<void> {
    if (!this.worktrees.isolated(chat.id)) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Tandem: “{0}” does not run in a worktree; its changes are reviewed as they are made.', chat.title));
      return;
    }
    await this.bringBack.bringBack(chat).catch((error: unknown) => {
      this.log.error('Could not bring the worktree’s changes back:', error);
      void vscode.window.showErrorMessage(vscode.l10n.t('Tandem could not bring the worktree’s changes back: {0}', error instanceof Error ? error.message : String(error)));
    });
  }

  /**
   * A decision on a card of a chat in a worktree that is not under review: the agent's own edit, written in
   * the worktree. Says where it is decided instead; true when it was such a card.
   */
  explainEditInWorktree(chat: Chat, underReview: boolean): boolean {
    if (underReview || !this.worktrees.isolated(chat.id)) return false;
    void vscode.window.showInformationMessage(
      vscode.l10n.t('Tandem: this edit is in the chat’s worktree, not in your workspace. “Review changes in workspace” brings the worktree’s changes here for review; ask the agent to undo it in the worktree.'),
    );
    return true;
  }

  /** Opens the chat's worktree folder (the path Tandem recorded when it made it) in a new window, or reveals it. */
  async openFolder(chat: Chat): Promise<void> {
    const facts = this.worktrees.facts(chat.id);
    if (!facts || facts.removed) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Tandem: “{0}” has no worktree.', chat.title));
      return;
    }
    const uri = vscode.Uri.file(facts.path);
    const open = { label: vscode.l10n.t('Open in New Window'), detail: vscode.l10n.t('Its files were written by the agent: its settings and tasks apply in that window once you trust it.') };
    const reveal = { label: vscode.l10n.t('Reveal in File Explorer') };
    const copy = { label: vscode.l10n.t('Copy Path') };
    const choice = await vscode.window.showQuickPick([open, reveal, copy], { title: vscode.l10n.t('Worktree {0}', facts.path) });
    if (choice === open) await vscode.commands.executeCommand('vscode.openFolder', uri, { forceNewWindow: true });
    else if (choice === reveal) await vscode.commands.executeCommand('revealFileInOS', uri);
    else if (choice === copy) await vscode.env.clipboard.writeText(facts.path);
  }

  /**
   * Whether chat `chatId`'s worktree may go (closing or deleting the chat, Discard): asked first when it
   * holds changes not brought back. `action` names what removes it. True: no worktree, nothing in it, or
   * the user agreed; "Review Changes First" shows the chat and brings its changes back instead.
   */
  async mayRemove(chatId: string, title: string, action: string): Promise<boolean> {
    if (!this.worktrees.isolated(chatId) || this.worktrees.facts(chatId)?.removed) return true;
    const files = await this.worktrees.unbroughtChanges(chatId).catch(() => 0);
    if (files === 0) return true;
    const remove = vscode.l10n.t('Remove Worktree');
    const review = vscode.l10n.t('Review Changes First');
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('The worktree of “{0}” holds changes to {1} file(s) that are not in the workspace.', title, files),
      { modal: true, detail: vscode.l10n.t('{0} removes the worktree and these changes with it.', action) },
      remove,
      review,
    );
    if (choice === review) {
      const chat = await this.host.registry().open(chatId);
      if (chat) {
        this.host.select(chat);
        void this.review(chat);
      }
    }
    return choice === remove;
  }

  /** "Discard worktree": removes it (asked first when it holds changes); the chat stays, read-only. */
  async discard(chat: Chat): Promise<void> {
    if (!this.worktrees.isolated(chat.id) || this.worktrees.facts(chat.id)?.removed) return;
    if (chat.isBusy) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Tandem is still working in “{0}”. Stop it first.', chat.title));
      return;
    }
    if (!(await this.mayRemove(chat.id, chat.title, vscode.l10n.t('Discarding')))) return;
    await this.removed(chat.id);
    await chat.postConfig();
  }

  /** The chat was closed or deleted (after `mayRemove`): its worktree goes. */
  async removed(chatId: string, forget = false): Promise<void> {
    if (!this.worktrees.isolated(chatId)) return;
    this.bringBack.cancel(chatId);
    try {
      await (forget ? this.worktrees.forget(chatId) : this.worktrees.remove(chatId));
    } catch (error) {
      this.log.error(`Could not remove the worktree of chat ${chatId}:`, error);
      void vscode.window.showErrorMessage(vscode.l10n.t('Tandem could not remove the worktree: {0}', error instanceof Error ? error.message : String(error)));
    }
  }

  dispose(): void {
    this.bringBack.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
