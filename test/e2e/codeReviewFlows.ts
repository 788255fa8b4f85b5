// E2E flows of the code review: a repository with a planted bug, "Tandem: Review Changes" → a comment
// thread titled with the finding on the right line → "Fix This" in the thread → a pending inline hunk →
// Accept → the file fixed on disk; and "Dismiss", which keeps the finding away on the next review of the
// same change. Run by run.ts on the with-key code-server, after the Fix This flows.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { screenshot } from './browser.ts';
import { waitFor } from './harness.ts';
import type { MockOpenAI, MockResponse } from './mock.ts';
import type { TandemView } from './tandemView.ts';

export const CODE_REVIEW_FLOWS = [
  'code review: a finding on the planted bug, Fix This from the thread, accept the fix',
  'code review: a dismissed finding does not come back',
  'code review: /review in the chat shows a findings card; a finding opens its line',
];

export interface CodeReviewDeps {
  flow: (name: string, page: Page | undefined, body: () => Promise<void>) => Promise<void>;
  page: Page;
  view: TandemView;
  api: MockOpenAI;
  workspace: string;
  shots: string;
}

const SUM_OK = ['export function sum(items: number[]): number {', '  let total = 0;', '  for (let i = 0; i < items.length; i++) total += items[i]!;', '  return total;', '}', ''].join('\n');
const SUM_BUG = SUM_OK.replace('i < items.length;', 'i < items.length - 1;');
const SUM_PATCH = ['*** Begin Patch', '*** Update File: sum.ts', ' export function sum(items: number[]): number {', '   let total = 0;', '-  for (let i = 0; i < items.length - 1; i++) total += items[i]!;', '+  for (let i = 0; i < items.length; i++) total += items[i]!;', '   return total;', '*** End Patch', ''].join('\n');
const MAX_OK = ['export function max(a: number, b: number): number {', '  return a > b ? a : b;', '}', ''].join('\n');
const MAX_BUG = MAX_OK.replace('a > b', 'a < b');

const streamed = (text: string): MockResponse => ({ steps: [{ type: 'text', text }] });
const applyPatch = (patch: string): MockResponse => ({ steps: [{ type: 'custom_tool_call', name: 'apply_patch', input: patch }] });

/** The model's review (Codex's schema) with one finding at `line` of `file`. */
function reviewAnswer(file: string, line: number, title: string, body: string): MockResponse {
  const finding = { title, body, confidence_score: 0.9, priority: 1, code_location: { absolute_file_path: file, line_range: { start: line, end: line } } };
  return streamed(JSON.stringify({ findings: [finding], overall_correctness: 'patch is incorrect', overall_explanation: 'One bug.', overall_confidence_score: 0.8 }));
}

export async function codeReviewFlows({ flow, page: p, view, api, workspace, shots }: CodeReviewDeps): Promise<void> {
  const root = fs.realpathSync(workspace);
  const read = (name: string) => fs.readFileSync(path.join(workspace, name), 'utf8');
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=e2e', '-c', 'user.email=e2e@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd: workspace, encoding: 'utf8' });
  const thread = (title: string): Locator => p.locator('.review-widget', { hasText: title }).first();
  const threadAction = (title: string, action: string): Locator => thread(title).locator(`.head .action-label[aria-label="${action}"], .head .action-label[title="${action}"]`).first();
  const toast = (text: string | RegExp): Locator => p.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
  const review = async () => {
    await view.runCommand('Tandem: Review Changes', { opensQuickInput: true });
    await p.locator('.quick-input-list .monaco-list-row', { hasText: 'Uncommitted changes' }).first().click();
  };

  await flow(CODE_REVIEW_FLOWS[0]!, p, async () => {
    // everything so far committed, then the bug planted as an uncommitted change
    if (!fs.existsSync(path.join(workspace, '.git'))) git('init', '-q');
    fs.writeFileSync(path.join(workspace, 'sum.ts'), SUM_OK);
    fs.writeFileSync(path.join(workspace, 'max.ts'), MAX_OK);
    git('add', '-A');
    git('commit', '-qm', 'before the review');
    fs.writeFileSync(path.join(workspace, 'sum.ts'), SUM_BUG);
    await view.runCommand('View: Close All Editors');
    const title = '[P1] The loop skips the last item';
    await api.script([
      reviewAnswer(path.join(root, 'sum.ts'), 3, title, 'The bound `items.length - 1` leaves out the last element, so `sum([1, 2])` is 1.'),
      applyPatch(SUM_PATCH),
      streamed('Restored the loop bound to `items.length`.'),
    ]);
    const before = (await api.requests()).length;
    await review();
    // the thread opens on the finding's line in sum.ts, titled with priority and title
    await thread(title).waitFor({ timeout: 60_000 });
    const editor = view.editorFor('sum.ts');
    await editor.waitFor();
    const bugLine = editor.locator('.view-line', { hasText: 'i < items.length - 1;' }).first();
    const lineBox = await bugLine.boundingBox();
    const threadBox = await thread(title).boundingBox();
    assert.ok(lineBox && threadBox, 'the line and the thread are on screen');
    assert.ok(Math.abs(threadBox.y - (lineBox.y + lineBox.height)) < lineBox.height, `the thread sits right below the planted bug (line at ${lineBox.y}, thread at ${threadBox.y})`);
    const told = JSON.stringify((await api.requests())[before]?.body ?? {});
    assert.match(told, /json_schema/, 'the review asks for structured output');
    assert.match(told, /3 \+ {3}for \(let i = 0; i < items\.length - 1; i\+\+\)/, 'the model sees the changed line with its number');
    await screenshot(p, path.join(shots, '40-code-review-finding-thread.png'));
    // Fix This from the thread: the finding is the problem to fix; the fix waits as a pending hunk
    await threadAction(title, 'Fix This').click();
    await view.codeLens('Accept').first().waitFor({ timeout: 30_000 });
    assert.equal(read('sum.ts'), SUM_BUG, 'nothing is written before Accept');
    const fixPrompt = JSON.stringify((await api.requests())[before + 1]?.body ?? {});
    assert.match(fixPrompt, /The loop skips the last item/, 'the fix is told the finding');
    await screenshot(p, path.join(shots, '41-code-review-fix-pending.png'));
    await view.codeLens('Accept').first().click();
    await waitFor('the fix on disk', () => read('sum.ts') === SUM_OK, 20_000);
    await view.sendButton.waitFor({ timeout: 30_000 });
  });

  await flow(CODE_REVIEW_FLOWS[1]!, p, async () => {
    fs.writeFileSync(path.join(workspace, 'max.ts'), MAX_BUG);
    const title = '[P1] max returns the smaller number';
    const answer = () => reviewAnswer(path.join(root, 'max.ts'), 2, title, 'The comparison is reversed.');
    await api.script([answer()]);
    await review();
    await thread(title).waitFor({ timeout: 60_000 });
    await threadAction(title, 'Dismiss').click();
    await thread(title).waitFor({ state: 'hidden', timeout: 10_000 });
    // the same change reviewed again: the model reports the same finding, Tandem does not show it
    await api.script([answer()]);
    const before = (await api.requests()).length;
    await review();
    await toast(/1 dismissed before/).waitFor({ timeout: 60_000 });
    assert.equal((await api.requests()).length, before + 1, 'the review did ask the model');
    assert.equal(await thread(title).count(), 0, 'the dismissed finding stays away');
    await screenshot(p, path.join(shots, '42-code-review-dismissed.png'));
  });

  await flow(CODE_REVIEW_FLOWS[2]!, p, async () => {
    // Everything so far committed, then a new bug planted as the only uncommitted change.
    git('add', '-A');
    git('commit', '-qm', 'before the chat review');
    const MIN_BUG = 'export function min(a: number, b: number): number {\n  return a > b ? a : b;\n}\n';
    fs.writeFileSync(path.join(workspace, 'min.ts'), MIN_BUG);
    await view.runCommand('View: Close All Editors');
    const title = 'min returns the larger number';
    await api.script([reviewAnswer(path.join(root, 'min.ts'), 2, `[P1] ${title}`, 'The comparison is reversed.')]);
    const before = (await api.requests()).length;
    await view.send('/review');
    // The card in the chat: the finding is a button, reachable by the keyboard, that opens its line.
    const finding = view.frame.getByRole('button', { name: new RegExp(title) });
    await finding.waitFor({ timeout: 60_000 });
    assert.equal((await api.requests()).length, before + 1, 'one review request, no agent turn');
    const told = JSON.stringify((await api.requests())[before]?.body ?? {});
    assert.match(told, /json_schema/, '/review asks for the structured review, not a chat answer');
    await screenshot(p, path.join(shots, '43-code-review-chat-card.png'));
    await finding.focus();
    await p.keyboard.press('Enter');
    await p.locator('.tab.active', { hasText: 'min.ts' }).waitFor({ timeout: 20_000 });
    assert.equal(read('min.ts'), MIN_BUG, 'a review writes nothing');
  });
}
