// The first-run panel in the chat's empty state: provider, base URL (prefilled per provider), model and
// wire API, saved to the user's settings by the host. The key is never typed here: saving asks for it in
// VS Code's own password input box (the host does that, and only for providers that need one). What the
// panel sends is checked again on the host (protocol.ts `parseWebviewMessage` -> providers.ts `parseSetup`).
// While it is open the host looks for local servers on their default ports (loopback only) and the panel
// offers the ones running; VS Code's language models need neither URL nor key (the host lists them).
import { useEffect, useId, useState } from 'react';
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
  // Local servers are looked for once per opening of the panel, never while it is closed.
  useEffect(() => post({ type: 'runCommand', command: 'tandem.findLocalServers' }), [post]);
  const preset = providerPreset(draft.provider);
  const local = preset.local;
  const languageModels = preset.api === 'vscode-lm';
  const urlProblem = languageModels ? undefined : baseUrlProblem(draft.baseUrl);
  // VS Code's models: an empty model means "pick from VS Code's list" (the host shows it after saving).
  const modelError = languageModels && !draft.model.trim() ? undefined : modelProblem(draft.model);
  const problem = urlProblem ?? modelError;
  const sameServer = draft.provider === config.provider && draft.baseUrl.trim().replace(/\/+$/, '') === config.baseUrl;
  const keyStored = sameServer && config.hasApiKey;
  const asksForKey = !local && !languageModels && !keyStored;
  const found = (config.localServers ?? []).filter((s) => !(s.provider === draft.provider && s.baseUrl === draft.baseUrl.trim()));

  const save = () => {
    setTried(true);
    if (problem) return;
    post({ type: 'saveSetup', setup: { provider: draft.provider, baseUrl: languageModels ? '' : draft.baseUrl.trim(), model: draft.model.trim(), wireApi: draft.wireApi } });
    onDone?.();
  };
  const useServer = (server: { provider: ProviderId; baseUrl: string; models: string[] }) =>
    setDraft({ provider: server.provider, baseUrl: server.baseUrl, model: server.models.includes(draft.model) ? draft.model : (server.models[0] ?? ''), wireApi: 'chat' });
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
      {found.length > 0 && (
        <div className="setup-found" role="group" aria-label={t('setup.found')}>
          <p>{t('setup.found')}</p>
          {found.map((server) => (
            <VscodeButton key={`${server.provider} ${server.baseUrl}`} secondary onClick={() => useServer(server)}>
              {t('setup.found.use', providerPreset(server.provider).label, String(server.models.length))}
            </VscodeButton>
          ))}
        </div>
      )}
      {!languageModels && (
        <>
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
        </>
      )}
      <label htmlFor={field('model')}>{t('setup.model')}</label>
      <input
        id={field('model')}
        type="text"
        spellCheck={false}
        value={draft.model}
        placeholder={languageModels ? t('setup.model.placeholder.lm') : t('setup.model.placeholder')}
        aria-invalid={tried && modelError !== undefined}
        onChange={(e) => change({ model: e.target.value })}
      />
      {!languageModels && (
        <>
          <label htmlFor={field('wire')}>{t('setup.wireApi')}</label>
          <select id={field('wire')} value={draft.wireApi} onChange={(e) => change({ wireApi: e.target.value === 'responses' ? 'responses' : 'chat' })}>
            <option value="chat">{t('setup.wire.chat')}</option>
            <option value="responses">{t('setup.wire.responses')}</option>
          </select>
        </>
      )}
      <p className="setup-key">
        <span className={`codicon codicon-${local || languageModels || keyStored ? 'pass' : 'key'}`} aria-hidden="true" />
        {languageModels ? t('setup.key.lm') : local ? t('setup.key.local') : keyStored ? t('setup.key.stored') : t('setup.key.missing')}
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
        {!local && !languageModels && keyStored && (
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
