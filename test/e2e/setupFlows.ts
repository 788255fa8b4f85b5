// E2E of the first run where the user looks: with no key, a new chat's empty state is the setup panel;
// the user picks "Custom", enters the mock's base URL and the model, saves, types the key into VS Code's
// own password box (which names the server it is for), and the next message is answered by the mock.
// The settings land in the user's settings.json. Also: the Getting Started walkthrough opens from the
// palette, screenshots of both, and the activation time this code-server logged (for bench/startup.mjs).
// Run by run.ts on the no-key code-server, after its other flows (which set a key this flow clears).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { screenshot } from './browser.ts';
import { RESULTS_DIR, log } from './harness.ts';
import type { MockOpenAI, MockResponse } from './mock.ts';
import type { TandemView } from './tandemView.ts';

export const SETUP_FLOWS = ['first run: set up a custom provider in the chat, then chat', 'getting started walkthrough'];

export interface SetupDeps {
  flow: (name: string, page: Page | undefined, body: () => Promise<void>) => Promise<void>;
  page: Page;
  view: TandemView;
  api: MockOpenAI;
  model: string;
  /** The code-server's user-data dir (settings, logs). */
  userDataDir: string;
  shots: string;
}

const streamed = (deltas: string[]): MockResponse => ({ steps: [{ type: 'text', text: deltas.join(''), deltas }] });

/** "Tandem activated in N ms" lines of this code-server's logs. */
function activationTimes(dir: string): number[] {
  const found: number[] = [];
  const walk = (d: string, depth: number) => {
    if (depth > 8 || !fs.existsSync(d)) return;
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p, depth + 1);
      else if (e.name.endsWith('.log')) for (const m of fs.readFileSync(p, 'utf8').matchAll(/Tandem activated in (\d+) ms/g)) found.push(Number(m[1]));
    }
  };
  walk(dir, 0);
  return found;
}

export async function setupFlows({ flow, page: p, view, api, model, userDataDir, shots }: SetupDeps): Promise<void> {
  const panel = view.frame.getByRole('form', { name: 'Connect a model' });

  await flow(SETUP_FLOWS[0]!, p, async () => {
    // The earlier flows stored a key: remove it and start a new chat, as a first run looks.
    await view.runCommand('Tandem: Clear API Key');
    await view.runCommand('Tandem: New Chat');
    await panel.waitFor({ timeout: 30_000 });
    await p.mouse.move(900, 450);
    await screenshot(p, path.join(shots, '20-setup-panel.png'));

    await panel.getByLabel('Provider').selectOption('custom');
    await panel.getByLabel('Base URL').fill(api.baseUrl);
    await panel.getByLabel('Model').fill(model);
    await panel.getByLabel('API').selectOption('responses');
    await screenshot(p, path.join(shots, '21-setup-panel-custom.png'));
    await p.locator('.part.sidebar').screenshot({ path: path.join(shots, '21-setup-panel-sidebar.png') }); // for docs/ and the walkthrough
    await panel.getByRole('button', { name: 'Save and enter key' }).click();

    // VS Code's own password box asks for the key, naming the server; the webview never sees it.
    await view.quickInput.waitFor();
    const title = await p.locator('.quick-input-widget .quick-input-title').innerText();
    assert.match(title, new RegExp(`API key for ${api.baseUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    assert.equal(await view.quickInput.getAttribute('type'), 'password');
    await screenshot(p, path.join(shots, '22-setup-key-prompt.png'));
    await view.quickInput.fill('setup-flow-key');
    await view.quickInput.press('Enter');
    await view.quickInput.waitFor({ state: 'hidden' });
    await p.getByText('API key saved in SecretStorage').first().waitFor();

    // With a key the panel gives way to the greeting, which names the model.
    await panel.waitFor({ state: 'hidden' });
    await view.waitForText(`Using ${model} on Custom`);
    assert.ok(!(await view.bodyText()).includes('setup-flow-key'), 'the key must never reach the webview');

    // Settings are the user's (application scope), not the workspace's.
    const settings = JSON.parse(fs.readFileSync(path.join(userDataDir, 'User', 'settings.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(settings['tandem.baseUrl'], api.baseUrl);
    assert.equal(settings['tandem.model'], model);
    assert.equal(settings['tandem.wireApi'], 'responses');

    await api.script([streamed(['Set up ', 'and ', 'answering from the mock.'])]);
    const before = (await api.requests()).length;
    await view.send('hello after setup');
    await view.waitForText('Set up and answering from the mock.');
    const requests = (await api.requests()).slice(before);
    assert.equal(requests.length, 1);
    assert.equal(requests[0]!.path, '/v1/responses');
    assert.equal(requests[0]!.hasAuthorization, true);
    assert.equal((requests[0]!.body as { model?: string }).model, model);
    await view.sendButton.waitFor({ timeout: 30_000 });
    await screenshot(p, path.join(shots, '23-after-setup-answer.png'));

    const times = activationTimes(userDataDir);
    log(`activation times logged by this code-server: ${times.join(', ') || 'none found'} ms`);
    if (times.length) fs.writeFileSync(path.join(RESULTS_DIR, 'e2e', 'activation.json'), JSON.stringify({ activationMs: times, source: 'E2E code-server (no-key instance)' }));
  });

  await flow(SETUP_FLOWS[1]!, p, async () => {
    // "Welcome: Open Walkthrough..." lists the walkthroughs in an untitled quick pick.
    await p.locator('.monaco-workbench .part.editor').click({ position: { x: 5, y: 5 } });
    await p.keyboard.press('F1');
    await view.quickInput.waitFor();
    await view.quickInput.fill('>Welcome: Open Walkthrough');
    await p.locator('.quick-input-list .monaco-list-row', { hasText: 'Open Walkthrough' }).first().waitFor();
    await view.quickInput.press('Enter');
    const row = p.locator('.quick-input-list .monaco-list-row', { hasText: 'Get started with Tandem' }).first();
    await row.click();
    const walkthrough = p.locator('.gettingStartedContainer');
    await walkthrough.getByText('Choose a provider and key (or a local model)').first().waitFor({ timeout: 30_000 });
    for (const step of ['Give Tandem a first task', 'Review edits', 'Fix This', 'Choose an approval mode']) {
      await walkthrough.getByText(step, { exact: true }).first().waitFor();
    }
    // The first step is open; its button runs the command that does it.
    const choose = walkthrough.getByText('Choose a provider', { exact: true }).first();
    await choose.waitFor();
    await p.mouse.move(900, 700);
    await screenshot(p, path.join(shots, '24-walkthrough.png'));
    await p.locator('.part.editor').screenshot({ path: path.join(shots, '24-walkthrough-editor.png') }); // for docs/
    await choose.click();
    await p.locator('.quick-input-widget .quick-input-title', { hasText: 'Choose a provider' }).waitFor();
    await screenshot(p, path.join(shots, '25-choose-provider.png'));
    await p.keyboard.press('Escape');
  });
}
