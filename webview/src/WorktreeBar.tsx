// The isolation of a chat that runs in a git worktree of its own, above its header where it cannot be
// missed: the worktree's folder name (a button that opens or reveals the folder Tandem made), "Review
// changes in workspace" (brings the agent's changes to the workspace for the usual per-hunk review) and
// "Discard worktree". Every action is a host command run for the chat this view shows.
import type { ViewConfig } from '../../src/shared/protocol';
import { usePost } from './context';
import { t } from './strings';
import './styles/worktree.css';

export function WorktreeBar({ worktree }: { worktree: NonNullable<ViewConfig['worktree']> }) {
  const post = usePost();
  if (worktree.removed) {
    return (
      <div className="worktree-bar removed" role="status">
        <span className="codicon codicon-worktree" aria-hidden="true" />
        <span className="worktree-removed-text">{t('worktree.removed')}</span>
      </div>
    );
  }
  return (
    <div className="worktree-bar" role="group" aria-label={t('worktree.label', worktree.name)}>
      <button type="button" className="worktree-name" title={t('worktree.title', worktree.path)} onClick={() => post({ type: 'runCommand', command: 'tandem.openWorktreeFolder' })}>
        <span className="codicon codicon-worktree" aria-hidden="true" />
        {t('worktree.label', worktree.name)}
      </button>
      <span className="worktree-actions">
        {/* A plain button: named by its text for assistive technology (a custom element's label is in its shadow). */}
        <button type="button" className="worktree-review" title={t('worktree.review.title')} onClick={() => post({ type: 'runCommand', command: 'tandem.reviewWorktreeChanges' })}>
          <span className="codicon codicon-git-pull-request" aria-hidden="true" />
          {t('worktree.review')}
        </button>
        <button type="button" className="worktree-discard" aria-label={t('worktree.discard')} title={t('worktree.discard')} onClick={() => post({ type: 'runCommand', command: 'tandem.discardWorktree' })}>
          <span className="codicon codicon-trash" aria-hidden="true" />
        </button>
      </span>
    </div>
  );
}
