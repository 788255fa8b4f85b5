// A failed turn: the classified message and, when there is one, the action that fixes it
// (e.g. "Set API Key", or "Retry"). Once the cause looks fixed (a key is now set, or the settings or key
// changed since the error) the chat's last error also offers Retry; a retry that succeeds marks the
// failed turn `retried` (chatState.ts) and its rows disappear (EntryRow.tsx).
import { VscodeButton } from '../elements';
import { memo } from 'react';
import type { ChatEntry } from '../../../src/shared/chatState';
import { ALLOWED_VIEW_COMMANDS, type AllowedViewCommand, type ViewConfig, type WebviewToHost } from '../../../src/shared/protocol';
import { useEntryIds, useMeta, usePost, useServices } from '../context';
import { t } from '../strings';

/** The message for an action, or undefined when the view may not trigger it (the host would refuse it). */
function actionMessage(command: string): WebviewToHost | undefined {
  if (command === 'retry') return { type: 'retry' };
  if (command === 'continue') return { type: 'send', text: 'continue' }; // a turn paused at its step cap
  if ((ALLOWED_VIEW_COMMANDS as readonly string[]).includes(command)) return { type: 'runCommand', command: command as AllowedViewCommand };
  return undefined;
}

/** Errors caused by the setup (key, server, model), which the user can fix and then retry. */
const SETUP_ERRORS = new Set(['no_api_key', 'auth', 'connection', 'bad_request']);

function causeFixed(code: string, config: ViewConfig | undefined, changedSince: boolean): boolean {
  if (!config || !SETUP_ERRORS.has(code)) return false;
  if (code === 'no_api_key') return config.hasApiKey || !config.keyRequired;
  return changedSince;
}

export const ErrorCard = memo(function ErrorCard({ entry }: { entry: Extract<ChatEntry, { kind: 'error' }> }) {
  const post = usePost();
  const { store } = useServices();
  const { config, activeTurnId } = useMeta();
  const ids = useEntryIds();
  const { action } = entry.error;
  const message = action ? actionMessage(action.command) : undefined;
  const offerRetry = action?.command !== 'retry' && ids[ids.length - 1] === entry.id && activeTurnId === undefined && causeFixed(entry.error.code, config, store.configChangedSince(entry.id));
  return (
    <div className="card error" role="alert">
      <div className="error-message">
        <span className="codicon codicon-error" aria-hidden="true" />
        <span>{entry.error.message}</span>
      </div>
      {((action && message) || offerRetry) && (
        <div className="actions">
          {offerRetry && <VscodeButton onClick={() => post({ type: 'retry' })}>{t('error.retry')}</VscodeButton>}
          {action && message && (
            <VscodeButton {...(offerRetry ? { secondary: true } : {})} onClick={() => post(message)}>
              {action.label}
            </VscodeButton>
          )}
        </div>
      )}
    </div>
  );
});
