// "Fix with Tandem" in the lightbulb / quick-fix menu of every diagnostic, in every language: the action
// runs `tandem.fixThis` with that diagnostic, so the fix is built around it.
import * as vscode from 'vscode';
import { fixCommandArgs } from '../../core/fix/args';
import { toDiagnosticInfo } from './documentInput';

/** More would crowd the menu; the first few are the ones under the cursor anyway. */
const MAX_ACTIONS = 5;

export class FixCodeActionProvider implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext): vscode.CodeAction[] {
    if (context.only && !context.only.contains(vscode.CodeActionKind.QuickFix) && !vscode.CodeActionKind.QuickFix.contains(context.only)) return [];
    const diagnostics = context.diagnostics.slice(0, MAX_ACTIONS);
    return diagnostics.map((diagnostic) => {
      const title = diagnostics.length === 1 ? 'Fix with Tandem' : `Fix with Tandem: ${shorten(diagnostic.message)}`;
      const action = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
      action.diagnostics = [diagnostic];
      action.command = { command: 'tandem.fixThis', title, arguments: [fixCommandArgs(document.uri.toString(), toDiagnosticInfo(diagnostic))] };
      return action;
    });
  }
}

function shorten(message: string): string {
  const line = message.split(/\r?\n/)[0]!.trim();
  return line.length <= 60 ? line : `${line.slice(0, 59)}…`;
}
