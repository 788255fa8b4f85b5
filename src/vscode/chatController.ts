// The window's chats as the rest of the extension sees them. Each conversation is a Chat (chats/chat.ts)
// held by the registry (chats/chatRegistry.ts), running whether shown or not; this controller binds the
// sidebar to one of them (the active chat), routes each view's messages to the chat that view shows, and
// keeps the commands' entry points (New Chat, history, Fix This, /compact, review events) working on the
// right chat. The extension host is the source of truth; a view gets a snapshot of the chat it shows and
// then one delta per event of that chat.
import * as vscode from 'vscode';
import type { ProcessRunner } from '../core/ports';
import type { AgentEvent } from '../shared/events';
import type { ChatListItem, ContextChip } from '../shared/protocol';
import type { SessionStore, StoredSessionSummary } from '../node/sessionStore';
import type { ApiKeyStore } from './apiKey';
import type { ChatViewProvider } from './chatViewProvider';
import { DisposableStore } from './disposables';
import type { TerminalMirror } from './terminalMirror';
import type { ReviewManager } from './review/reviewManager';
import type { ChatReview } from './codeReview/chatReview';
import { disposeRerunTerminal } from './viewActions';
import { VscodeFileReader } from './vscodeFileReader';
import type { AttachedImage } from './fix/pendingContext';
import type { CheckpointService } from './checkpoints/checkpointService';
import type { Chat, ChatSurface, FocusedTurn } from './chats/chat';
import { ChatRegistry } from './chats/chatRegistry';
import { OpenChats } from './chats/openChats';
import { WorktreeChatActions } from './chats/chatWorktreeActions';
import { handleViewMessage, type ChatWindow, type ViewMessage } from './chatMessages';

export type { FocusedTurn } from './chats/chat';

const worktreeName = (facts: { name: string; removed?: boolean } | undefined) => (facts && !facts.removed ? { worktree: facts.name } : {});

/** Where a chat other than the sidebar's is shown (editor tabs, chats/chatPanels.ts). */
export interface ChatPlacement {
  /** The editor tab showing `chatId`, if any. */
  has(chatId: string): boolean;
  reveal(chatId: string): void;
}

export class ChatController implements vscode.Disposable {
  private readonly disposables = new DisposableStore();
  readonly registry: ChatRegistry;
  /** The chat the sidebar shows. */
  private active: Chat;
  private view: ChatViewProvider | undefined;
  private panels: ChatPlacement | undefined;
  private checkpoints: CheckpointService | undefined;
  /** `/review`, the findings card and the review after a turn (codeReview/chatReview.ts). */
  private chatReview: ChatReview | undefined;
  private readonly openChats: OpenChats;
  /** The chat the last message came from, and the chat of each review in progress. */
  private reviewTarget: Chat | undefined;
  private readonly reviewChats = new Map<string, Chat>();
  /** The sidebar as a place a chat is shown. */
  readonly sidebar: ChatSurface;
  /** Chats in worktrees of their own: New Chat in Worktree, bring-back, removal (chats/chatWorktreeActions.ts). */
  private readonly worktreeChats: WorktreeChatActions;
  /** What a view's messages act on (chatMessages.ts). */
  private readonly window: ChatWindow;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly store: SessionStore,
    private readonly apiKeys: ApiKeyStore,
    private readonly runner: ProcessRunner,
    terminal: TerminalMirror,
    private readonly log: vscode.LogOutputChannel,
    private readonly reviews: ReviewManager,
  ) {
    const view = () => this.view;
    this.sidebar = { post: (message) => view()?.post(message), get visible() { return view()?.isVisible ?? false; } };
    this.worktreeChats = this.disposables.add(
      new WorktreeChatActions(context, log, reviews, {
        registry: () => this.registry,
        activeChat: () => this.active,
        select: (chat) => this.select(chat),
        switchTo: (chat) => this.switchTo(chat),
        revealView: async () => this.view?.reveal(),
        listChanged: () => this.postChatList(),
        offerChanged: () => void this.postConfig(),
      }),
    );
    this.registry = this.disposables.add(
      new ChatRegistry({
        context,
        store,
        apiKeys,
        runner,
        terminal,
        log,
        reviews,
        files: new VscodeFileReader(),
        checkpoints: () => this.checkpoints,
        chatReview: () => this.chatReview,
        worktrees: this.worktreeChats.worktrees,
      }),
    );
    this.openChats = new OpenChats(context.workspaceState);
    this.active = this.registry.create();
    this.disposables.add(this.registry.onDidChange(() => this.chatsChanged()));
    this.disposables.add(vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('tandem') && void this.postConfig()));
    this.disposables.add(vscode.workspace.onDidGrantWorkspaceTrust(() => void this.postConfig()));
    this.disposables.add(this.apiKeys.onDidChange(() => void this.postConfig()));
    this.window = {
      registry: this.registry,
      reviews,
      worktreeChats: this.worktreeChats,
      apiKeys,
      log,
      chatReview: () => this.chatReview,
      checkpoints: () => this.checkpoints,
      setReviewTarget: (chat) => (this.reviewTarget = chat),
      newChat: () => this.newChat(),
      select: (chat) => this.select(chat),
      switchTo: (chat) => this.switchTo(chat),
      closeChat: (id) => this.closeChat(id),
    };
  }

  attachView(view: ChatViewProvider): void {
    this.view = view;
  }

  attachPanels(panels: ChatPlacement): void {
    this.panels = panels;
  }

  attachChatReview(review: ChatReview): void {
    this.chatReview = review;
  }

  /** Checkpoints of each turn (patches and commands) and "Restore checkpoint" (checkpoints/checkpointService.ts). */
  attachCheckpoints(checkpoints: CheckpointService): void {
    this.checkpoints = checkpoints;
  }

  /** Reopens the chats that were open before the window reloaded, and shows the one the sidebar showed. */
  async restore(): Promise<void> {
    const { ids, activeId } = this.openChats.read();
    for (const id of ids) await this.registry.open(id);
    const active = activeId ? await this.registry.open(activeId) : undefined;
    const blank = this.active;
    if (active) this.switchTo(active);
    if (blank !== this.active && blank.currentStatus === 'new') this.registry.close(blank.id); // no empty chat left behind
    // Worktrees of chats that never got a message go; every other chat's worktree stays with its chat.
    const neverUsed = async (id: string) => !this.registry.get(id) && !(await this.store.load(id).catch(() => undefined))?.events.some((e) => e.type === 'turn.started');
    void this.worktreeChats.worktrees.cleanup(neverUsed).catch((error: unknown) => this.log.warn('Worktree cleanup failed:', error));
  }

  get currentSessionId(): string {
    return this.active.id;
  }

  /** The chat the sidebar shows. */
  get activeChat(): Chat {
    return this.active;
  }

  /** The open chat `id`, if there is one. */
  chat(id: string): Chat | undefined {
    return this.registry.get(id);
  }

  get isBusy(): boolean {
    return this.active.isBusy;
  }

  /** Past sessions with at least one message, newest first (open chats always). */
  async listSessions(): Promise<StoredSessionSummary[]> {
    await Promise.all(this.registry.all.map((chat) => chat.flush()));
    const all = await this.store.list();
    return all.filter((s) => s.title !== 'New chat' || this.registry.get(s.id));
  }

  /** Shows a past session in the sidebar, restored from its log; the chat shown before keeps running. */
  async openSession(id: string): Promise<void> {
    if (id === this.active.id) return;
    const chat = await this.registry.open(id);
    if (!chat) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Tandem: that chat could not be read (see Tandem: Show Log).'));
      return;
    }
    this.select(chat);
  }

  async deleteSession(id: string): Promise<void> {
    if (!(await this.worktreeChats.mayRemove(id, this.registry.get(id)?.title ?? vscode.l10n.t('this chat'), vscode.l10n.t('Deleting the chat')))) return;
    if (id === this.active.id) this.switchTo(this.registry.create());
    this.registry.close(id);
    await this.worktreeChats.removed(id, true);
    await this.store.delete(id);
  }

  /** Shows `chat` where it is: its editor tab, else the sidebar. Nothing stops. */
  select(chat: Chat): void {
    if (this.panels?.has(chat.id)) this.panels.reveal(chat.id);
    else this.switchTo(chat);
  }

  /** The sidebar shows `chat` from now on (a fresh snapshot; the chat it showed keeps running). */
  switchTo(chat: Chat): void {
    if (chat === this.active) return;
    this.active.hide(this.sidebar);
    this.active = chat;
    this.chatsChanged();
    void chat.show(this.sidebar);
  }

  /** Closes an open chat (asked first while it works: closing stops it); the history keeps its log. */
  async closeChat(id: string): Promise<void> {
    const chat = this.registry.get(id);
    if (!chat) return;
    if (chat.isBusy) {
      const close = vscode.l10n.t('Stop and Close');
      const choice = await vscode.window.showWarningMessage(vscode.l10n.t('Tandem is still working in “{0}”. Closing the chat stops it.', chat.title), { modal: true }, close);
      if (choice !== close) return;
    }
    // A chat in a worktree takes its worktree with it (asked first when that holds changes not brought back).
    if (!(await this.worktreeChats.mayRemove(id, chat.title, vscode.l10n.t('Closing the chat')))) return;
    if (chat === this.active) this.showOtherThan(chat);
    this.registry.close(id);
    if (this.worktreeChats.worktrees.isolated(id)) await this.worktreeChats.removed(id);
  }

  /** The sidebar moves on from `chat` (it goes to an editor tab): to the newest other chat no tab shows, else a new one. */
  showOtherThan(chat: Chat): void {
    if (chat !== this.active) return;
    const other = [...this.registry.all].reverse().find((c) => c !== chat && !this.panels?.has(c.id));
    this.switchTo(other ?? this.registry.create());
  }

  /** A tab opened or closed: the list says where each chat is shown. */
  panelsChanged(): void {
    this.postChatList();
  }

  /** The sidebar view (re)loaded: the active chat's snapshot and the chat list. */
  async onReady(): Promise<void> {
    await this.active.show(this.sidebar);
    this.postChatList();
    void this.worktreeChats.refreshOffer(); // the repository may have been made (or lost its git) since
  }

  /** A message from the sidebar. */
  onMessage(message: ViewMessage): void {
    this.handle(this.sidebar, this.active, message);
  }

  /** A message from a view showing `chat` (the sidebar, or an editor tab): chatMessages.ts. */
  handle(surface: ChatSurface, chat: Chat, message: ViewMessage): void {
    handleViewMessage(this.window, surface, chat, message);
  }

  /** A message to the sidebar's chat (queued when it works); the chat shows `display` instead when given. */
  async send(text: string, display?: string, images?: AttachedImage[]): Promise<void> {
    await this.active.send(text, display, images);
  }

  /** "Tandem: Compact Conversation" and `/compact`: the sidebar's chat is compacted. */
  async compact(): Promise<void> {
    await this.active.compact();
  }

  /**
   * Fix This / Explain This: a short chat of its own (listed with the others, shown in the sidebar), so the
   * model never gets the user's unrelated conversation. Resolves when its turn has ended.
   */
  async sendFocused(text: string, focused: FocusedTurn, display?: string): Promise<Chat> {
    const chat = this.registry.create(display ?? 'Fix This');
    focused.onChat?.(chat);
    this.switchTo(chat);
    await chat.runFocused(text, focused, display);
    return chat;
  }

  /** "Add to Chat": a chip in the sidebar chat's composer; its text goes with the next message. */
  addContext(label: string, text: string, kind?: ContextChip['kind']): void {
    this.active.attachments.add(label, text, kind);
  }

  stop(): void {
    this.active.stop();
  }

  /** A new chat in the sidebar; the one shown before keeps running (an unused empty chat is reused). */
  async newChat(): Promise<void> {
    const reusable = this.active.currentStatus === 'new' && !this.active.isBusy;
    if (!reusable) this.switchTo(this.registry.create());
    else this.postChatList();
  }

  /**
   * Review events (hunk decisions made in the editor or the chat, code reviews) go to the chat whose turn or
   * change set they are about; a `/review`'s card to the chat it was typed in (else the sidebar's).
   */
  recordReviewEvent(event: AgentEvent): void {
    const reviewId = event.type === 'review.started' || event.type === 'review.completed' ? event.reviewId : undefined;
    const owner = this.registry.chatFor(event) ?? (reviewId !== undefined ? this.reviewChats.get(reviewId) : undefined) ?? this.reviewTarget ?? this.active;
    if (event.type === 'review.started') this.reviewChats.set(event.reviewId, owner);
    if (event.type === 'review.completed') this.reviewChats.delete(event.reviewId);
    owner.record(event);
  }

  /** The open chats for the sidebar's list. */
  chatList(): ChatListItem[] {
    return this.registry.all.map((chat) => ({
      id: chat.id,
      title: chat.title,
      status: chat.currentStatus,
      shownIn: chat === this.active ? 'sidebar' : this.panels?.has(chat.id) ? 'editor' : 'none',
      ...worktreeName(this.worktreeChats.worktrees.facts(chat.id)),
    }));
  }

  private chatsChanged(): void {
    this.openChats.write(this.registry.all.filter((c) => c.currentStatus !== 'new').map((c) => c.id), this.active.id);
    this.postChatList();
  }

  private postChatList(): void {
    this.view?.post({ type: 'chats', chats: this.chatList(), activeId: this.active.id });
  }

  private async postConfig(): Promise<void> {
    // Each chat's own header facts (its model may be its own).
    await Promise.all([...this.registry.all].map((chat) => chat.postConfig()));
  }

  dispose(): void {
    disposeRerunTerminal();
    this.disposables.dispose();
  }
}
