// The agent's plan as a checklist.
import { memo } from 'react';
import type { ChatEntry } from '../../../src/shared/chatState';
import type { PlanStep } from '../../../src/shared/events';
import { t } from '../strings';

const STEP: Record<PlanStep['status'], { icon: string; label: string }> = {
  completed: { icon: 'pass-filled', label: t('plan.done') },
  in_progress: { icon: 'circle-large-filled', label: t('plan.inProgress') },
  pending: { icon: 'circle-large-outline', label: t('plan.pending') },
};

export const PlanCard = memo(function PlanCard({ entry }: { entry: Extract<ChatEntry, { kind: 'plan' }> }) {
  return (
    <div className="card plan">
      <div className="card-title">
        <span className="codicon codicon-checklist" aria-hidden="true" /> {t('plan.title')}
      </div>
      {entry.explanation && <p className="plan-explanation">{entry.explanation}</p>}
      <ul className="plan-steps" aria-label={t('plan.title')}>
        {entry.plan.map((step, i) => (
          <li key={i} className={`plan-step ${step.status}`}>
            <span className={`codicon codicon-${STEP[step.status].icon}`} role="img" aria-label={STEP[step.status].label} />
            <span>{step.step}</span>
          </li>
        ))}
      </ul>
    </div>
  );
});
