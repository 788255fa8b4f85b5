// @vitest-environment jsdom
// The chat says what is really happening: a command waiting for approval shows once (its own card asks),
// the reason reads as text (no raw backticks, no repetition), and the composer says what Tandem waits for.
import { afterEach, describe, expect, it } from 'vitest';
import { fireEvent, screen } from '@testing-library/react';
import { setup, snapshot, type Harness } from './harness';
import type { AgentEvent } from '../../src/shared/events';
import type { FileChangeSummary } from '../../src/shared/events';
import { inlineCode, withoutRepetition } from '../../webview/src/cards/reasonText';

let h: Harness | undefined;
afterEach(() => {
  h?.dispose();
  h = undefined;
});

const COMMAND = 'echo built > build.log';
const REASON = 'Not a known read-only command: `echo` writes to `build.log`, which is not a known read-only command.';
const started: AgentEvent = { type: 'turn.started', turnId: 't1', text: 'build it', at: 1 };
const toolStarted: AgentEvent = { type: 'tool.started', turnId: 't1', callId: 'c1', tool: 'exec_command', title: COMMAND, cwd: '/ws', at: 2 };
const requested: AgentEvent = {
  type: 'approval.requested',
  turnId: 't1',
  approvalId: 'ap1',
  subject: { kind: 'command', command: COMMAND, cwd: '/ws', reason: REASON },
};
const placeholder = () => screen.getByRole('textbox', { name: 'Message Tandem' }).getAttribute('placeholder');

describe('a command waiting for approval', () => {
  it('shows once: its own card asks, then becomes the running and finished command card', async () => {
    h = setup(snapshot([]));
    h.events(started, toolStarted, requested);
    expect(h.container.querySelectorAll('.card')).toHaveLength(1);
    expect(screen.getAllByText(COMMAND)).toHaveLength(1);
    const card = h.container.querySelector('.card.tool')!;
    expect(card.classList.contains('approval')).toBe(true);
    expect(card.textContent).toContain('Run this command?');
    expect(screen.getByRole('img', { name: 'Waiting for your approval' })).toBeTruthy();
    fireEvent.click(await screen.findByRole('button', { name: 'Approve' }));
    expect(h.sent()).toEqual([{ type: 'approval', approvalId: 'ap1', decision: 'approve' }]);

    h.events({ type: 'approval.resolved', turnId: 't1', approvalId: 'ap1', decision: 'approve' });
    expect(screen.queryByRole('button', { name: 'Approve' })).toBeNull();
    expect(screen.getByText('Approved')).toBeTruthy();
    expect(screen.getByRole('img', { name: 'Running' })).toBeTruthy();
    h.events({ type: 'tool.output', turnId: 't1', callId: 'c1', chunk: 'done\r\n' }, { type: 'tool.ended', turnId: 't1', callId: 'c1', status: 'ok', exitCode: 0, durationMs: 42 });
    expect(h.container.querySelectorAll('.card')).toHaveLength(1);
    expect(screen.getByText('exit 0')).toBeTruthy();
    expect(screen.getByText('42ms')).toBeTruthy();
  });

  it('reads the reason as text: inline code, not backticks, and not said twice', () => {
    h = setup(snapshot([]));
    h.events(started, toolStarted, requested);
    const reason = h.container.querySelector('.approval-reason')!;
    expect(reason.textContent).toBe('echo writes to build.log, which is not a known read-only command.');
    expect([...reason.querySelectorAll('code')].map((c) => c.textContent)).toEqual(['echo', 'build.log']);
    expect(reason.textContent).not.toContain('`');
  });

  it('a denied command says so in its one card', () => {
    h = setup(snapshot([]));
    h.events(started, toolStarted, requested, { type: 'approval.resolved', turnId: 't1', approvalId: 'ap1', decision: 'deny', note: 'not now' });
    h.events({ type: 'tool.ended', turnId: 't1', callId: 'c1', status: 'denied', durationMs: 0 });
    expect(h.container.querySelectorAll('.card')).toHaveLength(1);
    expect(screen.getByText('Denied', { selector: '.decision' })).toBeTruthy();
    expect(screen.getByText('— not now')).toBeTruthy();
  });

  it('a question about another command than the running card shows on its own (never under the wrong title)', () => {
    h = setup(snapshot([]));
    h.events(started, toolStarted, { ...requested, subject: { kind: 'command', command: 'rm -rf /', cwd: '/ws', reason: 'Needs a look.' } } as AgentEvent);
    expect(h.container.querySelectorAll('.card')).toHaveLength(2);
    expect(h.container.querySelector('.card.tool')?.textContent).not.toContain('Run this command?');
    expect(h.container.querySelector('.card.approval:not(.tool)')?.textContent).toContain('rm -rf /');
  });

  it('a stopped turn leaves no live buttons on the card', () => {
    h = setup(snapshot([]));
    h.events(started, toolStarted, requested, { type: 'turn.completed', turnId: 't1', stopped: true, at: 3 });
    expect(screen.queryByRole('button', { name: 'Approve' })).toBeNull();
    expect(screen.getByRole('img', { name: 'Cancelled' })).toBeTruthy();
  });
});

describe('the composer while a turn runs', () => {
  const reviewed: FileChangeSummary = {
    path: 'a.ts',
    kind: 'update',
    added: 1,
    removed: 1,
    diff: '',
    hunks: [{ id: '1.1', header: '@@ -1 +1 @@', lines: ['-a', '+b'], added: 1, removed: 1, line: 1, state: 'pending' }],
  };

  it('says it is working, then what it waits for, then working again', () => {
    h = setup(snapshot([]));
    h.events(started);
    expect(placeholder()).toBe('Tandem is working… (Enter queues a message, Esc stops)');
    h.events(toolStarted, requested);
    expect(placeholder()).toBe('Tandem is waiting for your approval above (Esc to stop)');
    h.events({ type: 'approval.resolved', turnId: 't1', approvalId: 'ap1', decision: 'approve' });
    expect(placeholder()).toBe('Tandem is working… (Enter queues a message, Esc stops)');
    h.events({ type: 'tool.ended', turnId: 't1', callId: 'c1', status: 'ok', exitCode: 0, durationMs: 1 });
    h.events({ type: 'patch.proposed', turnId: 't1', callId: 'c2', changeSetId: 'cs1', files: [reviewed] });
    expect(placeholder()).toBe('Tandem is waiting for you to review its changes above (Esc to stop)');
    h.events({ type: 'patch.hunk', turnId: 't1', changeSetId: 'cs1', hunkId: '1.1', state: 'accepted' });
    expect(placeholder()).toBe('Tandem is working… (Enter queues a message, Esc stops)');
    h.events({ type: 'turn.completed', turnId: 't1', stopped: false, at: 5 });
    expect(placeholder()).toBe('Ask Tandem (@ to attach files, Enter to send)');
  });

  it('knows the wait from a snapshot too (a reload while an approval is open)', () => {
    h = setup(snapshot([{ kind: 'approval', id: 'ap9', turnId: 't1', subject: { kind: 'patch', files: [reviewed], reason: 'Outside the workspace.' } }], 't1'));
    expect(placeholder()).toBe('Tandem is waiting for your approval above (Esc to stop)');
  });
});

describe('reason text', () => {
  it('keeps a reason that does not repeat itself', () => {
    expect(withoutRepetition('Needs a look: writes to `/etc/hosts`.')).toBe('Needs a look: writes to `/etc/hosts`.');
    expect(withoutRepetition('No colon here.')).toBe('No colon here.');
    expect(withoutRepetition('Not a known read-only command: `npm` is not a known read-only command.')).toBe('`npm` is not a known read-only command.');
  });

  it('an unpaired backtick stays visible; nothing becomes markup', () => {
    expect(inlineCode('a `b` c ` d')).toEqual(['a ', expect.objectContaining({ type: 'code' }), ' c ', '` d']);
    expect(inlineCode('<img src=x onerror=alert(1)>')).toEqual(['<img src=x onerror=alert(1)>']);
  });
});
