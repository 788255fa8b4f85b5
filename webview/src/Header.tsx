// One line above the conversation: model, approval mode, context used, and a way to set a missing key.
import { VscodeButton } from './elements';
import { useMeta, usePost } from './context';
import { formatTokens, POLICY_LABELS } from './format';

export function Header() {
  const { config, usage } = useMeta();
  const post = usePost();
  if (!config) return <header className="header" />;
  return (
    <header className="header">
      <span className="header-item" title={`Model (${config.wireApi === 'chat' ? 'Chat Completions' : 'Responses'} API)`}>
        <span className="codicon codicon-sparkle" aria-hidden="true" />
        {config.model}
      </span>
      <span className="header-item" title="Approval policy (setting tandem.approvalPolicy)">
        <span className="codicon codicon-shield" aria-hidden="true" />
        {POLICY_LABELS[config.approvalPolicy]}
      </span>
      {usage.lastInputTokens > 0 && (
        <span className="header-item" title="Tokens in the last request's context">
          {formatTokens(usage.lastInputTokens)} tokens
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
