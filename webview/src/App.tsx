// Layout of the chat view: the open chats (sidebar only), header line, conversation, composer.
import { ChatList } from './ChatList';
import { Composer } from './Composer';
import { AppContext, useMeta, type AppServices } from './context';
import { Header } from './Header';
import { MessageList } from './MessageList';

function Layout({ virtualize }: { virtualize: boolean | undefined }) {
  const { sessionId } = useMeta();
  return (
    <div className="app">
      <ChatList />
      <Header />
      <MessageList {...(virtualize !== undefined ? { virtualize } : {})} sessionKey={sessionId ?? ''} />
      <Composer />
    </div>
  );
}

export function App({ services, virtualize }: { services: AppServices; virtualize?: boolean }) {
  return (
    <AppContext.Provider value={services}>
      <Layout virtualize={virtualize} />
    </AppContext.Provider>
  );
}
