// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { fireEvent, screen } from '@testing-library/react';
import { CONFIG, setup, snapshot, type Harness } from './harness';
import { ChatStore } from '../../webview/src/store';

let h: Harness | undefined;
afterEach(() => {
  h?.dispose();
  h = undefined;
});

const composer = () => screen.getByRole('textbox', { name: 'Message Tandem' }) as HTMLTextAreaElement;

function type(text: string) {
  fireEvent.change(composer(), { target: { value: text } });
}

describe('chat webview', () => {
  it('listens first, then sends ready exactly once before anything else', () => {
    h = setup();
    expect(h.channel.posted[0]).toEqual({ type: 'ready' });
    expect(h.channel.listeningAtPost[0]).toBe(true);
    expect(h.channel.posted.filter((m) => m.type === 'ready')).toHaveLength(1);
  });

  it('shows the welcome text until there are entries', () => {
    h = setup(snapshot([]));
    expect(screen.getByText(/Ask a question about this workspace/)).toBeTruthy();
  });

  it('renders a snapshot: user, assistant markdown, tool, notice, stopped, header', () => {
    h = setup(
      snapshot([
        { kind: 'user', id: 'user-t1', turnId: 't1', text: 'hello there', at: 1 },
        { kind: 'assistant', id: 'm1', turnId: 't1', text: 'Here is a **greeting**', streaming: false },
        { kind: 'tool', id: 'c1', turnId: 't1', tool: 'exec_command', title: 'ls -la', output: 'a\nb\n', status: 'ok', exitCode: 0, durationMs: 1200 },
        { kind: 'notice', id: 'n1', turnId: 't1', text: 'Rate limited. Retrying in 2s (attempt 1).' },
        { kind: 'stopped', id: 'stopped-t1', turnId: 't1' },
      ]),
    );
    expect(screen.getByText('hello there')).toBeTruthy();
    expect(screen.getByText('greeting').tagName).toBe('STRONG');
    expect(screen.getByText('ls -la')).toBeTruthy();
    expect(screen.getByText('exit 0')).toBeTruthy();
    expect(screen.getByText('1.2s')).toBeTruthy();
    expect(screen.getByText(/Retrying in 2s/)).toBeTruthy();
    expect(screen.getByText(/^Stopped$/)).toBeTruthy();
    expect(screen.getByText('test-model')).toBeTruthy();
    expect(screen.getByText('Ask before acting')).toBeTruthy();
  });

  it('streams deltas into the assistant message, with Stop while the turn runs', () => {
    h = setup(snapshot([]));
    h.events({ type: 'turn.started', turnId: 't1', text: 'count', at: 1 });
    expect(screen.getByRole('button', { name: 'Stop' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Send' })).toBeNull();
    h.events({ type: 'message.delta', turnId: 't1', itemId: 'm1', delta: 'tick1 ' });
    h.events({ type: 'message.delta', turnId: 't1', itemId: 'm1', delta: 'tick2' });
    expect(screen.getByText('tick1 tick2')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Stop' }));
    expect(h.sent()).toEqual([{ type: 'stop' }]);

    h.events({ type: 'turn.completed', turnId: 't1', stopped: true, at: 2 });
    expect(screen.getByText(/^Stopped/)).toBeTruthy();
    expect(screen.getByText('tick1 tick2')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Send' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Stop' })).toBeNull();
  });

  it('Esc stops a running turn', () => {
    h = setup(snapshot([{ kind: 'user', id: 'user-t1', turnId: 't1', text: 'go', at: 1 }], 't1'));
    fireEvent.keyDown(composer(), { key: 'Escape' });
    expect(h.sent()).toEqual([{ type: 'stop' }]);
  });

  it('Send posts the text and clears the composer; empty text does not send', () => {
    h = setup(snapshot([]));
    const send = screen.getByRole('button', { name: 'Send' });
    fireEvent.click(send);
    type('   ');
    fireEvent.click(send);
    expect(h.sent()).toEqual([]);

    type('fix the bug');
    fireEvent.click(send);
    expect(h.sent()).toEqual([{ type: 'send', text: 'fix the bug' }]);
    expect(composer().value).toBe('');
  });

  it('Enter sends, Shift+Enter does not', () => {
    h = setup(snapshot([]));
    type('line one');
    fireEvent.keyDown(composer(), { key: 'Enter', shiftKey: true });
    expect(h.sent()).toEqual([]);
    type('line one\nline two');
    fireEvent.keyDown(composer(), { key: 'Enter' });
    expect(h.sent()).toEqual([{ type: 'send', text: 'line one\nline two' }]);
    expect(composer().value).toBe('');
  });

  it('ignores events of another session', () => {
    h = setup(snapshot([]));
    h.emit({ type: 'event', sessionId: 'other', event: { type: 'turn.started', turnId: 't9', text: 'stale', at: 1 } });
    expect(screen.queryByText('stale')).toBeNull();
  });

  it('offers Set API Key in the header when no key is configured', async () => {
    h = setup(snapshot([], undefined, { ...CONFIG, model: 'm', wireApi: 'chat', approvalPolicy: 'auto', hasApiKey: false }));
    fireEvent.click(await screen.findByRole('button', { name: 'Set API Key' }));
    expect(h.sent().filter((m) => !(m.type === 'runCommand' && m.command === 'tandem.findLocalServers'))).toEqual([{ type: 'runCommand', command: 'tandem.setApiKey' }]); // the setup panel also asks for local servers
  });

  it('warns of no key only where the provider needs one (not for local servers or VS Code language models)', () => {
    h = setup(snapshot([], undefined, { ...CONFIG, provider: 'vscode-lm', keyRequired: false, hasApiKey: false }));
    expect(screen.queryByRole('button', { name: 'Set API Key' })).toBeNull();
    expect(screen.queryByText('No API key')).toBeNull();
  });

  it('says why it only reads in an untrusted workspace, and when commands have no sandbox', () => {
    h = setup(snapshot([], undefined, { ...CONFIG, trusted: false, approvalPolicy: 'read-only', sandbox: { state: 'unavailable', detail: 'bwrap is not installed' } }));
    expect(screen.getByText('Read-only (untrusted workspace)')).toBeTruthy();
    expect(screen.getByText('No sandbox: asks first').closest('[title]')?.getAttribute('title')).toBe('bwrap is not installed');
  });

  it('meters the context of the last request against the window, with the prompt-cache hit rate', () => {
    h = setup(snapshot([], undefined, CONFIG));
    expect(screen.queryByRole('meter')).toBeNull(); // nothing sent yet
    h.events({ type: 'turn.started', turnId: 't1', text: 'hi', at: 1 });
    h.events({ type: 'usage', turnId: 't1', usage: { inputTokens: 40_000, cachedInputTokens: 30_000, outputTokens: 500 } });
    const meter = screen.getByRole('meter', { name: 'Context used by the last request' });
    expect(meter.getAttribute('aria-valuenow')).toBe('40000');
    expect(meter.getAttribute('aria-valuemax')).toBe('400000');
    expect(meter.textContent).toContain('40k / 400k');
    expect(meter.textContent).toContain('cache 75%');
    expect((meter.querySelector('.meter-fill') as HTMLElement).style.width).toBe('10%');
    // The tooltip's numbers are formatted once the pointer is on the meter (not while a turn ends).
    expect(meter.hasAttribute('title')).toBe(false);
    fireEvent.pointerEnter(meter);
    expect(meter.getAttribute('title')).toBe(
      `Last request: ${(40_000).toLocaleString()} of ${(400_000).toLocaleString()} context tokens; ${(30_000).toLocaleString()} served from the prompt cache. Session: ${(40_000).toLocaleString()} in, 500 out.`,
    );
  });
});

describe('chat store', () => {
  it('notifies only the rows an event changed, and the list only when entries are added', () => {
    const store = new ChatStore();
    store.receive(snapshot([{ kind: 'user', id: 'user-t1', turnId: 't1', text: 'hi', at: 1 }], 't1'));
    const calls: string[] = [];
    store.subscribe(() => calls.push('list'));
    store.subscribeEntry('user-t1', () => calls.push('user-t1'));
    store.subscribeEntry('m1', () => calls.push('m1'));

    const delta = (d: string) =>
      store.receive({ type: 'event', sessionId: 's1', event: { type: 'message.delta', turnId: 't1', itemId: 'm1', delta: d } });
    delta('a');
    expect(calls).toEqual(['m1', 'list']);
    calls.length = 0;
    const idsBefore = store.getIds();
    const userBefore = store.getEntry('user-t1');
    delta('b');
    expect(calls).toEqual(['m1']);
    expect(store.getIds()).toBe(idsBefore);
    expect(store.getEntry('user-t1')).toBe(userBefore);
    expect(store.getEntry('m1')).toMatchObject({ text: 'ab' });
  });
});
