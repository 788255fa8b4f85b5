// Each chat's own model, kept in the workspace state for a reload: read back per chat, forgotten when the
// chat follows the default again, bounded, written only on a change, and junk in the store is skipped
// (a damaged entry never becomes a model id sent to a server).
import { describe, expect, it } from 'vitest';
import { ChatModelChoices, MAX_MODEL_CHOICES } from '../../../src/vscode/chats/chatModelChoices';
import { MemoryMemento } from './memoryMemento';

const KEY = 'tandem.chatModels';
const id = (n: number) => `20261207T040325-m${n}`;
const choices = (memento: MemoryMemento) => new ChatModelChoices(memento.memento);

describe('ChatModelChoices', () => {
  it('keeps each chat its own model and provider across a new reader (a reload)', () => {
    const memento = new MemoryMemento();
    choices(memento).set(id(1), { model: 'gpt-4.1-mini', provider: 'openai' });
    choices(memento).set(id(2), { model: 'qwen3:8b', provider: 'ollama' });
    const after = choices(memento);
    expect(after.get(id(1))).toEqual({ model: 'gpt-4.1-mini', provider: 'openai' });
    expect(after.get(id(2))).toEqual({ model: 'qwen3:8b', provider: 'ollama' });
    expect(after.get(id(3))).toBeUndefined();
  });

  it('forgets a chat that follows the default again, and writes only when something changed', () => {
    const memento = new MemoryMemento();
    const store = choices(memento);
    store.set(id(1), { model: 'gpt-4.1', provider: 'openai' });
    const writes = memento.updates;
    store.set(id(1), { model: 'gpt-4.1', provider: 'openai' });
    store.set(id(2), undefined); // a chat with no choice: nothing to write
    expect(memento.updates).toBe(writes);
    store.set(id(1), undefined);
    expect(choices(memento).get(id(1))).toBeUndefined();
    expect(memento.values.has(KEY)).toBe(false);
  });

  it('a newer choice of a chat replaces its older one', () => {
    const memento = new MemoryMemento();
    const store = choices(memento);
    store.set(id(1), { model: 'a', provider: 'openai' });
    store.set(id(1), { model: 'b', provider: 'custom' });
    expect(choices(memento).get(id(1))).toEqual({ model: 'b', provider: 'custom' });
    expect(memento.values.get(KEY)).toHaveLength(1);
  });

  it(`keeps the newest ${MAX_MODEL_CHOICES} chats' choices`, () => {
    const memento = new MemoryMemento();
    const store = choices(memento);
    for (let i = 0; i < MAX_MODEL_CHOICES + 5; i++) store.set(id(i), { model: `model-${i}`, provider: 'custom' });
    expect(choices(memento).get(id(0))).toBeUndefined(); // the oldest five are gone
    expect(choices(memento).get(id(5))).toEqual({ model: 'model-5', provider: 'custom' });
    store.set(id(0), { model: 'again', provider: 'custom' }); // chosen again: the newest now
    const after = choices(memento);
    for (let i = 1; i <= 5; i++) expect(after.get(id(i))).toBeUndefined(); // id(5) pushed out by it
    expect(after.get(id(0))).toEqual({ model: 'again', provider: 'custom' });
    expect(after.get(id(6))).toEqual({ model: 'model-6', provider: 'custom' });
    expect(after.get(id(MAX_MODEL_CHOICES + 4))).toEqual({ model: `model-${MAX_MODEL_CHOICES + 4}`, provider: 'custom' });
  });

  it('skips junk: wrong shapes, ids of no chat, model ids the picker refuses, unknown providers', () => {
    const memento = new MemoryMemento();
    memento.values.set(KEY, [
      null,
      'x',
      [id(1), 'gpt-4.1', 'openai'],
      { id: '../../secrets', model: 'gpt-4.1', provider: 'openai' },
      { id: id(2), model: '', provider: 'openai' },
      { id: id(3), model: 'has space', provider: 'openai' },
      { id: id(4), model: ' padded', provider: 'openai' },
      { id: id(5), model: 'x'.repeat(10_000), provider: 'openai' },
      { id: id(6), model: 42, provider: 'openai' },
      { id: id(7), model: 'gpt-4.1', provider: 'evil' },
      { id: id(8), model: 'gpt-4.1' },
      { id: id(9), model: 'gpt-4.1', provider: 'openai' },
    ]);
    const store = choices(memento);
    for (let i = 1; i <= 8; i++) expect(store.get(id(i)), `entry ${i}`).toBeUndefined();
    expect(store.get(id(9))).toEqual({ model: 'gpt-4.1', provider: 'openai' });
    memento.values.set(KEY, { [id(9)]: { model: 'gpt-4.1', provider: 'openai' } }); // not an array
    expect(choices(memento).get(id(9))).toBeUndefined();
  });

  it('never stores a choice under an id of no chat', () => {
    const memento = new MemoryMemento();
    choices(memento).set('../x', { model: 'gpt-4.1', provider: 'openai' });
    expect(memento.updates).toBe(0);
  });
});
