// The composer's `@` picker: typing `@` at the start of a word asks the host for matching files, folders
// and the special items (@problems, @selection, @terminal) and lists them above the composer. ↑/↓ move,
// Enter or Tab picks, Esc closes. Picking asks the host to attach the item (it answers with a chip) and
// removes the `@query` from the text. The textarea keeps the focus; the list is its aria-activedescendant.
import { useCallback, useEffect, useRef, useState, useSyncExternalStore, type KeyboardEvent, type RefObject } from 'react';
import type { MentionItem, WebviewToHost } from '../../src/shared/protocol';
import type { MentionResults } from './contextChips';
import { t } from './strings';

const LISTBOX_ID = 'mention-listbox';
const NO_RESULTS = { requestId: -1, items: [] as readonly MentionItem[] };
const noSubscription = () => () => undefined;

/** The `@word` that ends at the caret, if the caret is in one. */
export function mentionAt(text: string, caret: number): { start: number; query: string } | undefined {
  const match = /(?:^|\s)@([^\s@]{0,100})$/.exec(text.slice(0, caret));
  if (!match) return undefined;
  const query = match[1]!;
  return { start: caret - query.length - 1, query };
}

export const ICONS: Record<string, string> = {
  file: 'file',
  folder: 'folder',
  problems: 'warning',
  selection: 'selection',
  terminal: 'terminal',
  image: 'file-media',
};

interface Mention {
  start: number;
  query: string;
  requestId: number;
}

/** The picker's state for a textarea: call `update` after every change or caret move, `onKeyDown` first. */
export function useMentions(options: { text: string; setText: (text: string) => void; textarea: RefObject<HTMLTextAreaElement | null>; post: (msg: WebviewToHost) => void; results: MentionResults | undefined }) {
  const { text, setText, textarea, post, results } = options;
  const [mention, setMentionState] = useState<Mention | undefined>();
  const current = useRef<Mention | undefined>(undefined);
  const setMention = useCallback((next: Mention | undefined) => {
    current.current = next;
    setMentionState(next);
  }, []);
  const [active, setActive] = useState(0);
  const dismissedAt = useRef<number | undefined>(undefined);
  /** The text before a pick: a select event still carrying it (the same keydown) must not reopen the picker. */
  const replaced = useRef<string | undefined>(undefined);
  const nextRequest = useRef(0);
  const answer = useSyncExternalStore(results?.subscribe ?? noSubscription, results?.get ?? (() => NO_RESULTS));
  const items = mention && answer.requestId === mention.requestId ? answer.items : [];
  const open = mention !== undefined && items.length > 0;

  const update = useCallback(
    (value: string, caret: number) => {
      if (value === replaced.current) return;
      replaced.current = undefined;
      const found = mentionAt(value, caret);
      if (!found || found.start === dismissedAt.current) {
        if (!found) dismissedAt.current = undefined;
        setMention(undefined);
        return;
      }
      const now = current.current;
      if (now && now.start === found.start && now.query === found.query) return;
      const requestId = nextRequest.current++;
      post({ type: 'mentionQuery', query: found.query, requestId });
      setActive(0);
      setMention({ ...found, requestId });
    },
    [post, setMention],
  );

  const pick = (item: MentionItem) => {
    if (!mention) return;
    post({ type: 'mentionPick', id: item.id });
    const caret = mention.start + 1 + mention.query.length;
    const rest = text.slice(caret).replace(/^ /, '');
    replaced.current = text;
    setText(text.slice(0, mention.start) + rest);
    setMention(undefined);
    const at = mention.start;
    requestAnimationFrame(() => {
      textarea.current?.focus();
      textarea.current?.setSelectionRange(at, at);
    });
  };

  /** True when the key was the picker's. */
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>): boolean => {
    if (!open || e.nativeEvent.isComposing) return false;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      const step = e.key === 'ArrowDown' ? 1 : -1;
      setActive((i) => (i + step + items.length) % items.length);
    } else if (e.key === 'Enter' || e.key === 'Tab') {
      const item = items[Math.min(active, items.length - 1)];
      if (item) pick(item);
    } else if (e.key === 'Escape') {
      dismissedAt.current = mention.start;
      setMention(undefined);
    } else return false;
    e.preventDefault();
    e.stopPropagation();
    return true;
  };

  const activeId = open ? `mention-option-${Math.min(active, items.length - 1)}` : undefined;
  // A <textarea> can only be a textbox, and a textbox has no aria-expanded (axe: aria-allowed-attr, critical):
  // the open list is announced through aria-controls and the active option through aria-activedescendant.
  const inputProps = {
    'aria-autocomplete': 'list' as const,
    'aria-controls': open ? LISTBOX_ID : undefined,
    'aria-activedescendant': activeId,
  };
  const picker = open ? <MentionPicker items={items} active={Math.min(active, items.length - 1)} onPick={pick} onHover={setActive} /> : null;
  return { update, onKeyDown, inputProps, picker };
}

export function MentionPicker(props: { items: readonly MentionItem[]; active: number; onPick: (item: MentionItem) => void; onHover: (index: number) => void }) {
  const list = useRef<HTMLUListElement>(null);
  useEffect(() => {
    list.current?.querySelector(`#mention-option-${props.active}`)?.scrollIntoView?.({ block: 'nearest' });
  }, [props.active]);
  return (
    <ul ref={list} id={LISTBOX_ID} className="mention-picker" role="listbox" aria-label={t('composer.mentions')}>
      {props.items.map((item, i) => (
        <li
          key={item.id}
          id={`mention-option-${i}`}
          role="option"
          aria-selected={i === props.active}
          className={`mention-option${i === props.active ? ' active' : ''}`}
          onMouseDown={(e) => e.preventDefault() /* keep the focus in the textarea */}
          onMouseEnter={() => props.onHover(i)}
          onClick={() => props.onPick(item)}
        >
          <span className={`codicon codicon-${ICONS[item.kind] ?? 'file'}`} aria-hidden="true" />
          <span className="mention-label">{item.label}</span>
          {item.detail && <span className="mention-detail">{item.detail}</span>}
        </li>
      ))}
    </ul>
  );
}
