// Marks a turn the user stopped; the partial answer above it stays.
import { memo } from 'react';

export const StoppedMarker = memo(function StoppedMarker() {
  return (
    <div className="stopped">
      <span className="codicon codicon-debug-stop" aria-hidden="true" />
      <span>Stopped</span>
    </div>
  );
});
