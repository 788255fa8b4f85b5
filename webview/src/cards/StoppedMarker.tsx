// Marks a turn the user stopped; the partial answer above it stays.
import { memo } from 'react';
import { t } from '../strings';

export const StoppedMarker = memo(function StoppedMarker() {
  return (
    <div className="stopped">
      <span className="codicon codicon-debug-stop" aria-hidden="true" />
      <span>{t('stopped')}</span>
    </div>
  );
});
