// A chat's own model (the header's model picker, chat.ts `chooseModel`), kept per chat so a window reload,
// or reopening the chat from the history later, finds the chat on the model it was on. Kept in
// workspaceState beside the open chats (openChats.ts) rather than in the session log: it is a setting of the
// chat in this window, not part of its conversation, and the log's format stays what other readers (the
// CLI, the SDK, the history) expect. Stored with the provider it was chosen for: chat.ts ignores a choice
// made for another provider, as before a reload. What is read back is checked like any outside data.
import type * as vscode from 'vscode';
import { PROVIDER_IDS, modelProblem, type ProviderId } from '../../shared/providers';
import { isChatSessionId } from './chatIds';

export interface ModelChoice {
  model: string;
  provider: string;
}

const KEY = 'tandem.chatModels';
/** The newest choices kept; older chats follow the default model again when reopened. */
export const MAX_MODEL_CHOICES = 50;

export class ChatModelChoices {
  constructor(private readonly state: vscode.Memento) {}

  get(chatId: string): ModelChoice | undefined {
    return this.read().get(chatId);
  }

  /** `choice` undefined: the chat follows the default model (nothing is kept for it). */
  set(chatId: string, choice: ModelChoice | undefined): void {
    if (!isChatSessionId(chatId)) return;
    const all = this.read();
    const current = all.get(chatId);
    if (current?.model === choice?.model && current?.provider === choice?.provider) return;
    all.delete(chatId);
    if (choice) all.set(chatId, { model: choice.model, provider: choice.provider });
    const kept = [...all].slice(-MAX_MODEL_CHOICES).map(([id, c]) => ({ id, model: c.model, provider: c.provider }));
    void this.state.update(KEY, kept.length ? kept : undefined);
  }

  /** Oldest first; an entry of the wrong shape, an id of no chat or a model id the picker would refuse is skipped. */
  private read(): Map<string, ModelChoice> {
    const stored = this.state.get<unknown>(KEY);
    const choices = new Map<string, ModelChoice>();
    if (!Array.isArray(stored)) return choices;
    for (const entry of stored.slice(-MAX_MODEL_CHOICES)) {
      if (typeof entry !== 'object' || entry === null) continue;
      const { id, model, provider } = entry as Record<string, unknown>;
      if (!isChatSessionId(id) || typeof model !== 'string' || model !== model.trim() || modelProblem(model) !== undefined) continue;
      if (typeof provider !== 'string' || !PROVIDER_IDS.includes(provider as ProviderId)) continue;
      choices.delete(id);
      choices.set(id, { model, provider });
    }
    return choices;
  }
}
