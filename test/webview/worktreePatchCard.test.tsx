// @vitest-environment jsdom
// The card of an edit a worktree chat's agent made in its own worktree: the host reports its hunks accepted
// "in the worktree" as it writes them, and nothing there is the workspace's to undo (the decision comes when
// the worktree's changes are brought back), so neither a hunk's Undo nor Undo all is offered. The control:
// the same hunks accepted in the workspace keep both.
import { afterEach, describe, expect, it } from 'vitest';
import { screen } from '@testing-library/react';
import type { FileChangeSummary } from '../../src/shared/events';
import { setup, snapshot, type Harness } from './harness';

let h: Harness | undefined;
afterEach(() => {
  h?.dispose();
  h = undefined;
});

const file: FileChangeSummary = {
  path: 'src/a.ts',
  kind: 'update',
  added: 2,
  removed: 1,
  diff: '--- a/src/a.ts\n+++ b/src/a.ts\n@@ -1,2 +1,2 @@\n context\n-old line\n+new line\n@@ -9,1 +9,2 @@\n tail\n+added line\n',
  hunks: [
    { id: '1.1', header: '@@ -1,2 +1,2 @@', lines: [' context', '-old line', '+new line'], added: 1, removed: 1, line: 2, state: 'pending' },
    { id: '1.2', header: '@@ -9,1 +9,2 @@', lines: [' tail', '+added line'], added: 1, removed: 0, line: 10, state: 'pending' },
  ],
};

describe('the patch card of an edit applied in the chat’s worktree', () => {
  it('shows its hunks accepted without Undo or Undo all', async () => {
    h = setup(snapshot([{ kind: 'patch', id: 'cs1', turnId: 't1', files: [file] }], 't1'));
    for (const hunkId of ['1.1', '1.2']) h.events({ type: 'patch.hunk', turnId: 't1', changeSetId: 'cs1', hunkId, state: 'accepted', inWorktree: true });
    h.events({ type: 'patch.resolved', turnId: 't1', changeSetId: 'cs1', outcome: 'applied' });
    expect(await screen.findAllByText('Accepted')).toHaveLength(2);
    expect(screen.queryByRole('button', { name: /^Undo/ })).toBeNull();
  });

  it('the control: accepted in the workspace, Undo and Undo all stay', async () => {
    h = setup(snapshot([{ kind: 'patch', id: 'cs1', turnId: 't1', files: [file] }], 't1'));
    for (const hunkId of ['1.1', '1.2']) h.events({ type: 'patch.hunk', turnId: 't1', changeSetId: 'cs1', hunkId, state: 'accepted' });
    expect(await screen.findByRole('button', { name: 'Undo hunk at line 2 of src/a.ts' })).toBeTruthy();
    expect(await screen.findByRole('button', { name: 'Undo every accepted hunk of this change' })).toBeTruthy();
  });
});
