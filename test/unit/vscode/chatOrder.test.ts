// ChatRegistry.moveToEnd (src/vscode/chats/chatOrder.ts): after a reload, the empty chat the sidebar made
// before the restored chats goes after them, where New Chat puts a chat; a chat closed meanwhile, or another
// object under the same id, is never put (back) into the list.
import { describe, expect, it } from 'vitest';
import { moveToEnd } from '../../../src/vscode/chats/chatOrder';

interface FakeChat {
  id: string;
}
const chat = (id: string): FakeChat => ({ id });
const registryOf = (...chats: FakeChat[]) => new Map(chats.map((c) => [c.id, c]));
const order = (chats: Map<string, FakeChat>) => [...chats.keys()];

describe('moveToEnd', () => {
  it('moves the chat made before the restore after the restored ones, keeping their order', () => {
    const empty = chat('new');
    const chats = registryOf(empty, chat('a'), chat('b'), chat('c'));
    expect(moveToEnd(chats, empty.id, empty)).toBe(true);
    expect(order(chats)).toEqual(['a', 'b', 'c', 'new']);
    expect(chats.get('new')).toBe(empty);
  });

  it('is a no-op that still reports true for the chat already last', () => {
    const last = chat('c');
    const chats = registryOf(chat('a'), chat('b'), last);
    expect(moveToEnd(chats, last.id, last)).toBe(true);
    expect(order(chats)).toEqual(['a', 'b', 'c']);
  });

  it('never puts back a chat closed meanwhile', () => {
    const closed = chat('gone');
    const chats = registryOf(chat('a'), closed);
    chats.delete(closed.id);
    expect(moveToEnd(chats, closed.id, closed)).toBe(false);
    expect(order(chats)).toEqual(['a']);
  });

  it('never moves or replaces the chat open under that id when given another object with the same id', () => {
    const open = chat('a');
    const chats = registryOf(open, chat('b'));
    expect(moveToEnd(chats, 'a', chat('a'))).toBe(false);
    expect(order(chats)).toEqual(['a', 'b']);
    expect(chats.get('a')).toBe(open);
  });
});
