// A proposed change set under review: a diff per file, "Accept" / "Reject" per hunk, "Accept all" /
// "Reject all" for the set, "Open diff" per file (VS Code's diff editor). The same hunks are shown in the
// editor with CodeLens; whichever side the user clicks, the host reports the hunk's new state here.
import { memo, useCallback } from 'react';
import type { ChatEntry } from '../../../src/shared/chatState';
import type { FileChangeSummary } from '../../../src/shared/events';
import { usePost } from '../context';
import { VscodeButton } from '../elements';
import { FileDiff } from './FileDiff';
import { HunkView } from './HunkView';
import { t } from '../strings';

type PatchEntry = Extract<ChatEntry, { kind: 'patch' }>;

const OUTCOME: Record<NonNullable<PatchEntry['outcome']>, { icon: string; text: string }> = {
  applied: { icon: 'check', text: t('patch.applied') },
  partial: { icon: 'check', text: t('patch.partial') },
  discarded: { icon: 'discard', text: t('patch.discarded') },
  failed: { icon: 'error', text: t('patch.failed') },
};

const KIND: Record<FileChangeSummary['kind'], string> = { add: t('file.new'), delete: t('file.deleted'), update: t('file.modified') };

const LANGUAGE_BY_EXTENSION: Record<string, string> = {
  ts: 'typescript', tsx: 'typescript', mts: 'typescript', cts: 'typescript', js: 'javascript', jsx: 'javascript', mjs: 'javascript', cjs: 'javascript',
  py: 'python', go: 'go', rs: 'rust', java: 'java', json: 'json', css: 'css', md: 'markdown', html: 'xml', xml: 'xml', yml: 'yaml', yaml: 'yaml', sh: 'bash',
};
const languageOf = (path: string) => LANGUAGE_BY_EXTENSION[path.split('.').pop()?.toLowerCase() ?? ''] ?? '';

export const PatchCard = memo(function PatchCard({ entry }: { entry: PatchEntry }) {
  const post = usePost();
  const added = entry.files.reduce((n, f) => n + f.added, 0);
  const removed = entry.files.reduce((n, f) => n + f.removed, 0);
  const hunks = entry.files.flatMap((f) => f.hunks ?? []);
  const pending = hunks.filter((h) => h.state === 'pending').length;
  // Hunks the agent applied in its worktree are not the workspace's to undo (decided at bring-back).
  const accepted = hunks.filter((h) => h.state === 'accepted' && !h.inWorktree).length;
  const decide = useCallback(
    (decision: 'accept' | 'reject' | 'undo', hunkId?: string) => post({ type: 'hunkDecision', changeSetId: entry.id, decision, ...(hunkId ? { hunkId } : {}) }),
    [post, entry.id],
  );

  return (
    <div className={`card patch${entry.outcome ? ` ${entry.outcome}` : ''}`} role="group" aria-label={t('patch.label', entry.files.map((f) => f.path).join(', '))}>
      <div className="card-title">
        <span className="codicon codicon-diff" aria-hidden="true" />
        {entry.files.length === 1 ? t('patch.oneFile') : t('patch.files', entry.files.length)}
        <span className="added">+{added}</span>
        <span className="removed">−{removed}</span>
        {pending > 0 ? (
          <span className="patch-actions">
            <VscodeButton onClick={() => decide('accept')}>{t('patch.acceptAll')}</VscodeButton>
            <VscodeButton secondary onClick={() => decide('reject')}>
              {t('patch.rejectAll')}
            </VscodeButton>
          </span>
        ) : (
          accepted > 1 && (
            <span className="patch-actions">
              <VscodeButton secondary onClick={() => decide('undo')} aria-label={t('patch.undoAll.label')}>
                {t('patch.undoAll')}
              </VscodeButton>
            </span>
          )
        )}
      </div>
      {entry.files.map((file, fileIndex) =>
        file.hunks ? (
          <div className="review-file" key={file.path}>
            <div className="review-file-header">
              <span className="codicon codicon-file" aria-hidden="true" />
              <span className="file-path">{file.movePath ? `${file.path} → ${file.movePath}` : file.path}</span>
              <span className={`file-kind ${file.kind}`}>{file.movePath ? t('file.moved') : KIND[file.kind]}</span>
              <span className="added">+{file.added}</span>
              <span className="removed">−{file.removed}</span>
              <button type="button" className="icon-button" title={t('patch.openDiff')} aria-label={t('patch.openDiff.label', file.path)} onClick={() => post({ type: 'openDiff', changeSetId: entry.id, fileIndex })}>
                <span className="codicon codicon-diff-single" aria-hidden="true" />
              </button>
            </div>
            {file.hunks.map((hunk) => (
              <HunkView key={hunk.id} hunk={hunk} fileLabel={file.path} language={languageOf(file.movePath ?? file.path)} onDecide={(d) => decide(d, hunk.id)} />
            ))}
          </div>
        ) : (
          <FileDiff key={file.path} file={file} open={entry.files.length <= 3} />
        ),
      )}
      {entry.outcome && (
        <div className={`decision ${entry.outcome}`} role="status">
          <span className={`codicon codicon-${OUTCOME[entry.outcome].icon}`} aria-hidden="true" />
          {OUTCOME[entry.outcome].text}
        </div>
      )}
    </div>
  );
});
