// The ids of chats (their sessions' ids), and the check that an id read back from storage is one: the
// workspace state and a restored tab's page state are data from outside this run, so an id from there is
// used only when it has the form this file makes (it becomes a file name in the session store).
// No `vscode` import: unit-tested as is.

/** `YYYYMMDDTHHMMSS-xxxxxx`; a sub-agent's transcript adds `-agentN` to its parent's id (node/subagents.ts). */
const CHAT_SESSION_ID = /^\d{8}T\d{6}-[a-z0-9]{1,12}(?:-agent\d{1,6}){0,4}$/;

export function newSessionId(): string {
  const now = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
  return `${now}-${Math.random().toString(36).slice(2, 8)}`;
}

export function isChatSessionId(value: unknown): value is string {
  return typeof value === 'string' && CHAT_SESSION_ID.test(value);
}

/**
 * The chat a restored editor tab showed: webview/src/host.ts saves `{ chatId }` with the page on each
 * snapshot, and VS Code hands it back after a reload. Anything else (no state, a forged or damaged one) is
 * undefined.
 */
export function chatIdOfTabState(state: unknown): string | undefined {
  if (typeof state !== 'object' || state === null || Array.isArray(state)) return undefined;
  const id = (state as { chatId?: unknown }).chatId;
  return isChatSessionId(id) ? id : undefined;
}
