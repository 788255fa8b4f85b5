// E2E flow of parallel chats: chat 1 starts a long task whose command waits for approval while the user
// is in chat 2; chat 2 runs and finishes meanwhile (its requests carry none of chat 1's words); chat 1's
// wait shows as the Tandem view's badge, a notification naming the chat and its mark in the chat list;
// "Show" goes back to it, the command is approved and writes its file. Then chat 1 opens in an editor tab
// (the sidebar shows another chat) and moves back. A message sent while chat 1 works is queued and withdrawn
// (its text back in the composer, never sent). axe finds no serious or critical violation in the chat
// list. Ends with a new, empty chat in the sidebar and no editor open.
// The second flow reloads the window: a chat in an editor tab comes back in its tab with its messages, the
// sidebar shows the chat it showed, the list keeps its order, and a chat's own model (picked in the header's
// picker) is still the one its next request carries, while the other chat stays on the default.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { screenshot } from './browser.ts';
import { REPO_ROOT, waitFor } from './harness.ts';
import type { MockOpenAI, MockResponse } from './mock.ts';
import type { TandemView } from './tandemView.ts';

export const PARALLEL_CHAT_FLOWS = [
  'parallel chats: a second chat runs and finishes while the first waits for approval; badge, notification, chat list; a chat in an editor tab',
  'parallel chats survive a reload: the editor tab shows its chat, the sidebar its own, the list its order, a chat its own model',
];

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
const ACTIVE_ACTIVITY_LINK = '.activitybar .action-item.checked a[aria-label^="Tandem"]';

const RELOAD_A = 'reload chat A: stay in the sidebar';
const RELOAD_B = 'reload chat B: go to a tab';
const AFTER_A = 'reload chat A: still here?';
const AFTER_B = 'reload chat B: still here?';
/** Typed into "Tandem: Choose Model" for chat B (the mock serves no /models, so the picker asks for an id). */
const CHOSEN_MODEL = 'tandem-reload-model';

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

/** The chat list's titles, top to bottom, and the one marked as shown in the sidebar. */
async function listedChats(frame: Frame): Promise<{ titles: string[]; current: string | undefined }> {
  return frame.evaluate(() => {
    const items = [...document.querySelectorAll('nav.chat-list button.chat-item')];
    const title = (item: Element) => item.querySelector('.chat-item-title')?.textContent ?? '';
    return { titles: items.map(title), current: items.filter((i) => i.getAttribute('aria-current') === 'true').map(title)[0] };
  });
}

/**
 * After a reload: the one chat tab and the sidebar, once the tab shows `inTab` and the sidebar `inSidebar`.
 * The workbench restores the side bar a moment after it renders, so it is opened only while it is not open.
 */
async function tabAndSidebar(page: Page, inTab: string, inSidebar: string): Promise<{ editor: Frame; sidebar: Frame }> {
  return waitFor(`the restored tab showing "${inTab}" and the sidebar "${inSidebar}"`, async () => {
    if ((await page.locator(ACTIVE_ACTIVITY_LINK).count()) === 0) {
      await page.locator(`${ACTIVITY_ITEM} a`).click({ timeout: 10_000 });
      await page.mouse.move(900, 450); // no hover tooltip over the activity bar in screenshots
    }
    const frames = await chatFrames(page);
    const [editor] = frames.editors;
    if (!editor || !frames.sidebar || frames.editors.length !== 1) return undefined;
    const tabShows = (await editor.getByText(inTab).count()) > 0;
    const sidebarShows = (await frames.sidebar.getByText(inSidebar).count()) > 0;
    return tabShows && sidebarShows ? { editor, sidebar: frames.sidebar } : undefined;
  }, 90_000, 1_000);
}

/** The model a request to the mock asked for. */
function modelOf(body: unknown): unknown {
  return (body as { model?: unknown } | undefined)?.model;
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
    await list.getByRole('button', { name: 'New Chat', exact: true }).click();
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

  await flow(PARALLEL_CHAT_FLOWS[1]!, p, async () => {
    const text = (words: string): MockResponse => ({ steps: [{ type: 'text', text: words, deltas: [words] }] });
    // In request order: chat A, chat B, then after the reload chat B (from its tab), chat A (the sidebar).
    await api.script([text('Answer for A.'), text('Answer for B.'), text('B again, on its own model.'), text('A again, on the default model.')]);
    const before = (await api.requests()).length;

    // Chat A in the sidebar (the new chat the first flow left), then chat B from New Chat.
    await view.send(RELOAD_A);
    await view.waitForText('Answer for A.');
    await view.sendButton.waitFor({ timeout: 30_000 });
    await view.runCommand('Tandem: New Chat');
    await view.frame.getByRole('heading', { name: 'Tandem' }).waitFor();
    await view.send(RELOAD_B);
    await view.waitForText('Answer for B.');
    await view.sendButton.waitFor({ timeout: 30_000 });

    // Chat B's own model, from the header's picker: the mock has no model list, so the picker asks for the id.
    await view.runCommand('Tandem: Choose Model', { opensQuickInput: true });
    await p.locator('.quick-input-widget .quick-input-title', { hasText: /^Tandem: Model$/ }).waitFor({ timeout: 20_000 });
    await view.quickInput.fill(CHOSEN_MODEL);
    await view.quickInput.press('Enter');
    await view.quickInput.waitFor({ state: 'hidden' });
    await view.frame.getByRole('button', { name: new RegExp(CHOSEN_MODEL) }).first().waitFor({ timeout: 15_000 }); // B's header shows it

    // Chat B into an editor tab: the sidebar moves on to chat A.
    await view.runCommand('Tandem: Open Chat in Editor');
    const tab = await waitFor('chat B in an editor tab', async () => (await chatFrames(p)).editors[0], 30_000, 250);
    await tab.getByText('Answer for B.').first().waitFor({ timeout: 20_000 });
    const sidebarBefore = await waitFor('the sidebar showing chat A', async () => {
      const sidebar = (await chatFrames(p)).sidebar;
      return sidebar && (await sidebar.getByText('Answer for A.').count()) > 0 ? sidebar : undefined;
    }, 20_000, 250);
    const listBefore = await listedChats(sidebarBefore);
    assert.equal(listBefore.current, RELOAD_A, 'before the reload the sidebar shows chat A');
    assert.ok(listBefore.titles.indexOf(RELOAD_A) >= 0 && listBefore.titles.indexOf(RELOAD_A) < listBefore.titles.indexOf(RELOAD_B), `A listed before B: ${listBefore.titles.join(' | ')}`);
    await screenshot(p, path.join(shots, '43-reload-before.png'));

    // Reload the window as "Developer: Reload Window" does (the workbench saves its editors' state first).
    await view.page.locator('.monaco-workbench .part.editor').click({ position: { x: 5, y: 5 } });
    await p.keyboard.press('F1');
    await view.quickInput.fill('>Developer: Reload Window');
    await p.locator('.quick-input-list .monaco-list-row', { hasText: 'Developer: Reload Window' }).first().waitFor();
    await Promise.all([p.waitForEvent('load', { timeout: 60_000 }), view.quickInput.press('Enter')]);
    await view.waitForWorkbench();
    const restored = await tabAndSidebar(p, 'Answer for B.', 'Answer for A.');
    await p.locator('.tab', { hasText: RELOAD_B }).first().waitFor({ timeout: 15_000 }); // the tab is named by its chat
    assert.equal(await restored.editor.getByText(RELOAD_A).count(), 0, "the tab shows none of chat A's messages");
    assert.equal(await restored.sidebar.getByText('Answer for B.').count(), 0, "the sidebar shows none of chat B's messages (only its list item)");
    await restored.sidebar.getByRole('button', { name: new RegExp(`^${RELOAD_B}\\sDone · open in an editor tab$`) }).waitFor({ timeout: 15_000 });
    const listAfter = await listedChats(restored.sidebar);
    assert.deepEqual(listAfter, listBefore, 'the chat list keeps its order and the chat the sidebar shows');
    await restored.editor.getByRole('button', { name: new RegExp(CHOSEN_MODEL) }).first().waitFor({ timeout: 15_000 }); // the tab's header: B's model
    assert.equal(await restored.sidebar.getByRole('button', { name: new RegExp(CHOSEN_MODEL) }).count(), 0, "chat A's header does not show B's model");
    await screenshot(p, path.join(shots, '44-reload-tab-restored.png'));

    // The next message of chat B (from its tab) goes to its own model, with its conversation; chat A stays on the default.
    const tabComposer = restored.editor.getByRole('textbox', { name: 'Message Tandem' });
    await tabComposer.fill(AFTER_B);
    await tabComposer.press('Enter');
    await restored.editor.getByText('B again, on its own model.').first().waitFor({ timeout: 30_000 });
    await restored.editor.getByRole('button', { name: 'Send', exact: true }).waitFor({ timeout: 30_000 });
    const sidebarComposer = restored.sidebar.getByRole('textbox', { name: 'Message Tandem' });
    await sidebarComposer.fill(AFTER_A);
    await sidebarComposer.press('Enter');
    await restored.sidebar.getByText('A again, on the default model.').first().waitFor({ timeout: 30_000 });
    await restored.sidebar.getByRole('button', { name: 'Send', exact: true }).waitFor({ timeout: 30_000 });
    await screenshot(p, path.join(shots, '45-reload-model-kept.png'));

    // A browser reload of the page too (the workbench may not get to save the tab's page state): same result.
    await view.reload();
    const again = await tabAndSidebar(p, 'B again, on its own model.', 'A again, on the default model.');
    await p.locator('.tab', { hasText: RELOAD_B }).first().waitFor({ timeout: 15_000 });
    assert.equal(await again.editor.getByText('A again, on the default model.').count(), 0, "after a page reload the tab shows none of chat A's messages");
    assert.deepEqual(await listedChats(again.sidebar), listBefore, 'after a page reload the list and the sidebar chat are the same');
    await again.editor.getByRole('button', { name: new RegExp(CHOSEN_MODEL) }).first().waitFor({ timeout: 15_000 });
    await screenshot(p, path.join(shots, '46-page-reload-tab-restored.png'));

    const requests = (await api.requests()).slice(before).filter((r) => /\/responses$|\/chat\/completions$/.test(r.path));
    const of = (words: string) => requests.filter((r) => JSON.stringify(r.body).includes(words));
    const [firstA, firstB, afterB, afterA] = [of(RELOAD_A).filter((r) => !JSON.stringify(r.body).includes(AFTER_A)), of(RELOAD_B).filter((r) => !JSON.stringify(r.body).includes(AFTER_B)), of(AFTER_B), of(AFTER_A)];
    assert.equal(requests.length, 4, `four model requests (A, B, then B and A after the reload); got ${requests.length}`);
    assert.equal(firstA.length, 1, "chat A's first request");
    assert.equal(firstB.length, 1, "chat B's first request");
    assert.equal(afterB.length, 1, "chat B's request after the reload");
    assert.equal(afterA.length, 1, "chat A's request after the reload");
    const defaultModel = modelOf(firstA[0]!.body);
    assert.notEqual(defaultModel, CHOSEN_MODEL);
    assert.equal(modelOf(firstB[0]!.body), defaultModel, 'chat B started on the default model');
    assert.equal(modelOf(afterB[0]!.body), CHOSEN_MODEL, "after the reload chat B's request carries its own model");
    assert.equal(modelOf(afterA[0]!.body), defaultModel, 'chat A stays on the default model');
    const afterBBody = JSON.stringify(afterB[0]!.body);
    assert.ok(afterBBody.includes(RELOAD_B) && afterBBody.includes('Answer for B.'), "chat B's request carries its conversation from before the reload");
    assert.ok(!afterBBody.includes('reload chat A'), "chat B's request carries none of chat A's");
    assert.ok(JSON.stringify(afterA[0]!.body).includes('Answer for A.') && !JSON.stringify(afterA[0]!.body).includes('reload chat B'), "chat A's request carries its own conversation only");

    // Back to what the later flows expect: no editor, a new empty chat in the sidebar.
    await view.runCommand('View: Close All Editors');
    await waitFor('the chat tab closed', async () => (await chatFrames(p)).editors.length === 0, 20_000, 250);
    await view.runCommand('Tandem: New Chat');
    await view.frame.getByRole('heading', { name: 'Tandem' }).waitFor();
  });
}
