// @vitest-environment jsdom
// "Restore checkpoint" on every user message: a named button that asks the host to restore before
// that message's turn (the host validates the message and does the preview and the restore).
import { afterEach, describe, expect, it } from 'vitest';
import { fireEvent, screen } from '@testing-library/react';
import { setup, snapshot, type Harness } from './harness';
import { parseWebviewMessage } from '../../src/shared/protocol';

let h: Harness | undefined;
afterEach(() => {
  h?.dispose();
  h = undefined;
});

describe('Restore checkpoint', () => {
  it('is offered on each user message and names its turn', async () => {
    h = setup(
      snapshot([
        { kind: 'user', id: 'user-t1', turnId: 't1', text: 'first', at: 1 },
        { kind: 'assistant', id: 'a1', turnId: 't1', text: 'done', streaming: false },
        { kind: 'user', id: 'user-t2', turnId: 't2', text: 'second', at: 2 },
      ]),
    );
    const buttons = await screen.findAllByRole('button', { name: 'Restore checkpoint' });
    expect(buttons).toHaveLength(2);
    fireEvent.click(buttons[1]!);
    fireEvent.click(buttons[0]!);
    expect(h.sent()).toEqual([
      { type: 'restoreCheckpoint', turnId: 't2' },
      { type: 'restoreCheckpoint', turnId: 't1' },
    ]);
  });

  it('is validated by the host: a turn id, short, nothing else carried', () => {
    expect(parseWebviewMessage({ type: 'restoreCheckpoint', turnId: 't1', extra: 'dropped' })).toEqual({ type: 'restoreCheckpoint', turnId: 't1' });
    for (const turnId of [undefined, '', 7, 'x'.repeat(301), ['t1']]) expect(parseWebviewMessage({ type: 'restoreCheckpoint', turnId })).toBeUndefined();
  });
});
