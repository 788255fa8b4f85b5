// One open conversation: its agent session, its log, the chat state derived from the session's one event
// stream, and the views that show it. Several chats run at once (chatRegistry.ts); each reads its own
// session's stream (`agent.events()`) and nothing else, so a chat in the background keeps every event, and
// a view that switches to it gets a fresh snapshot. Turns are only submitted here: what they do reaches the
// chat through the stream, logged once by the agent's recorder.
import * as vscode from 'vscode';
import type { AgentSession } from '../../core/agent/agentSession';
import type { Operation, ReviewUpdateEvent } from '../../core/agent/types';
import type { ChangeSet, PatchOutcome } from '../../core/patch/types';
import type { ProcessRunner } from '../../core/ports';
import { chatListTitle, chatStatus } from '../../shared/chatList';
import { applyEvent, emptyChatState, type ChatState } from '../../shared/chatState';
import { newestPage } from '../../shared/chatHistoryPages';
import type { AgentEvent } from '../../shared/events';
import type { ChatStatus, HostToWebview, ViewConfig } from '../../shared/protocol';
import type { SessionWriter } from '../../node/sessionStore';
import { keepingRepositoryReadOnly } from '../../node/worktrees/worktreeRunner';
import type { ReviewManager } from '../review/reviewManager';
import type { CheckpointService } from '../checkpoints/checkpointService';
import type { ChatReview } from '../codeReview/chatReview';
import { ComposerAttachments } from '../composerAttachments';
import type { AttachedImage } from '../fix/pendingContext';
import { SkillInvoker } from '../skills/skillInvoker';
import type { TerminalMirror } from '../terminalMirror';
import { readConfig } from '../config';
import { readViewConfig } from '../viewConfig';
import { agentFingerprint, apiKeyForTurn, createChatAgent, type AgentEnvironment, type AgentHistory } from './chatAgent';
import type { ChatWorktrees } from './chatWorktrees';

/** Where a chat is shown: the sidebar view or an editor tab. */
export interface ChatSurface {
  post(message: HostToWebview): void;
  readonly visible: boolean;
}

/** A turn started from the editor (Fix This, Explain This) in a chat of its own. */
export interface FocusedTurn {
  /** Every event of the chat while the turn runs (including review events), for progress where the user looks. */
  onEvent(event: AgentEvent): void;
  /** `review`: every patch waits for Accept / Reject, whatever the policy. `read-only`: an answer only. */
  mode: 'review' | 'read-only';
  /** The chat made for the turn, as soon as it exists (to stop it, to answer its approvals). */
  onChat?(chat: Chat): void;
}

export interface ChatEnvironment extends AgentEnvironment {
  terminal: TerminalMirror;
  log: vscode.LogOutputChannel;
  reviews: ReviewManager;
  /** Checkpoints of this chat's turns: its own recorder, its agent's commands through its own runner. */
  checkpoints(): CheckpointService | undefined;
  chatReview(): ChatReview | undefined;
  /** Chats that run in a worktree of their own (chatWorktrees.ts); absent: none do. */
  worktrees?: ChatWorktrees;
  /** The chat's title or status changed (the chat list, the badge). */
  onDidChange(chat: Chat): void;
}

/** Typed alone in the composer, compacts the conversation; the compaction turn shows it as its message. */
const COMPACT_COMMAND = '/compact';

const REVIEW_UPDATES = new Set<AgentEvent['type']>(['patch.hunk', 'patch.resolved', 'review.started', 'review.completed']);

export class Chat implements vscode.Disposable {
  private agent: AgentSession | undefined;
  private fingerprint = '';
  /**
   * The model picked for this chat in its header, with the provider it was picked for; the chat follows the
   * default (`tandem.model`) without one, or when the provider changed since (the id may not exist there).
   */
  private modelChoice: { model: string; provider: string } | undefined;
  private readonly surfaces = new Set<ChatSurface>();
  /** Queued messages not delivered yet: aborting one withdraws it from the session's queue. */
  private readonly withdrawals = new Map<string, AbortController>();
  private streamReader: AbortController | undefined;
  /** The newest message as sent to the model, for Retry. */
  private lastSent: { text: string; display?: string; images?: AttachedImage[] } | undefined;
  private focused: FocusedTurn | undefined;
  /** Chips, `@` mentions and images waiting for this chat's next message. */
  readonly attachments: ComposerAttachments;
  private readonly skills: SkillInvoker;
  private status: ChatStatus;
  private titleText: string;
  private disposed = false;

  constructor(
    private readonly env: ChatEnvironment,
    readonly id: string,
    private readonly writer: SessionWriter,
    private state: ChatState = emptyChatState(),
    private restoredHistory: AgentHistory = [],
    /** The title until the first message names the chat ("Fix This: …" for an editor command's chat). */
    private readonly fallbackTitle = 'New chat',
  ) {
    this.attachments = new ComposerAttachments(env.terminal, (message) => this.postAll(message), env.log);
    this.skills = new SkillInvoker(env.files, env.log);
    this.status = chatStatus(state);
    this.titleText = chatListTitle(state, fallbackTitle);
  }

  get chatState(): ChatState {
    return this.state;
  }

  get title(): string {
    return this.titleText;
  }

  get currentStatus(): ChatStatus {
    return this.status;
  }

  /** A turn runs or waits to run. */
  get isBusy(): boolean {
    return this.state.activeTurnId !== undefined || (this.agent?.isBusy ?? false);
  }

  /** Some view shows this chat and is visible (a background chat asks for attention another way). */
  get isVisible(): boolean {
    return [...this.surfaces].some((s) => s.visible);
  }

  /** The model this chat talks to: its own choice for the current provider, else the default. */
  get model(): string {
    const config = readConfig();
    return this.modelChoice && this.modelChoice.provider === config.provider ? this.modelChoice.model : config.model;
  }

  /** This chat's own model choice, if it has one (the registry keeps it across reloads: chatModelChoices.ts). */
  get ownModelChoice(): { model: string; provider: string } | undefined {
    return this.modelChoice;
  }

  /** A choice kept from before a reload (checked when read back); it holds only for the provider it names. */
  restoreModelChoice(choice: { model: string; provider: string } | undefined): void {
    this.modelChoice = choice;
  }

  /** The header's picker chose `model` for this chat only: the next turn uses it, other chats keep theirs. */
  async chooseModel(model: string): Promise<void> {
    this.modelChoice = { model, provider: readConfig().provider };
    this.env.onDidChange(this); // the registry keeps the choice for a reload
    await this.postConfig();
  }

  /** The chat follows the default model (`tandem.model`) again. */
  followDefaultModel(): void {
    if (!this.modelChoice) return;
    this.modelChoice = undefined;
    this.env.onDidChange(this);
  }

  /** The header facts for this chat (its model) to every view showing it. */
  async postConfig(): Promise<void> {
    const config = await this.viewConfig();
    this.postAll({ type: 'config', config });
  }

  /** The header's facts: the settings' (with this chat's model) and, for a chat in a worktree, which one. */
  private async viewConfig(): Promise<ViewConfig> {
    const config = await readViewConfig(this.env.runner, this.env.apiKeys, this.model);
    const worktrees = this.env.worktrees;
    const worktree = worktrees?.facts(this.id);
    return { ...config, ...(worktrees ? { worktreeOffer: worktrees.offer } : {}), ...(worktree ? { worktree } : {}) };
  }

  /** `surface` shows this chat from now on: it gets the newest page of the history, then every event. */
  async show(surface: ChatSurface): Promise<void> {
    this.surfaces.add(surface);
    this.env.checkpoints()?.warmUp(); // the first snapshot, before the first message needs it
    const config = await this.viewConfig();
    if (!this.surfaces.has(surface)) return; // switched away meanwhile
    // Cut after the await: events posted meanwhile reached a view without this chat's snapshot (dropped).
    const page = newestPage(this.state);
    surface.post({
      type: 'snapshot',
      sessionId: this.id,
      entries: page.entries,
      olderCount: page.olderCount,
      activeTurnId: this.state.activeTurnId,
      ...(this.state.pending.length ? { pending: [...this.state.pending] } : {}),
      usage: this.state.usage,
      config,
    });
    for (const chip of this.attachments.pending) surface.post({ type: 'addContext', context: chip });
  }

  hide(surface: ChatSurface): void {
    this.surfaces.delete(surface);
  }

  postAll(message: HostToWebview): void {
    for (const surface of this.surfaces) surface.post(message);
  }

  /** A message: a turn of its own when the chat is idle, else queued for the running turn (`input.queued`). */
  async send(text: string, display?: string, images?: AttachedImage[], typed?: string): Promise<void> {
    const withSkills = typed === undefined ? text : await this.skills.expand(typed, text);
    const op: Operation = { type: 'user_turn', text: withSkills, ...(display ? { display } : {}), ...(images?.length ? { images } : {}) };
    this.lastSent = { text: withSkills, ...(display ? { display } : {}), ...(images?.length ? { images } : {}) };
    if (this.agent && this.isBusy) {
      // The running turn's agent takes it (never rebuilt mid-turn); the abort signal withdraws it while it waits.
      const withdraw = new AbortController();
      const submission = this.agent.submit(op, withdraw.signal);
      this.withdrawals.set(submission.id, withdraw);
      await drain(submission);
      this.withdrawals.delete(submission.id);
      return;
    }
    const agent = await this.agentForTurn(display ?? text);
    if (agent) await this.runTurn(agent, op);
  }

  /** `/compact`: a compaction run like a turn. Refused while a turn runs (the composer says so). */
  async compact(): Promise<void> {
    if (this.isBusy) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Tandem is still working on the previous message. Stop it first or wait.'));
      return;
    }
    const agent = await this.agentForTurn(COMPACT_COMMAND);
    if (agent) await this.runTurn(agent, { type: 'compact' });
  }

  /** `/compact` typed in the composer; anything after it is refused rather than sent to the model by surprise. */
  handleCompactCommand(text: string): boolean {
    const trimmed = text.trim();
    if (trimmed !== COMPACT_COMMAND && !trimmed.startsWith(`${COMPACT_COMMAND} `) && !trimmed.startsWith(`${COMPACT_COMMAND}\n`)) return false;
    if (trimmed !== COMPACT_COMMAND) void vscode.window.showWarningMessage(vscode.l10n.t('Tandem: /compact takes no instructions; send /compact on its own.'));
    else void this.compact();
    return true;
  }

  /** The last message again, as the model got it (a Fix This turn shows a summary but sent a full prompt). */
  retry(): void {
    const lastUser = [...this.state.entries].reverse().find((e) => e.kind === 'user');
    const lastSent = this.lastSent;
    if (lastUser?.kind !== 'user') return;
    if (lastUser.text === COMPACT_COMMAND) void this.compact(); // a failed /compact is retried as one
    else if (lastSent && lastUser.text === (lastSent.display ?? lastSent.text)) void this.send(lastSent.text, lastSent.display, lastSent.images);
    else void this.send(lastUser.text);
  }

  /** A Fix This / Explain This turn; resolves when it has ended. */
  async runFocused(text: string, focused: FocusedTurn, display?: string): Promise<void> {
    this.focused = focused;
    try {
      await this.send(text, display);
    } finally {
      if (this.focused === focused) this.focused = undefined;
    }
  }

  /** Stop: the running turn ends and what waits is withdrawn (its text goes back to the composer). */
  stop(): void {
    this.agent?.submit({ type: 'interrupt' });
  }

  /** Takes one queued message back before the model got it. */
  withdraw(submissionId: string): void {
    if (!this.state.pending.some((p) => p.submissionId === submissionId)) return; // delivered or started meanwhile
    this.withdrawals.get(submissionId)?.abort(new Error('withdrawn'));
  }

  approve(approvalId: string, decision: Extract<Operation, { type: 'approval' }>['decision'], note?: string): void {
    this.agent?.submit({ type: 'approval', approvalId, decision, ...(note !== undefined ? { note } : {}) });
  }

  /**
   * An event the host made (a review outcome, a turn that could not start, a reload's cleanup). Review outcomes
   * go to the agent as `review_update` operations, so they come back on its stream like any event and are
   * logged once; without an agent (a restored chat before its first message) they are logged and shown here.
   */
  record(event: AgentEvent): void {
    if (this.agent && REVIEW_UPDATES.has(event.type)) {
      void drain(this.agent.submit({ type: 'review_update', event: event as ReviewUpdateEvent }));
      return;
    }
    this.writer.event(event);
    this.publish(event);
    void this.writer.flush();
  }

  async flush(): Promise<void> {
    await this.writer.flush().catch((error: unknown) => this.env.log.error('Could not write the session log:', error));
  }

  /** The agent for a turn about to start, or undefined when none can run (the chat or a notification says why). */
  private async agentForTurn(shownText: string): Promise<AgentSession | undefined> {
    this.env.reviews.finishDecided(this.id); // the user moved on: this chat's applied edits are no longer offered for undo
    const apiKey = await apiKeyForTurn(this.env.apiKeys);
    if (!apiKey) {
      const turnId = `${this.id}-nokey-${Date.now()}`;
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
      this.env.log.error('Could not start the agent:', error);
      void vscode.window.showErrorMessage(vscode.l10n.t('Tandem could not start: {0}', error instanceof Error ? error.message : String(error)));
      return undefined;
    }
  }

  /** The agent is rebuilt (keeping the conversation) when the endpoint, model or key changed, never mid-turn. */
  private async ensureAgent(apiKey: string): Promise<AgentSession> {
    const model = this.model;
    const fingerprint = agentFingerprint(apiKey, model);
    if (this.agent && (fingerprint === this.fingerprint || this.agent.isBusy)) return this.agent;
    const history = this.agent ? [...this.agent.conversation] : this.restoredHistory;
    // A chat in a worktree works only there (throws when its worktree is gone: never in the workspace instead).
    const worktree = await this.env.worktrees?.worktreeFor(this.id);
    this.dropAgent();
    const agent = await createChatAgent(
      // In a worktree, the repository it was made from stays read-only to its commands (full access too).
      { ...this.env, runner: worktree ? keepingRepositoryReadOnly(this.checkpointedRunner([worktree.workspacePath]), worktree) : this.checkpointedRunner() },
      {
        id: this.id,
        model,
        writer: this.writer,
        history,
        approvalPolicy: () => (this.focused?.mode === 'read-only' ? 'read-only' : readConfig().approvalPolicy),
        handleChangeSet: (changeSet, options) => this.handleChangeSet(changeSet, options),
        // Every turn has its checkpoint, whatever started it: a message that waited in the queue and started
        // a turn of its own after the running one ended too (the agent calls these, not runTurn).
        turnHooks: {
          begin: async ({ turnId }) => this.env.checkpoints()?.beginTurn(this.id, turnId),
          end: async () => this.env.checkpoints()?.endTurn(this.id),
        },
        ...(worktree ? { placement: { cwd: worktree.workspacePath, workspaceRoots: [worktree.workspacePath] } } : {}),
      },
      apiKey,
    );
    if (this.disposed) {
      agent.dispose();
      throw new Error('The chat was closed.');
    }
    this.agent = agent;
    this.fingerprint = fingerprint;
    this.restoredHistory = [];
    // Subscribed before anything is submitted, so the stream carries every event of this agent.
    this.streamReader = new AbortController();
    void this.readStream(agent.events(this.streamReader.signal));
    return agent;
  }

  private async readStream(events: AsyncIterable<{ event: AgentEvent }>): Promise<void> {
    try {
      for await (const { event } of events) this.publish(event);
    } catch (error) {
      this.env.log.error(`Chat ${this.id}: the session's event stream failed:`, error);
    }
  }

  /** Submits one turn and waits for its end; its events arrive through the stream. */
  private async runTurn(agent: AgentSession, op: Extract<Operation, { type: 'user_turn' | 'compact' }>): Promise<void> {
    try {
      await drain(agent.submit(op)); // its checkpoint is opened and saved by the agent's turn hooks (ensureAgent)
    } catch (error) {
      this.env.log.error('Turn crashed:', error);
    } finally {
      await this.flush();
    }
  }

  /**
   * The runner this chat's agent gets: its commands' changes go to this chat's checkpoint (checkpointService.ts),
   * recorded in `roots` when the agent works only there (its worktree), else in the workspace.
   */
  private checkpointedRunner(roots?: readonly string[]): ProcessRunner {
    return this.env.checkpoints()?.runnerFor(this.id, this.env.runner, roots) ?? this.env.runner;
  }

  /** Proposed edits go to the review: in the chat card and inline in the editor, decided per hunk. */
  private handleChangeSet(changeSet: ChangeSet, options: { review: boolean; turnId: string; signal: AbortSignal }): Promise<PatchOutcome> {
    this.env.checkpoints()?.notePatch(this.id, changeSet); // before anything is written (in the worktree too)
    if (this.env.worktrees?.isolated(this.id)) return this.env.worktrees.write(this.id, changeSet, options.turnId, (event) => this.record(event)); // its review comes at bring-back
    const needsReview = options.review || this.focused?.mode === 'review'; // a focused fix always ends in the inline review
    return this.env.reviews.propose(changeSet, { needsReview, turnId: options.turnId, signal: options.signal, origin: { chatId: this.id, title: () => this.title } });
  }

  /** Applies an event to the chat state and forwards it to the views, the terminal mirror and the listeners. */
  private publish(event: AgentEvent): void {
    applyEvent(this.state, event);
    this.env.terminal.onEvent(event);
    this.postAll({ type: 'event', sessionId: this.id, event });
    this.focused?.onEvent(event);
    this.env.chatReview()?.onEvent(event);
    if (event.type === 'message.delta' || event.type === 'tool.output') return; // never changes title or status
    const status = chatStatus(this.state);
    const title = chatListTitle(this.state, this.fallbackTitle);
    if (status !== this.status || title !== this.titleText) {
      this.status = status;
      this.titleText = title;
      this.env.onDidChange(this);
    }
  }

  private dropAgent(): void {
    this.streamReader?.abort();
    this.streamReader = undefined;
    this.agent?.dispose();
    this.agent = undefined;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.dropAgent();
    // Its recorder goes (after a turn still open is saved); its checkpoints stay for a reopened chat.
    this.env.checkpoints()?.dropChat(this.id);
    this.surfaces.clear();
    void this.flush();
  }
}

/** Reads a submission to its end (its events are handled from the session's stream, not here). */
async function drain(submission: AsyncIterable<AgentEvent>): Promise<void> {
  for await (const event of submission) void event;
}
