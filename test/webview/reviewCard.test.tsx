// @vitest-environment jsdom
// The code review card: a status line while the review runs, then findings grouped by file with priority,
// title and line range, each a button (reachable with Tab, activated with Enter or Space like any button)
// that sends only the review's id and the finding's index; the verdict and what was dropped. axe-clean.
import { afterEach, describe, expect, it } from 'vitest';
import axe from 'axe-core';
import { fireEvent, screen, within } from '@testing-library/react';
import { setup, snapshot, type Harness } from './harness';
import type { AgentEvent, CodeReviewSummary } from '../../src/shared/events';

let h: Harness | undefined;
afterEach(() => {
  h?.dispose();
  h = undefined;
});

const summary: CodeReviewSummary = {
  outcome: 'reviewed',
  root: '/ws',
  label: 'uncommitted changes',
  findings: [
    { title: 'Reads past the end of the array', body: 'i <= items.length reads items[items.length].', priority: 1, confidence: 0.9, path: 'src/sum.ts', startLine: 4, endLine: 4 },
    { title: 'Unused import', body: '', priority: 3, confidence: 0.5, path: 'src/util.ts', startLine: 1, endLine: 2 },
    { title: '<img src=x onerror=alert(1)> Empty total', body: '**not markdown**', priority: 2, confidence: 0.6, path: 'src/sum.ts', startLine: 9, endLine: 11 },
  ],
  verdict: { correctness: 'patch is incorrect', explanation: 'The loop overruns.', confidence: 0.8 },
  dropped: { outsideChanges: 2, belowThreshold: 0, dismissed: 1, overLimit: 0 },
};
const started: AgentEvent = { type: 'review.started', turnId: 'review-r1', reviewId: 'r1', scope: 'uncommitted changes', trigger: 'command', at: 1 };
const completed: AgentEvent = { type: 'review.completed', turnId: 'review-r1', reviewId: 'r1', review: summary, at: 2 };

async function violations(root: HTMLElement): Promise<string[]> {
  const result = await axe.run({ include: [root], exclude: [['vscode-button']] } as unknown as axe.ElementContext, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    rules: { 'color-contrast': { enabled: false } },
    resultTypes: ['violations'],
  });
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.html).join(' | ')}`);
}

describe('code review card', () => {
  it('says the review runs, then shows findings grouped by file with priority, title and lines', async () => {
    h = setup(snapshot([]));
    h.events(started);
    expect((await screen.findByText(/Reviewing uncommitted changes/)).closest('[role="status"]')).not.toBeNull();
    h.events(completed);
    const card = await screen.findByRole('region', { name: 'Code review: uncommitted changes' });
    const files = within(card).getAllByRole('heading', { level: 4 }).map((e) => e.textContent);
    expect(files).toEqual(['src/sum.ts', 'src/util.ts']);
    const buttons = within(card).getAllByRole('button');
    expect(buttons.map((b) => b.textContent)).toEqual(['P1 Reads past the end of the array line 4', 'P2 <img src=x onerror=alert(1)> Empty total lines 9–11', 'P3 Unused import lines 1–2']);
    expect(card.querySelector('img')).toBeNull(); // model text stays text
    expect(card.textContent).toContain('**not markdown**');
    expect(card.textContent).toContain('patch is incorrect — The loop overruns.');
    expect(card.textContent).toContain('Dropped: 2 outside the changed lines, 1 dismissed before.');
  });

  it('each finding is a native button in tab order; activating it sends the review id and the finding index only', async () => {
    h = setup(snapshot([]));
    h.events(started, completed);
    const card = await screen.findByRole('region', { name: 'Code review: uncommitted changes' });
    const buttons = within(card).getAllByRole('button');
    for (const button of buttons) {
      expect(button.tagName).toBe('BUTTON'); // Enter and Space activate a <button> natively
      expect(button.getAttribute('type')).toBe('button');
      expect(button.tabIndex).toBe(0);
      button.focus();
      expect(document.activeElement).toBe(button);
    }
    fireEvent.click(buttons[1]!);
    fireEvent.click(buttons[2]!);
    fireEvent.click(buttons[0]!);
    expect(h.sent().filter((m) => m.type === 'revealFinding')).toEqual([
      { type: 'revealFinding', reviewId: 'r1', findingIndex: 2 },
      { type: 'revealFinding', reviewId: 'r1', findingIndex: 1 },
      { type: 'revealFinding', reviewId: 'r1', findingIndex: 0 },
    ]);
  });

  it('shows a failed review with its reason and a clean one as "No findings"', async () => {
    h = setup(snapshot([]));
    h.events(
      { type: 'review.completed', turnId: 'review-r2', reviewId: 'r2', review: { ...summary, findings: [], outcome: 'failed', error: 'not inside a git repository', verdict: undefined }, at: 3 },
      { type: 'review.started', turnId: 't9', reviewId: 'r3', scope: 'changes of the last agent turn', trigger: 'after-turn', at: 4 },
      { type: 'review.completed', turnId: 't9', reviewId: 'r3', review: { ...summary, findings: [], dropped: { outsideChanges: 0, belowThreshold: 0, dismissed: 0, overLimit: 0 } }, at: 5 },
    );
    expect((await screen.findByRole('region', { name: 'Code review: uncommitted changes' })).textContent).toContain('The review could not be made: not inside a git repository');
    const auto = await screen.findByRole('region', { name: 'Automatic code review: changes of the last agent turn' });
    expect(auto.textContent).toContain('No findings.');
    expect(auto.textContent).not.toContain('Dropped');
  });

  it('is axe-clean while running and with findings', async () => {
    h = setup(snapshot([]));
    h.events(started);
    await screen.findByText(/Reviewing uncommitted changes/);
    expect(await violations(document.body)).toEqual([]);
    h.events(completed);
    await screen.findByRole('region', { name: 'Code review: uncommitted changes' });
    expect(await violations(document.body)).toEqual([]);
  });
});
