// A failed turn: the classified message and, when there is one, the action that fixes it
// (e.g. "Set API Key", or "Retry").
import { VscodeButton } from '../elements';
import { memo } from 'react';
import type { ChatEntry } from '../../../src/shared/chatState';
import { ALLOWED_VIEW_COMMANDS, type AllowedViewCommand, type WebviewToHost } from '../../../src/shared/protocol';
import { usePost } from '../context';

/** The message for an action, or undefined when the view may not trigger it (the host would refuse it). */
function actionMessage(command: string): WebviewToHost | undefined {
  if (command === 'retry') return { type: 'retry' };
  if ((ALLOWED_VIEW_COMMANDS as readonly string[]).includes(command)) return { type: 'runCommand', command: command as AllowedViewCommand };
  return undefined;
}

export const ErrorCard = memo(function ErrorCard({ entry }: { entry: Extract<ChatEntry, { kind: 'error' }> }) {
  const post = usePost();
  const { action } = entry.error;
  const message = action ? actionMessage(action.command) : undefined;
  return (
    <div className="card error" role="alert">
      <div className="error-message">
        <span className="codicon codicon-error" aria-hidden="true" />
        <span>{entry.error.message}</span>
      </div>
      {action && message && (
        <div className="actions">
          <VscodeButton onClick={() => post(message)}>{action.label}</VscodeButton>
        </div>
      )}
    </div>
  );
});
