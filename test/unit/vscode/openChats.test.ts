// Which chats a reload reopens: what is stored is read back in order, junk in the workspace state reads as
// nothing (an id not of a chat's form never reaches the session store), an empty chat is never remembered
// as the one shown, and the list is bounded. The chats in editor tabs likewise (the backup for a tab that
// comes back without its page state).
import { describe, expect, it } from 'vitest';
import { OpenChats, TabbedChats } from '../../../src/vscode/chats/openChats';
import { MemoryMemento } from './memoryMemento';

const open = (memento: MemoryMemento) => new OpenChats(memento.memento);
/** Ids of the form chatIds.ts newSessionId makes. */
const id = (n: number) => `20261207T040325-c${n}`;
const [A, B, C] = [id(1), id(2), id(3)];

describe('OpenChats', () => {
  it('reads back the chats in their order and the one the sidebar showed', () => {
    const memento = new MemoryMemento();
    open(memento).write([C, A, B], A);
    expect(open(memento).read()).toEqual({ ids: [C, A, B], activeId: A });
  });

  it('does not remember a shown chat that is not among them (an empty new chat)', () => {
    const memento = new MemoryMemento();
    open(memento).write([A], B);
    expect(open(memento).read()).toEqual({ ids: [A], activeId: undefined });
  });

  it('reads junk as nothing: non-arrays, non-strings', () => {
    const memento = new MemoryMemento();
    memento.values.set('tandem.openSessionIds', [1, A, { id: B }, null]);
    memento.values.set('tandem.currentSessionId', 42);
    expect(open(memento).read()).toEqual({ ids: [A], activeId: undefined });
    memento.values.set('tandem.openSessionIds', `${A},${B}`);
    expect(open(memento).read().ids).toEqual([]);
  });

  it('drops ids not of a chat id form (paths, empty, padded) and repeats', () => {
    const memento = new MemoryMemento();
    memento.values.set('tandem.openSessionIds', ['../../etc/passwd', '', ` ${A}`, `${A}\n`, 'a', A, B, A, '20261207T040325-', '20261207T040325-UPPER']);
    memento.values.set('tandem.currentSessionId', '../x');
    expect(open(memento).read()).toEqual({ ids: [A, B], activeId: undefined });
    memento.values.set('tandem.currentSessionId', B);
    expect(open(memento).read().activeId).toBe(B);
  });

  it('keeps the newest 20, and writes only when something changed', () => {
    const memento = new MemoryMemento();
    const chats = open(memento);
    const ids = Array.from({ length: 25 }, (_, i) => id(i));
    chats.write(ids, id(24));
    expect(open(memento).read()).toEqual({ ids: ids.slice(5), activeId: id(24) });
    const writes = memento.updates;
    chats.write(ids, id(24));
    expect(memento.updates).toBe(writes);
  });
});

describe('TabbedChats', () => {
  const tabs = (memento: MemoryMemento) => new TabbedChats(memento.memento);

  it('reads back the chats in tabs, in order; none once the last tab closed', () => {
    const memento = new MemoryMemento();
    tabs(memento).write([B, A]);
    expect(tabs(memento).read()).toEqual([B, A]);
    tabs(memento).write([]);
    expect(tabs(memento).read()).toEqual([]);
    expect(memento.values.has('tandem.tabSessionIds')).toBe(false);
  });

  it('reads junk as nothing and drops ids not of a chat id form, and repeats', () => {
    const memento = new MemoryMemento();
    memento.values.set('tandem.tabSessionIds', [A, '../x', 7, null, A, { id: B }, C]);
    expect(tabs(memento).read()).toEqual([A, C]);
    memento.values.set('tandem.tabSessionIds', { [A]: true });
    expect(tabs(memento).read()).toEqual([]);
  });

  it('never stores an id of no chat, and writes only when something changed', () => {
    const memento = new MemoryMemento();
    const store = tabs(memento);
    store.write(['../../etc/passwd', A]);
    expect(memento.values.get('tandem.tabSessionIds')).toEqual([A]);
    const writes = memento.updates;
    store.write([A]);
    expect(memento.updates).toBe(writes);
  });
});
