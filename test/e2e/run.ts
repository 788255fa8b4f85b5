// E2E flows: the packaged extension (dist/tandem.vsix) installed into code-server, driven in headless
// Chromium, talking to the mock OpenAI server. Run by Node 24 directly:
//
//   node test/e2e/run.ts                    all flows (needs dist/tandem.vsix: npm run package)
//   TANDEM_E2E_FLOW=stop node test/e2e/run.ts   flows whose name matches the regex, and the flows before them
//                                               on the same server (their setup)
//   TANDEM_VSIX=/path/other.vsix node test/e2e/run.ts   another build of the extension
//
// Screenshots: test-results/e2e/NN-*.png, and FAILED-<flow>.png for a failing flow. The logs of the mock, the
// servers and the browser (console errors) are kept in the printed temp root when a flow fails
// (always with TANDEM_KEEP_TMP=1).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { collectWebviewErrors, launchBrowser, newPage, screenshot } from './browser.ts';
import { startCodeServer } from './codeServer.ts';
import type { CodeServer } from './codeServer.ts';
import { REPO_ROOT, RESULTS_DIR, createTempRoot, finishTempRoot, freePort, log, waitFor } from './harness.ts';
import { MockOpenAI } from './mock.ts';
import type { MockResponse } from './mock.ts';
import { runFlow, type FlowResult } from './flowRunner.ts';
import { TandemView } from './tandemView.ts';
import { FIX_THIS_FLOWS, fixThisFlows } from './fixThisFlows.ts';
import { CODE_REVIEW_FLOWS, codeReviewFlows } from './codeReviewFlows.ts';
import { ACCESSIBILITY_FLOWS, accessibilityFlows } from './accessibilityFlows.ts';
import { SETUP_FLOWS, setupFlows } from './setupFlows.ts';
import { CHECKPOINT_FLOWS, checkpointFlows } from './checkpointFlows.ts';
import { languageModelFlows } from './languageModelFlows.ts';
import { PARALLEL_CHAT_FLOWS, parallelChatFlows } from './parallelChatFlows.ts';
import { mcpFlows } from './mcpFlows.ts';

// The same flows run on more than one code-server line (scripts/test.sh stages e2e and e2e-oldest); each
// run keeps its own screenshots and summary.
const RUN_NAME = process.env.TANDEM_E2E_RUN_NAME ?? 'e2e';
const SHOTS = path.join(RESULTS_DIR, RUN_NAME);
const VSIX = process.env.TANDEM_VSIX ?? path.join(REPO_ROOT, 'dist', 'tandem.vsix');
const MODEL = 'tandem-e2e-model';
const only = process.env.TANDEM_E2E_FLOW ? new RegExp(process.env.TANDEM_E2E_FLOW, 'i') : undefined;

// ---- scripted model responses (test/fixtures/mockOpenAI.ts) ----

// (Plain objects rather than the fixture's `mock` builders: importing that module at runtime only for them
// is not worth it; the types keep these in line.)

/** A streamed assistant message: exactly these deltas, `delayMs` before each. */
function streamed(deltas: string[], delayMs = 0): MockResponse {
  return { steps: [{ type: 'text', text: deltas.join(''), deltas }], ...(delayMs ? { deltaDelayMs: delayMs } : {}) };
}

/** One model response that calls a function tool (`exec_command`, …) with these arguments. */
function toolCall(name: string, args: unknown): MockResponse {
  return { steps: [{ type: 'function_call', name, arguments: JSON.stringify(args) }] };
}

/** One model response that calls the freeform `apply_patch` tool (Responses API custom tool). */
function applyPatch(patch: string): MockResponse {
  return { steps: [{ type: 'custom_tool_call', name: 'apply_patch', input: patch }] };
}

/** An HTTP error with an OpenAI-shaped body. */
function httpError(status: number, code: string, message: string): MockResponse {
  return { status, body: { error: { message, type: 'invalid_request_error', param: null, code } } };
}

const ANSWER_DELTAS = ['Here is a **greeting** ', 'in TypeScript:\n\n', '```ts\n', "console.log('hello from the mock');\n", '```\n', '\nAnything else?'];
const SLOW_DELTAS = Array.from({ length: 60 }, (_, i) => `tick${i + 1} `);

// ---- a tiny runner: named flows, in order, each with a failure screenshot ----

const results: FlowResult[] = [];

// The flows of each code-server instance, in order: a flow's predecessors on its server are its setup.
const WITH_KEY_FLOWS = [
  'open the Tandem view',
  ...CHECKPOINT_FLOWS, // test/e2e/checkpointFlows.ts (own chat, ends with a new one)
  ...ACCESSIBILITY_FLOWS, // test/e2e/accessibilityFlows.ts
  ...PARALLEL_CHAT_FLOWS, // test/e2e/parallelChatFlows.ts (two chats at once, an editor tab; ends with a new chat)
  'streamed markdown answer',
  'stop mid-answer',
  'conversation survives a reload',
  '401 from the API',
  'agent runs commands and applies an approved patch',
  'review: accept a hunk in the editor, reject one in the chat, while typing and auto-saving',
  'review: Ctrl+Z after accept restores the original',
  'review: Reject all leaves every byte identical',
  'history: New Chat, then reopen the earlier chat',
  ...FIX_THIS_FLOWS, // test/e2e/fixThisFlows.ts
  ...CODE_REVIEW_FLOWS, // test/e2e/codeReviewFlows.ts
  'context: mention a file with @',
  'no errors in the webview console',
];
const NO_KEY_FLOWS = ['no API key', 'connection refused names the URL', ...SETUP_FLOWS]; // test/e2e/setupFlows.ts

/** How many flows of `group` to run under TANDEM_E2E_FLOW: up to the last one that matches. */
function selected(group: string[]): number {
  if (!only) return group.length;
  return group.reduce((count, name, i) => (only.test(name) ? i + 1 : count), 0);
}
function isSelected(name: string): boolean {
  for (const group of [WITH_KEY_FLOWS, NO_KEY_FLOWS]) {
    const i = group.indexOf(name);
    if (i >= 0) return i < selected(group);
  }
  throw new Error(`flow '${name}' is not listed in WITH_KEY_FLOWS / NO_KEY_FLOWS`);
}

async function flow(name: string, page: Page | undefined, body: () => Promise<void>): Promise<void> {
  if (isSelected(name)) await runFlow({ results, shots: SHOTS }, name, page, body);
}

/** Waits until no turn is running: Send is back (Stop gone). */
async function waitIdle(view: TandemView): Promise<void> {
  await view.sendButton.waitFor({ timeout: 30_000 });
}

// ---- the flows ----

async function withKeyFlows(browser: Browser, root: string, api: MockOpenAI, workspace: string): Promise<void> {
  if (selected(WITH_KEY_FLOWS) === 0) return;
  const server = await startCodeServer({
    root: path.join(root, 'cs-with-key'),
    workspace,
    vsix: VSIX,
    // DOM terminal renderer: its text is in the DOM, so a flow can read what the "Tandem" terminal shows
    // Auto-save on a short delay for the whole run: nothing unaccepted may ever reach the disk.
    settings: {
      'tandem.baseUrl': api.baseUrl,
      'tandem.model': MODEL,
      'terminal.integrated.gpuAcceleration': 'off',
      'files.autoSave': 'afterDelay',
      'files.autoSaveDelay': 200,
    },
    env: { TANDEM_API_KEY: 'test-key' },
  });
  let page: Page | undefined;
  try {
    page = await newPage(browser, path.join(root, 'browser-with-key.log'));
    const webviewErrors = collectWebviewErrors(page);
    const view = new TandemView(page);
    const p = page;

    await flow('open the Tandem view', p, async () => {
      await view.gotoWorkbench(server.workbenchUrl);
      await view.open();
      await view.sendButton.waitFor();
      await view.frame.getByRole('heading', { name: 'Tandem' }).waitFor(); // the empty state
      await screenshot(p, path.join(SHOTS, '01-chat-empty.png'));
    });

    await checkpointFlows({ flow, page: p, view, api, workspace, shots: SHOTS });
    await accessibilityFlows({ flow, page: p, view, api, workspace, shots: SHOTS });
    await parallelChatFlows({ flow, page: p, view, api, workspace, shots: SHOTS });
    await (await import('./sameFileFlows.ts')).sameFileFlows({ results, page: p, view, api, workspace, shots: SHOTS }); // two chats, one file (select with 'open the Tandem view|same file')

    await flow('streamed markdown answer', p, async () => {
      await api.script([streamed(ANSWER_DELTAS, 20)]);
      const before = (await api.requests()).length;
      await view.send('hello');
      await view.waitForText('hello');
      await view.waitForText('Anything else?');
      await view.codeBlock("console.log('hello from the mock')").waitFor();
      await view.frame.locator('strong', { hasText: 'greeting' }).first().waitFor();
      await waitIdle(view);
      await screenshot(p, path.join(SHOTS, '02-streamed-answer.png'));
      const requests = (await api.requests()).slice(before);
      assert.ok(requests.length >= 1, 'the model request reached the mock');
      const req = requests[requests.length - 1];
      assert.ok(req);
      assert.match(req.path, /\/responses$/, 'tandem.wireApi defaults to the Responses API');
      assert.equal((req.body as { model?: string } | undefined)?.model, MODEL, 'the model from settings is sent');
      assert.equal(req.hasAuthorization, true, 'the key from TANDEM_API_KEY is sent');
      assert.match(JSON.stringify(req.body), /hello/, 'the user message is in the request');
    });

    await flow('stop mid-answer', p, async () => {
      await api.script([streamed(SLOW_DELTAS, 150)]);
      const before = (await api.requests()).length;
      await view.send('count slowly');
      await view.waitForText('tick3');
      await view.stopButton.click();
      await view.waitForText(/^Stopped/);
      await waitIdle(view);
      const body = await view.bodyText();
      assert.match(body, /tick3/, 'the partial answer stays');
      assert.doesNotMatch(body, /tick60/, 'the answer did not run to the end');
      await waitFor('the mock to see the request aborted', async () => (await api.requests()).slice(before).some((r) => r.clientAborted), 10_000);
      await screenshot(p, path.join(SHOTS, '03-stopped.png'));
    });

    await flow('conversation survives a reload', p, async () => {
      await view.reload();
      await view.open();
      await view.waitForText('Anything else?');
      await view.codeBlock("console.log('hello from the mock')").waitFor();
      await view.waitForText('count slowly');
      await screenshot(p, path.join(SHOTS, '04-after-reload.png'));
    });

    await flow('401 from the API', p, async () => {
      await api.script([httpError(401, 'invalid_api_key', 'Incorrect API key provided: test-key.')]);
      await view.send('are you there?');
      await view.errorCard.filter({ hasText: /API key|401|unauthori[sz]ed/i }).waitFor();
      await waitIdle(view);
      await screenshot(p, path.join(SHOTS, '06-auth-error.png'));
    });

    await flow('agent runs commands and applies an approved patch', p, async () => {
      const helloPath = path.join(workspace, 'hello.ts');
      const original = fs.readFileSync(helloPath, 'utf8');
      await api.script([
        toolCall('exec_command', { cmd: 'cat hello.ts' }), // known read-only: runs without asking
        toolCall('exec_command', { cmd: 'echo built > build.log' }), // a write: asks in "ask" mode
        applyPatch("*** Begin Patch\n*** Update File: hello.ts\n-export const greeting = 'hello';\n+export const greeting = 'hello, world';\n*** End Patch\n"),
        streamed(['Updated the ', 'greeting.']),
      ]);
      await view.send('run the build and fix the greeting');
      // the read-only command ran without an approval card; its output folds away on success, one click opens it
      const catCard = view.toolCard('cat hello.ts');
      await catCard.and(view.frame.locator('.status-ok')).waitFor();
      await catCard.getByRole('button', { expanded: false }).click();
      await catCard.getByText("export const greeting = 'hello';").waitFor();
      // the write waits for the user
      const approval = view.approvalCard('echo built > build.log');
      await approval.waitFor();
      await screenshot(p, path.join(SHOTS, '08-command-approval.png'));
      assert.equal(fs.existsSync(path.join(workspace, 'build.log')), false, 'nothing ran before the approval');
      await approval.getByRole('button', { name: 'Approve', exact: true }).click();
      await waitFor('build.log written by the approved command', () => fs.existsSync(path.join(workspace, 'build.log')), 20_000);
      await view.toolCard('echo built > build.log').getByText('exit 0').waitFor();
      // the patch is proposed, not written
      const patch = view.patchCard('hello.ts');
      await patch.waitFor();
      assert.equal(fs.readFileSync(helloPath, 'utf8'), original, 'the proposed patch is not on disk before it is accepted');
      await screenshot(p, path.join(SHOTS, '09-patch-proposed.png'));
      await patch.getByRole('button', { name: 'Accept all', exact: true }).click();
      await waitFor('hello.ts changed on disk', () => fs.readFileSync(helloPath, 'utf8') === "export const greeting = 'hello, world';\n", 20_000);
      await view.waitForText('Updated the greeting.');
      await waitIdle(view);
      await screenshot(p, path.join(SHOTS, '10-agent-turn-done.png'));
      // the model was told about each result, in order
      const bodies = (await api.requests()).slice(-3).map((r) => JSON.stringify(r.body));
      assert.match(bodies[0] ?? '', /export const greeting/, 'the command output went back to the model');
      assert.match(bodies[2] ?? '', /accepted the whole change/, 'the patch outcome went back to the model');
      // the same session is mirrored in a VS Code terminal named "Tandem"
      await view.runCommand('View: Toggle Terminal');
      await p.locator('.part.panel', { hasText: 'Tandem' }).first().waitFor();
      await p.locator('.part.panel .xterm-rows', { hasText: 'echo built > build.log' }).waitFor(); // output from before the panel opened
      await screenshot(p, path.join(SHOTS, '11-tandem-terminal.png'));
      await view.runCommand('View: Hide Panel'); // room for the editor in the next flows
    });

    const reviewPath = path.join(workspace, 'review.ts');
    const reviewOriginal = ['// review fixture', 'export function area(r: number): number {', '  return 3.14 * r * r;', '}', '', 'export const a = 1;', 'export const b = 2;', 'export const c = 3;', '', 'export const label = "circle";', ''].join('\n');
    const reviewPatch = [
      '*** Begin Patch',
      '*** Update File: review.ts',
      '@@ export function area(r: number): number {',
      '-  return 3.14 * r * r;',
      '+  return Math.PI * r * r;',
      '@@ export const c = 3;',
      ' ',
      '-export const label = "circle";',
      '+export const label = "disc";',
      '*** End Patch',
      '',
    ].join('\n');
    const userLine = 'export const typedByTheUser = true;\n'; // no comment: the editor would continue it on Enter

    await flow('review: accept a hunk in the editor, reject one in the chat, while typing and auto-saving', p, async () => {
      fs.writeFileSync(reviewPath, reviewOriginal);
      await api.script([applyPatch(reviewPatch), streamed(['Noted your choices.'])]);
      await view.send('use Math.PI and rename the label');
      const card = view.patchCard('review.ts');
      await card.locator('.hunk').nth(1).waitFor();
      // the proposal is shown in the editor, on the file itself, with CodeLens above each hunk
      const editor = view.editorFor('review.ts');
      // CodeLens are re-rendered whenever the review changes (the editor asks for them again), so wait for
      // the settled count rather than sampling it once.
      await waitFor('one Accept lens per hunk', async () => (await view.codeLens('Accept').count()) === 2, 30_000);
      await view.codeLens(/Accept all Tandem edits \(2\)/).waitFor();
      await p.locator('.statusbar-item', { hasText: '2 Tandem edits to review' }).waitFor();
      await screenshot(p, path.join(SHOTS, '12-review-editor-codelens.png'));
      // the user types above the pending hunks; auto-save writes their text, never the proposal
      await editor.locator('.view-line').first().click();
      await p.keyboard.press('Control+Home');
      await p.keyboard.type(userLine);
      await waitFor('auto-save to write the user text', () => fs.readFileSync(reviewPath, 'utf8').startsWith(userLine), 15_000);
      assert.equal(fs.readFileSync(reviewPath, 'utf8'), userLine + reviewOriginal, 'only the user text reached the disk');
      // accept the first hunk from the editor's CodeLens: it moved down with the user's line
      await view.codeLens('Accept').first().click();
      await card.locator('.hunk').nth(0).getByText('Accepted').waitFor();
      await waitFor('the accepted hunk on disk', () => fs.readFileSync(reviewPath, 'utf8').includes('Math.PI'), 15_000);
      await screenshot(p, path.join(SHOTS, '13-review-chat-card.png'));
      // reject the second from the chat
      await card.getByRole('button', { name: 'Reject hunk at line 10 of review.ts' }).click();
      await view.waitForText('Noted your choices.');
      await waitIdle(view);
      const expected = userLine + reviewOriginal.replace('3.14 * r * r', 'Math.PI * r * r');
      await waitFor('the file on disk to be exactly: user line + accepted hunk', () => fs.readFileSync(reviewPath, 'utf8') === expected, 15_000);
      await waitFor('the Accept lenses to go once every hunk is decided', async () => (await view.codeLens('Accept').count()) === 0, 10_000);
      await view.codeLens('Undo Tandem edit').waitFor(); // the accepted hunk can still be undone from the editor
      const told = JSON.stringify((await api.requests()).at(-1)?.body);
      assert.match(told, /accepted the hunk at line 3; rejected the hunk at line 10/, 'the model is told which hunks were kept');
      await screenshot(p, path.join(SHOTS, '14-review-decided.png'));
    });

    await flow('review: Ctrl+Z after accept restores the original', p, async () => {
      const editor = view.editorFor('review.ts');
      await editor.locator('.view-line').first().click();
      await p.keyboard.press('Control+z');
      await editor.locator('.view-lines', { hasText: '3.14 * r * r' }).waitFor();
      await waitFor('auto-save after the undo', () => fs.readFileSync(reviewPath, 'utf8') === userLine + reviewOriginal, 15_000);
    });

    await flow('review: Reject all leaves every byte identical', p, async () => {
      const crlfPath = path.join(workspace, 'windows.txt');
      const bytes = Buffer.from('\uFEFFfirst line\r\nsecond line\r\nthird line\r\n', 'utf8');
      fs.writeFileSync(crlfPath, bytes);
      const mtime = fs.statSync(crlfPath).mtimeMs;
      await api.script([
        applyPatch('*** Begin Patch\n*** Update File: windows.txt\n first line\n-second line\n+SECOND LINE\n third line\n*** End Patch\n'),
        streamed(['Fine, leaving it.']),
      ]);
      await view.send('shout the second line');
      await view.codeLens('Accept').first().waitFor({ timeout: 30_000 });
      await view.runCommand('Tandem: Reject All Edits');
      await view.waitForText('Fine, leaving it.');
      await waitIdle(view);
      await view.patchCard('windows.txt').getByText('Nothing applied').waitFor();
      assert.deepEqual(fs.readFileSync(crlfPath), bytes, 'every byte (BOM, CRLF) is as it was');
      assert.equal(fs.statSync(crlfPath).mtimeMs, mtime, 'the file was not even rewritten');
    });

    await flow('history: New Chat, then reopen the earlier chat', p, async () => {
      await view.runCommand('Tandem: New Chat');
      await view.frame.getByRole('heading', { name: 'Tandem' }).waitFor(); // the empty state of a new chat
      await api.script([streamed(['A fresh answer.'])]);
      await view.send('a second conversation');
      await view.waitForText('A fresh answer.');
      await waitIdle(view);
      await view.runCommand('Tandem: Show Chat History', { opensQuickInput: true });
      const earlier = p.locator('.quick-input-list .monaco-list-row', { hasText: 'hello' }).first(); // titled by its first message
      await earlier.waitFor();
      await p.locator('.quick-input-list .monaco-list-row', { hasText: 'a second conversation' }).first().waitFor();
      await screenshot(p, path.join(SHOTS, '15-history.png'));
      await earlier.click();
      await view.waitForText('Fine, leaving it.'); // the earlier chat is back, scrolled to its end
      await view.waitForText('shout the second line');
      assert.doesNotMatch(await view.bodyText(), /A fresh answer/, 'the other chat is not shown');
    });

    await fixThisFlows({ flow, page: p, view, api, workspace, shots: SHOTS, outside: path.join(root, 'outside-workspace') });
    await codeReviewFlows({ flow, page: p, view, api, workspace, shots: SHOTS });

    await flow('context: mention a file with @', p, async () => {
      const content = fs.readFileSync(path.join(workspace, 'hello.ts'), 'utf8').trim(); // as the earlier flows left it
      await api.script([streamed(['Read it.'])]);
      await view.composer.click();
      await view.composer.fill('');
      await view.composer.pressSequentially('explain @hel');
      const picker = view.frame.getByRole('listbox', { name: 'Attach to the message' });
      const option = picker.getByRole('option', { name: /hello\.ts/ }).first();
      await option.waitFor();
      await waitFor('hello.ts to be the highlighted option', async () => (await option.getAttribute('aria-selected')) === 'true', 10_000);
      await screenshot(p, path.join(SHOTS, '16-mention-picker.png'));
      await view.composer.press('Enter'); // picks; does not send
      const chip = view.frame.locator('.context-chip', { hasText: 'hello.ts' });
      await chip.waitFor();
      await picker.waitFor({ state: 'hidden' });
      assert.equal(await view.composer.inputValue(), 'explain ', 'the @query left the text');
      const before = (await api.requests()).length;
      await view.composer.pressSequentially('this file');
      await view.composer.press('Enter');
      await view.waitForText('Read it.');
      await waitIdle(view);
      await chip.waitFor({ state: 'detached' });
      const requests = (await api.requests()).slice(before);
      const body = JSON.stringify(requests.at(-1)?.body);
      assert.match(body, /explain this file/, 'the typed text was sent');
      assert.match(body, /export const greeting/, "hello.ts's content went with the request");
      assert.ok(body.includes(JSON.stringify(content).slice(1, -1)), 'the file as it is on disk');
    });

    await flow('no errors in the webview console', p, async () => {
      assert.deepEqual(webviewErrors, [], 'console errors / CSP violations inside the webview');
    });
  } finally {
    await page?.close().catch(() => undefined);
    await server.stop();
  }
}

async function noKeyFlows(browser: Browser, root: string, workspace: string, api: MockOpenAI): Promise<void> {
  if (selected(NO_KEY_FLOWS) === 0) return;
  const closedPort = await freePort(); // nothing listens there: connection refused
  const deadUrl = `http://127.0.0.1:${closedPort}/v1`;
  let server: CodeServer | undefined;
  let page: Page | undefined;
  try {
    server = await startCodeServer({
      root: path.join(root, 'cs-no-key'),
      workspace,
      vsix: VSIX,
      settings: { 'tandem.baseUrl': deadUrl, 'tandem.model': MODEL },
      env: { OPENAI_API_KEY: undefined, TANDEM_API_KEY: undefined },
    });
    page = await newPage(browser, path.join(root, 'browser-no-key.log'));
    const view = new TandemView(page);
    const p = page;
    const url = server.workbenchUrl;

    await flow('no API key', p, async () => {
      await view.gotoWorkbench(url);
      await view.open();
      await view.send('hello');
      await view.errorCard.filter({ hasText: /No API key/i }).waitFor();
      await view.errorCard.getByRole('button', { name: 'Set API Key' }).waitFor();
      await screenshot(p, path.join(SHOTS, '05-no-key.png'));
    });

    await flow('connection refused names the URL', p, async () => {
      await view.errorCard.getByRole('button', { name: 'Set API Key' }).click();
      await view.quickInput.waitFor();
      await view.quickInput.fill('test-key');
      await view.quickInput.press('Enter');
      await view.quickInput.waitFor({ state: 'hidden' });
      await p.getByText('API key saved in SecretStorage').first().waitFor(); // the key is stored before we send
      await view.send('hello again');
      await view.errorCard.filter({ hasText: `127.0.0.1:${closedPort}` }).waitFor({ timeout: 90_000 }); // after any retries
      await waitIdle(view);
      await screenshot(p, path.join(SHOTS, '07-connection-refused.png'));
    });

    await setupFlows({ flow, page: p, view, api, model: MODEL, userDataDir: server.userDataDir, shots: SHOTS });
  } finally {
    await page?.close().catch(() => undefined);
    await server?.stop();
  }
}

async function main(): Promise<number> {
  if (!fs.existsSync(VSIX)) throw new Error(`${VSIX} is missing: run \`npm run package\` first`);
  const root = createTempRoot('tandem-e2e');
  log(`temp root ${root}`);
  fs.rmSync(SHOTS, { recursive: true, force: true });
  fs.mkdirSync(SHOTS, { recursive: true });
  const workspace = path.join(root, 'workspace');
  fs.mkdirSync(workspace, { recursive: true });
  fs.writeFileSync(path.join(workspace, 'hello.ts'), "export const greeting = 'hello';\n");

  const api = await MockOpenAI.start(root);
  /** Flows that cannot apply on this VS Code line (the API they test does not exist there), with why. */
  const notApplicable: { name: string; reason: string }[] = [];
  let browser: Browser | undefined;
  try {
    browser = await launchBrowser();
    await withKeyFlows(browser, root, api, workspace);
    await noKeyFlows(browser, root, workspace, api);
    await languageModelFlows({ browser, root, vsix: VSIX, shots: SHOTS, only, results, notApplicable }); // test/e2e/languageModelFlows.ts (own code-server)
    await mcpFlows({ browser, root, vsix: VSIX, shots: SHOTS, only, results, api, model: MODEL }); // test/e2e/mcpFlows.ts (own code-server)
    await (await import('./worktreeChatFlows.ts')).worktreeChatFlows({ browser, root, vsix: VSIX, shots: SHOTS, only, results, api, model: MODEL }); // own code-server, a git workspace
  } finally {
    await browser?.close().catch(() => undefined);
    await api.stop();
  }

  console.log('\nE2E results:');
  for (const r of results) console.log(`  ${r.ok ? 'PASS' : 'FAIL'}  ${r.name}  (${(r.ms / 1000).toFixed(1)}s)`);
  const failed = results.filter((r) => !r.ok).length;
  // Skipped: every listed flow that did not run (left out by TANDEM_E2E_FLOW, or after its server's flows stopped).
  const done = new Set(results.map((r) => r.name));
  const skippedNames = [...WITH_KEY_FLOWS, ...NO_KEY_FLOWS]
    .filter((name) => !done.has(name))
    .map((name) => `${name} (${isSelected(name) ? 'not reached' : 'not matched by TANDEM_E2E_FLOW'})`);
  console.log(`screenshots in ${path.relative(REPO_ROOT, SHOTS)}/`);
  for (const n of notApplicable) console.log(`  N/A   ${n.name}: ${n.reason}`);
  console.log(`${results.length - failed} passed, ${failed} failed, ${skippedNames.length} skipped, ${notApplicable.length} not applicable on this VS Code line`);
  fs.writeFileSync(
    path.join(RESULTS_DIR, `${RUN_NAME}-summary.json`),
    JSON.stringify({ passed: results.length - failed, failed, skipped: skippedNames.length, skippedNames, notApplicable: notApplicable.map((n) => `${n.name} (${n.reason})`) }),
  );
  if (results.length === 0) console.log('no flow matched TANDEM_E2E_FLOW');
  const ok = failed === 0 && results.length > 0;
  finishTempRoot(root, ok);
  return ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    log('E2E HARNESS ERROR', err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(2);
  },
);
