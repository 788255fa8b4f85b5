// The host's side of the paged chat history: how the newest page and the older ones are cut, that the
// pages asked for one after another give back the whole history in order, what `loadOlder` answers (and
// does not answer: another session, ids the chat does not hold, malformed requests), and the reducer's
// merge of an older page in front of what the view holds.
import { describe, expect, it } from 'vitest';
import { LAST_TURN_MAX_ENTRIES, answerLoadOlder, newestPage, pageBefore, PAGE_MAX_CHARS, PAGE_MAX_ENTRIES, prependEntries } from '../../../src/shared/chatHistoryPages';
import { applyEvent, emptyChatState, type ChatEntry, type ChatState } from '../../../src/shared/chatState';
import { parseWebviewMessage } from '../../../src/shared/protocol';

function stateOf(entries: ChatEntry[], activeTurnId?: string): ChatState {
  const state = emptyChatState();
  state.entries = entries;
  entries.forEach((e, i) => state.index.set(e.id, i));
  state.activeTurnId = activeTurnId;
  return state;
}

/** `turns` turns of a user message and an answer of `answerChars` characters each. */
function history(turns: number, answerChars = 40): ChatEntry[] {
  const entries: ChatEntry[] = [];
  for (let t = 1; t <= turns; t++) {
    entries.push({ kind: 'user', id: `user-t${t}`, turnId: `t${t}`, text: `question ${t}`, at: t });
    entries.push({ kind: 'assistant', id: `msg-t${t}`, turnId: `t${t}`, text: `answer ${t} `.padEnd(answerChars, 'x'), streaming: false });
  }
  return entries;
}

/** Every page, newest first, as the view asks for them. */
function allPages(state: ChatState): ChatEntry[][] {
  const pages = [newestPage(state)];
  while (pages[pages.length - 1]!.olderCount > 0) {
    const page = pageBefore(state, pages[pages.length - 1]!.entries[0]!.id);
    expect(page).toBeDefined();
    expect(page!.entries.length).toBeGreaterThan(0);
    pages.push(page!);
  }
  return pages.map((p) => p.entries);
}

describe('history pages (host)', () => {
  it('sends a short chat whole', () => {
    const state = stateOf(history(3));
    expect(newestPage(state)).toEqual({ entries: state.entries, olderCount: 0 });
    expect(newestPage(emptyChatState())).toEqual({ entries: [], olderCount: 0 });
  });

  it('cuts a long chat into pages of at most PAGE_MAX_ENTRIES that give back the whole history in order', () => {
    const state = stateOf(history(5_500)); // 11,000 entries, like the 10,000-message workload
    const first = newestPage(state);
    expect(first.entries).toHaveLength(PAGE_MAX_ENTRIES);
    expect(first.olderCount).toBe(11_000 - PAGE_MAX_ENTRIES);
    expect(first.entries[first.entries.length - 1]).toBe(state.entries[state.entries.length - 1]);
    const pages = allPages(state);
    for (const page of pages) expect(page.length).toBeLessThanOrEqual(PAGE_MAX_ENTRIES);
    const joined = pages.reverse().flat();
    expect(joined).toHaveLength(state.entries.length);
    expect(joined.every((e, i) => e === state.entries[i])).toBe(true);
  });

  it('bounds a page by its text too, and still sends an entry larger than a page', () => {
    const state = stateOf(history(100, 20_000));
    const first = newestPage(state);
    const chars = first.entries.reduce((n, e) => n + ('text' in e ? e.text.length : 0), 0);
    expect(first.entries.length).toBeLessThan(PAGE_MAX_ENTRIES);
    expect(chars).toBeLessThan(PAGE_MAX_CHARS + 20_000 + 200);
    const huge = stateOf([{ kind: 'tool', id: 'c1', turnId: 't1', tool: 'exec_command', title: 'cat big', output: 'x'.repeat(PAGE_MAX_CHARS * 3), status: 'ok' }, ...history(1)]);
    const pages = allPages(huge);
    expect(pages.reverse().flat().map((e) => e.id)).toEqual(huge.entries.map((e) => e.id));
  });

  it('sends the last turn whole (the view walks the turn in progress; ↑ recalls its message), up to a bound', () => {
    const running: ChatEntry[] = [{ kind: 'user', id: 'user-live', turnId: 'live', text: 'go', at: 1 }];
    for (let i = 0; i < PAGE_MAX_ENTRIES * 2; i++) running.push({ kind: 'tool', id: `c${i}`, turnId: 'live', tool: 'exec_command', title: 'ls', output: '', status: 'ok' });
    for (const activeTurnId of ['live', undefined]) {
      const first = newestPage(stateOf([...history(300), ...running], activeTurnId));
      expect(first.entries[0]!.id).toBe('user-live');
      expect(first.entries).toHaveLength(running.length);
      expect(first.olderCount).toBe(600);
    }

    const endless: ChatEntry[] = [];
    for (let i = 0; i < LAST_TURN_MAX_ENTRIES + 50; i++) endless.push({ kind: 'notice', id: `n${i}`, turnId: 'live', text: 'retrying' });
    expect(newestPage(stateOf(endless, 'live')).entries).toHaveLength(LAST_TURN_MAX_ENTRIES);
  });

  it('answers loadOlder for this session and an id it holds, and nothing else', () => {
    const state = stateOf(history(500));
    const first = newestPage(state);
    const beforeId = first.entries[0]!.id;
    const reply = answerLoadOlder(state, 's1', { type: 'loadOlder', sessionId: 's1', beforeId });
    expect(reply).toMatchObject({ type: 'olderEntries', sessionId: 's1', beforeId, olderCount: first.olderCount - PAGE_MAX_ENTRIES });
    const entries = reply?.type === 'olderEntries' ? reply.entries : [];
    expect(entries[entries.length - 1]).toBe(state.entries[first.olderCount - 1]);
    expect(answerLoadOlder(state, 's1', { type: 'loadOlder', sessionId: 'other', beforeId })).toBeUndefined();
    for (const id of ['nope', '__proto__', 'constructor', 'toString']) expect(answerLoadOlder(state, 's1', { type: 'loadOlder', sessionId: 's1', beforeId: id })).toBeUndefined();
    // The first entry of the chat has nothing before it: an empty last page that says so.
    expect(answerLoadOlder(state, 's1', { type: 'loadOlder', sessionId: 's1', beforeId: state.entries[0]!.id })).toMatchObject({ entries: [], olderCount: 0 });
  });

  it('parses loadOlder from the webview strictly', () => {
    expect(parseWebviewMessage({ type: 'loadOlder', sessionId: 's1', beforeId: 'user-t1', extra: 1 })).toEqual({ type: 'loadOlder', sessionId: 's1', beforeId: 'user-t1' });
    for (const bad of [
      { type: 'loadOlder' },
      { type: 'loadOlder', sessionId: 's1' },
      { type: 'loadOlder', beforeId: 'x' },
      { type: 'loadOlder', sessionId: '', beforeId: 'x' },
      { type: 'loadOlder', sessionId: 's1', beforeId: '' },
      { type: 'loadOlder', sessionId: 's1', beforeId: 7 },
      { type: 'loadOlder', sessionId: ['s1'], beforeId: 'x' },
      { type: 'loadOlder', sessionId: 's1', beforeId: 'x'.repeat(1_001) },
      { type: 'loadOlder', sessionId: 's'.repeat(301), beforeId: 'x' },
    ]) {
      expect(parseWebviewMessage(bad)).toBeUndefined();
    }
  });
});

describe('prependEntries (the view merges an older page)', () => {
  it('puts the page in front, re-indexes, and later events find the entries at their new places', () => {
    const all = history(4);
    const state = stateOf(all.slice(4));
    expect(prependEntries(state, all.slice(0, 4))).toBe(4);
    expect(state.entries.map((e) => e.id)).toEqual(all.map((e) => e.id));
    state.entries.forEach((e, i) => expect(state.index.get(e.id)).toBe(i));
    applyEvent(state, { type: 'message.completed', turnId: 't1', itemId: 'msg-t1', text: 'rewritten' });
    expect(state.entries[1]).toMatchObject({ id: 'msg-t1', text: 'rewritten' });
  });

  it('keeps an entry already loaded (an event made it newer) and drops repeats within the page', () => {
    const all = history(3);
    const state = stateOf(all.slice(2));
    // An event added the review card of an older turn before its page arrived.
    const review: ChatEntry = { kind: 'review', id: 'review-r1', turnId: 't1', scope: 'HEAD', trigger: 'command' };
    state.entries.push(review);
    state.index.set(review.id, state.entries.length - 1);
    const stale: ChatEntry = { ...review, scope: 'stale' };
    expect(prependEntries(state, [all[0]!, stale, all[1]!, all[1]!])).toBe(2);
    expect(state.entries.map((e) => e.id)).toEqual([all[0]!.id, all[1]!.id, ...all.slice(2).map((e) => e.id), 'review-r1']);
    expect(state.entries[state.index.get('review-r1')!]).toBe(review);
    expect(prependEntries(state, [])).toBe(0);
  });
});
