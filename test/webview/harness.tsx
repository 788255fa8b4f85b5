// Shared set-up for the webview tests: a fake host channel, the app mounted on it, and helpers to play
// host messages. Import it before anything that renders (it patches jsdom gaps first).
import { act } from 'react';
import type { ChatEntry } from '../../src/shared/chatState';
import type { AgentEvent } from '../../src/shared/events';
import type { HostToWebview, ViewConfig, WebviewToHost } from '../../src/shared/protocol';
import type { HostChannel } from '../../webview/src/host';
import { mount, type Mounted } from '../../webview/src/mount';

// Tells React that updates are wrapped in act() here (RTL's own auto-setup needs vitest globals).
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

// jsdom has attachInternals but no form-association methods; vscode-button calls setFormValue on update.
const proto = (globalThis as unknown as { ElementInternals?: { prototype: Record<string, unknown> } }).ElementInternals?.prototype;
if (proto && typeof proto.setFormValue !== 'function') proto.setFormValue = () => undefined;
if (typeof HTMLElement !== 'undefined' && typeof HTMLElement.prototype.attachInternals !== 'function') {
  HTMLElement.prototype.attachInternals = function () {
    return { setFormValue: () => undefined, form: null } as unknown as ElementInternals;
  };
}

export interface FakeChannel extends HostChannel {
  posted: WebviewToHost[];
  /** Whether a handler was listening when each message was posted. */
  listeningAtPost: boolean[];
  emit(msg: HostToWebview): void;
}

export function fakeChannel(): FakeChannel {
  let handler: ((msg: HostToWebview) => void) | undefined;
  const channel: FakeChannel = {
    posted: [],
    listeningAtPost: [],
    post(msg) {
      channel.posted.push(msg);
      channel.listeningAtPost.push(handler !== undefined);
    },
    onMessage(h) {
      handler = h;
      return () => {
        handler = undefined;
      };
    },
    emit(msg) {
      handler?.(msg);
    },
  };
  return channel;
}

export const CONFIG: ViewConfig = {
  model: 'test-model',
  wireApi: 'responses',
  baseUrl: 'https://api.openai.com/v1',
  provider: 'openai',
  keyRequired: true,
  approvalPolicy: 'ask',
  hasApiKey: true,
  trusted: true,
  sandbox: { state: 'enforced', detail: 'Commands run in bwrap.' },
  contextWindow: 400_000,
};
export const SESSION = 's1';

/** `olderCount`: entries of the history before `entries` (paged history: sent on `loadOlder`). */
export function snapshot(entries: ChatEntry[], activeTurnId?: string, config: ViewConfig = CONFIG, olderCount = 0): HostToWebview {
  return {
    type: 'snapshot',
    sessionId: SESSION,
    entries,
    olderCount,
    activeTurnId,
    usage: { inputTokens: 0, cachedInputTokens: 0, outputTokens: 0, lastInputTokens: 0, lastCachedInputTokens: 0 },
    config,
  };
}

export interface Harness {
  channel: FakeChannel;
  mounted: Mounted;
  container: HTMLElement;
  /** Delivers a host message and flushes React. */
  emit(msg: HostToWebview): void;
  /** Delivers agent events of the current session. */
  events(...events: AgentEvent[]): void;
  /** Messages posted to the host, minus the initial `ready`. */
  sent(): WebviewToHost[];
  dispose(): void;
}

export function setup(initial?: HostToWebview): Harness {
  const channel = fakeChannel();
  const container = document.createElement('div');
  document.body.appendChild(container);
  let mounted!: Mounted;
  act(() => {
    mounted = mount(container, channel, { virtualize: false });
  });
  const emit = (msg: HostToWebview) => act(() => channel.emit(msg));
  if (initial) emit(initial);
  return {
    channel,
    mounted,
    container,
    emit,
    events: (...events) => act(() => events.forEach((event) => channel.emit({ type: 'event', sessionId: SESSION, event }))),
    sent: () => channel.posted.filter((m) => m.type !== 'ready'),
    dispose() {
      act(() => mounted.unmount());
      container.remove();
    },
  };
}
