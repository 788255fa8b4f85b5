// E2E flow of parallel chats: chat 1 starts a long task whose command waits for approval while the user
// is in chat 2; chat 2 runs and finishes meanwhile (its requests carry none of chat 1's words); chat 1's
// wait shows as the Tandem view's badge, a notification naming the chat and its mark in the chat list;
// "Show" goes back to it, the command is approved and writes its file. Then chat 1 opens in an editor tab
// (the sidebar shows another chat) and moves back. A message sent while chat 1 works is queued and withdrawn
// (its text back in the composer, never sent). axe finds no serious or critical violation in the chat
// list. Ends with a new, empty chat in the sidebar and no editor open.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { screenshot } from './browser.ts';
import { REPO_ROOT, waitFor } from './harness.ts';
import type { MockOpenAI, MockResponse } from './mock.ts';
import type { TandemView } from './tandemView.ts';

export const PARALLEL_CHAT_FLOWS = ['parallel chats: a second chat runs and finishes while the first waits for approval; badge, notification, chat list; a chat in an editor tab'];

export interface ParallelChatDeps {
  flow: (name: string, page: Page | undefined, body: () => Promise<void>) => Promise<void>;
  page: Page;
  view: TandemView;
  api: MockOpenAI;
  workspace: string;
  shots: string;
}

const FIRST = 'chat one: write the parallel file';
const SECOND = 'chat two: say something short';
const QUEUED = 'chat one: a queued note, withdrawn';
const COMMAND = "printf 'written by chat one\\n' > parallel-one.txt"; // a write: asks under the default "ask" policy
/** Chat 1's first answer streams for a while before its command, so the user is in chat 2 when it asks. */
const SLOW = Array.from({ length: 120 }, (_, i) => `step${i + 1} `);

const ACTIVITY_ITEM = '.activitybar .action-item:has(a[aria-label^="Tandem"])';

/** The document of each Tandem webview whose chat app has loaded: the sidebar's has the chat list. */
async function chatFrames(page: Page): Promise<{ sidebar?: Frame; editors: Frame[] }> {
  const found: { sidebar?: Frame; editors: Frame[] } = { editors: [] };
  for (const frame of page.frames()) {
    if (!frame.parentFrame()?.url().includes('extensionId=tandem.tandem')) continue;
    const kind = await frame.evaluate(() => (document.querySelector('.composer-input') ? (document.querySelector('nav.chat-list') ? 'sidebar' : 'editor') : undefined)).catch(() => undefined);
    if (kind === 'sidebar') found.sidebar = frame;
    else if (kind === 'editor') found.editors.push(frame);
  }
  return found;
}

/** Serious and critical axe violations inside the chat list of `frame`. */
async function chatListViolations(frame: Frame): Promise<string[]> {
  const loaded = await frame.evaluate(() => typeof (window as { axe?: unknown }).axe === 'object');
  if (!loaded) await frame.evaluate(fs.readFileSync(path.join(REPO_ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8'));
  return frame.evaluate(async () => {
    type Result = { violations: { id: string; impact: string | null; nodes: { html: string }[] }[] };
    const axe = (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<Result> } }).axe;
    const result = await axe.run({ include: [['nav.chat-list']] }, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
    return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.html.slice(0, 160)).join(' | ')}`);
  });
}

export async function parallelChatFlows({ flow, page: p, view, api, workspace, shots }: ParallelChatDeps): Promise<void> {
  await flow(PARALLEL_CHAT_FLOWS[0]!, p, async () => {
    const written = path.join(workspace, 'parallel-one.txt');
    fs.rmSync(written, { force: true });
    const list = view.frame.getByRole('navigation', { name: 'Chats' });
    const listItem = (title: string) => list.getByRole('button', { name: new RegExp(`^${title}\\s`) });
    const streamedThenCommand: MockResponse = {
      steps: [
        { type: 'text', text: SLOW.join(''), deltas: SLOW },
        { type: 'function_call', name: 'exec_command', arguments: JSON.stringify({ cmd: COMMAND }) },
      ],
      deltaDelayMs: 100,
    };
    const text = (deltas: string[]): MockResponse => ({ steps: [{ type: 'text', text: deltas.join(''), deltas }] });
    // Served in the order the requests arrive: chat 1, chat 2, then chat 1 again after the approval.
    await api.script([streamedThenCommand, text(['Chat two ', 'is done.']), text(['Chat one wrote its file.'])]);
    const before = (await api.requests()).length;

    await view.runCommand('Tandem: New Chat');
    await view.send(FIRST);
    await view.waitForText('step1'); // chat 1 works (its answer streams)
    await listItem(FIRST).waitFor();

    // While it works the composer stays usable: a message is queued, shown as pending, and withdrawn for real.
    await view.composer.fill(QUEUED);
    await view.composer.press('Enter');
    const pending = view.frame.getByRole('list', { name: 'Queued messages' });
    await pending.getByText(QUEUED).waitFor();
    await pending.getByRole('button', { name: `Withdraw queued message: ${QUEUED}` }).click();
    await pending.waitFor({ state: 'detached' });
    assert.equal(await view.composer.inputValue(), QUEUED, 'the withdrawn message is back in the composer');
    await view.composer.fill('');

    // Chat 2, from the chat list's New Chat: chat 1 keeps running in the background.
    await list.getByRole('button', { name: 'New Chat' }).click();
    await view.frame.getByRole('heading', { name: 'Tandem' }).waitFor(); // the new chat's empty state
    await view.send(SECOND);
    await view.waitForText('Chat two is done.');
    await view.sendButton.waitFor({ timeout: 30_000 }); // chat 2 finished…
    await listItem(SECOND).and(list.getByRole('button', { name: /\sDone$/ })).waitFor();

    // …while chat 1 asks: its mark in the list, the view's badge, a notification naming it.
    await listItem(FIRST).and(list.getByRole('button', { name: /\sNeeds approval$/ })).waitFor({ timeout: 30_000 });
    await p.locator(`${ACTIVITY_ITEM} .badge .badge-content`, { hasText: '1' }).waitFor({ timeout: 15_000 });
    const toast = p.locator('.notification-toast', { hasText: 'needs your approval' });
    await toast.waitFor({ timeout: 15_000 });
    assert.match(await toast.innerText(), new RegExp(FIRST), 'the notification names the chat that asks');
    assert.ok(!fs.existsSync(written), 'nothing is written before the approval');
    await screenshot(p, path.join(shots, '40-parallel-chat-waits-in-background.png'));

    await toast.getByRole('button', { name: 'Show' }).click();
    const approval = view.approvalCard(COMMAND);
    await approval.waitFor({ timeout: 20_000 });
    await approval.getByRole('button', { name: 'Approve', exact: true }).click();
    await view.waitForText('Chat one wrote its file.');
    await view.sendButton.waitFor({ timeout: 30_000 });
    await waitFor('chat 1\'s file on disk', () => fs.existsSync(written) && fs.readFileSync(written, 'utf8') === 'written by chat one\n', 20_000);
    await p.locator(`${ACTIVITY_ITEM} .badge .badge-content`, { hasText: '1' }).waitFor({ state: 'hidden', timeout: 15_000 }); // no chat waits: no badge

    // What the model got: chat 2's requests hold none of chat 1's messages, and the other way round.
    const requests = (await api.requests()).slice(before).map((r) => JSON.stringify(r.body));
    const second = requests.filter((body) => body.includes(SECOND));
    const first = requests.filter((body) => body.includes(FIRST));
    assert.equal(second.length, 1, 'chat 2 made one request');
    assert.equal(first.length, 2, 'chat 1 made two requests (before and after the approval)');
    assert.ok(!second.some((body) => body.includes('chat one') || body.includes('step1')), "chat 2's request has none of chat 1's conversation");
    assert.ok(!first.some((body) => body.includes('chat two')), "chat 1's requests have none of chat 2's");
    assert.ok(!requests.some((body) => body.includes('a queued note')), 'the withdrawn message never reached the model');
    assert.match(first[1]!, /written by chat one|parallel-one\.txt/, "chat 1's second request carries its command's result");

    // The chat list: a real, named list that axe finds nothing serious in.
    const frames = await waitFor('the sidebar chat frame', async () => (await chatFrames(p)).sidebar, 30_000, 250);
    assert.deepEqual(await chatListViolations(frames), [], 'axe: serious or critical violations in the chat list');

    // Chat 1 in an editor tab: the same app bound to it; the sidebar moves on to another chat.
    await view.runCommand('Tandem: Open Chat in Editor');
    const editor = await waitFor('the chat in an editor tab', async () => (await chatFrames(p)).editors[0], 30_000, 250);
    await editor.getByText('Chat one wrote its file.').first().waitFor({ timeout: 20_000 });
    await p.locator('.tab', { hasText: FIRST }).first().waitFor();
    const sidebar = (await chatFrames(p)).sidebar!;
    await sidebar.getByRole('button', { name: new RegExp(`^${FIRST}\\sDone · open in an editor tab$`) }).waitFor({ timeout: 15_000 });
    await sidebar.getByText('Chat two is done.').first().waitFor(); // the sidebar shows chat 2 now
    await screenshot(p, path.join(shots, '41-parallel-chat-in-editor.png'));

    // …and back to the sidebar: the tab closes, the sidebar shows chat 1.
    await view.runCommand('Tandem: Move Chat to Sidebar');
    await waitFor('the chat tab closed', async () => (await chatFrames(p)).editors.length === 0, 20_000, 250);
    await view.waitForText('Chat one wrote its file.');
    await screenshot(p, path.join(shots, '42-parallel-chat-back-in-sidebar.png'));

    fs.rmSync(written, { force: true });
    await view.runCommand('View: Close All Editors');
    await view.runCommand('Tandem: New Chat');
    await view.frame.getByRole('heading', { name: 'Tandem' }).waitFor();
  });
}
