// Wires a host channel to a store and renders the app. Split from main.tsx so tests mount the same way
// with a fake channel.
import { createRoot, type Root } from 'react-dom/client';
import { App } from './App';
import { ContextChips } from './contextChips';
import { connect, type HostChannel } from './host';
import { ChatStore } from './store';

export interface Mounted {
  store: ChatStore;
  root: Root;
  unmount(): void;
}

export function mount(container: Element, host: HostChannel, options: { virtualize?: boolean } = {}): Mounted {
  const store = new ChatStore();
  const chips = new ContextChips();
  // The store listens before `ready` goes out, so the snapshot the host answers with cannot be missed.
  const disconnect = connect(host, (msg) => {
    if (msg.type === 'addContext') chips.add(msg.context);
    else if (msg.type === 'mentionResults') chips.mentions.receive(msg.requestId, msg.items);
    else store.receive(msg);
  });
  const root = createRoot(container);
  root.render(<App services={{ store, host, chips }} {...(options.virtualize !== undefined ? { virtualize: options.virtualize } : {})} />);
  return {
    store,
    root,
    unmount() {
      root.unmount();
      disconnect();
    },
  };
}
