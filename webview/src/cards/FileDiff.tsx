// One file of a change set: path, kind, line counts and its unified diff, coloured per line.
import { memo } from 'react';
import type { FileChangeSummary } from '../../../src/shared/events';
import { t } from '../strings';

/** Beyond this many diff lines the rest is summarised: a huge diff would make the row unwieldy. */
const MAX_LINES = 1500;

const KIND: Record<FileChangeSummary['kind'], string> = { add: t('file.added'), delete: t('file.deleted'), update: t('file.modified') };

function lineClass(line: string): string {
  if (line.startsWith('@@')) return 'hunk';
  if (line.startsWith('+++') || line.startsWith('---') || line.startsWith('diff ') || line.startsWith('index ')) return 'meta';
  if (line.startsWith('+')) return 'add';
  if (line.startsWith('-')) return 'del';
  return 'ctx';
}

export const FileDiff = memo(function FileDiff({ file, open }: { file: FileChangeSummary; open: boolean }) {
  const lines = file.diff.replace(/\n$/, '').split('\n');
  const shown = lines.slice(0, MAX_LINES);
  return (
    <details className="file-diff" open={open}>
      <summary>
        <span className="codicon codicon-file" aria-hidden="true" />
        <span className="file-path">{file.movePath ? `${file.path} → ${file.movePath}` : file.path}</span>
        <span className={`file-kind ${file.kind}`}>{file.movePath ? t('file.renamed') : KIND[file.kind]}</span>
        <span className="added" title={t('file.linesAdded')}>+{file.added}</span>
        <span className="removed" title={t('file.linesRemoved')}>−{file.removed}</span>
      </summary>
      {file.diff && (
        <pre className="diff">
          {shown.map((line, i) => (
            <span key={i} className={`diff-line ${lineClass(line)}`}>
              {line}
              {'\n'}
            </span>
          ))}
          {lines.length > MAX_LINES && <span className="diff-line meta">{t('file.moreLines', lines.length - MAX_LINES)}</span>}
        </pre>
      )}
    </details>
  );
});
