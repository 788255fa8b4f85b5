// The one channel between the webview and the extension host. Everything the view sends or receives
// goes through a `HostChannel`, so tests swap in a fake and the real one stays a thin wrapper.
import type { HostToWebview, WebviewToHost } from '../../src/shared/protocol';

export interface HostChannel {
  post(msg: WebviewToHost): void;
  /** Starts delivering host messages to `handler`; returns the unsubscribe function. */
  onMessage(handler: (msg: HostToWebview) => void): () => void;
}

interface VsCodeApi {
  postMessage(msg: unknown): void;
  /** Kept with the page: VS Code hands it back to the host when it restores an editor tab after a reload. */
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const HOST_TYPES = new Set<string>(['snapshot', 'olderEntries', 'event', 'chats', 'config', 'addContext', 'mentionResults']);

/** Anything posted to the window that is not shaped like a host message (extensions, devtools) is dropped. */
function isHostMessage(data: unknown): data is HostToWebview {
  return typeof data === 'object' && data !== null && HOST_TYPES.has((data as { type?: unknown }).type as string);
}

/** The real channel. `acquireVsCodeApi` may be called only once per page, so call this once. */
export function createVsCodeChannel(target: Window = window): HostChannel {
  const api = acquireVsCodeApi();
  return {
    post: (msg) => api.postMessage(msg),
    onMessage(handler) {
      const listener = (e: MessageEvent) => {
        if (!isHostMessage(e.data)) return;
        // The chat this page shows, so a chat tab comes back showing it after a reload (chatPanels.ts revive).
        if (e.data.type === 'snapshot') api.setState({ chatId: e.data.sessionId });
        handler(e.data);
      };
      target.addEventListener('message', listener);
      return () => target.removeEventListener('message', listener);
    },
  };
}

/**
 * Listens first, then announces `ready`: the host waits for `ready` before sending its snapshot, so no
 * message can arrive before a handler is in place.
 */
export function connect(channel: HostChannel, handler: (msg: HostToWebview) => void): () => void {
  const off = channel.onMessage(handler);
  channel.post({ type: 'ready' });
  return off;
}
