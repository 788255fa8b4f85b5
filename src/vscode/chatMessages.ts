// What each message from a chat view does, for the chat that view shows (the sidebar's or an editor tab's).
// One handler per message type, in a table whose type requires every type of the protocol: a message
// added to WebviewToHost without a handler here does not build. The messages arrive already validated
// (shared/protocol.ts parseWebviewMessage); a handler only ever acts on the chat it is given, so a view can
// decide, open or restore only what belongs to its own chat.
import * as vscode from 'vscode';
import { answerLoadOlder } from '../shared/chatHistoryPages';
import type { WebviewToHost } from '../shared/protocol';
import type { ApiKeyStore } from './apiKey';
import type { CheckpointChat, CheckpointService } from './checkpoints/checkpointService';
import type { Chat, ChatSurface } from './chats/chat';
import type { ChatRegistry } from './chats/chatRegistry';
import type { WorktreeChatActions } from './chats/chatWorktreeActions';
import type { ChatReview } from './codeReview/chatReview';
import { openProposalDiff } from './review/proposalDocuments';
import type { ReviewManager } from './review/reviewManager';
import { saveSetup } from './setup/pickers';
import { insertCodeAtCursor, openLink, putInTerminal } from './viewActions';

export type ViewMessage = Exclude<WebviewToHost, { type: 'ready' }>;

/** The view's commands that act on the chat that view shows (its id is passed). */
const CHAT_COMMANDS = new Set<string>(['tandem.pickModel', 'tandem.reviewWorktreeChanges', 'tandem.openWorktreeFolder', 'tandem.discardWorktree']);

/** What the handlers need from the window (ChatController). */
export interface ChatWindow {
  readonly registry: ChatRegistry;
  readonly reviews: ReviewManager;
  readonly worktreeChats: WorktreeChatActions;
  readonly apiKeys: ApiKeyStore;
  readonly log: vscode.LogOutputChannel;
  chatReview(): ChatReview | undefined;
  checkpoints(): CheckpointService | undefined;
  /** A `/review` started from `chat` reports to it. */
  setReviewTarget(chat: Chat): void;
  newChat(): Promise<void>;
  select(chat: Chat): void;
  switchTo(chat: Chat): void;
  closeChat(id: string): Promise<void>;
}

type Handler<T extends ViewMessage['type']> = (window: ChatWindow, surface: ChatSurface, chat: Chat, message: Extract<ViewMessage, { type: T }>) => void;

const HANDLERS: { [T in ViewMessage['type']]: Handler<T> } = {
  send: (window, _surface, chat, message) => {
    window.setReviewTarget(chat); // a `/review` it starts reports to this chat
    if (window.chatReview()?.handleSend(message.text)) return; // `/review …`: a review, not a message to the model
    if (chat.handleCompactCommand(message.text)) return; // `/compact`: a compaction, not a message to the model
    const { text, images } = chat.attachments.take(message.text, message.contextIds);
    void chat.send(text, undefined, images, message.text);
  },
  loadOlder: (_window, surface, chat, message) => {
    const reply = answerLoadOlder(chat.chatState, chat.id, message);
    if (reply) surface.post(reply);
  },
  removeContext: (_window, _surface, chat, message) => chat.attachments.handle(message),
  mentionQuery: (_window, _surface, chat, message) => chat.attachments.handle(message),
  mentionPick: (_window, _surface, chat, message) => chat.attachments.handle(message),
  attachImage: (_window, _surface, chat, message) => chat.attachments.handle(message),
  stop: (_window, _surface, chat) => chat.stop(),
  withdrawInput: (_window, _surface, chat, message) => chat.withdraw(message.submissionId),
  newChat: (window) => void window.newChat(),
  selectChat: (window, _surface, _chat, message) => {
    const chosen = window.registry.get(message.chatId);
    if (chosen) window.select(chosen);
  },
  closeChat: (window, _surface, _chat, message) => void window.closeChat(message.chatId),
  approval: (_window, _surface, chat, message) => chat.approve(message.approvalId, message.decision, message.note),
  hunkDecision: (window, _surface, chat, message) => {
    const { reviews } = window;
    if (window.worktreeChats.explainEditInWorktree(chat, reviews.keyInChat(chat.id, message.changeSetId) !== undefined)) return; // an edit in its worktree
    void reviews.decideInChat(chat.id, message.changeSetId, message.hunkId, message.decision, message.note); // only this chat's own proposals
  },
  revealFinding: (window, _surface, chat, message) => {
    void window.chatReview()?.reveal(chat.chatState.entries[chat.chatState.index.get(`review-${message.reviewId}`) ?? -1], message.findingIndex);
  },
  openDiff: (window, _surface, chat, message) => void openProposalDiff(window.reviews, window.reviews.keyInChat(chat.id, message.changeSetId), message.fileIndex),
  insertCode: (_window, _surface, _chat, message) => void insertCodeAtCursor(message.code),
  openLink: (_window, _surface, _chat, message) => void openLink(message.url),
  runInTerminal: (_window, _surface, _chat, message) => putInTerminal(message.command, message.cwd),
  runCommand: (_window, _surface, chat, message) => {
    // The header's model picker chooses for the chat that view shows (a tab's chat, not the sidebar's).
    // The worktree buttons act on that view's chat too.
    void vscode.commands.executeCommand(message.command, ...(message.command === 'workbench.action.openSettings' ? ['tandem'] : CHAT_COMMANDS.has(message.command) ? [chat.id] : []));
  },
  restoreCheckpoint: (window, _surface, chat, message) => {
    // Restored files no longer hold the accepted hunks: stop offering them for undo.
    void window
      .checkpoints()
      ?.restore(checkpointChat(window, chat), message.turnId)
      .then((codeRestored) => codeRestored && window.reviews.finishDecided())
      .catch((error: unknown) => {
        window.log.error('Restore checkpoint failed:', error);
        void vscode.window.showErrorMessage(vscode.l10n.t('Tandem could not restore the checkpoint: {0}', error instanceof Error ? error.message : String(error)));
      });
  },
  saveSetup: (window, _surface, chat, message) => {
    // The setup panel sets the default model; the chat it was used in takes it (drops a model of its own).
    chat.followDefaultModel();
    void saveSetup(message.setup, window.apiKeys).catch((error: unknown) => {
      window.log.error('Could not save the provider settings:', error);
      void vscode.window.showErrorMessage(vscode.l10n.t('Tandem could not save the settings: {0}', error instanceof Error ? error.message : String(error)));
    });
  },
  retry: (_window, _surface, chat) => chat.retry(),
};

/** A message from a view showing `chat`. */
export function handleViewMessage(window: ChatWindow, surface: ChatSurface, chat: Chat, message: ViewMessage): void {
  const handler = HANDLERS[message.type] as (window: ChatWindow, surface: ChatSurface, chat: Chat, message: ViewMessage) => void;
  handler(window, surface, chat, message);
}

/**
 * Restore checkpoint works on the chat whose message it is on. A restored conversation (a copy cut before
 * the message) takes that chat's place in the list; the full chat stays in the history.
 */
function checkpointChat(window: ChatWindow, chat: Chat): CheckpointChat {
  const worktrees = window.worktreeChats.worktrees;
  return {
    currentSessionId: chat.id,
    isBusy: chat.isBusy,
    // A chat in a worktree restores code only there, and its conversation is not forked out of it.
    place: worktrees.isolated(chat.id) ? { kind: 'worktree', path: worktrees.facts(chat.id)?.path ?? '' } : { kind: 'workspace' },
    titleOf: (id) => window.registry.get(id)?.title,
    openSession: async (id) => {
      const fork = await window.registry.open(id);
      if (!fork) return;
      window.switchTo(fork);
      if (!chat.isBusy) window.registry.close(chat.id);
    },
  };
}
