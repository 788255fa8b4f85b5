// The first-run panel in the chat's empty state: provider, base URL (prefilled per provider), model and
// wire API, saved to the user's settings by the host. The key is never typed here: saving asks for it in
// VS Code's own password input box (the host does that, and only for providers that need one). What the
// panel sends is checked again on the host (protocol.ts `parseWebviewMessage` -> providers.ts `parseSetup`).
import { useId, useState } from 'react';
import type { ViewConfig } from '../../src/shared/protocol';
import { PROVIDERS, baseUrlProblem, modelProblem, providerPreset, type ProviderId } from '../../src/shared/providers';
import { usePost } from './context';
import { VscodeButton } from './elements';
import { t } from './strings';

const HINTS: Record<ProviderId, string> = {
  openai: t('provider.hint.openai'),
  azure: t('provider.hint.azure'),
  openrouter: t('provider.hint.openrouter'),
  ollama: t('provider.hint.ollama'),
  lmstudio: t('provider.hint.lmstudio'),
  vllm: t('provider.hint.vllm'),
  llamacpp: t('provider.hint.llamacpp'),
  'vscode-lm': t('provider.hint.vscode-lm'),
  custom: t('provider.hint.custom'),
};

interface Draft {
  provider: ProviderId;
  baseUrl: string;
  model: string;
  wireApi: 'responses' | 'chat';
}

/** The form starts from what is configured, or from the preset when the provider is switched. */
function draftFor(provider: ProviderId, config: ViewConfig): Draft {
  if (provider === config.provider) return { provider, baseUrl: config.baseUrl, model: config.model, wireApi: config.wireApi };
  const preset = providerPreset(provider);
  return { provider, baseUrl: preset.baseUrl, model: preset.model, wireApi: preset.wireApi };
}

export function SetupPanel({ config, onDone }: { config: ViewConfig; onDone?: () => void }) {
  const post = usePost();
  const id = useId();
  const [draft, setDraft] = useState<Draft>(() => draftFor(config.provider, config));
  const [tried, setTried] = useState(false);
  const local = providerPreset(draft.provider).local;
  const urlProblem = baseUrlProblem(draft.baseUrl);
  const modelError = modelProblem(draft.model);
  const problem = urlProblem ?? modelError;
  const asksForKey = !local && !config.hasApiKey;

  const save = () => {
    setTried(true);
    if (problem) return;
    post({ type: 'saveSetup', setup: { provider: draft.provider, baseUrl: draft.baseUrl.trim(), model: draft.model.trim(), wireApi: draft.wireApi } });
    onDone?.();
  };
  const change = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const field = (name: string) => `${id}-${name}`;

  return (
    <form
      className="setup"
      aria-labelledby={field('title')}
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
    >
      <h2 id={field('title')}>{t('setup.title')}</h2>
      <p className="setup-intro">{t('setup.intro')}</p>
      <label htmlFor={field('provider')}>{t('setup.provider')}</label>
      <select id={field('provider')} value={draft.provider} onChange={(e) => setDraft(draftFor(e.target.value as ProviderId, config))}>
        {PROVIDERS.map((p) => (
          <option key={p.id} value={p.id}>
            {p.label}
          </option>
        ))}
      </select>
      <p className="setup-hint">{HINTS[draft.provider]}</p>
      <label htmlFor={field('baseUrl')}>{t('setup.baseUrl')}</label>
      <input
        id={field('baseUrl')}
        type="url"
        spellCheck={false}
        value={draft.baseUrl}
        placeholder="https://…/v1"
        aria-invalid={tried && urlProblem !== undefined}
        onChange={(e) => change({ baseUrl: e.target.value })}
      />
      <label htmlFor={field('model')}>{t('setup.model')}</label>
      <input
        id={field('model')}
        type="text"
        spellCheck={false}
        value={draft.model}
        placeholder={t('setup.model.placeholder')}
        aria-invalid={tried && modelError !== undefined}
        onChange={(e) => change({ model: e.target.value })}
      />
      <label htmlFor={field('wire')}>{t('setup.wireApi')}</label>
      <select id={field('wire')} value={draft.wireApi} onChange={(e) => change({ wireApi: e.target.value === 'responses' ? 'responses' : 'chat' })}>
        <option value="chat">{t('setup.wire.chat')}</option>
        <option value="responses">{t('setup.wire.responses')}</option>
      </select>
      <p className="setup-key">
        <span className={`codicon codicon-${local || config.hasApiKey ? 'pass' : 'key'}`} aria-hidden="true" />
        {local ? t('setup.key.local') : config.hasApiKey ? t('setup.key.stored') : t('setup.key.missing')}
      </p>
      {tried && problem && (
        <p className="setup-error" role="alert">
          {t('setup.invalid', problem)}
        </p>
      )}
      {/* A hidden submit button makes Enter in any field submit (implicit submission). */}
      <button type="submit" hidden aria-hidden="true" tabIndex={-1} />
      <div className="actions">
        <VscodeButton onClick={save}>{asksForKey ? t('setup.saveAndKey') : t('setup.save')}</VscodeButton>
        {!local && config.hasApiKey && (
          <VscodeButton secondary onClick={() => post({ type: 'runCommand', command: 'tandem.setApiKey' })}>
            {t('setup.setKey')}
          </VscodeButton>
        )}
        {onDone && (
          <VscodeButton secondary onClick={onDone}>
            {t('setup.cancel')}
          </VscodeButton>
        )}
      </div>
    </form>
  );
}
