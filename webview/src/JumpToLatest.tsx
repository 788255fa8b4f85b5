// Shown when the user has scrolled away from the end of the conversation.
export function JumpToLatest({ onClick }: { onClick: () => void }) {
  return (
    <button type="button" className="jump-to-latest" aria-label="Jump to latest" title="Jump to latest" onClick={onClick}>
      <span className="codicon codicon-arrow-down" aria-hidden="true" />
    </button>
  );
}
