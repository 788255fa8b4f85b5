// Which chats a reload reopens: what is stored is read back, junk in the workspace state reads as nothing,
// an empty chat is never remembered as the one shown, and the list is bounded.
import { describe, expect, it } from 'vitest';
import type * as vscode from 'vscode';
import { OpenChats } from '../../../src/vscode/chats/openChats';

class MemoryMemento implements Pick<vscode.Memento, 'get' | 'update' | 'keys'> {
  readonly values = new Map<string, unknown>();
  updates = 0;
  keys(): readonly string[] {
    return [...this.values.keys()];
  }
  get<T>(key: string, fallback?: T): T | undefined {
    return (this.values.has(key) ? this.values.get(key) : fallback) as T | undefined;
  }
  update(key: string, value: unknown): Thenable<void> {
    this.updates++;
    if (value === undefined) this.values.delete(key);
    else this.values.set(key, value);
    return Promise.resolve();
  }
}

const open = (memento: MemoryMemento) => new OpenChats(memento as unknown as vscode.Memento);

describe('OpenChats', () => {
  it('reads back the chats and the one the sidebar showed', () => {
    const memento = new MemoryMemento();
    open(memento).write(['a', 'b'], 'b');
    expect(open(memento).read()).toEqual({ ids: ['a', 'b'], activeId: 'b' });
  });

  it('does not remember a shown chat that is not among them (an empty new chat)', () => {
    const memento = new MemoryMemento();
    open(memento).write(['a'], 'fresh');
    expect(open(memento).read()).toEqual({ ids: ['a'], activeId: undefined });
  });

  it('reads junk as nothing: non-arrays, non-strings', () => {
    const memento = new MemoryMemento();
    memento.values.set('tandem.openSessionIds', [1, 'ok', { id: 'x' }, null]);
    memento.values.set('tandem.currentSessionId', 42);
    expect(open(memento).read()).toEqual({ ids: ['ok'], activeId: undefined });
    memento.values.set('tandem.openSessionIds', 'a,b');
    expect(open(memento).read().ids).toEqual([]);
  });

  it('keeps the newest 20, and writes only when something changed', () => {
    const memento = new MemoryMemento();
    const chats = open(memento);
    const ids = Array.from({ length: 25 }, (_, i) => `c${i}`);
    chats.write(ids, 'c24');
    expect(open(memento).read()).toEqual({ ids: ids.slice(5), activeId: 'c24' });
    const writes = memento.updates;
    chats.write(ids, 'c24');
    expect(memento.updates).toBe(writes);
  });
});
