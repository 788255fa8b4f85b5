// One line above the conversation: model and approval mode (each a button that opens a picker on the
// host), sandbox, the context meter (tokens of the last
// request against the model's window, and how much of it the prompt cache served), trust, and a way to
// set a missing key. A chat in a worktree of its own gets a bar above it saying so (WorktreeBar.tsx).
import { useState } from 'react';
import { VscodeButton } from './elements';
import { useMeta, usePost } from './context';
import { formatTokens, POLICY_LABELS } from './format';
import { t } from './strings';
import { WorktreeBar } from './WorktreeBar';

const SANDBOX_LABEL = { enforced: t('header.sandbox.enforced'), unavailable: t('header.sandbox.unavailable'), off: t('header.sandbox.off') } as const;

export function Header() {
  const { config, usage } = useMeta();
  const post = usePost();
  // The meter's tooltip is formatted once the pointer is on it, not on every render: the first
  // toLocaleString() of a page loads the locale's number data (18-40 ms), and the meter first appears at
  // the end of a turn (its usage), where that cost was the longest task of the turn end.
  const [hovered, setHovered] = useState(false);
  if (!config) return <header className="header" />;
  const used = usage.lastInputTokens;
  const fill = config.contextWindow > 0 ? Math.min(1, used / config.contextWindow) : 0;
  const cacheRate = used > 0 ? Math.round((usage.lastCachedInputTokens / used) * 100) : 0;
  return (
    <>
      {config.worktree && <WorktreeBar worktree={config.worktree} />}
      <header className="header">
        <button
          type="button"
          className="header-item header-picker"
          aria-label={t('header.model.pick', config.model)}
          title={t('header.model.title', config.wireApi === 'chat' ? t('header.wire.chat') : t('header.wire.responses'))}
          onClick={() => post({ type: 'runCommand', command: 'tandem.pickModel' })}
        >
          <span className="codicon codicon-sparkle" aria-hidden="true" />
          {config.model}
          <span className="codicon codicon-chevron-down" aria-hidden="true" />
        </button>
        <button
          type="button"
          className="header-item header-picker"
          aria-label={t('header.policy.pick', config.trusted ? POLICY_LABELS[config.approvalPolicy] : t('header.untrusted'))}
          title={config.trusted ? t('header.policy.title') : t('header.untrusted.title')}
          onClick={() => post({ type: 'runCommand', command: 'tandem.pickApprovalPolicy' })}
        >
          <span className="codicon codicon-shield" aria-hidden="true" />
          {config.trusted ? POLICY_LABELS[config.approvalPolicy] : t('header.untrusted')}
          <span className="codicon codicon-chevron-down" aria-hidden="true" />
        </button>
        <span className={`header-item sandbox-${config.sandbox.state}`} title={config.sandbox.detail}>
          <span className={`codicon codicon-${config.sandbox.state === 'enforced' ? 'lock' : 'unlock'}`} aria-hidden="true" />
          {SANDBOX_LABEL[config.sandbox.state]}
        </span>
        {used > 0 && (
          <span
            className="header-item meter"
            role="meter"
            aria-label={t('header.meter')}
            aria-valuemin={0}
            aria-valuemax={config.contextWindow}
            aria-valuenow={used}
            onPointerEnter={() => setHovered(true)}
            {...(hovered
              ? { title: t('header.meter.title', used.toLocaleString(), config.contextWindow.toLocaleString(), usage.lastCachedInputTokens.toLocaleString(), usage.inputTokens.toLocaleString(), usage.outputTokens.toLocaleString()) }
              : {})}
          >
            <span className="meter-bar" aria-hidden="true">
              <span className="meter-fill" style={{ width: `${(fill * 100).toFixed(1)}%` }} />
            </span>
            {formatTokens(used)} / {formatTokens(config.contextWindow)}
            <span className="meter-cache">{t('header.meter.cache', cacheRate)}</span>
          </span>
        )}
        {/* Local servers and VS Code's language models need no key: no warning for them. */}
        {config.keyRequired && !config.hasApiKey && (
          <span className="header-item no-key">
            <span className="codicon codicon-warning" aria-hidden="true" />
            {t('header.noKey')}
            <VscodeButton secondary onClick={() => post({ type: 'runCommand', command: 'tandem.setApiKey' })}>
              {t('header.setKey')}
            </VscodeButton>
          </span>
        )}
      </header>
    </>
  );
}
