// "Tandem: Add to Chat": the selection (or the enclosing block) with its file, line range and problems,
// attached as a chip to the next chat message. Nothing is sent until the user sends.
import type * as vscode from 'vscode';
import { gatherFixContext } from '../../core/fix/gather';
import { contextAttachment } from '../../core/fix/prompt';
import type { ChatController } from '../chatController';
import type { ChatViewProvider } from '../chatViewProvider';
import { readFixInput } from './documentInput';

export async function addToChat(deps: { controller: ChatController; view: ChatViewProvider }, document: vscode.TextDocument, selection: vscode.Range): Promise<void> {
  const ctx = gatherFixContext(await readFixInput(document, selection));
  const { label, text } = contextAttachment(ctx);
  await deps.view.reveal(); // the view (re)loads if needed; chips not shown yet are sent on its `ready`
  deps.controller.addContext(label, text);
}
