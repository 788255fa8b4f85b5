// Owns the open chat session: its agent, its log and the chat state derived from it. The extension host
// is the source of truth; the webview gets a snapshot on `ready` and then one delta per agent event.
import * as vscode from 'vscode';
import type { AgentSession } from '../core/agent/agentSession';
import type { Operation } from '../core/agent/types';
import type { ChangeSet, PatchOutcome } from '../core/patch/types';
import type { ProcessRunner } from '../core/ports';
import { applyEvent, chatStateFromEvents, emptyChatState, type ChatState } from '../shared/chatState';
import { answerLoadOlder, newestPage } from '../shared/chatHistoryPages';
import type { AgentEvent } from '../shared/events';
import type { ContextChip, WebviewToHost } from '../shared/protocol';
import type * as AgentFactory from '../node/agentFactory';
import type { createAgentSession } from '../node/agentFactory';
import type { SessionStore, SessionWriter, StoredSessionSummary } from '../node/sessionStore';
import type { ApiKeyStore } from './apiKey';
import type { ChatViewProvider } from './chatViewProvider';
import { readConfig } from './config';
import { DisposableStore } from './disposables';
import type { TerminalMirror } from './terminalMirror';
import { openProposalDiff } from './review/proposalDocuments';
import type { ReviewManager } from './review/reviewManager';
import { unfinishedReviewEvents, type ChatReview } from './codeReview/chatReview';
import { disposeRerunTerminal, insertCodeAtCursor, openLink, putInTerminal } from './viewActions';
import { VscodeFileReader } from './vscodeFileReader';
import type { AttachedImage } from './fix/pendingContext';
import { ComposerAttachments } from './composerAttachments';
import { readViewConfig } from './viewConfig';
import { keyRequiredFor } from '../shared/providers';
import { languageModelClientIfSelected, languageModelProviderSelected } from './languageModels/selection';
import { SkillInvoker } from './skills/skillInvoker';
import { saveSetup } from './setup/pickers';
import type { CheckpointService } from './checkpoints/checkpointService';
import { mcpSessionTools } from './mcp/mcpService';

/** Sent as the bearer token to local servers (Ollama, LM Studio) that need no key; too short to be redacted as a secret. */
const NO_KEY = 'no-key';

const CURRENT_SESSION_KEY = 'tandem.currentSessionId';

/** Typed alone in the composer, compacts the conversation; the compaction turn shows it as its message. */
const COMPACT_COMMAND = '/compact';

/** A turn started from the editor (Fix This, Explain This): see `sendFocused`. */
export interface FocusedTurn {
  /** Every event while the turn runs (including review events), for progress where the user looks. */
  onEvent(event: AgentEvent): void;
  /** `review`: every patch waits for Accept / Reject, whatever the policy. `read-only`: an answer only. */
  mode: 'review' | 'read-only';
}

export class ChatController implements vscode.Disposable {
  private readonly disposables = new DisposableStore();
  private sessionId = newSessionId();
  private state: ChatState = emptyChatState();
  private writer: SessionWriter;
  private agent: AgentSession | undefined;
  private agentFingerprint = '';
  private restoredHistory: Parameters<typeof createAgentSession>[0]['history'] = [];
  private view: ChatViewProvider | undefined;
  private checkpoints: CheckpointService | undefined;
  private readonly files = new VscodeFileReader();
  /** The newest message as sent to the model, for Retry. */
  private lastSent: { text: string; display?: string; images?: AttachedImage[] } | undefined;
  private focused: FocusedTurn | undefined;
  /** Chips, `@` mentions and images waiting for the next message (composerAttachments.ts). */
  private readonly attachments: ComposerAttachments;
  /** `/review`, the findings card and the review after a turn (codeReview/chatReview.ts). */
  private chatReview: ChatReview | undefined;
  /** `$name` in a message attaches that skill (skills/skillInvoker.ts). */
  private readonly skills: SkillInvoker;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly store: SessionStore,
    private readonly apiKeys: ApiKeyStore,
    private readonly runner: ProcessRunner,
    private readonly terminal: TerminalMirror,
    private readonly log: vscode.LogOutputChannel,
    private readonly reviews: ReviewManager,
  ) {
    this.writer = this.store.create({ id: this.sessionId, createdAt: Date.now(), ...this.workspaceMeta() });
    this.attachments = new ComposerAttachments(terminal, (message) => this.view?.post(message), log);
    this.skills = new SkillInvoker(this.files, log);
    this.disposables.add(vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('tandem') && void this.postConfig()));
    this.disposables.add(vscode.workspace.onDidGrantWorkspaceTrust(() => void this.postConfig()));
    this.disposables.add(this.apiKeys.onDidChange(() => void this.postConfig()));
  }

  attachView(view: ChatViewProvider): void {
    this.view = view;
  }

  attachChatReview(review: ChatReview): void {
    this.chatReview = review;
  }

  /** Checkpoints of each turn (patches and commands) and "Restore checkpoint" (checkpoints/checkpointService.ts). */
  attachCheckpoints(checkpoints: CheckpointService): void {
    this.checkpoints = checkpoints;
  }

  /** Reopens the session that was open before the window reloaded. */
  async restore(): Promise<void> {
    const id = this.context.workspaceState.get<string>(CURRENT_SESSION_KEY);
    if (id) await this.load(id);
  }

  get currentSessionId(): string {
    return this.sessionId;
  }

  /** Past sessions with at least one message, newest first. */
  async listSessions(): Promise<StoredSessionSummary[]> {
    await this.writer.flush().catch(() => undefined);
    const all = await this.store.list();
    return all.filter((s) => s.title !== 'New chat' || s.id === this.sessionId);
  }

  /** Switches the chat to a past session, restored from its log (its conversation continues from there). */
  async openSession(id: string): Promise<void> {
    if (id === this.sessionId) return;
    this.stop();
    this.agent?.dispose();
    this.agent = undefined;
    await this.writer.flush().catch(() => undefined);
    if (!(await this.load(id))) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Tandem: that chat could not be read (see Tandem: Show Log).'));
      return;
    }
    await this.context.workspaceState.update(CURRENT_SESSION_KEY, id);
    await this.onReady();
  }

  async deleteSession(id: string): Promise<void> {
    if (id === this.sessionId) await this.newChat();
    await this.store.delete(id);
  }

  /** Makes `id` the open session, from its log. Returns false when it cannot be read. */
  private async load(id: string): Promise<boolean> {
    const parsed = await this.store.load(id).catch((error: unknown) => {
      this.log.error(`Could not read session ${id}:`, error);
      return undefined;
    });
    if (!parsed) return false;
    this.sessionId = id;
    this.writer = this.store.open(id);
    this.state = chatStateFromEvents(parsed.events);
    this.restoredHistory = parsed.items;
    if (this.state.activeTurnId) {
      // The window closed mid-turn: close that turn as stopped so nothing shows as still running.
      this.record({ type: 'turn.completed', turnId: this.state.activeTurnId, stopped: true, at: Date.now() });
    }
    // Reviews live in memory: a change still under review when the window closed was never written.
    for (const entry of this.state.entries) {
      if (entry.kind === 'patch' && !entry.outcome && entry.files.some((f) => f.hunks?.some((h) => h.state === 'pending'))) {
        this.record({ type: 'patch.resolved', turnId: entry.turnId, changeSetId: entry.id, outcome: 'discarded', message: 'The window reloaded before this change was reviewed; its pending edits were not written.' });
      }
    }
    for (const event of unfinishedReviewEvents(this.state.entries)) this.record(event);
    if (parsed.skippedLines) this.log.warn(`Session ${id}: skipped ${parsed.skippedLines} unreadable line(s).`);
    return true;
  }

  async onReady(): Promise<void> {
    this.checkpoints?.warmUp(); // the first snapshot, before the first message needs it
    // The newest page of the history only: older pages follow as the view asks for them (`loadOlder`).
    const page = newestPage(this.state);
    this.view?.post({
      type: 'snapshot',
      sessionId: this.sessionId,
      entries: page.entries,
      olderCount: page.olderCount,
      activeTurnId: this.state.activeTurnId,
      usage: this.state.usage,
      config: await readViewConfig(this.runner, this.apiKeys),
    });
    for (const chip of this.attachments.pending) this.view?.post({ type: 'addContext', context: chip });
  }

  onMessage(message: Exclude<WebviewToHost, { type: 'ready' }>): void {
    switch (message.type) {
      case 'send': {
        if (this.chatReview?.handleSend(message.text)) break; // `/review …`: a review, not a message to the model
        if (this.handleCompactCommand(message.text)) break; // `/compact`: a compaction, not a message to the model
        const { text, images } = this.attachments.take(message.text, message.contextIds);
        void this.skills.expand(message.text, text).then((withSkills) => this.send(withSkills, undefined, images));
        break;
      }
      case 'loadOlder': {
        const reply = answerLoadOlder(this.state, this.sessionId, message);
        if (reply) this.view?.post(reply);
        break;
      }
      case 'removeContext':
      case 'mentionQuery':
      case 'mentionPick':
      case 'attachImage':
        this.attachments.handle(message);
        break;
      case 'stop':
        this.stop();
        break;
      case 'newChat':
        void this.newChat();
        break;
      case 'approval':
        this.agent?.submit({ type: 'approval', approvalId: message.approvalId, decision: message.decision, ...(message.note !== undefined ? { note: message.note } : {}) });
        break;
      case 'hunkDecision':
        void this.reviews.decide(message.changeSetId, message.hunkId, message.decision, message.note);
        break;
      case 'revealFinding':
        void this.chatReview?.reveal(this.state.entries[this.state.index.get(`review-${message.reviewId}`) ?? -1], message.findingIndex);
        break;
      case 'openDiff':
        void openProposalDiff(this.reviews, message.changeSetId, message.fileIndex);
        break;
      case 'insertCode':
        void insertCodeAtCursor(message.code);
        break;
      case 'openLink':
        void openLink(message.url);
        break;
      case 'runInTerminal':
        putInTerminal(message.command, message.cwd);
        break;
      case 'runCommand':
        void vscode.commands.executeCommand(message.command, ...(message.command === 'workbench.action.openSettings' ? ['tandem'] : []));
        break;
      case 'restoreCheckpoint':
        // Restored files no longer hold the accepted hunks: stop offering them for undo.
        void this.checkpoints?.restore(this, message.turnId).then((codeRestored) => codeRestored && this.reviews.finishDecided()).catch((error: unknown) => {
          this.log.error('Restore checkpoint failed:', error);
          void vscode.window.showErrorMessage(vscode.l10n.t('Tandem could not restore the checkpoint: {0}', error instanceof Error ? error.message : String(error)));
        });
        break;
      case 'saveSetup':
        void saveSetup(message.setup, this.apiKeys).catch((error: unknown) => {
          this.log.error('Could not save the provider settings:', error);
          void vscode.window.showErrorMessage(vscode.l10n.t('Tandem could not save the settings: {0}', error instanceof Error ? error.message : String(error)));
        });
        break;
      case 'retry': {
        // The last message as the model got it (a Fix This turn shows a summary but sent a full prompt).
        const lastUser = [...this.state.entries].reverse().find((e) => e.kind === 'user');
        if (lastUser?.kind === 'user' && lastUser.text === COMPACT_COMMAND) void this.compact(); // a failed /compact is retried as one
        else if (this.lastSent && lastUser?.kind === 'user' && lastUser.text === (this.lastSent.display ?? this.lastSent.text)) void this.send(this.lastSent.text, this.lastSent.display, this.lastSent.images);
        else if (lastUser?.kind === 'user') void this.send(lastUser.text);
        break;
      }
    }
  }

  get isBusy(): boolean {
    return this.state.activeTurnId !== undefined;
  }

  /** Starts a turn with `text`; the chat shows `display` instead when given (see Operation user_turn). */
  async send(text: string, display?: string, images?: AttachedImage[]): Promise<void> {
    if (this.isBusy) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Tandem is still working on the previous message. Stop it first or wait.'));
      return;
    }
    this.lastSent = { text, ...(display ? { display } : {}), ...(images?.length ? { images } : {}) };
    const agent = await this.agentForTurn(display ?? text);
    if (agent) await this.runTurn(agent, { type: 'user_turn', text, ...(display ? { display } : {}), ...(images?.length ? { images } : {}) });
  }

  /**
   * `/compact` and "Tandem: Compact Conversation": a compaction run like a turn (its own `turn.started`,
   * `context.compacted`, then `turn.completed` or `turn.failed`), through the same path as a message.
   */
  async compact(): Promise<void> {
    if (this.isBusy) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Tandem is still working on the previous message. Stop it first or wait.'));
      return;
    }
    const agent = await this.agentForTurn(COMPACT_COMMAND);
    if (agent) await this.runTurn(agent, { type: 'compact' });
  }

  /** `/compact` typed in the composer; anything after it is refused rather than sent to the model by surprise. */
  private handleCompactCommand(text: string): boolean {
    const trimmed = text.trim();
    if (trimmed !== COMPACT_COMMAND && !trimmed.startsWith(`${COMPACT_COMMAND} `) && !trimmed.startsWith(`${COMPACT_COMMAND}\n`)) return false;
    if (trimmed !== COMPACT_COMMAND) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Tandem: /compact takes no instructions; send /compact on its own.'));
      return true;
    }
    void this.compact();
    return true;
  }

  /** The agent for a turn about to start, or undefined when none can run (the chat or a notification says why). */
  private async agentForTurn(shownText: string): Promise<AgentSession | undefined> {
    void this.context.workspaceState.update(CURRENT_SESSION_KEY, this.sessionId);
    this.reviews.finishDecided(); // the user moved on: applied edits are no longer offered for undo
    const apiKey = (await this.apiKeys.get()) ?? (keyRequiredFor(readConfig().baseUrl) && !languageModelProviderSelected() ? undefined : NO_KEY);
    if (!apiKey) {
      const turnId = `${this.sessionId}-nokey-${Date.now()}`;
      this.record({ type: 'turn.started', turnId, text: shownText, at: Date.now() });
      this.record({
        type: 'turn.failed',
        turnId,
        at: Date.now(),
        error: { code: 'no_api_key', message: 'No API key is set. Run "Tandem: Set API Key" or set the OPENAI_API_KEY environment variable.', action: { label: 'Set API Key', command: 'tandem.setApiKey' } },
      });
      return undefined;
    }
    try {
      return await this.ensureAgent(apiKey);
    } catch (error) {
      this.log.error('Could not start the agent:', error);
      void vscode.window.showErrorMessage(vscode.l10n.t('Tandem could not start: {0}', error instanceof Error ? error.message : String(error)));
      return undefined;
    }
  }

  /** Runs one turn (a message or a compaction): its events are checkpointed, logged by the agent and shown. */
  private async runTurn(agent: AgentSession, op: Extract<Operation, { type: 'user_turn' | 'compact' }>): Promise<void> {
    await this.checkpoints?.beginTurn(this.sessionId);
    try {
      for await (const event of agent.submit(op)) {
        this.checkpoints?.onEvent(event);
        this.publish(event);
      }
    } catch (error) {
      this.log.error('Turn crashed:', error);
    } finally {
      await this.checkpoints?.endTurn();
      await this.writer.flush().catch((error: unknown) => this.log.error('Could not write the session log:', error));
    }
  }

  /** Runs one turn for an editor command; resolves when it has ended. Does nothing while another turn runs. */
  async sendFocused(text: string, focused: FocusedTurn, display?: string): Promise<void> {
    if (this.isBusy) return;
    this.focused = focused;
    try {
      await this.send(text, display);
    } finally {
      if (this.focused === focused) this.focused = undefined;
    }
  }

  /** "Add to Chat": a chip in the composer; its text goes with the next message. */
  addContext(label: string, text: string, kind?: ContextChip['kind']): void {
    this.attachments.add(label, text, kind);
  }

  stop(): void {
    this.agent?.submit({ type: 'interrupt' });
  }

  async newChat(): Promise<void> {
    this.stop();
    this.agent?.dispose();
    this.agent = undefined;
    await this.writer.flush().catch(() => undefined);
    this.sessionId = newSessionId();
    this.writer = this.store.create({ id: this.sessionId, createdAt: Date.now(), ...this.workspaceMeta() });
    this.state = emptyChatState();
    this.restoredHistory = [];
    await this.context.workspaceState.update(CURRENT_SESSION_KEY, undefined);
    await this.onReady();
  }

  /** The agent is rebuilt (keeping the conversation) when the endpoint, model or key changed. */
  private async ensureAgent(apiKey: string): Promise<AgentSession> {
    const config = readConfig();
    const fingerprint = JSON.stringify([config.baseUrl, config.model, config.wireApi, apiKey.length, apiKey.slice(-4), config.maxStepsPerTurn, config.compactionThreshold]);
    if (this.agent && fingerprint === this.agentFingerprint) return this.agent;
    const history = this.agent ? [...this.agent.conversation] : this.restoredHistory;
    this.agent?.dispose();
    const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? this.context.globalStorageUri.fsPath;
    this.agent = await loadAgentFactory().createAgentSession({
      sessionId: this.sessionId,
      apiKey,
      baseUrl: config.baseUrl,
      wireApi: config.wireApi,
      model: config.model,
      cwd: root,
      workspaceRoots: (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath),
      approvalPolicy: () => (this.focused?.mode === 'read-only' ? 'read-only' : readConfig().approvalPolicy),
      runner: this.runner,
      files: this.files,
      recorder: this.writer,
      history: history ?? [],
      loadProjectInstructions: vscode.workspace.isTrusted,
      limits: { maxSteps: config.maxStepsPerTurn },
      // The provider's client (auth style, model capabilities; VS Code's language models for `vscode-lm`) and
      // the compaction settings with the model's window (setup/sessionModel.ts, loaded with the first session).
      ...(await (await import('./setup/sessionModel')).sessionModelOptions(config, this.apiKeys)),
      handleChangeSet: (changeSet, options) => this.handleChangeSet(changeSet, options),
      ...(languageModelProviderSelected() ? { modelClient: languageModelClientIfSelected(config.model) } : {}), // VS Code's language models (tandem.provider: vscode-lm)
      extraTools: mcpSessionTools(), // the running MCP servers' tools (src/vscode/mcp)
    });
    this.agentFingerprint = fingerprint;
    return this.agent;
  }

  /** Proposed edits go to the review: in the chat card and inline in the editor, decided per hunk. */
  private handleChangeSet(changeSet: ChangeSet, options: { review: boolean; turnId: string; signal: AbortSignal }): Promise<PatchOutcome> {
    const needsReview = options.review || this.focused?.mode === 'review'; // a focused fix always ends in the inline review
    this.checkpoints?.notePatch(changeSet); // before anything is written: the files' contents now are the checkpoint's
    return this.reviews.propose(changeSet, { needsReview, turnId: options.turnId, signal: options.signal });
  }

  /** Review events (hunk decisions made in the editor or the chat) are logged and shown like agent events. */
  recordReviewEvent(event: AgentEvent): void {
    this.record(event);
  }

  /** Applies an event to the chat state, forwards it to the view and the terminal mirror. */
  private publish(event: AgentEvent): void {
    applyEvent(this.state, event);
    this.terminal.onEvent(event);
    this.view?.post({ type: 'event', sessionId: this.sessionId, event });
    this.focused?.onEvent(event);
    this.chatReview?.onEvent(event);
  }

  /** For events the host makes itself (not from the agent): they must be logged too. */
  private record(event: AgentEvent): void {
    this.writer.event(event);
    this.publish(event);
    void this.writer.flush();
  }

  private async postConfig(): Promise<void> {
    this.view?.post({ type: 'config', config: await readViewConfig(this.runner, this.apiKeys) });
  }

  private workspaceMeta(): { workspace?: string } {
    const folder = vscode.workspace.workspaceFolders?.[0];
    return folder ? { workspace: folder.uri.fsPath } : {};
  }

  dispose(): void {
    disposeRerunTerminal();
    this.agent?.dispose();
    void this.writer.flush();
    this.disposables.dispose();
  }
}

/**
 * The agent, its tools and the openai SDK are loaded on the first message, not at activation: evaluating
 * the SDK alone takes longer than the whole activation budget (50 ms). esbuild turns this require() of an
 * ES module into a lazily initialised part of the one bundle (nothing is read from disk).
 */
function loadAgentFactory(): typeof AgentFactory {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberate: deferred module evaluation
  return require('../node/agentFactory') as typeof AgentFactory;
}

function newSessionId(): string {
  const now = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
  return `${now}-${Math.random().toString(36).slice(2, 8)}`;
}
