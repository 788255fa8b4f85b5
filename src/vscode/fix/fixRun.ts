// One "Fix This" run, shown where the user is looking: the target lines are marked in the editor ("Tandem
// is fixing this…"), a cancellable notification follows the run (commands it runs, approvals it needs,
// the fix waiting for review), a status bar item opens the same run in the chat. The fix itself arrives
// as a pending hunk in the editor (the review UI: CodeLens Accept / Reject, WorkspaceEdit on accept); a
// hunk the user's own typing overtook goes stale and is never applied. The run ends with one short
// outcome: applied, rejected, stale, cancelled, failed, or the model's answer when it changed nothing.
import * as vscode from 'vscode';
import { markdownToPlainText, statusBarText } from '../../shared/plainText';
import { gatherFixContext } from '../../core/fix/gather';
import { describeTarget, fixPrompt, focusedTurnTitle, locationLabel } from '../../core/fix/prompt';
import type { DiagnosticInfo } from '../../core/fix/types';
import type { AgentEvent, TurnError } from '../../shared/events';
import type { ApiKeyStore } from '../apiKey';
import type { ChatController } from '../chatController';
import type { Chat } from '../chats/chat';
import type { ChatViewProvider } from '../chatViewProvider';
import { DisposableStore } from '../disposables';
import { readFixInput } from './documentInput';
import { showRefusal, whyNotFix } from './preflight';

export interface FixRequest {
  document: vscode.TextDocument;
  selection: vscode.Range;
  /** The diagnostic picked in the quick-fix menu. */
  focus?: DiagnosticInfo;
}

type HunkState = 'pending' | 'accepted' | 'rejected' | 'stale' | 'undone';

/** What happened during the turn, from its events. */
class RunLog {
  turnId: string | undefined;
  /** The fix's own chat (never the user's open conversation). */
  chat: Chat | undefined;
  readonly hunks = new Map<string, HunkState>();
  proposals = 0;
  lastMessage = '';
  error: TurnError | undefined;
  stopped = false;

  count(state: HunkState): number {
    return [...this.hunks.values()].filter((s) => s === state).length;
  }
}

const MAX_NOTIFICATION_CHARS = 400;

export class FixRunner implements vscode.Disposable {
  private readonly disposables = new DisposableStore();
  private readonly working = this.disposables.add(
    vscode.window.createTextEditorDecorationType({
      isWholeLine: true,
      backgroundColor: new vscode.ThemeColor('editor.rangeHighlightBackground'),
      overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.infoForeground'),
      overviewRulerLane: vscode.OverviewRulerLane.Left,
      rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
    }),
  );
  private readonly workingLabel = this.disposables.add(
    vscode.window.createTextEditorDecorationType({
      after: { color: new vscode.ThemeColor('editorCodeLens.foreground'), fontStyle: 'italic', margin: '0 0 0 2em' },
    }),
  );
  private readonly status = this.disposables.add(vscode.window.createStatusBarItem('tandem.fixThis', vscode.StatusBarAlignment.Left, 1_000));
  /** The lines being worked on, while the run has not proposed anything yet. */
  private marked: { uri: string; range: vscode.Range; label: string } | undefined;
  /** One fix at a time: a second one while the first is still gathering context would race it. */
  private running = false;

  constructor(
    private readonly controller: ChatController,
    private readonly view: ChatViewProvider,
    private readonly apiKeys: ApiKeyStore,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.status.name = 'Tandem: Fix This';
    this.status.command = { command: 'tandem.chat.focus', title: vscode.l10n.t('Show in the Tandem chat') };
    this.status.tooltip = vscode.l10n.t('Tandem is working on a fix: click to follow it in the chat');
    this.disposables.add(vscode.window.onDidChangeVisibleTextEditors(() => this.paint()));
  }

  async fix(request: FixRequest): Promise<void> {
    if (this.running) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Tandem is already working on a fix. Cancel it (or decide on it) first.'));
      return;
    }
    this.running = true;
    try {
      await this.run(request);
    } finally {
      this.running = false;
    }
  }

  private async run(request: FixRequest): Promise<void> {
    const { document } = request;
    const refusal = await whyNotFix(document, this.apiKeys);
    if (refusal) return showRefusal(refusal);
    const ctx = gatherFixContext(await readFixInput(document, request.selection, request.focus));
    const what = `${describeTarget(ctx)} (${locationLabel(ctx)})`;
    this.log.info(`Fix This: ${what}, ${ctx.diagnostics.length} diagnostic(s), target ${ctx.target.kind}${ctx.wholeFile ? ', whole file' : ''}.`);
    const run = new RunLog();
    const lastLine = document.lineAt(Math.min(ctx.target.endLine, document.lineCount - 1));
    this.mark(document.uri, new vscode.Range(ctx.target.startLine, 0, lastLine.lineNumber, lastLine.text.length), 'Tandem is fixing this…');
    this.setStatus(vscode.l10n.t('$(loading~spin) Tandem: fixing…'));
    try {
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Tandem: fixing {0}', markdownToPlainText(what)), cancellable: true }, async (progress, token) => {
        progress.report({ message: vscode.l10n.t('asking the model… (follow it in the chat)') });
        const cancel = token.onCancellationRequested(() => {
          run.stopped = true;
          run.chat?.stop();
        });
        try {
          await this.controller.sendFocused(
            fixPrompt(ctx),
            {
              mode: 'review',
              onChat: (chat) => (run.chat = chat),
              onEvent: (event) => {
                try {
                  this.onEvent(event, run, (message) => progress.report({ message }));
                } catch (error) {
                  this.log.error('Fix This: could not follow an event:', error);
                }
              },
            },
            focusedTurnTitle('Fix This', ctx),
          );
        } finally {
          cancel.dispose();
        }
      });
    } finally {
      this.unmark();
      this.status.hide();
    }
    // Not awaited: its buttons may wait on the user, and "Fix Again" starts a new run.
    this.finish(run, request).catch((error: unknown) => this.log.error('Fix This: could not report the outcome:', error));
  }

  private onEvent(event: AgentEvent, run: RunLog, report: (message: string) => void): void {
    if (event.type === 'turn.started') run.turnId = event.turnId;
    if (!run.turnId || !('turnId' in event) || event.turnId !== run.turnId) return;
    switch (event.type) {
      case 'tool.started':
        if (event.tool === 'apply_patch') report('writing the fix…');
        else report(`running “${clip(event.title, 80)}”…`);
        this.setStatus(event.tool === 'apply_patch' ? vscode.l10n.t('$(loading~spin) Tandem: writing the fix…') : vscode.l10n.t('$(loading~spin) Tandem: checking…'));
        break;
      case 'message.completed':
        run.lastMessage = event.text;
        break;
      case 'approval.requested':
        report('waiting for your approval…');
        void this.askApproval(event, run);
        break;
      case 'approval.resolved':
        report(event.decision === 'deny' ? 'command denied; continuing…' : 'continuing…');
        break;
      case 'patch.proposed':
        run.proposals++;
        for (const file of event.files) for (const hunk of file.hunks ?? []) run.hunks.set(`${event.changeSetId}/${hunk.id}`, hunk.state);
        this.unmark(); // the review's own decorations and CodeLens take over
        report('the fix is ready: Accept or Reject it in the editor');
        this.setStatus(vscode.l10n.t('$(eye) Tandem: review the fix'));
        break;
      case 'patch.hunk':
        run.hunks.set(`${event.changeSetId}/${event.hunkId}`, event.state);
        if (event.state === 'stale') report('you edited those lines, so this fix no longer applies (marked stale)');
        else if (event.state === 'accepted') report('fix applied; Tandem is finishing…');
        else if (event.state === 'rejected') report('fix rejected; Tandem is finishing…');
        if (event.state !== 'pending') this.setStatus(vscode.l10n.t('$(loading~spin) Tandem: finishing…'));
        break;
      case 'turn.failed':
        run.error = event.error;
        break;
      case 'turn.completed':
        if (event.stopped) run.stopped = true;
        break;
    }
  }

  /** A command the agent wants to run to check its fix: asked right here, or in the chat's approval card. */
  /** The fix's chat in the sidebar (or its editor tab). */
  private async showChat(run: RunLog): Promise<void> {
    if (run.chat && this.controller.registry.get(run.chat.id)) this.controller.select(run.chat);
    await this.view.reveal();
  }

  private async askApproval(event: Extract<AgentEvent, { type: 'approval.requested' }>, run: RunLog): Promise<void> {
    const subject = event.subject;
    // A notification shows text literally: the command in quotes, the policy's reason without its backticks.
    const what =
      subject.kind === 'command' ? `run “${clip(subject.command, 200)}”`
      : subject.kind === 'mcp' ? `call “${clip(subject.tool, 80)}” on the MCP server “${clip(subject.server, 80)}”`
      : 'apply a change';
    const choice = await vscode.window.showInformationMessage(`Tandem wants to ${what} to check the fix (${clip(markdownToPlainText(subject.reason), 160)}).`, 'Allow', 'Allow for This Chat', 'Deny', 'Show in Chat');
    if (choice === 'Show in Chat') {
      await this.showChat(run);
      return;
    }
    const decision = choice === 'Allow' ? 'approve' : choice === 'Allow for This Chat' ? 'approve_session' : choice === 'Deny' ? 'deny' : undefined;
    if (decision) run.chat?.approve(event.approvalId, decision);
  }

  private async finish(run: RunLog, request: FixRequest): Promise<void> {
    const pending = run.count('pending');
    const openChat = 'Open Chat';
    if (run.error) {
      const action = run.error.action;
      const labels = [...(action && action.command !== 'retry' ? [action.label] : []), 'Try Again', openChat];
      const picked = await vscode.window.showErrorMessage(vscode.l10n.t('Tandem could not fix this: {0}', run.error.message), ...labels);
      if (picked === openChat) await this.showChat(run);
      else if (picked === 'Try Again') await this.again(request);
      else if (action && picked === action.label) await vscode.commands.executeCommand(action.command);
      return;
    }
    if (run.stopped) {
      if (pending > 0) void vscode.window.showInformationMessage(vscode.l10n.t('Tandem: stopped. The proposed fix is still shown in the editor: Accept or Reject it there.'));
      else vscode.window.setStatusBarMessage(vscode.l10n.t('Tandem: fix cancelled'), 5_000);
      return;
    }
    const accepted = run.count('accepted');
    const stale = run.count('stale');
    const summary = firstSentence(statusBarText(run.lastMessage));
    if (accepted > 0) {
      vscode.window.setStatusBarMessage(summary ? vscode.l10n.t('$(check) Tandem: fix applied — {0}', clip(summary, 120)) : vscode.l10n.t('$(check) Tandem: fix applied'), 10_000);
      return;
    }
    if (stale > 0) {
      const picked = await vscode.window.showWarningMessage(
        vscode.l10n.t('Tandem: you changed this code while the fix was waiting, so it was not applied (it is marked stale, nothing was written). Run Fix This again to fix the code as it is now.'),
        'Fix Again',
        openChat,
      );
      if (picked === 'Fix Again') await this.again(request);
      else if (picked === openChat) await this.showChat(run);
      return;
    }
    if (run.count('rejected') > 0) {
      vscode.window.setStatusBarMessage(vscode.l10n.t('Tandem: fix rejected; the file is unchanged'), 6_000);
      return;
    }
    if (run.proposals === 0) {
      const picked = await vscode.window.showInformationMessage(`Tandem: ${clip(markdownToPlainText(run.lastMessage).trim() || 'no change was proposed.', MAX_NOTIFICATION_CHARS)}`, openChat);
      if (picked === openChat) await this.showChat(run);
    }
  }

  /** Runs the same fix on the code as it is now. */
  private async again(request: FixRequest): Promise<void> {
    const document = await vscode.workspace.openTextDocument(request.document.uri);
    await this.fix({ ...request, document });
  }

  private mark(uri: vscode.Uri, range: vscode.Range, label: string): void {
    this.marked = { uri: uri.toString(), range, label };
    this.paint();
  }

  private unmark(): void {
    this.marked = undefined;
    this.paint();
  }

  private paint(): void {
    for (const editor of vscode.window.visibleTextEditors) {
      const mine = this.marked && editor.document.uri.toString() === this.marked.uri ? this.marked : undefined;
      editor.setDecorations(this.working, mine ? [mine.range] : []);
      const first = mine ? editor.document.lineAt(Math.min(mine.range.start.line, editor.document.lineCount - 1)).range.end : undefined;
      editor.setDecorations(this.workingLabel, mine && first ? [{ range: new vscode.Range(first, first), renderOptions: { after: { contentText: `⟳ ${mine.label}` } } }] : []);
    }
  }

  private setStatus(text: string): void {
    this.status.text = text;
    this.status.show();
  }

  dispose(): void {
    this.disposables.dispose();
  }
}

function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

function firstSentence(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const end = flat.search(/[.!?](\s|$)/);
  return end >= 0 ? flat.slice(0, end + 1) : flat;
}
