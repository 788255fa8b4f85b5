// Messages between the extension host and the chat webview. One tagged union per direction.
// The host is the source of truth: on `ready` it sends a `snapshot` of the session (its newest page of
// history; older pages on `loadOlder`), then only deltas (`event`). Messages from the webview are
// untrusted: the host runs `parseWebviewMessage` on every one.
import type { AgentEvent, ApprovalDecision } from './events';
import type { ChatEntry, PendingInput } from './chatState';
import { parseSetup, type ProviderId, type ProviderSetup } from './providers';

export interface SessionSummary {
  id: string;
  title: string;
  /** Epoch ms of the last event. */
  updatedAt: number;
  workspace?: string;
}

/** What a chat is doing, for the chat list (chatList.ts derives it from the chat state). */
export type ChatStatus = 'new' | 'working' | 'needs-approval' | 'done' | 'stopped' | 'failed';

/** One open chat in the sidebar's chat list. */
export interface ChatListItem {
  id: string;
  title: string;
  status: ChatStatus;
  /** Where the chat is shown: the sidebar (when it is the active one), an editor tab, or nowhere (background). */
  shownIn: 'sidebar' | 'editor' | 'none';
  /** The chat runs in a worktree of its own: the worktree's folder name. */
  worktree?: string;
}

/** Whether "New Chat in Worktree" can be offered here, and why not (the chat list's entry and its tooltip). */
export type WorktreeOffer = { available: true } | { available: false; reason: string };

export interface ViewConfig {
  model: string;
  wireApi: 'responses' | 'chat';
  /** The API's base URL (user settings; never a key). */
  baseUrl: string;
  /** The preset the base URL belongs to (`custom` for anything else). */
  provider: ProviderId;
  /** False for local servers (Ollama, LM Studio), which need no key: the setup panel then does not ask. */
  keyRequired: boolean;
  approvalPolicy: 'read-only' | 'ask' | 'auto' | 'full-access';
  /** False when neither SecretStorage nor OPENAI_API_KEY holds a key. */
  hasApiKey: boolean;
  /** False in an untrusted workspace: Tandem then only reads, and says why. */
  trusted: boolean;
  /** How commands are confined: `enforced` (with what), `unavailable` (every write asks), `off`. */
  sandbox: { state: 'enforced' | 'unavailable' | 'off'; detail: string };
  /** Tokens the model's context holds, for the meter. */
  contextWindow: number;
  /**
   * Local model servers found running on their default ports while the setup panel was open
   * (src/vscode/setup/localServers.ts); absent or empty when none was found or none was looked for.
   */
  localServers?: { provider: ProviderId; baseUrl: string; models: string[] }[];
  /**
   * The chat runs in a git worktree of its own (its folder as Tandem made it); `removed`: it was removed,
   * so the chat runs no more. Absent for a chat in the workspace.
   */
  worktree?: { name: string; path: string; removed?: boolean };
  /** Whether "New Chat in Worktree" can be offered in this window (absent: not known yet). */
  worktreeOffer?: WorktreeOffer;
}

/**
 * Code attached to the next message ("Tandem: Add to Chat"), shown as a chip in the composer. The host
 * keeps the text and sends it along when the user's message names the chip's id.
 */
export interface ContextChip {
  id: string;
  /** `src/shapes.ts:5-9` */
  label: string;
  /** The first lines, for the chip's tooltip. */
  preview: string;
  /** What it is, for the chip's icon (absent: code from "Add to Chat"). */
  kind?: MentionKind | 'image';
}

/** What `@` in the composer can attach. */
export type MentionKind = 'file' | 'folder' | 'problems' | 'selection' | 'terminal';

/** One row of the composer's `@` picker; the host resolves `id` when it is picked. */
export interface MentionItem {
  id: string;
  kind: MentionKind;
  /** `hello.ts`, `@problems` … */
  label: string;
  /** The folder a file is in, or what a special item attaches. */
  detail: string;
}

/** Images the composer may attach (pasted or dropped); the host checks the bytes too. */
export const IMAGE_MEDIA_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;
export type ImageMediaType = (typeof IMAGE_MEDIA_TYPES)[number];
/** Largest image accepted, in bytes (decoded). */
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;

export type HostToWebview =
  /**
   * Session state: sent after `ready`, after New Chat and after a session switch. `entries` is the newest
   * page of the history (chatHistoryPages.ts); `olderCount` entries come before it, sent on `loadOlder`.
   */
  | {
      type: 'snapshot';
      sessionId: string;
      entries: ChatEntry[];
      olderCount: number;
      activeTurnId: string | undefined;
      /** Messages queued while the turn runs, not yet taken by the model (absent: none). */
      pending?: PendingInput[];
      usage: { inputTokens: number; cachedInputTokens: number; outputTokens: number; lastInputTokens: number; lastCachedInputTokens: number };
      config: ViewConfig;
    }
  /** The answer to `loadOlder`: the entries right before `beforeId`, and how many are still older. */
  | { type: 'olderEntries'; sessionId: string; beforeId: string; entries: ChatEntry[]; olderCount: number }
  /** One agent event to apply with the shared reducer. */
  | { type: 'event'; sessionId: string; event: AgentEvent }
  /**
   * The open chats (sidebar only), sent on `ready` and whenever one is opened, closed, renamed or changes
   * status. `activeId` is the chat the view shows.
   */
  | { type: 'chats'; chats: ChatListItem[]; activeId: string }
  /** Settings or key presence changed. */
  | { type: 'config'; config: ViewConfig }
  /** A chip to show in the composer until the next message is sent (or the user removes it). */
  | { type: 'addContext'; context: ContextChip }
  /** The answer to the composer's `mentionQuery` with the same `requestId`. */
  | { type: 'mentionResults'; requestId: number; items: MentionItem[] };

export type WebviewToHost =
  /** The webview's script has loaded and listens; the host replies with a snapshot. */
  | { type: 'ready' }
  /** The user scrolled up to the first entry the view has (id `beforeId`): the host answers with `olderEntries`. */
  | { type: 'loadOlder'; sessionId: string; beforeId: string }
  /** `contextIds`: the composer's chips (ContextChip.id) sent with this message. */
  | { type: 'send'; text: string; contextIds?: string[] }
  /** The user removed a chip from the composer. */
  | { type: 'removeContext'; id: string }
  /** The user typed `@query` in the composer: the host answers with `mentionResults`. */
  | { type: 'mentionQuery'; query: string; requestId: number }
  /** The user picked a `MentionItem`: the host reads it and answers with `addContext`. */
  | { type: 'mentionPick'; id: string }
  /** An image the user pasted or dropped into the composer (checked again on the host). */
  | { type: 'attachImage'; mediaType: ImageMediaType; dataBase64: string; name: string }
  | { type: 'stop' }
  | { type: 'newChat' }
  /** Show open chat `chatId` here (the sidebar's chat list). Nothing stops: the chat left keeps running. */
  | { type: 'selectChat'; chatId: string }
  /** Close open chat `chatId` (its turn stops; its log stays in the history). */
  | { type: 'closeChat'; chatId: string }
  /** Take back queued message `submissionId` before the model got it; its text comes back with `input.withdrawn`. */
  | { type: 'withdrawInput'; submissionId: string }
  | { type: 'approval'; approvalId: string; decision: ApprovalDecision; note?: string }
  /** Accept, reject or undo one hunk of a change set, or all of them when `hunkId` is absent. */
  | { type: 'hunkDecision'; changeSetId: string; hunkId?: string; decision: 'accept' | 'reject' | 'undo'; note?: string }
  /** Open VS Code's diff editor for file `fileIndex` of a change set (original vs proposal). */
  | { type: 'openDiff'; changeSetId: string; fileIndex: number }
  /** Insert a code block of the answer at the cursor of the active editor. */
  | { type: 'insertCode'; code: string }
  /** Open a link of the answer (http(s), mailto, vscode: only; external ones after the user confirms). */
  | { type: 'openLink'; url: string }
  /** Put a command of a tool card into a VS Code terminal in its folder, for the user to run (not run). */
  | { type: 'runInTerminal'; command: string; cwd?: string }
  /** Run one of the host commands the view is allowed to trigger (error actions, toolbar). */
  | { type: 'runCommand'; command: AllowedViewCommand }
  /** The first-run panel's choice: the host checks it again, writes user settings and asks for the key. */
  | { type: 'saveSetup'; setup: ProviderSetup }
  /**
   * Go to finding `findingIndex` of the chat's review card `reviewId`. Ids only: the host looks the finding up
   * in its own chat state, so the view can never name a file or line the review did not report.
   */
  | { type: 'revealFinding'; reviewId: string; findingIndex: number }
  /** "Restore checkpoint" on the user message of turn `turnId`: the host previews, then restores code and/or conversation. */
  | { type: 'restoreCheckpoint'; turnId: string }
  | { type: 'retry' };

/** The only commands the webview may ask the host to run. */
export const ALLOWED_VIEW_COMMANDS = [
  'tandem.setApiKey',
  'tandem.newChat',
  'tandem.newChatInWorktree',
  'tandem.reviewWorktreeChanges',
  'tandem.openWorktreeFolder',
  'tandem.discardWorktree',
  'tandem.openChatInEditor',
  'tandem.moveChatToSidebar',
  'tandem.showLog',
  'tandem.pickModel',
  'tandem.pickApprovalPolicy',
  'tandem.chooseProvider',
  'tandem.findLocalServers',
  'workbench.action.openSettings',
] as const;
export type AllowedViewCommand = (typeof ALLOWED_VIEW_COMMANDS)[number];

/** At most this many context chips go with one message. */
export const MAX_CONTEXT_CHIPS = 20;

/** Longest message text accepted from the composer (1 MB of characters). */
export const MAX_SEND_CHARS = 1_000_000;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isShortString = (v: unknown, max = 200): v is string => typeof v === 'string' && v.length > 0 && v.length <= max;
const isRequestId = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= Number.MAX_SAFE_INTEGER;

/**
 * Validates an untrusted message from the webview. Returns a well-typed copy holding only known fields,
 * or `undefined` for anything unknown or malformed (the caller logs and drops it).
 */
export function parseWebviewMessage(raw: unknown): WebviewToHost | undefined {
  if (!isObject(raw) || typeof raw.type !== 'string') return undefined;
  switch (raw.type) {
    case 'ready':
    case 'stop':
    case 'newChat':
    case 'retry':
      return { type: raw.type };
    case 'send':
      if (typeof raw.text !== 'string' || raw.text.trim() === '' || raw.text.length > MAX_SEND_CHARS) return undefined;
      if (raw.contextIds !== undefined) {
        const ids = raw.contextIds;
        if (!Array.isArray(ids) || ids.length > MAX_CONTEXT_CHIPS || !ids.every((id) => isShortString(id))) return undefined;
        if (ids.length > 0) return { type: 'send', text: raw.text, contextIds: [...new Set(ids as string[])] };
      }
      return { type: 'send', text: raw.text };
    case 'selectChat':
      if (!isShortString(raw.chatId, 300)) return undefined;
      return { type: 'selectChat', chatId: raw.chatId };
    case 'closeChat':
      if (!isShortString(raw.chatId, 300)) return undefined;
      return { type: 'closeChat', chatId: raw.chatId };
    case 'withdrawInput':
      if (!isShortString(raw.submissionId, 400)) return undefined;
      return { type: 'withdrawInput', submissionId: raw.submissionId };
    case 'loadOlder':
      if (!isShortString(raw.sessionId, 300) || !isShortString(raw.beforeId, 1_000)) return undefined;
      return { type: 'loadOlder', sessionId: raw.sessionId, beforeId: raw.beforeId };
    case 'removeContext':
      if (!isShortString(raw.id)) return undefined;
      return { type: 'removeContext', id: raw.id };
    case 'mentionQuery':
      if (typeof raw.query !== 'string' || raw.query.length > 200 || !isRequestId(raw.requestId)) return undefined;
      return { type: 'mentionQuery', query: raw.query, requestId: raw.requestId };
    case 'mentionPick':
      if (!isShortString(raw.id, 1_000)) return undefined;
      return { type: 'mentionPick', id: raw.id };
    case 'attachImage': {
      const mediaType = raw.mediaType;
      if (!IMAGE_MEDIA_TYPES.includes(mediaType as ImageMediaType) || !isShortString(raw.name, 300)) return undefined;
      // base64 of MAX_IMAGE_BYTES, rounded up to whole 4-character groups
      if (typeof raw.dataBase64 !== 'string' || raw.dataBase64.length === 0 || raw.dataBase64.length > Math.ceil(MAX_IMAGE_BYTES / 3) * 4) return undefined;
      return { type: 'attachImage', mediaType: mediaType as ImageMediaType, dataBase64: raw.dataBase64, name: raw.name };
    }
    case 'approval': {
      const decision = raw.decision;
      if (!isShortString(raw.approvalId)) return undefined;
      if (decision !== 'approve' && decision !== 'approve_session' && decision !== 'deny') return undefined;
      if (raw.note !== undefined && (typeof raw.note !== 'string' || raw.note.length > 10_000)) return undefined;
      return { type: 'approval', approvalId: raw.approvalId, decision, ...(raw.note !== undefined ? { note: raw.note } : {}) };
    }
    case 'hunkDecision': {
      const decision = raw.decision;
      if (!isShortString(raw.changeSetId) || (decision !== 'accept' && decision !== 'reject' && decision !== 'undo')) return undefined;
      if (raw.hunkId !== undefined && !isShortString(raw.hunkId)) return undefined;
      if (raw.note !== undefined && (typeof raw.note !== 'string' || raw.note.length > 10_000)) return undefined;
      return {
        type: 'hunkDecision',
        changeSetId: raw.changeSetId,
        decision,
        ...(raw.hunkId !== undefined ? { hunkId: raw.hunkId } : {}),
        ...(raw.note ? { note: raw.note } : {}),
      };
    }
    case 'openDiff':
      if (!isShortString(raw.changeSetId) || typeof raw.fileIndex !== 'number' || !Number.isInteger(raw.fileIndex) || raw.fileIndex < 0 || raw.fileIndex > 100_000) return undefined;
      return { type: 'openDiff', changeSetId: raw.changeSetId, fileIndex: raw.fileIndex };
    case 'insertCode':
      if (typeof raw.code !== 'string' || raw.code.length === 0 || raw.code.length > MAX_SEND_CHARS) return undefined;
      return { type: 'insertCode', code: raw.code };
    case 'openLink':
      if (typeof raw.url !== 'string' || raw.url.length > 8_000 || !/^(https?:|mailto:|vscode:|vscode-insiders:)/i.test(raw.url.trim())) return undefined;
      return { type: 'openLink', url: raw.url.trim() };
    case 'runInTerminal':
      if (typeof raw.command !== 'string' || raw.command.trim() === '' || raw.command.length > 100_000) return undefined;
      if (raw.cwd !== undefined && (typeof raw.cwd !== 'string' || raw.cwd.length > 4_096)) return undefined;
      return { type: 'runInTerminal', command: raw.command, ...(raw.cwd !== undefined ? { cwd: raw.cwd } : {}) };
    case 'runCommand':
      if (!ALLOWED_VIEW_COMMANDS.includes(raw.command as AllowedViewCommand)) return undefined;
      return { type: 'runCommand', command: raw.command as AllowedViewCommand };
    case 'restoreCheckpoint':
      if (!isShortString(raw.turnId, 300)) return undefined;
      return { type: 'restoreCheckpoint', turnId: raw.turnId };
    case 'revealFinding':
      if (!isShortString(raw.reviewId) || typeof raw.findingIndex !== 'number' || !Number.isInteger(raw.findingIndex) || raw.findingIndex < 0 || raw.findingIndex > 1_000) return undefined;
      return { type: 'revealFinding', reviewId: raw.reviewId, findingIndex: raw.findingIndex };
    case 'saveSetup': {
      const setup = parseSetup(raw.setup);
      return setup ? { type: 'saveSetup', setup } : undefined;
    }
    default:
      return undefined;
  }
}
