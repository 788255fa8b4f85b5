// @vitest-environment jsdom
// The real channel to VS Code (webview/src/host.ts): each snapshot's chat id is saved as the page's state,
// which VS Code hands back when it restores a chat's editor tab after a reload (src/vscode/chats/chatPanels.ts);
// anything posted to the window that is not a host message is neither handled nor saved.
import { afterEach, describe, expect, it } from 'vitest';
import { createVsCodeChannel } from '../../webview/src/host';
import type { HostToWebview } from '../../src/shared/protocol';

const saved: unknown[] = [];
const posted: unknown[] = [];
(globalThis as { acquireVsCodeApi?: unknown }).acquireVsCodeApi = () => ({
  postMessage: (msg: unknown) => posted.push(msg),
  setState: (state: unknown) => saved.push(state),
});

afterEach(() => {
  saved.length = 0;
  posted.length = 0;
});

function deliver(data: unknown): void {
  window.dispatchEvent(new MessageEvent('message', { data }));
}

describe('createVsCodeChannel', () => {
  it("saves the shown chat's id with the page on each snapshot, and only then", () => {
    const channel = createVsCodeChannel(window);
    const got: HostToWebview[] = [];
    const off = channel.onMessage((msg) => got.push(msg));
    deliver({ type: 'chats', chats: [], activeId: 'x' });
    expect(saved).toEqual([]);
    deliver({ type: 'snapshot', sessionId: '20261207T040325-abc123', entries: [], olderCount: 0 });
    deliver({ type: 'snapshot', sessionId: '20261207T040325-def456', entries: [], olderCount: 0 });
    expect(saved).toEqual([{ chatId: '20261207T040325-abc123' }, { chatId: '20261207T040325-def456' }]);
    deliver({ type: 'not-ours', sessionId: 'evil' }); // another sender's message
    deliver('snapshot');
    expect(saved).toHaveLength(2);
    expect(got.map((m) => m.type)).toEqual(['chats', 'snapshot', 'snapshot']);
    off();
    deliver({ type: 'snapshot', sessionId: '20261207T040325-zzz999', entries: [], olderCount: 0 });
    expect(saved).toHaveLength(2); // unsubscribed: nothing handled, nothing saved
  });
});
