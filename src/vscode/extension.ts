// Entry point: wires settings, secrets, the session store, the agent's process runner and the chat view.
// Everything created here is owned by one DisposableStore that VS Code disposes on deactivation.
import * as vscode from 'vscode';
import { createProcessRunner } from '../node/createRunner';
import { SessionStore } from '../node/sessionStore';
import { ApiKeyStore } from './apiKey';
import { ChatController } from './chatController';
import { ChatViewProvider } from './chatViewProvider';
import { readConfig } from './config';
import { registerFixThis } from './commands/fixThis';
import { registerCodeReview } from './codeReview/reviewChanges';
import { registerNewChat } from './commands/newChat';
import { registerCompactConversation } from './commands/compactConversation';
import { registerShowHistory } from './commands/showHistory';
import { registerClearApiKey, registerSetApiKey } from './commands/setApiKey';
import { DisposableStore } from './disposables';
import { registerReviewCommands } from './commands/reviewCommands';
import { PROPOSAL_SCHEME, ProposalDocuments } from './review/proposalDocuments';
import { ReviewCodeLensProvider } from './review/reviewCodeLens';
import { ReviewDecorations } from './review/reviewDecorations';
import { ReviewManager } from './review/reviewManager';
import { ReviewStatusBar } from './review/reviewStatusBar';
import { TerminalMirror } from './terminalMirror';
import { lazyProcessRunner } from './lazyRunner';
import { registerSetupCommands } from './setup/pickers';
import { CheckpointService } from './checkpoints/checkpointService';
import { registerShowSkills } from './skills/showSkills';
import { registerMcp } from './mcp/registerMcp';
import { ChatPanels, registerChatPanelCommands, registerChatPanelSerializer } from './chats/chatPanels';
import { ChatAttention } from './chats/chatAttention';

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const started = performance.now();
  const disposables = new DisposableStore();
  context.subscriptions.push(disposables);

  const log = disposables.add(vscode.window.createOutputChannel('Tandem', { log: true }));
  const apiKeys = disposables.add(new ApiKeyStore(context.secrets));
  const store = new SessionStore(vscode.Uri.joinPath(context.globalStorageUri, 'sessions').fsPath);
  // Built on first use (lazyRunner.ts): node-pty and the sandbox probe are not needed to show the chat.
  const runner = lazyProcessRunner(() => createProcessRunner({
    onFallback: (reason) => {
      log.warn(`node-pty unavailable, commands run without a terminal: ${reason}`);
      void vscode.window.showWarningMessage(vscode.l10n.t('Tandem: the pseudo-terminal module could not load; commands run without a terminal (no colours, no prompts).'));
    },
    sandbox: {
      settings: () => readConfig().sandbox,
      approvalPolicy: () => readConfig().approvalPolicy,
      onUnavailable: (reason) => {
        // Fails closed: without a sandbox, every command not known to be read-only waits for approval.
        log.warn(`No OS sandbox for commands: ${reason}`);
        void vscode.window.showWarningMessage(vscode.l10n.t('Tandem: no sandbox for commands here ({0}). Tandem will ask before every command that is not known to be read-only.', reason));
      },
    },
  }));
  // Probe soon after activation (one short spawn), so a missing sandbox is announced at start, not mid-task.
  const probe = setTimeout(() => runner.sandboxStatus(), 0);
  disposables.add({ dispose: () => clearTimeout(probe) });
  const terminal = disposables.add(new TerminalMirror());
  // The review reports hunk decisions through the controller, which hands them to the chat they belong to.
  const reviews = disposables.add(new ReviewManager((event) => controller.recordReviewEvent(event), log));
  // Checkpoints of every turn in the extension's storage (never in the workspace); commands are scanned around.
  const checkpoints = disposables.add(new CheckpointService(vscode.Uri.joinPath(context.globalStorageUri, 'checkpoints').fsPath, store.dir, log));
  const controller = disposables.add(new ChatController(context, store, apiKeys, runner, terminal, log, reviews));
  controller.attachCheckpoints(checkpoints);
  disposables.add(vscode.languages.registerCodeLensProvider({ scheme: 'file' }, new ReviewCodeLensProvider(reviews)));
  disposables.add(new ReviewDecorations(reviews));
  disposables.add(new ReviewStatusBar(reviews));
  disposables.add(vscode.workspace.registerTextDocumentContentProvider(PROPOSAL_SCHEME, disposables.add(new ProposalDocuments(reviews))));
  disposables.add(registerReviewCommands(reviews));
  const view = disposables.add(
    new ChatViewProvider(context.extensionUri, { onReady: () => void controller.onReady(), onMessage: (m) => controller.onMessage(m) }, log),
  );
  controller.attachView(view);
  // Chats in editor tabs, and the badge / notification for chats that wait for the user (src/vscode/chats).
  const panels = disposables.add(new ChatPanels(context.extensionUri, controller, log, context.workspaceState));
  controller.attachPanels(panels);
  disposables.add(registerChatPanelCommands(panels, controller, () => view.reveal()));
  disposables.add(new ChatAttention(controller, view));
  await controller.restore();
  // An empty chat the sidebar shows was made before the restored ones: it goes after them, where New Chat puts it.
  if (controller.activeChat.currentStatus === 'new') controller.registry.moveToEnd(controller.activeChat);
  // Chat tabs open before a reload come back once the chats are restored (the sidebar's chat is known by then).
  disposables.add(registerChatPanelSerializer(panels));

  disposables.add(vscode.window.registerWebviewViewProvider(ChatViewProvider.viewId, view));
  disposables.add(registerNewChat(controller, view));
  disposables.add(registerShowHistory(controller, view));
  disposables.add(registerCompactConversation(controller, view)); // same path as /compact in the composer
  disposables.add(registerShowSkills(log)); // which skills a chat gets, where from; opens a SKILL.md
  disposables.add(registerSetApiKey(apiKeys));
  disposables.add(registerClearApiKey(apiKeys));
  // header pickers (the model is per chat), "Choose Provider" (walkthrough)
  disposables.add(registerSetupCommands(apiKeys, (chatId) => (chatId !== undefined ? controller.chat(chatId) : controller.activeChat)));
  disposables.add(registerFixThis(controller, view, apiKeys, log)); // Fix This / Explain This / Add to Chat, quick fix
  disposables.add(registerCodeReview(context, apiKeys, log, controller, reviews)); // Review Changes, findings as comment threads, /review in the chat
  disposables.add(vscode.commands.registerCommand('tandem.showLog', () => log.show()));
  disposables.add(registerMcp(context, log)); // MCP servers (started in the background), their view, their tools for new chats
  log.info(`Tandem activated in ${Math.round(performance.now() - started)} ms (session store: ${store.dir}).`);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
