// Chat ids read back from outside this run: only the form newSessionId makes (and a sub-agent's) is taken,
// and a restored tab's page state names a chat only through a well-formed `chatId`.
import { describe, expect, it } from 'vitest';
import { chatIdOfTabState, isChatSessionId, newSessionId } from '../../../src/vscode/chats/chatIds';

describe('chat ids', () => {
  it('takes the ids this extension makes', () => {
    for (let i = 0; i < 50; i++) expect(isChatSessionId(newSessionId())).toBe(true);
    expect(isChatSessionId('20261207T040325-abc123-agent2')).toBe(true); // a sub-agent's transcript
  });

  it('refuses anything else: paths, separators, whitespace, other types, absurd lengths', () => {
    for (const bad of ['', 'a', '../20261207T040325-abc123', '20261207T040325-abc123/..', '20261207T040325-abc123\n', ' 20261207T040325-abc123', '20261207T040325-ABC123', '20261207T040325-abc123.jsonl', '2026120T040325-abc123', `20261207T040325-${'a'.repeat(40)}`, '20261207T040325-abc123-agent', 42, null, undefined, {}, ['20261207T040325-abc123']]) {
      expect(isChatSessionId(bad), JSON.stringify(bad)).toBe(false);
    }
  });
});

describe('chatIdOfTabState', () => {
  it('reads the chat id the page saved', () => {
    expect(chatIdOfTabState({ chatId: '20261207T040325-abc123' })).toBe('20261207T040325-abc123');
  });

  it('is undefined for a missing, damaged or forged state', () => {
    for (const state of [undefined, null, 'x', 7, [], ['20261207T040325-abc123'], {}, { chatId: 7 }, { chatId: '../../x' }, { id: '20261207T040325-abc123' }, { chatId: { toString: () => '20261207T040325-abc123' } }]) {
      expect(chatIdOfTabState(state), JSON.stringify(state)).toBeUndefined();
    }
  });
});
