// The message box. Its text is local state, outside the chat store, so typing re-renders only this.
// Enter sends, Shift+Enter is a newline, Esc stops a running turn, ↑ in an empty box brings back the last
// message for editing. While a turn runs the composer stays usable: a message sent then is queued (shown
// above the box until the model takes it, each with Withdraw), and Stop sits next to Send; a queued message
// withdrawn (by Stop or Withdraw) comes back into the box.
// Code attached with "Tandem: Add to Chat", `@` mentions (MentionPicker.tsx) and pasted or dropped images
// show as chips above the text and go with the next message.
import { useEffect, useLayoutEffect, useRef, useState, useSyncExternalStore, type ClipboardEvent, type DragEvent, type KeyboardEvent } from 'react';
import { MAX_SEND_CHARS, type ContextChip } from '../../src/shared/protocol';
import { useMeta, usePost, useServices } from './context';
import { imageFiles, postImage } from './imageAttach';
import { ICONS, useMentions } from './MentionPicker';
import { PendingInputs } from './PendingInputs';
import type { ViewMeta } from './store';
import { t } from './strings';

const NO_CHIPS: readonly ContextChip[] = [];

/** Says what is going on: while a turn runs, whether Tandem works or waits for the user (and on what). */
function placeholder(running: boolean, waiting: ViewMeta['waiting'], hasChips: boolean): string {
  if (waiting === 'approval') return t('composer.placeholder.approval');
  if (waiting === 'review') return t('composer.placeholder.review');
  if (running) return t('composer.placeholder.running');
  return hasChips ? t('composer.placeholder.context') : t('composer.placeholder');
}
const noSubscription = () => () => undefined;

export function Composer() {
  const [text, setText] = useState('');
  const { activeTurnId, waiting } = useMeta();
  const post = usePost();
  const textarea = useRef<HTMLTextAreaElement>(null);
  const { chips: chipStore, store } = useServices();
  const chips = useSyncExternalStore(chipStore?.subscribe ?? noSubscription, chipStore?.get ?? (() => NO_CHIPS));
  const [notice, setNotice] = useState<string | undefined>();
  const mentions = useMentions({ text, setText, textarea, post, results: chipStore?.mentions });
  const running = activeTurnId !== undefined;
  const canSend = text.trim() !== '' && text.length <= MAX_SEND_CHARS;

  // A queued message withdrawn (Stop, Withdraw) comes back, in front of whatever is being typed.
  useEffect(
    () =>
      store.onWithdrawn((withdrawn) => {
        setText((current) => (current.trim() === '' ? withdrawn : `${withdrawn}\n\n${current}`));
        textarea.current?.focus();
      }),
    [store],
  );

  // A chip just arrived: the user is about to ask about it.
  const chipCount = useRef(chips.length);
  useEffect(() => {
    if (chips.length > chipCount.current) textarea.current?.focus();
    chipCount.current = chips.length;
  }, [chips.length]);

  // ↑ recalled the last message: put the caret at its end once it is in the box.
  const caretToEnd = useRef(false);
  useLayoutEffect(() => {
    if (!caretToEnd.current) return;
    caretToEnd.current = false;
    const box = textarea.current;
    box?.setSelectionRange(box.value.length, box.value.length);
  }, [text]);

  const send = () => {
    if (!canSend) return;
    post({ type: 'send', text, ...(chips.length > 0 ? { contextIds: chips.map((c) => c.id) } : {}) });
    chipStore?.clear();
    setText('');
    setNotice(undefined);
    textarea.current?.focus();
  };

  const removeChip = (id: string) => {
    post({ type: 'removeContext', id });
    chipStore?.remove(id);
    textarea.current?.focus();
  };

  const stop = () => {
    post({ type: 'stop' });
    textarea.current?.focus();
  };

  /** Pasted or dropped files: images become chips (through the host); other files are ignored. */
  const attachFiles = (files: readonly File[]): boolean => {
    const { images, refused } = imageFiles(files);
    setNotice(refused.length ? refused.join(' ') : undefined);
    for (const image of images) void postImage(image, post);
    return images.length > 0 || refused.length > 0;
  };
  const onPaste = (e: ClipboardEvent<HTMLTextAreaElement>) => {
    if (chipStore && e.clipboardData.files.length > 0 && attachFiles([...e.clipboardData.files])) e.preventDefault();
  };
  const onDrop = (e: DragEvent<HTMLDivElement>) => {
    if (chipStore && e.dataTransfer.files.length > 0 && attachFiles([...e.dataTransfer.files])) e.preventDefault();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (mentions.onKeyDown(e)) return;
    // An IME composition uses Enter to pick a candidate, not to send.
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      send();
    } else if (e.key === 'Escape' && running) {
      e.preventDefault();
      stop();
    } else if (e.key === 'ArrowUp' && text === '' && !e.shiftKey && !e.altKey && !e.ctrlKey && !e.metaKey && !e.nativeEvent.isComposing) {
      const last = store.lastUserText();
      if (last === undefined || last === '') return;
      e.preventDefault();
      caretToEnd.current = true;
      setText(last);
    }
  };

  return (
    <div className="composer-box" onDragOver={(e) => chipStore && e.dataTransfer.types.includes('Files') && e.preventDefault()} onDrop={onDrop}>
      {mentions.picker}
      <PendingInputs />
      {notice && (
        <p className="composer-notice" role="status">
          {notice}
        </p>
      )}
      {chips.length > 0 && (
        <ul className="context-chips" aria-label={t('composer.chips')}>
          {chips.map((chip) => (
            <li key={chip.id} className="context-chip" title={chip.preview}>
              <span className={`codicon codicon-${(chip.kind && ICONS[chip.kind]) || 'file-code'}`} aria-hidden="true" />
              <span className="context-chip-label">{chip.label}</span>
              <button type="button" className="context-chip-remove" aria-label={t('composer.removeChip', chip.label)} onClick={() => removeChip(chip.id)}>
                <span className="codicon codicon-close" aria-hidden="true" />
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="composer">
        <textarea
          ref={textarea}
          className="composer-input"
          aria-label={t('composer.label')}
          placeholder={placeholder(running, waiting, chips.length > 0)}
          rows={1}
          value={text}
          autoFocus
          {...(chipStore ? mentions.inputProps : {})}
          onChange={(e) => {
            setText(e.target.value);
            if (chipStore) mentions.update(e.target.value, e.target.selectionStart);
          }}
          onSelect={(e) => chipStore && mentions.update(e.currentTarget.value, e.currentTarget.selectionStart)}
          onKeyDown={onKeyDown}
          onPaste={onPaste}
        />
        {running && (
          <button type="button" className="composer-button stop" aria-label={t('composer.stop')} title={t('composer.stop.title')} onClick={stop}>
            <span className="codicon codicon-debug-stop" aria-hidden="true" />
          </button>
        )}
        <button
          type="button"
          className="composer-button send"
          aria-label={running ? t('composer.queue') : t('composer.send')}
          title={running ? t('composer.queue.title') : t('composer.send.title')}
          disabled={!canSend}
          onClick={send}
        >
          <span className="codicon codicon-send" aria-hidden="true" />
        </button>
      </div>
    </div>
  );
}
