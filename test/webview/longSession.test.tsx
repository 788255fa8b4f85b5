// @vitest-environment jsdom
// The chat's parts of a long session: the "Context compacted" row (numbers on one line, the summary
// behind a native <details>/<summary> that the keyboard reaches and opens, model text kept as text,
// axe-clean closed and open) and the error card of a turn paused at its step cap, whose Continue sends
// "continue" as a message (and nothing else does: an action the view does not know stays hidden).
import { afterEach, describe, expect, it } from 'vitest';
import axe from 'axe-core';
import { fireEvent, screen } from '@testing-library/react';
import { setup, snapshot, type Harness } from './harness';
import type { AgentEvent } from '../../src/shared/events';

let h: Harness | undefined;
afterEach(() => {
  h?.dispose();
  h = undefined;
});

async function violations(root: HTMLElement): Promise<string[]> {
  const result = await axe.run({ include: [root], exclude: [['vscode-button']] } as unknown as axe.ElementContext, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    rules: { 'color-contrast': { enabled: false } },
    resultTypes: ['violations'],
  });
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.html).join(' | ')}`);
}

const SUMMARY = 'Goal: fix the parser.\n<img src=x onerror="window.pwned=1"> **not markdown**\nNext: run the tests.';
const compactTurn: AgentEvent[] = [
  { type: 'turn.started', turnId: 't1', text: '/compact', at: 1 },
  { type: 'context.compacted', turnId: 't1', reason: 'manual', summary: SUMMARY, tokensBefore: 12_000, tokensAfter: 3_000, count: 2, at: 2 },
  { type: 'turn.completed', turnId: 't1', stopped: false, at: 3 },
];

function compactionRow(): { details: HTMLDetailsElement; summary: HTMLElement } {
  const summary = screen.getByText(/^Context compacted/).closest('summary');
  expect(summary).not.toBeNull();
  const details = summary!.parentElement;
  expect(details?.tagName).toBe('DETAILS');
  return { details: details as HTMLDetailsElement, summary: summary! };
}

describe('"Context compacted" row', () => {
  it('shows the count and the tokens before and after on one line, the summary closed', () => {
    h = setup(snapshot([]));
    h.events(...compactTurn);
    const { details, summary } = compactionRow();
    expect(summary.textContent).toBe(`Context compacted (#2, ${(12_000).toLocaleString()} → ${(3_000).toLocaleString()} tokens) — show summary`);
    expect(details.open).toBe(false);
    expect(details.getAttribute('role')).toBe('status'); // announced when it appears mid-turn
  });

  it('the summary is keyboard reachable (the details element\'s own <summary>) and opens to show the model text as plain text', () => {
    h = setup(snapshot([]));
    h.events(...compactTurn);
    const { details, summary } = compactionRow();
    expect(details.firstElementChild).toBe(summary); // the first <summary> child is the native, focusable toggle
    expect(summary.hasAttribute('tabindex') && summary.tabIndex < 0).toBe(false);
    summary.focus();
    expect(document.activeElement).toBe(summary);
    fireEvent.click(summary); // what Enter and Space do on a focused <summary>
    expect(details.open).toBe(true);
    const body = details.querySelector('pre');
    expect(body?.textContent).toBe(SUMMARY);
    expect(details.querySelector('img')).toBeNull(); // model text stays text
    expect(details.querySelector('strong')).toBeNull();
    expect((window as { pwned?: number }).pwned).toBeUndefined();
    fireEvent.click(summary);
    expect(details.open).toBe(false);
  });

  it('says so when the summary came back empty', () => {
    h = setup(snapshot([]));
    h.events({ ...compactTurn[0]! }, { ...(compactTurn[1] as Extract<AgentEvent, { type: 'context.compacted' }>), summary: '', reason: 'auto', count: 1 });
    const { details } = compactionRow();
    expect(details.querySelector('pre')?.textContent).toBe('The summary was empty.');
  });

  it('comes back from a reload (the snapshot) as one row', () => {
    h = setup(snapshot([]));
    h.events(...compactTurn);
    expect(h.container.querySelectorAll('details.compaction')).toHaveLength(1);
    h.emit(snapshot([{ kind: 'compaction', id: 'compaction-t1-2', turnId: 't1', reason: 'manual', summary: SUMMARY, tokensBefore: 12_000, tokensAfter: 3_000, count: 2 }]));
    expect(h.container.querySelectorAll('details.compaction')).toHaveLength(1);
    expect(compactionRow().summary.textContent).toContain('#2');
  });

  it('is axe-clean closed and open', async () => {
    h = setup(snapshot([]));
    h.events(...compactTurn);
    expect(await violations(document.body)).toEqual([]);
    fireEvent.click(compactionRow().summary);
    expect(compactionRow().details.open).toBe(true);
    expect(await violations(document.body)).toEqual([]);
  });
});

describe('a turn paused at its step cap', () => {
  const paused: AgentEvent[] = [
    { type: 'turn.started', turnId: 't1', text: 'port the project', at: 1 },
    {
      type: 'turn.failed',
      turnId: 't1',
      at: 2,
      error: { code: 'limit', message: 'Paused after 400 model requests in one turn (setting tandem.maxStepsPerTurn). Continue to let the agent go on.', action: { label: 'Continue', command: 'continue' } },
    },
  ];

  it('offers Continue, which sends "continue" as the next message', async () => {
    h = setup(snapshot([]));
    h.events(...paused);
    expect(screen.getByRole('alert').textContent).toContain('Paused after 400 model requests');
    fireEvent.click(await screen.findByRole('button', { name: 'Continue' }));
    expect(h.sent()).toEqual([{ type: 'send', text: 'continue' }]);
  });

  it('a limit error without the action (the wall-clock limit) offers no Continue', () => {
    h = setup(snapshot([]));
    h.events(paused[0]!, { type: 'turn.failed', turnId: 't1', at: 2, error: { code: 'limit', message: 'The turn ran longer than 60 minutes and was stopped.' } });
    expect(screen.getByRole('alert')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Continue' })).toBeNull();
    expect(h.sent()).toEqual([]);
  });

  it('is axe-clean with the Continue action', async () => {
    h = setup(snapshot([]));
    h.events(...paused);
    await screen.findByRole('button', { name: 'Continue' });
    expect(await violations(document.body)).toEqual([]);
  });
});
