// The message box. Its text is local state, outside the chat store, so typing re-renders only this.
// Enter sends, Shift+Enter is a newline, Esc stops a running turn. While a turn runs Stop replaces Send.
import { useRef, useState, type KeyboardEvent } from 'react';
import { MAX_SEND_CHARS } from '../../src/shared/protocol';
import { useMeta, usePost } from './context';

export function Composer() {
  const [text, setText] = useState('');
  const { activeTurnId } = useMeta();
  const post = usePost();
  const textarea = useRef<HTMLTextAreaElement>(null);
  const running = activeTurnId !== undefined;
  const canSend = !running && text.trim() !== '' && text.length <= MAX_SEND_CHARS;

  const send = () => {
    if (!canSend) return;
    post({ type: 'send', text });
    setText('');
    textarea.current?.focus();
  };

  const stop = () => {
    post({ type: 'stop' });
    textarea.current?.focus();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    // An IME composition uses Enter to pick a candidate, not to send.
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      send();
    } else if (e.key === 'Escape' && running) {
      e.preventDefault();
      stop();
    }
  };

  return (
    <div className="composer">
      <textarea
        ref={textarea}
        className="composer-input"
        aria-label="Message Tandem"
        placeholder={running ? 'Tandem is working… (Esc to stop)' : 'Ask Tandem (Enter to send, Shift+Enter for a new line)'}
        rows={1}
        value={text}
        autoFocus
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKeyDown}
      />
      {running ? (
        <button type="button" className="composer-button stop" aria-label="Stop" title="Stop (Esc)" onClick={stop}>
          <span className="codicon codicon-debug-stop" aria-hidden="true" />
        </button>
      ) : (
        <button type="button" className="composer-button send" aria-label="Send" title="Send (Enter)" disabled={!canSend} onClick={send}>
          <span className="codicon codicon-send" aria-hidden="true" />
        </button>
      )}
    </div>
  );
}
