// The order of the open chats (the chat list's, oldest first) is the insertion order of the registry's map
// (chatRegistry.ts). Moving one chat to the end is kept apart from the vscode API so its guard is
// unit-tested: only the chat open under that id moves; a chat closed meanwhile is never put back.

/** Moves `chat` to the end of `chats` (keyed by id); false, and nothing changes, when it is not the one open under its id. */
export function moveToEnd<T>(chats: Map<string, T>, id: string, chat: T): boolean {
  if (chats.get(id) !== chat) return false;
  chats.delete(id);
  chats.set(id, chat);
  return true;
}
