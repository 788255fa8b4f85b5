// "Tandem: Explain This": the same context as Fix This, answered in a short chat of its own (listed with the
// others; the user's open conversation is not sent). The turn runs read-only (no edits; only commands
// known to be read-only), whatever the approval policy.
import type * as vscode from 'vscode';
import { gatherFixContext } from '../../core/fix/gather';
import { explainPrompt, focusedTurnTitle } from '../../core/fix/prompt';
import type { DiagnosticInfo } from '../../core/fix/types';
import type { ApiKeyStore } from '../apiKey';
import type { ChatController } from '../chatController';
import type { ChatViewProvider } from '../chatViewProvider';
import { readFixInput } from './documentInput';
import { showRefusal, whyNotAsk } from './preflight';

export async function explainThis(
  deps: { controller: ChatController; view: ChatViewProvider; apiKeys: ApiKeyStore },
  document: vscode.TextDocument,
  selection: vscode.Range,
  focus?: DiagnosticInfo,
): Promise<void> {
  const refusal = await whyNotAsk(deps.apiKeys);
  if (refusal) return showRefusal(refusal);
  const ctx = gatherFixContext(await readFixInput(document, selection, focus));
  await deps.view.reveal();
  await deps.controller.sendFocused(explainPrompt(ctx), { mode: 'read-only', onEvent: () => undefined }, focusedTurnTitle('Explain This', ctx));
}
