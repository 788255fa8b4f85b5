// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { fireEvent, screen } from '@testing-library/react';
import { setup, snapshot, type Harness } from './harness';
import type { ChatEntry } from '../../src/shared/chatState';
import type { FileChangeSummary } from '../../src/shared/events';

let h: Harness | undefined;
afterEach(() => {
  h?.dispose();
  h = undefined;
});

const file: FileChangeSummary = {
  path: 'src/a.ts',
  kind: 'update',
  added: 1,
  removed: 1,
  diff: '--- a/src/a.ts\n+++ b/src/a.ts\n@@ -1,2 +1,2 @@\n context\n-old line\n+new line\n',
};

const commandApproval: ChatEntry = {
  kind: 'approval',
  id: 'ap1',
  turnId: 't1',
  subject: { kind: 'command', command: 'rm -rf build', cwd: '/ws', reason: 'Deletes files.' },
};

describe('approval card', () => {
  it.each([
    ['Approve', 'approve'],
    ['Approve for session', 'approve_session'],
    ['Deny', 'deny'],
  ] as const)('%s posts decision %s once', async (name, decision) => {
    h = setup(snapshot([commandApproval], 't1'));
    expect(screen.getByText('rm -rf build')).toBeTruthy();
    const button = await screen.findByRole('button', { name });
    fireEvent.click(button);
    fireEvent.click(button);
    expect(h.sent()).toEqual([{ type: 'approval', approvalId: 'ap1', decision }]);
  });

  it('shows the decision once resolved, without buttons', async () => {
    h = setup(snapshot([commandApproval], 't1'));
    await screen.findByRole('button', { name: 'Deny' });
    h.events({ type: 'approval.resolved', turnId: 't1', approvalId: 'ap1', decision: 'approve_session' });
    expect(screen.getByText('Approved for session')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Deny' })).toBeNull();
  });

  it('lists the files of a patch approval', () => {
    h = setup(snapshot([{ kind: 'approval', id: 'ap2', turnId: 't1', subject: { kind: 'patch', files: [file], reason: 'Writes outside.' } }], 't1'));
    expect(screen.getByText('src/a.ts')).toBeTruthy();
    expect(screen.getByText('Writes outside.')).toBeTruthy();
  });
});

const reviewed: FileChangeSummary = {
  ...file,
  added: 2,
  removed: 1,
  hunks: [
    { id: '1.1', header: '@@ -1,2 +1,2 @@', lines: [' context', '-old line', '+new line'], added: 1, removed: 1, line: 2, state: 'pending' },
    { id: '1.2', header: '@@ -9,1 +9,2 @@', lines: [' tail', '+added line'], added: 1, removed: 0, line: 10, state: 'pending' },
  ],
};

describe('patch card (review)', () => {
  it('shows each hunk with its own Accept / Reject, posting the hunk decision', async () => {
    h = setup(snapshot([{ kind: 'patch', id: 'cs1', turnId: 't1', files: [reviewed] }]));
    expect(screen.getByText('src/a.ts')).toBeTruthy();
    expect(screen.getByText('modified')).toBeTruthy();
    expect(h.container.querySelectorAll('.hunk')).toHaveLength(2);
    expect(h.container.querySelector('.diff-line.add')?.textContent).toBe('+new line\n');
    expect(h.container.querySelector('.diff-line.del')?.textContent).toBe('-old line\n');
    fireEvent.click(await screen.findByRole('button', { name: 'Accept hunk at line 2 of src/a.ts' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Reject hunk at line 10 of src/a.ts' }));
    expect(h.sent()).toEqual([
      { type: 'hunkDecision', changeSetId: 'cs1', decision: 'accept', hunkId: '1.1' },
      { type: 'hunkDecision', changeSetId: 'cs1', decision: 'reject', hunkId: '1.2' },
    ]);
  });

  it('Accept all / Reject all and Open diff post for the whole set', async () => {
    h = setup(snapshot([{ kind: 'patch', id: 'cs1', turnId: 't1', files: [reviewed] }]));
    fireEvent.click(await screen.findByRole('button', { name: 'Accept all' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Reject all' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Open diff of src/a.ts' }));
    expect(h.sent()).toEqual([
      { type: 'hunkDecision', changeSetId: 'cs1', decision: 'accept' },
      { type: 'hunkDecision', changeSetId: 'cs1', decision: 'reject' },
      { type: 'openDiff', changeSetId: 'cs1', fileIndex: 0 },
    ]);
  });

  it('follows hunk states from the host (decided in the editor too) and shows the outcome', async () => {
    h = setup(snapshot([{ kind: 'patch', id: 'cs1', turnId: 't1', files: [reviewed] }], 't1'));
    h.events({ type: 'patch.hunk', turnId: 't1', changeSetId: 'cs1', hunkId: '1.1', state: 'accepted' });
    expect(screen.getByText('Accepted')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Accept hunk at line 2 of src/a.ts' })).toBeNull();
    expect(await screen.findByRole('button', { name: 'Undo hunk at line 2 of src/a.ts' })).toBeTruthy();
    h.events({ type: 'patch.hunk', turnId: 't1', changeSetId: 'cs1', hunkId: '1.2', state: 'stale', reason: 'The file changed since the patch was made.' });
    expect(screen.getByText('Stale, not applied: The file changed since the patch was made.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Accept all' })).toBeNull();
    h.events({ type: 'patch.resolved', turnId: 't1', changeSetId: 'cs1', outcome: 'partial', message: 'part' });
    expect(screen.getByText('Partly applied')).toBeTruthy();
  });

  it('offers Undo all once several hunks were applied (auto mode)', async () => {
    const applied = { ...reviewed, hunks: reviewed.hunks!.map((x) => ({ ...x, state: 'accepted' as const })) };
    h = setup(snapshot([{ kind: 'patch', id: 'cs1', turnId: 't1', files: [applied], outcome: 'applied' }]));
    fireEvent.click(await screen.findByRole('button', { name: 'Undo every accepted hunk of this change' }));
    expect(h.sent()).toEqual([{ type: 'hunkDecision', changeSetId: 'cs1', decision: 'undo' }]);
  });

  it('still shows a plain diff for changes logged before hunks existed', () => {
    h = setup(snapshot([{ kind: 'patch', id: 'cs1', turnId: 't1', files: [file], outcome: 'applied' }]));
    expect(h.container.querySelector('.diff-line.add')?.textContent).toBe('+new line\n');
    expect(screen.getByText('Applied')).toBeTruthy();
  });
});

describe('error card', () => {
  it('runs the allowed command of the action', async () => {
    h = setup(snapshot([]));
    h.events({
      type: 'turn.failed',
      turnId: 't1',
      at: 1,
      error: { code: 'no_api_key', message: 'No API key is set.', action: { label: 'Set API Key', command: 'tandem.setApiKey' } },
    });
    expect(screen.getByText('No API key is set.')).toBeTruthy();
    fireEvent.click(await screen.findByRole('button', { name: 'Set API Key' }));
    expect(h.sent()).toEqual([{ type: 'runCommand', command: 'tandem.setApiKey' }]);
  });

  it('posts retry for the retry action and offers nothing for unknown commands', async () => {
    h = setup(
      snapshot([
        { kind: 'error', id: 'e1', turnId: 't1', error: { code: 'server', message: 'Server error.', action: { label: 'Retry', command: 'retry' } } },
        { kind: 'error', id: 'e2', turnId: 't2', error: { code: 'internal', message: 'Odd.', action: { label: 'Do evil', command: 'workbench.action.terminal.sendSequence' } } },
      ]),
    );
    fireEvent.click(await screen.findByRole('button', { name: 'Retry' }));
    expect(h.sent()).toEqual([{ type: 'retry' }]);
    expect(screen.queryByRole('button', { name: 'Do evil' })).toBeNull();
  });
});

describe('tool and plan cards', () => {
  it('streams tool output (without terminal escapes), folds it after success, and toggles', () => {
    h = setup(snapshot([]));
    h.events(
      { type: 'turn.started', turnId: 't1', text: 'run', at: 1 },
      { type: 'tool.started', turnId: 't1', callId: 'c1', tool: 'exec_command', title: 'npm test', at: 1 },
      { type: 'tool.output', turnId: 't1', callId: 'c1', chunk: '\u001b[32mpassing\u001b[0m\r\n' },
    );
    expect(screen.getByRole('img', { name: 'Running' })).toBeTruthy();
    expect(h.container.querySelector('pre.tool-output')?.textContent).toBe('passing\n');
    h.events({ type: 'tool.ended', turnId: 't1', callId: 'c1', status: 'error', exitCode: 1, durationMs: 65_000 });
    expect(screen.getByText('exit 1')).toBeTruthy();
    expect(screen.getByText('1m 5s')).toBeTruthy();
    const toggle = screen.getByRole('button', { name: 'npm test' });
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    fireEvent.click(toggle);
    expect(h.container.querySelector('pre.tool-output')).toBeNull();
  });

  it('shows the tail of a long output, all of it on request, and puts the command in a terminal to re-run', () => {
    h = setup(snapshot([]));
    const output = Array.from({ length: 1000 }, (_, i) => `line ${i + 1}`).join('\n');
    h.events(
      { type: 'turn.started', turnId: 't1', text: 'run', at: 1 },
      { type: 'tool.started', turnId: 't1', callId: 'c1', tool: 'exec_command', title: 'make', cwd: '/w', at: 1 },
      { type: 'tool.output', turnId: 't1', callId: 'c1', chunk: output },
      { type: 'tool.ended', turnId: 't1', callId: 'c1', status: 'error', exitCode: 2, durationMs: 5 },
    );
    const pre = () => h!.container.querySelector('pre.tool-output')!.textContent!;
    expect(pre().startsWith('line 801\n')).toBe(true);
    expect(pre().endsWith('line 1000')).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Show 800 earlier lines' }));
    expect(pre().startsWith('line 1\n')).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Run make again in a terminal' }));
    expect(h.sent()).toEqual([{ type: 'runInTerminal', command: 'make', cwd: '/w' }]);
  });

  it('renders the plan as a checklist', () => {
    h = setup(
      snapshot([
        {
          kind: 'plan',
          id: 'plan-1',
          turnId: 't1',
          plan: [
            { step: 'Read code', status: 'completed' },
            { step: 'Fix bug', status: 'in_progress' },
          ],
        },
      ]),
    );
    const items = screen.getAllByRole('listitem');
    expect(items.map((li) => li.textContent)).toEqual(['Read code', 'Fix bug']);
    expect(screen.getByRole('img', { name: 'done' })).toBeTruthy();
  });
});
