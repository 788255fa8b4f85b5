// The sidebar's open chats: each with its title and live status (working, needs approval, done, failed…),
// and New Chat. A real list of buttons: Tab reaches it, ↑/↓/Home/End move between chats, Enter or Space
// shows one; each has a Close button (closing a working chat stops it, after the host asks). Choosing a chat
// never stops anything; the host sends the chosen chat's snapshot. Shown only
// where the host sends the list (the sidebar; an editor tab shows one chat). Next to New Chat, "New Chat in
// Worktree": disabled, with the reason as its tooltip, where the workspace cannot have worktrees (no git,
// no commit, not trusted); a chat in a worktree says so in its status.
import { useRef, useSyncExternalStore, type KeyboardEvent } from 'react';
import type { ChatListItem, ChatStatus } from '../../src/shared/protocol';
import { useMeta, usePost, useServices } from './context';
import { t } from './strings';

const ICONS: Record<ChatStatus, string> = {
  new: 'comment',
  working: 'loading codicon-modifier-spin',
  'needs-approval': 'bell-dot',
  done: 'check',
  stopped: 'debug-stop',
  failed: 'error',
};

const STATUS_LABELS: Record<ChatStatus, string> = {
  new: t('chats.status.new'),
  working: t('chats.status.working'),
  'needs-approval': t('chats.status.needs-approval'),
  done: t('chats.status.done'),
  stopped: t('chats.status.stopped'),
  failed: t('chats.status.failed'),
};

function statusLabel(item: ChatListItem): string {
  const status = STATUS_LABELS[item.status];
  const where = [status, ...(item.worktree ? [t('chats.inWorktree')] : []), ...(item.shownIn === 'editor' ? [t('chats.shownInEditor')] : [])];
  return where.join(' · ');
}

export function ChatList() {
  const { store } = useServices();
  const chats = useSyncExternalStore(store.subscribeChats, store.getChats);
  const post = usePost();
  const offer = useMeta().config?.worktreeOffer;
  const list = useRef<HTMLUListElement>(null);
  if (!chats) return null;

  /** ↑/↓/Home/End between the chats' buttons, as in any list. */
  const onKeyDown = (e: KeyboardEvent<HTMLUListElement>) => {
    const buttons = [...(list.current?.querySelectorAll<HTMLButtonElement>('button.chat-item') ?? [])];
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (at < 0) return;
    const next = e.key === 'ArrowDown' ? at + 1 : e.key === 'ArrowUp' ? at - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? buttons.length - 1 : undefined;
    if (next === undefined) return;
    e.preventDefault();
    buttons[Math.max(0, Math.min(buttons.length - 1, next))]?.focus();
  };

  return (
    <nav className="chat-list" aria-label={t('chats.label')}>
      <ul ref={list} onKeyDown={onKeyDown}>
        {chats.items.map((item) => {
          const active = item.id === chats.activeId;
          return (
            <li key={item.id}>
              <button
                type="button"
                className={`chat-item status-${item.status}${active ? ' active' : ''}`}
                aria-current={active ? 'true' : undefined}
                title={item.title}
                onClick={() => !active && post({ type: 'selectChat', chatId: item.id })}
              >
                <span className={`codicon codicon-${ICONS[item.status]}`} aria-hidden="true" />
                {item.worktree && <span className="codicon codicon-worktree chat-worktree" aria-hidden="true" />}
                {/* Named by its content, so the name is the text shown: "title status" (the space is not rendered in the flex row). */}
                <span className="chat-item-title">{item.title}</span> <span className="chat-item-status">{statusLabel(item)}</span>
              </button>
              <button type="button" className="chat-close" aria-label={t('chats.close', item.title)} title={t('chats.close', item.title)} onClick={() => post({ type: 'closeChat', chatId: item.id })}>
                <span className="codicon codicon-close" aria-hidden="true" />
              </button>
            </li>
          );
        })}
      </ul>
      <div className="chat-new-row">
        <button type="button" className="chat-new" onClick={() => post({ type: 'newChat' })}>
          <span className="codicon codicon-add" aria-hidden="true" />
          {t('chats.new')}
        </button>
        {/* Offered where the host said worktrees can be made; disabled with the reason otherwise (a click lets the host say it too). */}
        {offer && (
          <button
            type="button"
            className="chat-new chat-new-worktree"
            aria-disabled={offer.available ? undefined : 'true'}
            title={offer.available ? t('chats.newInWorktree.title') : t('chats.newInWorktree.unavailable', offer.reason)}
            onClick={() => post({ type: 'runCommand', command: 'tandem.newChatInWorktree' })}
          >
            <span className="codicon codicon-worktree" aria-hidden="true" />
            {t('chats.newInWorktree')}
          </button>
        )}
      </div>
    </nav>
  );
}
