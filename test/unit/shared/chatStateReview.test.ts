// The code review entry in the chat state: review.started places the card, review.completed fills it in place
// (also when it arrives during a later turn), a replay of the log gives the same entries, and a review that
// never started still gets its card. The host's parser accepts revealFinding with ids only.
import { describe, expect, it } from 'vitest';
import { applyEvent, chatStateFromEvents, emptyChatState, userWait } from '../../../src/shared/chatState';
import type { AgentEvent, CodeReviewSummary } from '../../../src/shared/events';
import { parseWebviewMessage } from '../../../src/shared/protocol';

const review: CodeReviewSummary = {
  outcome: 'reviewed',
  root: '/ws',
  label: 'changes of the last agent turn',
  findings: [{ title: 'Off by one', body: 'b', priority: 1, confidence: 0.9, path: 'a.ts', startLine: 3, endLine: 3 }],
  verdict: { correctness: 'patch is incorrect', explanation: 'x', confidence: 0.7 },
  dropped: { outsideChanges: 1, belowThreshold: 0, dismissed: 0, overLimit: 0 },
};

describe('review events in the chat state', () => {
  it('started adds a running card; completed fills the same card even after a later turn began', () => {
    const state = emptyChatState();
    applyEvent(state, { type: 'turn.started', turnId: 't1', text: 'edit', at: 1 });
    applyEvent(state, { type: 'turn.completed', turnId: 't1', stopped: false, at: 2 });
    expect(applyEvent(state, { type: 'review.started', turnId: 't1', reviewId: 'r1', scope: 'changes of the last agent turn', trigger: 'after-turn', at: 3 })).toEqual(['review-r1']);
    expect(state.entries.at(-1)).toEqual({ kind: 'review', id: 'review-r1', turnId: 't1', scope: 'changes of the last agent turn', trigger: 'after-turn' });
    applyEvent(state, { type: 'turn.started', turnId: 't2', text: 'more', at: 4 });
    applyEvent(state, { type: 'tool.started', turnId: 't2', callId: 'c1', tool: 'exec_command', title: 'ls', at: 5 });
    expect(applyEvent(state, { type: 'review.completed', turnId: 't1', reviewId: 'r1', review, at: 6 })).toEqual(['review-r1']);
    expect(state.entries.map((e) => e.id)).toEqual(['user-t1', 'review-r1', 'user-t2', 'c1']);
    expect(state.entries[1]).toMatchObject({ kind: 'review', review });
    // The later turn is unaffected: still active, its running tool closes when it ends.
    expect(state.activeTurnId).toBe('t2');
    applyEvent(state, { type: 'turn.completed', turnId: 't2', stopped: true, at: 7 });
    expect(state.entries.find((e) => e.id === 'c1')).toMatchObject({ status: 'cancelled' });
  });

  it('a review card is not a turn: the composer is not busy and nothing waits on the user', () => {
    const state = chatStateFromEvents([{ type: 'review.started', turnId: 'review-r1', reviewId: 'r1', scope: 'staged changes', trigger: 'command', at: 1 }]);
    expect(state.activeTurnId).toBeUndefined();
    expect(userWait(state)).toBeUndefined();
  });

  it('replaying the log gives the same entries; a duplicate start does not add a second card', () => {
    const events: AgentEvent[] = [
      { type: 'review.started', turnId: 'review-r1', reviewId: 'r1', scope: 'staged changes', trigger: 'command', at: 1 },
      { type: 'review.started', turnId: 'review-r1', reviewId: 'r1', scope: 'staged changes', trigger: 'command', at: 1 },
      { type: 'review.completed', turnId: 'review-r1', reviewId: 'r1', review, at: 2 },
    ];
    const live = emptyChatState();
    for (const e of events) applyEvent(live, JSON.parse(JSON.stringify(e)) as AgentEvent);
    const replayed = chatStateFromEvents(events.map((e) => JSON.parse(JSON.stringify(e)) as AgentEvent));
    expect(replayed.entries).toEqual(live.entries);
    expect(replayed.entries).toHaveLength(1);
  });

  it('a completed review without its start (a cut log) still gets a card', () => {
    const state = chatStateFromEvents([{ type: 'review.completed', turnId: 'review-r9', reviewId: 'r9', review, at: 1 }]);
    expect(state.entries).toEqual([{ kind: 'review', id: 'review-r9', turnId: 'review-r9', scope: review.label, trigger: 'command', review }]);
  });
});

describe('revealFinding from the webview', () => {
  it('keeps the review id and finding index, nothing else', () => {
    expect(parseWebviewMessage({ type: 'revealFinding', reviewId: 'r1', findingIndex: 2, path: '/etc/passwd', line: 1 })).toEqual({ type: 'revealFinding', reviewId: 'r1', findingIndex: 2 });
  });

  it('drops malformed ones', () => {
    for (const bad of [
      { reviewId: 'r1' },
      { reviewId: 'r1', findingIndex: -1 },
      { reviewId: 'r1', findingIndex: 1.5 },
      { reviewId: 'r1', findingIndex: '1' },
      { reviewId: 'r1', findingIndex: 1_001 },
      { reviewId: '', findingIndex: 0 },
      { reviewId: 'x'.repeat(201), findingIndex: 0 },
      { reviewId: ['r1'], findingIndex: 0 },
    ]) expect(parseWebviewMessage({ type: 'revealFinding', ...bad })).toBeUndefined();
  });
});
