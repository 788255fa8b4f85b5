// E2E of VS Code's Language Model API as Tandem's provider: a test extension (test/fixtures/lm-test-extension)
// registers a scripted model through the stable `vscode.lm.registerLanguageModelChatProvider`; with
// `tandem.provider: vscode-lm` and no API key anywhere, Tandem names the models VS Code lists when
// `tandem.model` is not one of them, then chats with the test model, runs its exec_command and apply_patch
// calls through the approval UI, sends the results back, and cancels the request on Stop. The test extension
// records every request it receives (messages, parts, tools) in a file, which the flows check.
// Runs on its own code-server. Where VS Code has no provider registration API (1.100 < 1.104) no test model
// can exist: the flows are reported as not applicable on that line, with the reason, in the run's summary
// (never as passed). Called from run.ts with its shared results list.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { newPage, screenshot } from './browser.ts';
import { runFlow, selectFlows, type FlowResult, type NotApplicableFlow } from './flowRunner.ts';
import { startCodeServer } from './codeServer.ts';
import type { CodeServer } from './codeServer.ts';
import { REPO_ROOT, waitFor } from './harness.ts';
import { TandemView } from './tandemView.ts';

export const LANGUAGE_MODEL_FLOWS = [
  'language model: an unknown tandem.model names the models VS Code lists',
  'language model: pick the test model, chat runs an exec_command call through it',
  'language model: apply_patch through the test model',
  'language model: Stop cancels the request at the provider',
];

const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'lm-test-extension');
const MODEL_ID = 'tandem-test-model';
/** The call id the test model uses: odd characters that must come back unchanged with the result. */
const ODD_CALL_ID = 'call:odd/id "1" ü';

export interface LanguageModelFlowDeps {
  browser: Browser;
  /** The run's temp root (this server's state goes in a folder of its own there). */
  root: string;
  vsix: string;
  shots: string;
  /** TANDEM_E2E_FLOW: flows whose name matches, and the ones before them (their setup). */
  only: RegExp | undefined;
  /** run.ts's results, for its summary. */
  results: FlowResult[];
  /** Flows that cannot apply on this VS Code line, with why (run.ts lists them in its summary). */
  notApplicable: NotApplicableFlow[];
}

/** What the test extension wrote: one JSON object per line. */
interface Recorded {
  event: 'activated' | 'request' | 'cancelled';
  api?: boolean;
  version?: string;
  model?: string;
  messages?: { role: 'user' | 'assistant'; content: RecordedPart[] }[];
  tools?: { name: string; inputSchema: { properties?: Record<string, unknown> } }[];
}
interface RecordedPart {
  type: 'text' | 'toolCall' | 'toolResult' | 'data' | 'other';
  value?: string;
  callId?: string;
  name?: string;
  input?: Record<string, unknown>;
  content?: RecordedPart[];
}

function readRecords(file: string): Recorded[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Recorded);
}

/** `vsce package` of the test extension into the run's temp root. */
function packageTestExtension(root: string): string {
  const out = path.join(root, 'lm-test-extension.vsix');
  execFileSync(path.join(REPO_ROOT, 'node_modules', '.bin', 'vsce'), ['package', '--no-dependencies', '--skip-license', '--allow-missing-repository', '--out', out], {
    cwd: FIXTURE,
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 120_000,
  });
  return out;
}

const textOf = (parts: RecordedPart[] | undefined): string => (parts ?? []).map((p) => p.value ?? '').join('');

export async function languageModelFlows({ browser, root, vsix, shots, only, results, notApplicable }: LanguageModelFlowDeps): Promise<void> {
  const selected = selectFlows(LANGUAGE_MODEL_FLOWS, only);
  if (selected.size === 0) return;
  let skipReason: string | undefined;
  const report = { results, shots, notApplicable, notApplicableReason: () => skipReason };
  const flow = async (name: string, page: Page | undefined, body: () => Promise<void>): Promise<void> => {
    if (selected.has(name)) await runFlow(report, name, page, body);
  };

  const csRoot = path.join(root, 'cs-language-model');
  fs.mkdirSync(csRoot, { recursive: true });
  const workspace = path.join(root, 'lm-workspace');
  fs.mkdirSync(workspace, { recursive: true });
  fs.writeFileSync(path.join(workspace, 'README.md'), '# language model flows\n');
  const recordFile = path.join(root, 'lm-test-record.jsonl');
  let server: CodeServer | undefined;
  let page: Page | undefined;
  try {
    server = await startCodeServer({
      root: csRoot,
      workspace,
      vsix,
      extraVsixes: [packageTestExtension(root)],
      // VS Code's models, and a model id VS Code does not have: the first flow's error lists the real ones.
      settings: { 'tandem.provider': 'vscode-lm', 'tandem.model': 'no-such-model', 'terminal.integrated.gpuAcceleration': 'off' },
      // No key anywhere: this provider needs none.
      env: { OPENAI_API_KEY: undefined, TANDEM_API_KEY: undefined, TANDEM_LM_TEST_RECORD: recordFile },
    });
    page = await newPage(browser, path.join(root, 'browser-language-model.log'));
    const view = new TandemView(page);
    const p = page;
    const settingsFile = path.join(server.userDataDir, 'User', 'settings.json');
    const requestsSoFar = () => readRecords(recordFile).filter((r) => r.event === 'request');

    await flow(LANGUAGE_MODEL_FLOWS[0]!, p, async () => {
      await view.gotoWorkbench(server!.workbenchUrl);
      await view.open();
      const activated = await waitFor('the test extension to activate', () => readRecords(recordFile).find((r) => r.event === 'activated'), 60_000);
      if (!activated.api) {
        skipReason = `VS Code ${activated.version ?? '?'} has no vscode.lm.registerLanguageModelChatProvider (stable from 1.104), so no test model can be registered`;
        return; // runFlow lists it (and the flows after it) as not applicable
      }
      await view.send('hello');
      const error = view.errorCard.filter({ hasText: "no language model with the id 'no-such-model'" });
      await error.waitFor();
      const said = await error.innerText();
      assert.match(said, /Tandem Test Model \(tandem-test-model\)/, 'the error lists the model the test extension registered');
      assert.doesNotMatch(said, /API key/i, 'no key is asked for');
      await screenshot(p, path.join(shots, '40-lm-unknown-model.png'));
    });

    await flow(LANGUAGE_MODEL_FLOWS[1]!, p, async () => {
      // Tandem's model picker lists VS Code's models (modelCatalog.ts listLanguageModels): pick the test model.
      await view.runCommand('Tandem: Choose Model', { opensQuickInput: true });
      const row = p.locator('.quick-input-list .monaco-list-row', { hasText: 'Tandem Test Model' }).first();
      await row.waitFor();
      assert.match(await row.innerText(), /tandem-test-model · 64k context/, 'listed with its id and context window');
      await screenshot(p, path.join(shots, '41-lm-model-picker.png'));
      await row.click();
      await view.frame.getByRole('button', { name: new RegExp(MODEL_ID) }).first().waitFor(); // the header shows this chat's model
      // The model is this chat's: the default for new chats (tandem.model) is what it was.
      assert.equal(JSON.parse(fs.readFileSync(settingsFile, 'utf8'))['tandem.model'], 'no-such-model', 'the picker set the chat, not the default');
      const before = requestsSoFar().length;
      const outFile = path.join(workspace, 'lm-out.txt');
      await view.send('please run: echo lm-was-here | tee lm-out.txt');
      await view.waitForText('Running it.');
      // A write asks in the default "ask" mode: the call went through Tandem's approval like any other.
      const approval = view.approvalCard('echo lm-was-here | tee lm-out.txt');
      await approval.waitFor();
      await screenshot(p, path.join(shots, '42-lm-tool-call-approval.png'));
      assert.equal(fs.existsSync(outFile), false, 'nothing ran before the approval');
      await approval.getByRole('button', { name: 'Approve', exact: true }).click();
      await waitFor('lm-out.txt written by the approved command', () => fs.existsSync(outFile), 20_000);
      assert.equal(fs.readFileSync(outFile, 'utf8'), 'lm-was-here\n');
      await view.waitForText(/The tool answered:/);
      await view.sendButton.waitFor({ timeout: 30_000 });
      await screenshot(p, path.join(shots, '43-lm-tool-call-done.png'));

      const [first, second, ...rest] = requestsSoFar().slice(before);
      assert.ok(first && second, 'two requests reached the test model (the call, then the result)');
      assert.equal(rest.length, 0, 'and no more');
      assert.equal(first.model, MODEL_ID);
      // The instructions come first, as a user message (no system role in the stable API).
      assert.equal(first.messages?.[0]?.role, 'user');
      assert.match(textOf(first.messages?.[0]?.content), /Tandem/, 'the instructions are the first message');
      assert.match(textOf(first.messages?.at(-1)?.content), /please run: echo lm-was-here/, 'the user message is the last one');
      const toolNames = (first.tools ?? []).map((t) => t.name);
      for (const name of ['exec_command', 'apply_patch', 'update_plan']) assert.ok(toolNames.includes(name), `tool ${name} offered (got ${toolNames.join(', ')})`);
      const applyPatch = first.tools?.find((t) => t.name === 'apply_patch');
      assert.ok(applyPatch?.inputSchema.properties && 'input' in applyPatch.inputSchema.properties, 'apply_patch goes as its fallback function ({ input })');
      // The second request: the call as the model made it, then its result under the same (odd) id.
      const messages = second.messages ?? [];
      const callMessage = messages.find((m) => m.role === 'assistant' && m.content.some((c) => c.type === 'toolCall'));
      const call = callMessage?.content.find((c) => c.type === 'toolCall');
      assert.equal(call?.callId, ODD_CALL_ID);
      assert.equal(call?.name, 'exec_command');
      assert.deepEqual(call?.input, { cmd: 'echo lm-was-here | tee lm-out.txt' });
      assert.equal(textOf(callMessage?.content.filter((c) => c.type === 'text')), 'Running it.', "the call's text is in the same assistant message");
      const last = messages.at(-1);
      assert.equal(last?.role, 'user');
      const result = last?.content.find((c) => c.type === 'toolResult');
      assert.equal(result?.callId, ODD_CALL_ID, 'the result carries the call id unchanged');
      assert.match(textOf(result?.content), /lm-was-here/, "the command's output went back to the model");
    });

    await flow(LANGUAGE_MODEL_FLOWS[2]!, p, async () => {
      const before = requestsSoFar().length;
      const added = path.join(workspace, 'lm-added.txt');
      await view.send('now patch: lm-added.txt');
      const card = view.patchCard('lm-added.txt');
      await card.waitFor();
      assert.equal(fs.existsSync(added), false, 'the proposed file is not on disk before it is accepted');
      await screenshot(p, path.join(shots, '44-lm-patch-proposed.png'));
      await card.getByRole('button', { name: 'Accept all', exact: true }).click();
      await waitFor('lm-added.txt on disk', () => fs.existsSync(added) && fs.readFileSync(added, 'utf8') === 'written through a VS Code language model\n', 20_000);
      await view.waitForText(/The tool answered:/);
      await view.sendButton.waitFor({ timeout: 30_000 });
      const second = requestsSoFar().slice(before)[1];
      const result = second?.messages?.at(-1)?.content.find((c) => c.type === 'toolResult');
      assert.equal(result?.callId, 'patch-call-1');
      assert.match(textOf(result?.content), /accepted|applied|lm-added\.txt/i, 'the patch outcome went back to the model');
    });

    await flow(LANGUAGE_MODEL_FLOWS[3]!, p, async () => {
      await view.send('count slow please');
      await view.waitForText('tick3');
      await view.stopButton.click();
      await view.waitForText(/^Stopped/);
      await view.sendButton.waitFor({ timeout: 30_000 });
      await waitFor('the provider to see the request cancelled', () => readRecords(recordFile).some((r) => r.event === 'cancelled'), 15_000);
      assert.doesNotMatch(await view.bodyText(), /tick600/, 'the answer did not run to the end');
      await screenshot(p, path.join(shots, '45-lm-stopped.png'));
    });
  } finally {
    await page?.close().catch(() => undefined);
    await server?.stop();
  }
}
