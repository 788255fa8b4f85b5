// @vitest-environment jsdom
// The first-run panel in the chat's empty state (SetupPanel.tsx), the header's pickers and the Retry an
// error card offers once its cause is fixed. The view only ever posts typed messages: the key is never
// typed here (the host asks for it in VS Code's input box).
import { afterEach, describe, expect, it } from 'vitest';
import axe from 'axe-core';
import { fireEvent, screen } from '@testing-library/react';
import { CONFIG, setup, snapshot, type Harness } from './harness';
import type { ViewConfig } from '../../src/shared/protocol';

let h: Harness | undefined;
afterEach(() => {
  h?.dispose();
  h = undefined;
});

const NO_KEY: ViewConfig = { ...CONFIG, hasApiKey: false, model: 'gpt-5.5' };
const field = (name: string) => screen.getByLabelText(name) as HTMLInputElement & HTMLSelectElement;
/** <vscode-button>s get their role once the custom element has upgraded: wait for it. */
const button = (name: string | RegExp) => screen.findByRole('button', { name });
/** Whether a Retry button is in the DOM (upgraded or not, so its absence is real). */
const retryShown = () => [...(h?.container.querySelectorAll('vscode-button') ?? [])].some((b) => b.textContent === 'Retry');
const change = (name: string, value: string) => fireEvent.change(field(name), { target: { value } });
const PROBE = { type: 'runCommand', command: 'tandem.findLocalServers' };
/** What the panel posted besides the local-server search it asks for when it opens. */
const posted = () => h!.sent().filter((m) => JSON.stringify(m) !== JSON.stringify(PROBE));

describe('first-run setup panel', () => {
  it('shows in the empty state while a key is missing, prefilled from the settings', async () => {
    h = setup(snapshot([], undefined, NO_KEY));
    expect(screen.getByRole('form', { name: 'Connect a model' })).toBeTruthy();
    expect(field('Provider').value).toBe('openai');
    expect(field('Base URL').value).toBe('https://api.openai.com/v1');
    expect(field('Model').value).toBe('gpt-5.5');
    expect(field('API').value).toBe('responses');
    expect(screen.getByText(/VS Code's own input box asks for it/)).toBeTruthy();
    // there is no field for the key in the view
    expect(h.container.querySelector('input[type="password"]')).toBeNull();
    expect(screen.queryAllByLabelText(/key/i).filter((el) => el.tagName === 'INPUT')).toHaveLength(0);
  });

  it('prefills base URL, model and wire API per provider and posts the checked setup', async () => {
    h = setup(snapshot([], undefined, NO_KEY));
    change('Provider', 'openrouter');
    expect(field('Base URL').value).toBe('https://openrouter.ai/api/v1');
    expect(field('API').value).toBe('chat');
    change('Model', 'openai/gpt-5');
    fireEvent.click(await button('Save and enter key'));
    expect(posted()).toEqual([{ type: 'saveSetup', setup: { provider: 'openrouter', baseUrl: 'https://openrouter.ai/api/v1', model: 'openai/gpt-5', wireApi: 'chat' } }]);
  });

  it('needs no key for a local server and says so', async () => {
    h = setup(snapshot([], undefined, NO_KEY));
    change('Provider', 'ollama');
    expect(field('Base URL').value).toBe('http://localhost:11434/v1');
    expect(screen.getByText('Local server: no key needed.')).toBeTruthy();
    change('Model', 'llama3.2');
    fireEvent.click(await button('Save'));
    expect(posted()).toEqual([{ type: 'saveSetup', setup: { provider: 'ollama', baseUrl: 'http://localhost:11434/v1', model: 'llama3.2', wireApi: 'chat' } }]);
  });

  it('sends nothing while a field is wrong, and says which', async () => {
    h = setup(snapshot([], undefined, NO_KEY));
    change('Provider', 'azure');
    fireEvent.click(await button('Save and enter key'));
    expect(screen.getByRole('alert').textContent).toMatch(/Replace the <placeholder>/);
    expect(field('Base URL').getAttribute('aria-invalid')).toBe('true');
    change('Base URL', 'https://my-res.openai.azure.com/openai/v1');
    fireEvent.click(await button('Save and enter key'));
    expect(screen.getByRole('alert').textContent).toMatch(/model id/);
    change('Model', 'my-deployment');
    fireEvent.submit(screen.getByRole('form', { name: 'Connect a model' })); // Enter in a field
    expect(posted()).toEqual([{ type: 'saveSetup', setup: { provider: 'azure', baseUrl: 'https://my-res.openai.azure.com/openai/v1', model: 'my-deployment', wireApi: 'responses' } }]);
  });

  it('gives way to the welcome once a key is set, which can reopen it', async () => {
    h = setup(snapshot([], undefined, NO_KEY));
    h.emit({ type: 'config', config: { ...NO_KEY, hasApiKey: true } });
    expect(screen.queryByRole('form', { name: 'Connect a model' })).toBeNull();
    expect(screen.getByText(/Using gpt-5.5 on OpenAI/)).toBeTruthy();
    fireEvent.click(await button('Change provider or model'));
    expect(screen.getByRole('form', { name: 'Connect a model' })).toBeTruthy();
    fireEvent.click(await button('Set API key'));
    expect(posted()).toEqual([{ type: 'runCommand', command: 'tandem.setApiKey' }]);
    fireEvent.click(await button('Cancel'));
    expect(screen.queryByRole('form', { name: 'Connect a model' })).toBeNull();
  });

  it('asks the host to look for local servers once when it opens, and offers the ones found', async () => {
    h = setup(snapshot([], undefined, NO_KEY));
    expect(h.sent()).toEqual([PROBE]);
    h.emit({
      type: 'config',
      config: { ...NO_KEY, localServers: [{ provider: 'vllm', baseUrl: 'http://localhost:8000/v1', models: ['Qwen/Qwen3-8B', 'other'] }] },
    });
    expect(h.sent()).toEqual([PROBE]); // a new config does not search again
    expect(screen.getByRole('group', { name: 'Running on this machine' })).toBeTruthy();
    fireEvent.click(await button('Use vLLM (local) (2 models)'));
    expect(field('Provider').value).toBe('vllm');
    expect(field('Base URL').value).toBe('http://localhost:8000/v1');
    expect(field('Model').value).toBe('Qwen/Qwen3-8B');
    expect(field('API').value).toBe('chat');
    expect(screen.getByText('Local server: no key needed.')).toBeTruthy();
    expect(screen.queryByRole('group', { name: 'Running on this machine' })).toBeNull(); // the one chosen is no longer offered
    fireEvent.click(await button('Save'));
    expect(posted()).toEqual([{ type: 'saveSetup', setup: { provider: 'vllm', baseUrl: 'http://localhost:8000/v1', model: 'Qwen/Qwen3-8B', wireApi: 'chat' } }]);
  });

  it("offers VS Code's language models without base URL, API or key", async () => {
    h = setup(snapshot([], undefined, NO_KEY));
    change('Provider', 'vscode-lm');
    expect(screen.queryByLabelText('Base URL')).toBeNull();
    expect(screen.queryByLabelText('API')).toBeNull();
    expect(screen.getByText('No key: VS Code asks once before Tandem may use one of its models.')).toBeTruthy();
    fireEvent.click(await button('Save'));
    expect(posted()).toEqual([{ type: 'saveSetup', setup: { provider: 'vscode-lm', baseUrl: '', model: '', wireApi: 'chat' } }]);
  });

  it('does not show for a local provider without a key', async () => {
    h = setup(snapshot([], undefined, { ...NO_KEY, baseUrl: 'http://localhost:11434/v1', provider: 'ollama', keyRequired: false, model: 'llama3.2' }));
    expect(screen.queryByRole('form', { name: 'Connect a model' })).toBeNull();
    expect(screen.getByText(/Using llama3.2 on Ollama/)).toBeTruthy();
  });
});

describe('setup panel accessibility', () => {
  it('has no serious or critical axe violation (WCAG 2.1 A/AA), also with an error shown', async () => {
    h = setup(snapshot([], undefined, NO_KEY));
    change('Provider', 'azure');
    fireEvent.submit(screen.getByRole('form', { name: 'Connect a model' }));
    expect(screen.getByRole('alert')).toBeTruthy();
    const result = await axe.run({ include: [h.container], exclude: [['vscode-button']] } as unknown as axe.ElementContext, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      rules: { 'color-contrast': { enabled: false } }, // no layout in jsdom
      resultTypes: ['violations'],
    });
    expect(result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
  });
});

describe('header pickers', () => {
  it('opens the model and approval pickers on the host', async () => {
    h = setup(snapshot([]));
    fireEvent.click(await button('test-model: change the model'));
    fireEvent.click(await button(/^Ask before acting: change the approval mode/));
    expect(h.sent()).toEqual([
      { type: 'runCommand', command: 'tandem.pickModel' },
      { type: 'runCommand', command: 'tandem.pickApprovalPolicy' },
    ]);
  });
});

describe('error card after the cause is fixed', () => {
  const noKeyTurn = [
    { kind: 'user' as const, id: 'user-t1', turnId: 't1', text: 'hello', at: 1 },
    { kind: 'error' as const, id: 'error-t1', turnId: 't1', error: { code: 'no_api_key' as const, message: 'No API key is set.', action: { label: 'Set API Key', command: 'tandem.setApiKey' } } },
  ];

  it('offers Retry once a key is set, and disappears when the retry succeeds', async () => {
    h = setup(snapshot(noKeyTurn, undefined, NO_KEY));
    expect(retryShown()).toBe(false);
    h.emit({ type: 'config', config: { ...NO_KEY, hasApiKey: true } });
    fireEvent.click(await button('Retry'));
    expect(h.sent()).toEqual([{ type: 'retry' }]);
    h.events({ type: 'turn.started', turnId: 't2', text: 'hello', at: 2 });
    expect(retryShown()).toBe(false); // not the last entry, and a turn runs
    expect(screen.getByText('No API key is set.')).toBeTruthy();
    h.events({ type: 'message.delta', turnId: 't2', itemId: 'm2', delta: 'Hi from the model' }, { type: 'turn.completed', turnId: 't2', stopped: false, at: 3 });
    expect(screen.queryByText('No API key is set.')).toBeNull();
    expect(screen.getAllByText('hello')).toHaveLength(1);
    expect(screen.getByText('Hi from the model')).toBeTruthy();
  });

  it('offers Retry for a 401 only after the key or settings changed since', async () => {
    h = setup(snapshot([{ kind: 'user', id: 'user-t1', turnId: 't1', text: 'hi', at: 1 }], 't1'));
    h.events({ type: 'turn.failed', turnId: 't1', at: 2, error: { code: 'auth', message: 'The API rejected the key (401).', action: { label: 'Set API Key', command: 'tandem.setApiKey' } } });
    expect(retryShown()).toBe(false);
    expect(await button('Set API Key')).toBeTruthy();
    h.emit({ type: 'config', config: CONFIG }); // the key changed
    expect(await button('Retry')).toBeTruthy();
  });

  it('offers no Retry for an error the setup cannot fix', async () => {
    h = setup(snapshot([{ kind: 'user', id: 'user-t1', turnId: 't1', text: 'hi', at: 1 }], 't1'));
    h.events({ type: 'turn.failed', turnId: 't1', at: 2, error: { code: 'context_length', message: 'Too long.' } });
    h.emit({ type: 'config', config: CONFIG });
    expect(retryShown()).toBe(false);
  });
});
