// Messages sent while Tandem works, waiting for the model to take them (`input.queued`). Each shows until it
// is delivered into the running turn or starts the next one, and can be withdrawn before that: the host
// takes it out of the session's queue and its text comes back into the composer (`input.withdrawn`).
import { useMeta, usePost } from './context';
import { t } from './strings';

export function PendingInputs() {
  const { pending } = useMeta();
  const post = usePost();
  if (pending.length === 0) return null;
  return (
    <ul className="pending-inputs" aria-label={t('composer.pending')}>
      {pending.map((input) => (
        <li key={input.submissionId} className="pending-input" title={t('composer.pending.note')}>
          <span className="codicon codicon-clock" aria-hidden="true" />
          <span className="pending-input-text">{input.text}</span>
          <button type="button" className="pending-input-withdraw" aria-label={t('composer.withdraw', input.text.slice(0, 80))} onClick={() => post({ type: 'withdrawInput', submissionId: input.submissionId })}>
            <span className="codicon codicon-close" aria-hidden="true" />
          </button>
        </li>
      ))}
    </ul>
  );
}
