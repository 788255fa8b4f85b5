// Empty state of a new chat. Until a model is reachable (no key for a provider that needs one) it is the
// setup panel; afterwards a greeting that says which model answers, with a way back to the panel.
import { useState } from 'react';
import { useMeta } from './context';
import { SetupPanel } from './SetupPanel';
import { t } from './strings';
import { providerPreset } from '../../src/shared/providers';

export function Welcome() {
  const { config } = useMeta();
  const [changing, setChanging] = useState(false);
  const needsSetup = config !== undefined && config.keyRequired && !config.hasApiKey;
  if (config && (needsSetup || changing)) {
    return (
      <div className="welcome welcome-setup">
        <SetupPanel config={config} {...(needsSetup ? {} : { onDone: () => setChanging(false) })} />
      </div>
    );
  }
  return (
    <div className="welcome">
      <span className="codicon codicon-comment-discussion" aria-hidden="true" />
      <h2>{t('welcome.title')}</h2>
      <p>{t('welcome.text')}</p>
      {config && (
        <p className="welcome-using">
          {t('welcome.using', config.model, providerPreset(config.provider).label)}{' '}
          <button type="button" className="link-button" onClick={() => setChanging(true)}>
            {t('welcome.change')}
          </button>
        </p>
      )}
    </div>
  );
}
