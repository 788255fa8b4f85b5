// @vitest-environment jsdom
// axe-core (WCAG 2.1 A and AA rules) on the rendered chat in each of its states, in jsdom: fast, so a
// wrong ARIA attribute fails here first. jsdom has no layout, so colour contrast is left to the E2E check
// (test/e2e/accessibilityFlows.ts), which runs the same rules in the real webview. So are the names of
// <vscode-button>s: jsdom does not compute a name through their shadow root's slot (a real browser does).
import { afterEach, describe, expect, it } from 'vitest';
import axe from 'axe-core';
import { setup, snapshot, type Harness } from './harness';
import type { AgentEvent, FileChangeSummary } from '../../src/shared/events';
import { fireEvent, screen } from '@testing-library/react';

let h: Harness | undefined;
afterEach(() => {
  h?.dispose();
  h = undefined;
});

async function blockingViolations(root: HTMLElement): Promise<string[]> {
  expect(root.querySelectorAll('button, vscode-button, [role="button"]').length).toBeGreaterThan(0); // there is something to check
  const result = await axe.run({ include: [root], exclude: [['vscode-button']] } as unknown as axe.ElementContext, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    rules: { 'color-contrast': { enabled: false } },
    resultTypes: ['violations'],
  });
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.html).join(' | ')}`);
}

const COMMAND = 'echo built > build.log';
const turn: AgentEvent[] = [
  { type: 'turn.started', turnId: 't1', text: 'build it', at: 1 },
  { type: 'tool.started', turnId: 't1', callId: 'c1', tool: 'exec_command', title: COMMAND, cwd: '/ws', at: 2 },
  { type: 'approval.requested', turnId: 't1', approvalId: 'ap1', subject: { kind: 'command', command: COMMAND, cwd: '/ws', reason: 'Needs a look: writes to `build.log`.' } },
];
const reviewed: FileChangeSummary = {
  path: 'a.ts',
  kind: 'update',
  added: 1,
  removed: 1,
  diff: '--- a/a.ts\n+++ b/a.ts\n@@ -1 +1 @@\n-old\n+new\n',
  hunks: [{ id: '1.1', header: '@@ -1 +1 @@', lines: ['-old', '+new'], added: 1, removed: 1, line: 1, state: 'pending' }],
};

describe('axe on the chat (WCAG 2.1 A/AA, serious and critical)', () => {
  it('empty chat', async () => {
    h = setup(snapshot([]));
    expect(await blockingViolations(document.body)).toEqual([]);
  });

  it('a long chat opened on its newest page, with "Load earlier messages" idle and loading', async () => {
    h = setup(snapshot([{ kind: 'user', id: 'user-t9', turnId: 't9', text: 'the last question', at: 9 }], undefined, undefined, 5_000));
    expect(await blockingViolations(document.body)).toEqual([]);
    fireEvent.click(screen.getByRole('button', { name: 'Load earlier messages' }));
    expect(await blockingViolations(document.body)).toEqual([]);
  });

  it('a command card asking for approval, then a change under review, then a finished turn', async () => {
    h = setup(snapshot([]));
    h.events(...turn);
    expect(await blockingViolations(document.body)).toEqual([]);
    h.events(
      { type: 'approval.resolved', turnId: 't1', approvalId: 'ap1', decision: 'approve' },
      { type: 'tool.output', turnId: 't1', callId: 'c1', chunk: 'built\r\n' },
      { type: 'tool.ended', turnId: 't1', callId: 'c1', status: 'ok', exitCode: 0, durationMs: 12 },
      { type: 'patch.proposed', turnId: 't1', callId: 'c2', changeSetId: 'cs1', files: [reviewed] },
    );
    expect(await blockingViolations(document.body)).toEqual([]);
    h.events(
      { type: 'patch.hunk', turnId: 't1', changeSetId: 'cs1', hunkId: '1.1', state: 'accepted' },
      { type: 'patch.resolved', turnId: 't1', changeSetId: 'cs1', outcome: 'applied' },
      { type: 'message.completed', turnId: 't1', itemId: 'm1', text: 'Done: `rules` is **21**.\n\n```ts\nexport const rules = 21;\n```\n' },
      { type: 'turn.completed', turnId: 't1', stopped: false, at: 3 },
    );
    expect(await blockingViolations(document.body)).toEqual([]);
  });

  it('the composer with the @ picker open', async () => {
    h = setup(snapshot([]));
    const box = screen.getByRole('textbox', { name: 'Message Tandem' }) as HTMLTextAreaElement;
    fireEvent.change(box, { target: { value: '@he', selectionStart: 3 } });
    const query = h.sent().find((m) => m.type === 'mentionQuery');
    if (query?.type !== 'mentionQuery') throw new Error('no mention query was sent');
    h.emit({ type: 'mentionResults', requestId: query.requestId, items: [{ id: 'f1', kind: 'file', label: 'hello.ts', detail: 'src' }] });
    expect(screen.getByRole('listbox')).toBeTruthy();
    expect(await blockingViolations(document.body)).toEqual([]);
  });
});
