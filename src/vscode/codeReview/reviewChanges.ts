// "Tandem: Review Changes" (a scope picker: uncommitted, staged, the branch against a base picked from the
// repository, a commit) and "Review before commit" in the Source Control view's title. The review runs
// in the core (git read-only in the sandbox, the model's structured answer validated); its findings
// become comment threads whose "Fix This" hands the finding to the existing Fix This run (a pending
// inline hunk to accept or reject) and whose "Dismiss" keeps it from coming back.
import * as vscode from 'vscode';
import { fixCommandArgs } from '../../core/fix/args';
import type { DiagnosticInfo } from '../../core/fix/types';
import { droppedSummary, type MappedFinding } from '../../core/codeReview/findings';
import { listBranches, recentCommits } from '../../core/codeReview/gitDiff';
import type * as RunReview from '../../core/codeReview/runReview';
import type { ReviewResult } from '../../core/codeReview/runReview';
import { describeScope, scopeFromCommandArg } from '../../core/codeReview/scope';
import { parsePriority, type Priority, type ReviewScope } from '../../core/codeReview/types';
import type { ProcessRunner } from '../../core/ports';
import { createReviewGitRunner } from '../../node/reviewGitRunner';
import type { ApiKeyStore } from '../apiKey';
import { readConfig } from '../config';
import { providerNeedsKey } from '../../shared/providers';
import { sessionModel } from '../setup/sessionModel';
import { DisposableStore } from '../disposables';
import type { ReviewManager } from '../review/reviewManager';
import { ChatReview, type ChatHost } from './chatReview';
import { FindingThreads, type FindingThread } from './findingThreads';

export interface ReviewSettings {
  threshold: Priority;
  maxFindings: number;
}

export function readReviewSettings(): ReviewSettings {
  const c = vscode.workspace.getConfiguration('tandem.review');
  const max = c.get<number>('maxFindings', 10);
  return {
    threshold: parsePriority(c.get<string>('threshold', 'P2')) ?? 2,
    maxFindings: Number.isInteger(max) && max >= 1 ? Math.min(max, 200) : 10,
  };
}

function workspaceRoots(): string[] {
  return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
}

/** The folder to review: the one holding the active editor's file, else the first. */
export function reviewFolder(): string | undefined {
  const active = vscode.window.activeTextEditor?.document.uri;
  const folder = active ? vscode.workspace.getWorkspaceFolder(active) : undefined;
  return folder?.uri.scheme === 'file' ? folder.uri.fsPath : workspaceRoots()[0];
}

export class CodeReview implements vscode.Disposable {
  private readonly disposables = new DisposableStore();
  private readonly threads: FindingThreads;
  private readonly git: ProcessRunner = createReviewGitRunner();
  private running: AbortController | undefined;

  constructor(
    state: vscode.Memento,
    private readonly apiKeys: ApiKeyStore,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.threads = this.disposables.add(new FindingThreads(state));
    const command = (id: string, body: (arg: unknown) => Promise<void>) =>
      this.disposables.add(
        vscode.commands.registerCommand(id, async (arg: unknown) => {
          try {
            await body(arg);
          } catch (error) {
            this.log.error(`${id} failed:`, error);
            void vscode.window.showErrorMessage(vscode.l10n.t('Tandem review: {0}', error instanceof Error ? error.message : String(error)));
          }
        }),
      );
    command('tandem.reviewChanges', async (arg) => {
      const scope = scopeFromCommandArg(arg) ?? (await this.pickScope());
      if (scope) await this.review(scope);
    });
    command('tandem.reviewBeforeCommit', async () => {
      await this.review({ kind: 'uncommitted' });
    });
    command('tandem.review.fixFinding', async (arg) => {
      const entry = this.threads.find(arg);
      if (entry) await this.fix(entry);
    });
    command('tandem.review.dismissFinding', async (arg) => {
      const entry = this.threads.find(arg);
      if (entry) await this.threads.dismiss(entry);
    });
    command('tandem.review.clearFindings', async () => this.threads.clear());
  }

  private async pickScope(): Promise<ReviewScope | undefined> {
    const folder = reviewFolder();
    type Item = vscode.QuickPickItem & { pick: 'uncommitted' | 'staged' | 'base' | 'commit' };
    const items: Item[] = [
      { pick: 'uncommitted', label: vscode.l10n.t('Uncommitted changes'), description: vscode.l10n.t('staged, unstaged and untracked') },
      { pick: 'staged', label: vscode.l10n.t('Staged changes') },
      { pick: 'base', label: vscode.l10n.t('Current branch against a base branch…') },
      { pick: 'commit', label: vscode.l10n.t('A commit…') },
    ];
    const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Tandem: Review Changes'), placeHolder: vscode.l10n.t('What should Tandem review?') });
    if (!picked || !folder) return picked && !folder ? this.noFolder() : undefined;
    if (picked.pick === 'uncommitted' || picked.pick === 'staged') return { kind: picked.pick };
    if (picked.pick === 'base') {
      const { current, branches } = await listBranches(this.git, folder, workspaceRoots());
      const choices = branches.filter((b) => b !== current).map((b) => ({ label: b }));
      const base = await vscode.window.showQuickPick(choices, { title: vscode.l10n.t('Review {0} against…', current ?? 'HEAD'), placeHolder: vscode.l10n.t('Base branch') });
      return base ? { kind: 'base', base: base.label } : undefined;
    }
    const commits = await recentCommits(this.git, folder, workspaceRoots());
    const commit = await vscode.window.showQuickPick(
      commits.map((c) => ({ label: c.subject, description: c.sha.slice(0, 7), sha: c.sha })),
      { title: vscode.l10n.t('Review a commit'), matchOnDescription: true },
    );
    return commit ? { kind: 'commit', sha: commit.sha } : undefined;
  }

  private noFolder(): undefined {
    void vscode.window.showInformationMessage(vscode.l10n.t('Tandem: open a folder with a git repository to review its changes.'));
    return undefined;
  }

  async review(scope: ReviewScope): Promise<ReviewResult | undefined> {
    const folder = reviewFolder();
    if (!folder) return this.noFolder();
    const run = await this.run(scope, folder);
    if (run) this.report(run.result, run.settings);
    return run?.result;
  }

  /**
   * Runs one review of `scope` in `folder` with the settings and dismissals, under a progress notification.
   * Undefined when there is no key or it was cancelled (or replaced by a newer review); throws when the
   * review could not be made. Shared by the command and the chat (`chatReview.ts`).
   */
  async run(scope: ReviewScope, folder: string): Promise<{ result: ReviewResult; settings: ReviewSettings } | undefined> {
    const apiKey = await this.apiKeys.get();
    const config = readConfig();
    // The provider decides (local servers and VS Code's language models need no key), as for chat sessions.
    if (!apiKey && providerNeedsKey(config.provider)) {
      const set = vscode.l10n.t('Set API Key');
      if ((await vscode.window.showWarningMessage(vscode.l10n.t('Tandem needs an API key to review changes.'), set)) === set) await vscode.commands.executeCommand('tandem.setApiKey');
      return undefined;
    }
    this.running?.abort(new Error('a new review started'));
    const controller = new AbortController();
    this.running = controller;
    const settings = readReviewSettings();
    const filter = { ...settings, dismissed: this.threads.dismissedKeys() };
    const label = describeScope(scope);
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Tandem: reviewing {0}', label), cancellable: true },
      async (progress, token) => {
        const cancel = token.onCancellationRequested(() => controller.abort(new Error('cancelled')));
        try {
          const { reviewChanges } = loadReviewRun();
          // The same client a chat session gets: the provider's auth style and key slot, or VS Code's language models.
          const { modelClient } = await sessionModel(config, this.apiKeys);
          return await reviewChanges({
            runner: this.git,
            client: modelClient,
            model: config.model,
            cwd: folder,
            roots: workspaceRoots(),
            scope,
            filter,
            signal: controller.signal,
            onNote: (note) => this.log.info(`Review: ${note}`),
            onDiff: (diff) => progress.report({ message: vscode.l10n.t('{0} file(s), asking the model…', diff.files.length) }),
          });
        } catch (error) {
          if (controller.signal.aborted) return undefined;
          throw error;
        } finally {
          cancel.dispose();
          if (this.running === controller) this.running = undefined;
        }
      },
    );
    return result ? { result, settings } : undefined;
  }

  /** Shows findings as comment threads (replacing the previous review's), at the lines given. */
  showThreads(findings: readonly MappedFinding[]): FindingThread[] {
    return this.threads.show(findings);
  }

  private report(result: ReviewResult, settings: ReviewSettings): void {
    const shown = this.threads.show(result.kept);
    const dropped = droppedSummary(result.dropped, settings);
    this.log.info(`Review of ${result.diff.label}: ${result.kept.length} finding(s) shown. ${dropped}`);
    if (!result.output) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Tandem: nothing to review in the {0}.', result.diff.label));
      return;
    }
    if (shown.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Tandem found nothing to report in the {0}. {1}', result.diff.label, dropped).trim());
      return;
    }
    const first = shown[0] as FindingThread;
    void vscode.window.showTextDocument(first.thread.uri, { selection: first.thread.range, preserveFocus: false });
    void vscode.window.showInformationMessage(
      vscode.l10n.t('Tandem: {0} finding(s) in the {1}, shown as comments on their lines. {2}', shown.length, result.diff.label, dropped).trim(),
    );
  }

  /** Hands the finding to Fix This as the problem to fix, on its lines (reviewed as a pending hunk). */
  private async fix(entry: FindingThread): Promise<void> {
    const { finding } = entry.mapped;
    const { start, end } = finding.code_location.line_range;
    const document = await vscode.workspace.openTextDocument(entry.thread.uri);
    const last = Math.min(end - 1, document.lineCount - 1);
    const diagnostic: DiagnosticInfo = {
      range: { start: { line: Math.min(start - 1, last), character: 0 }, end: { line: last, character: document.lineAt(last).text.length } },
      message: `${entry.thread.label ?? finding.title}\n\n${finding.body}`,
      severity: finding.priority <= 1 ? 'error' : 'warning',
      source: 'Tandem review',
    };
    await vscode.window.showTextDocument(document, { selection: new vscode.Range(diagnostic.range.start.line, 0, diagnostic.range.start.line, 0) });
    this.threads.markFixing(entry);
    await vscode.commands.executeCommand('tandem.fixThis', fixCommandArgs(document.uri.toString(), diagnostic));
  }

  dispose(): void {
    this.running?.abort(new Error('disposed'));
    this.disposables.dispose();
  }
}

/**
 * Registers the review commands and the findings' comment threads (see extension.ts), and, given the chat,
 * `/review`, the findings card's clicks and the automatic review after a turn (chatReview.ts).
 */
export function registerCodeReview(context: vscode.ExtensionContext, apiKeys: ApiKeyStore, log: vscode.LogOutputChannel, chat?: ChatHost, reviews?: ReviewManager): vscode.Disposable {
  const codeReview = new CodeReview(context.workspaceState, apiKeys, log);
  if (chat && reviews) chat.attachChatReview(new ChatReview(codeReview, reviews, chat, log));
  return codeReview;
}

/**
 * The review run and the model client are loaded when a review starts, not at activation: both reach the
 * openai SDK (runReview through model/retry and model/errors), whose evaluation alone takes longer than the
 * whole activation budget (50 ms). Same deferred require as loadAgentFactory() in chatController.ts: esbuild
 * turns it into a lazily initialised part of the one bundle.
 */
function loadReviewRun(): Pick<typeof RunReview, 'reviewChanges'> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberate: deferred module evaluation
  const { reviewChanges } = require('../../core/codeReview/runReview') as typeof RunReview;
  return { reviewChanges };
}
