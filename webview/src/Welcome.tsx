// Empty state of a new chat.
import { t } from './strings';
export function Welcome() {
  return (
    <div className="welcome">
      <span className="codicon codicon-comment-discussion" aria-hidden="true" />
      <h2>{t('welcome.title')}</h2>
      <p>{t('welcome.text')}</p>
    </div>
  );
}
