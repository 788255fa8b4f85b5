// One line above the conversation: model, approval mode, sandbox, the context meter (tokens of the last
// request against the model's window, and how much of it the prompt cache served), trust, and a way to
// set a missing key.
import { VscodeButton } from './elements';
import { useMeta, usePost } from './context';
import { formatTokens, POLICY_LABELS } from './format';

const SANDBOX_LABEL = { enforced: 'Sandboxed', unavailable: 'No sandbox: asks first', off: 'No sandbox' } as const;

export function Header() {
  const { config, usage } = useMeta();
  const post = usePost();
  if (!config) return <header className="header" />;
  const used = usage.lastInputTokens;
  const fill = config.contextWindow > 0 ? Math.min(1, used / config.contextWindow) : 0;
  const cacheRate = used > 0 ? Math.round((usage.lastCachedInputTokens / used) * 100) : 0;
  return (
    <header className="header">
      <span className="header-item" title={`Model (${config.wireApi === 'chat' ? 'Chat Completions' : 'Responses'} API)`}>
        <span className="codicon codicon-sparkle" aria-hidden="true" />
        {config.model}
      </span>
      <span className="header-item" title={config.trusted ? 'Approval policy (setting tandem.approvalPolicy)' : 'This workspace is not trusted, so Tandem only reads. Trust it to let Tandem edit and run commands.'}>
        <span className="codicon codicon-shield" aria-hidden="true" />
        {config.trusted ? POLICY_LABELS[config.approvalPolicy] : 'Read-only (untrusted workspace)'}
      </span>
      <span className={`header-item sandbox-${config.sandbox.state}`} title={config.sandbox.detail}>
        <span className={`codicon codicon-${config.sandbox.state === 'enforced' ? 'lock' : 'unlock'}`} aria-hidden="true" />
        {SANDBOX_LABEL[config.sandbox.state]}
      </span>
      {used > 0 && (
        <span
          className="header-item meter"
          role="meter"
          aria-label="Context used by the last request"
          aria-valuemin={0}
          aria-valuemax={config.contextWindow}
          aria-valuenow={used}
          title={`Last request: ${used.toLocaleString()} of ${config.contextWindow.toLocaleString()} context tokens; ${usage.lastCachedInputTokens.toLocaleString()} served from the prompt cache. Session: ${usage.inputTokens.toLocaleString()} in, ${usage.outputTokens.toLocaleString()} out.`}
        >
          <span className="meter-bar" aria-hidden="true">
            <span className="meter-fill" style={{ width: `${(fill * 100).toFixed(1)}%` }} />
          </span>
          {formatTokens(used)} / {formatTokens(config.contextWindow)}
          <span className="meter-cache">· cache {cacheRate}%</span>
        </span>
      )}
      {!config.hasApiKey && (
        <span className="header-item no-key">
          <span className="codicon codicon-warning" aria-hidden="true" />
          No API key
          <VscodeButton secondary onClick={() => post({ type: 'runCommand', command: 'tandem.setApiKey' })}>
            Set API Key
          </VscodeButton>
        </span>
      )}
    </header>
  );
}
