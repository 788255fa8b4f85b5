// The language models VS Code offers to extensions (Copilot's, or any extension's LanguageModelChatProvider),
// for the model picker (`listLanguageModels`) and the context meter / compaction (`languageModelContextWindow`).
// Listing needs no consent; only a request does. Light on purpose: no model client, no openai SDK, so the
// picker can call it at any time without loading the agent.
import * as vscode from 'vscode';
import { toLanguageModelInfos, windowTokens, type LanguageModelInfo } from './modelInfo';

export type { LanguageModelInfo } from './modelInfo';

export async function listLanguageModels(): Promise<LanguageModelInfo[]> {
  return toLanguageModelInfos(await vscode.lm.selectChatModels());
}

/** The context window of the model with this id (its `maxInputTokens`), or undefined when it is not there or did not say. */
export async function languageModelContextWindow(id: string): Promise<number | undefined> {
  const [model] = await vscode.lm.selectChatModels({ id });
  return windowTokens(model?.maxInputTokens) || undefined;
}
