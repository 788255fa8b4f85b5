// The editor commands: "Tandem: Fix This" (context menu, keybinding, palette; and "Fix with Tandem" in
// the quick-fix menu of every diagnostic), "Tandem: Explain This" and "Tandem: Add to Chat". They work on
// the active editor's selection, or on the enclosing function/block when nothing is selected; the
// quick-fix action names its document and diagnostic instead (validated: arguments are untrusted).
import * as vscode from 'vscode';
import { parseFixCommandArgs } from '../../core/fix/args';
import type { DiagnosticInfo } from '../../core/fix/types';
import type { ApiKeyStore } from '../apiKey';
import type { ChatController } from '../chatController';
import type { ChatViewProvider } from '../chatViewProvider';
import { DisposableStore } from '../disposables';
import { addToChat } from '../fix/addToChat';
import { FixCodeActionProvider } from '../fix/codeActions';
import { toVscodeRange } from '../fix/documentInput';
import { explainThis } from '../fix/explain';
import { FixRunner } from '../fix/fixRun';

interface Target {
  document: vscode.TextDocument;
  selection: vscode.Range;
  focus?: DiagnosticInfo;
}

/** The document and range a command applies to, or undefined (after telling the user) when there is none. */
async function targetOf(raw: unknown, verb: string): Promise<Target | undefined> {
  const args = parseFixCommandArgs(raw);
  if (args) {
    const uri = vscode.Uri.parse(args.uri, true);
    const editor = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString());
    const document = editor?.document ?? (await vscode.workspace.openTextDocument(uri).then((d) => d, () => undefined));
    if (document) {
      const range = toVscodeRange(args.diagnostic.range);
      return { document, selection: new vscode.Range(range.start, range.start), focus: args.diagnostic };
    }
  }
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Tandem: open a file and put the cursor in (or select) the code to {0}.', verb));
    return undefined;
  }
  return { document: editor.document, selection: editor.selection };
}

export function registerFixThis(controller: ChatController, view: ChatViewProvider, apiKeys: ApiKeyStore, log: vscode.LogOutputChannel): vscode.Disposable {
  const store = new DisposableStore();
  const runner = store.add(new FixRunner(controller, view, apiKeys, log));
  const guarded = (name: string, body: (raw: unknown) => Promise<void>) => async (raw: unknown) => {
    try {
      await body(raw);
    } catch (error) {
      log.error(`${name} failed:`, error);
      void vscode.window.showErrorMessage(vscode.l10n.t('Tandem: {0} failed: {1}', name, error instanceof Error ? error.message : String(error)));
    }
  };
  store.add(
    vscode.commands.registerCommand(
      'tandem.fixThis',
      guarded('Fix This', async (raw) => {
        const target = await targetOf(raw, 'fix');
        if (target) await runner.fix(target);
      }),
    ),
  );
  store.add(
    vscode.commands.registerCommand(
      'tandem.explainThis',
      guarded('Explain This', async (raw) => {
        const target = await targetOf(raw, 'explain');
        if (target) await explainThis({ controller, view, apiKeys }, target.document, target.selection, target.focus);
      }),
    ),
  );
  store.add(
    vscode.commands.registerCommand(
      'tandem.addToChat',
      guarded('Add to Chat', async (raw) => {
        const target = await targetOf(raw, 'add to the chat');
        if (target) await addToChat({ controller, view }, target.document, target.selection);
      }),
    ),
  );
  store.add(vscode.languages.registerCodeActionsProvider({ scheme: 'file' }, new FixCodeActionProvider(), FixCodeActionProvider.metadata));
  return store;
}
