// Empty state of a new chat.
export function Welcome() {
  return (
    <div className="welcome">
      <span className="codicon codicon-comment-discussion" aria-hidden="true" />
      <h2>Tandem</h2>
      <p>Ask a question about this workspace, or describe a change. Tandem shows every command and every edit before it lands.</p>
    </div>
  );
}
