// Store and host channel for every component, without threading them through each row's props.
import { createContext, useCallback, useContext, useSyncExternalStore } from 'react';
import type { ChatEntry } from '../../src/shared/chatState';
import type { WebviewToHost } from '../../src/shared/protocol';
import type { ContextChips } from './contextChips';
import type { HostChannel } from './host';
import type { ChatStore, ViewMeta } from './store';

export interface AppServices {
  store: ChatStore;
  host: HostChannel;
  /** The composer's "Add to Chat" chips; absent where nothing can attach context. */
  chips?: ContextChips;
}

export const AppContext = createContext<AppServices | undefined>(undefined);

export function useServices(): AppServices {
  const services = useContext(AppContext);
  if (!services) throw new Error('AppContext is missing: render inside <App>.');
  return services;
}

export function usePost(): (msg: WebviewToHost) => void {
  const { host } = useServices();
  return useCallback((msg: WebviewToHost) => host.post(msg), [host]);
}

export function useEntryIds(): readonly string[] {
  const { store } = useServices();
  return useSyncExternalStore(store.subscribe, store.getIds);
}

export function useMeta(): ViewMeta {
  const { store } = useServices();
  return useSyncExternalStore(store.subscribe, store.getMeta);
}

export function useEntry(id: string): ChatEntry | undefined {
  const { store } = useServices();
  const subscribe = useCallback((l: () => void) => store.subscribeEntry(id, l), [store, id]);
  const get = useCallback(() => store.getEntry(id), [store, id]);
  return useSyncExternalStore(subscribe, get);
}
