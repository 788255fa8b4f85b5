// E2E of a chat in a git worktree of its own (issue 15), on its own code-server whose workspace is a git
// repository with a commit: "New Chat in Worktree" in the chat list makes the chat and its worktree (next
// to the repository) and the chat's bar says it is isolated; the mock model's apply_patch and shell command
// change only the worktree (the workspace's files stay byte-identical and git sees nothing there);
// "Review changes in workspace" proposes what changed through the usual per-hunk review, and after the
// accepts the workspace's files are byte-exact the worktree's; a second bring-back offers nothing (the
// baseline moved); after a reload the restored chat is still isolated and its commands run in the worktree;
// closing the chat removes the worktree and git forgets it; a protected file (.vscode/settings.json) comes
// back only if the user says so, a file the user made meanwhile comes back stale (theirs stays);
// "Discard worktree" asks first when the worktree holds changes.
// Called from run.ts with its shared results list.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { newPage, screenshot } from './browser.ts';
import { startCodeServer } from './codeServer.ts';
import type { CodeServer } from './codeServer.ts';
import { runFlow, selectFlows, type FlowResult } from './flowRunner.ts';
import { waitFor } from './harness.ts';
import type { MockOpenAI } from './mock.ts';
import { TandemView } from './tandemView.ts';

export const WORKTREE_CHAT_FLOWS = [
  'worktree chat: New Chat in Worktree makes an isolated chat',
  'worktree chat: the agent edits only its worktree',
  'worktree chat: Review changes in workspace brings the edits back hunk by hunk',
  'worktree chat: after a reload the chat still works in its worktree',
  'worktree chat: closing the chat removes its worktree',
  'worktree chat: protected files are asked about, the user’s own file stays; Discard asks first, then removes the worktree',
];

export interface WorktreeChatFlowDeps {
  browser: Browser;
  root: string;
  vsix: string;
  shots: string;
  only: RegExp | undefined;
  results: FlowResult[];
  api: MockOpenAI;
  model: string;
}

const CALC = [
  'export function add(a: number, b: number): number {',
  '  return a + b;',
  '}',
  '',
  'export function sub(a: number, b: number): number {',
  '  return a - b;',
  '}',
  '',
  'export function mul(a: number, b: number): number {',
  '  return a * b;',
  '}',
  '',
].join('\n');
const CALC_PATCH = [
  '*** Begin Patch',
  '*** Update File: calc.ts',
  '@@ export function add(a: number, b: number): number {',
  '-  return a + b;',
  '+  return a + b; // in the worktree',
  '@@ export function mul(a: number, b: number): number {',
  '-  return a * b;',
  '+  return Math.imul(a, b);',
  '*** End Patch',
  '',
].join('\n');
const CALC_AFTER = CALC.replace('return a + b;', 'return a + b; // in the worktree').replace('return a * b;', 'return Math.imul(a, b);');
const NOTES = 'notes\n';
const SHELL = "printf 'from the shell\\n' >> notes.txt";
const NOTES_AFTER = 'notes\nfrom the shell\n';
const MESSAGE = 'Refactor calc and add a note';

function git(cwd: string, args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 'e2e', GIT_AUTHOR_EMAIL: 'e2e@example.com', GIT_COMMITTER_NAME: 'e2e', GIT_COMMITTER_EMAIL: 'e2e@example.com' },
  });
}

export async function worktreeChatFlows({ browser, root, vsix, shots, only, results, api, model }: WorktreeChatFlowDeps): Promise<void> {
  const selected = selectFlows(WORKTREE_CHAT_FLOWS, only);
  if (selected.size === 0) return;
  const flow = async (name: string, page: Page | undefined, body: () => Promise<void>): Promise<void> => {
    if (selected.has(name)) await runFlow({ results, shots }, name, page, body);
  };

  const workspace = path.join(root, 'wt-parent', 'repo');
  fs.mkdirSync(workspace, { recursive: true });
  fs.writeFileSync(path.join(workspace, 'calc.ts'), CALC);
  fs.writeFileSync(path.join(workspace, 'notes.txt'), NOTES);
  git(workspace, ['init', '-q', '-b', 'main']);
  git(workspace, ['add', '-A']);
  git(workspace, ['commit', '-q', '--no-verify', '-m', 'initial']);
  const container = path.join(root, 'wt-parent', '.tandem-worktrees', 'repo');
  const read = (dir: string, name: string) => fs.readFileSync(path.join(dir, name), 'utf8');
  let worktree = '';

  let server: CodeServer | undefined;
  let page: Page | undefined;
  try {
    server = await startCodeServer({
      root: path.join(root, 'cs-worktree'),
      workspace,
      vsix,
      settings: { 'tandem.baseUrl': api.baseUrl, 'tandem.model': model, 'tandem.approvalPolicy': 'ask', 'files.autoSave': 'afterDelay', 'files.autoSaveDelay': 200 },
      env: { TANDEM_API_KEY: 'test-key' },
    });
    page = await newPage(browser, path.join(root, 'browser-worktree.log'));
    const view = new TandemView(page);
    const p = page;
    const bar = view.frame.getByRole('group', { name: /^Isolated in worktree chat-[0-9a-f]{8}$/ });

    await flow(WORKTREE_CHAT_FLOWS[0]!, p, async () => {
      await view.gotoWorkbench(server!.workbenchUrl);
      await view.open();
      const entry = view.frame.getByRole('navigation', { name: 'Chats' }).getByRole('button', { name: 'New Chat in Worktree' });
      await waitFor('the entry to be offered (the workspace is a git repository with a commit)', async () => (await entry.getAttribute('aria-disabled')) === null, 30_000);
      await entry.click();
      await bar.waitFor({ timeout: 60_000 });
      const name = (await bar.getAttribute('aria-label'))!.replace('Isolated in worktree ', '');
      worktree = path.join(container, name);
      assert.ok(fs.statSync(worktree).isDirectory(), `the worktree ${worktree} exists next to the repository`);
      assert.equal(read(worktree, 'calc.ts'), CALC, 'it holds the workspace’s files');
      assert.match(git(workspace, ['worktree', 'list', '--porcelain']), new RegExp(`worktree ${worktree.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\n`));
      assert.equal(git(workspace, ['status', '--porcelain']), '', 'nothing new in the user’s repository');
      await screenshot(p, path.join(shots, '60-worktree-chat-new.png'));
    });

    await flow(WORKTREE_CHAT_FLOWS[1]!, p, async () => {
      await api.script([
        { steps: [{ type: 'custom_tool_call', name: 'apply_patch', input: CALC_PATCH }] },
        { steps: [{ type: 'function_call', name: 'exec_command', arguments: JSON.stringify({ cmd: SHELL }) }] },
        { steps: [{ type: 'text', text: 'Done in the worktree.' }] },
      ]);
      await view.send(MESSAGE);
      // The command asks (a write in "ask" mode) unless the sandbox confines it to the worktree.
      const approval = view.approvalCard(SHELL);
      await waitFor('the command to run or ask', async () => (await approval.count()) > 0 || (await view.text('Done in the worktree.').count()) > 0, 60_000);
      if ((await approval.count()) > 0) {
        assert.match(await approval.innerText(), new RegExp(path.basename(worktree)), 'the approval names the worktree as where it runs');
        await screenshot(p, path.join(shots, '61-worktree-chat-approval.png'));
        await approval.getByRole('button', { name: 'Approve', exact: true }).click();
      }
      await view.waitForText('Done in the worktree.', 60_000);
      await view.sendButton.waitFor({ timeout: 30_000 });
      assert.equal(read(worktree, 'calc.ts'), CALC_AFTER, 'apply_patch wrote in the worktree');
      assert.equal(read(worktree, 'notes.txt'), NOTES_AFTER, 'the command ran in the worktree');
      assert.equal(read(workspace, 'calc.ts'), CALC, 'the workspace’s calc.ts is untouched');
      assert.equal(read(workspace, 'notes.txt'), NOTES, 'the workspace’s notes.txt is untouched');
      assert.equal(git(workspace, ['status', '--porcelain']), '', 'git sees no change in the workspace');
      const request = JSON.stringify((await api.requests()).at(-1)?.body ?? '');
      assert.ok(request.includes(worktree), 'the model was told it works in the worktree');
      // The edit in the worktree waits for no decision: its card shows it applied, nothing to accept.
      const edited = view.frame.locator('.card.patch', { hasText: 'calc.ts' }).first();
      await edited.getByText('Accepted').first().waitFor();
      assert.equal(await edited.getByRole('button', { name: 'Accept all', exact: true }).count(), 0, 'no Accept all on the worktree edit');
      // Undo there would not be a workspace review: the card offers none (the edit is brought back for review instead).
      assert.equal(await edited.getByRole('button', { name: /^Undo/ }).count(), 0, 'no Undo on the worktree edit');
      assert.equal(read(worktree, 'calc.ts'), CALC_AFTER, 'the worktree keeps the edit');
      assert.equal(read(workspace, 'calc.ts'), CALC, 'the workspace is still untouched');
      await screenshot(p, path.join(shots, '62-worktree-chat-edited.png'));
    });

    await flow(WORKTREE_CHAT_FLOWS[2]!, p, async () => {
      await bar.getByRole('button', { name: 'Review changes in workspace' }).click();
      const card = view.patchCard('calc.ts');
      await card.waitFor({ timeout: 30_000 });
      await card.getByText('notes.txt').first().waitFor();
      assert.equal(read(workspace, 'calc.ts'), CALC, 'nothing is written before it is accepted');
      await screenshot(p, path.join(shots, '63-worktree-chat-bring-back.png'));
      // One hunk on its own, then the rest.
      await card.getByRole('button', { name: /^Accept hunk at line 2 of calc\.ts$/ }).click();
      await waitFor('the first hunk on disk', () => read(workspace, 'calc.ts') === CALC.replace('return a + b;', 'return a + b; // in the worktree'), 20_000);
      await card.getByRole('button', { name: 'Accept all', exact: true }).click();
      await waitFor('calc.ts in the workspace to be byte-exact the worktree’s', () => read(workspace, 'calc.ts') === CALC_AFTER, 20_000);
      await waitFor('notes.txt in the workspace to be byte-exact the worktree’s', () => read(workspace, 'notes.txt') === NOTES_AFTER, 20_000);
      await screenshot(p, path.join(shots, '64-worktree-chat-accepted.png'));
      // The baseline moved: the accepted hunks are not offered again.
      const cards = await view.frame.locator('.card.patch').count(); // the agent's own patch (in the worktree) and the bring-back
      await bar.getByRole('button', { name: 'Review changes in workspace' }).click();
      await p.getByText('the worktree has no changes to bring back').first().waitFor({ timeout: 20_000 });
      assert.equal(await view.frame.locator('.card.patch').count(), cards, 'no second change set');
    });

    await flow(WORKTREE_CHAT_FLOWS[3]!, p, async () => {
      await view.reload();
      await view.open();
      await bar.waitFor({ timeout: 60_000 });
      assert.equal(await bar.getAttribute('aria-label'), `Isolated in worktree ${path.basename(worktree)}`, 'the same worktree');
      assert.ok(fs.existsSync(worktree), 'the worktree outlived the window');
      await api.script([{ steps: [{ type: 'function_call', name: 'exec_command', arguments: JSON.stringify({ cmd: 'pwd' }) }] }, { steps: [{ type: 'text', text: 'Still in the worktree.' }] }]);
      await view.send('where are you?');
      await view.waitForText('Still in the worktree.', 60_000);
      await view.sendButton.waitFor({ timeout: 30_000 });
      const toolResult = JSON.stringify((await api.requests()).at(-1)?.body ?? '');
      assert.ok(toolResult.includes(worktree), `pwd ran in the worktree (${toolResult.slice(0, 300)})`);
      await screenshot(p, path.join(shots, '65-worktree-chat-after-reload.png'));
    });

    await flow(WORKTREE_CHAT_FLOWS[4]!, p, async () => {
      await view.frame.getByRole('navigation', { name: 'Chats' }).getByRole('button', { name: `Close chat: ${MESSAGE}` }).click();
      await waitFor('the worktree folder to be removed', () => !fs.existsSync(worktree), 30_000);
      assert.doesNotMatch(git(workspace, ['worktree', 'list', '--porcelain']), new RegExp(path.basename(worktree)), 'git forgot the worktree');
      assert.equal(read(workspace, 'calc.ts'), CALC_AFTER, 'what was brought back stays');
      await bar.waitFor({ state: 'detached' });
      await screenshot(p, path.join(shots, '66-worktree-chat-closed.png'));
    });

    await flow(WORKTREE_CHAT_FLOWS[5]!, p, async () => {
      await view.frame.getByRole('navigation', { name: 'Chats' }).getByRole('button', { name: 'New Chat in Worktree' }).click();
      await bar.waitFor({ timeout: 60_000 });
      const second = path.join(container, (await bar.getAttribute('aria-label'))!.replace('Isolated in worktree ', ''));
      assert.notEqual(second, worktree, 'a new worktree');
      await api.script([
        { steps: [{ type: 'custom_tool_call', name: 'apply_patch', input: '*** Begin Patch\n*** Add File: todo.md\n+- ship it\n*** Add File: .vscode/settings.json\n+{ "task.autoDetect": "on" }\n*** End Patch\n' }] },
        { steps: [{ type: 'text', text: 'Added a todo and settings.' }] },
      ]);
      await view.send('add a todo');
      await view.waitForText('Added a todo and settings.', 60_000);
      await view.sendButton.waitFor({ timeout: 30_000 });
      assert.equal(read(second, 'todo.md'), '- ship it\n');
      assert.equal(fs.existsSync(path.join(workspace, '.vscode')), false, 'nothing in the workspace');
      // The user makes their own todo.md meanwhile: the worktree's comes back stale, never over theirs.
      fs.writeFileSync(path.join(workspace, 'todo.md'), 'mine\n');
      // Bring-back: the protected file is asked about, and left out unless included.
      await bar.getByRole('button', { name: 'Review changes in workspace' }).click();
      const question = p.locator('.monaco-dialog-box', { hasText: 'protected files: .vscode/settings.json' });
      await question.waitFor({ timeout: 20_000 });
      await screenshot(p, path.join(shots, '67-worktree-chat-protected.png'));
      await question.getByRole('button', { name: 'Leave Them Out', exact: true }).click();
      const card = view.patchCard('todo.md');
      await card.getByText(/^Stale, not applied/).first().waitFor({ timeout: 20_000 });
      await p.getByText('Changed in the workspace meanwhile (stale, not applied): todo.md').first().waitFor();
      assert.equal(await card.getByText('settings.json').count(), 0, 'the protected file is not in the review');
      assert.equal(await card.getByRole('button', { name: 'Accept all', exact: true }).count(), 0, 'nothing to accept over the user’s file');
      assert.equal(read(workspace, 'todo.md'), 'mine\n', 'the user’s file is untouched');
      // Discard: asked first (the worktree still holds both files), then removed.
      await bar.getByRole('button', { name: 'Discard worktree' }).click();
      const ask = p.locator('.monaco-dialog-box', { hasText: 'holds changes to 2 file(s)' });
      await ask.waitFor({ timeout: 20_000 });
      await screenshot(p, path.join(shots, '68-worktree-chat-discard-asks.png'));
      await ask.getByRole('button', { name: 'Remove Worktree', exact: true }).click();
      await waitFor('the second worktree to be removed', () => !fs.existsSync(second), 30_000);
      await view.frame.getByRole('status').filter({ hasText: 'Worktree removed: this chat no longer runs' }).waitFor();
      assert.equal(read(workspace, 'todo.md'), 'mine\n', 'the user’s todo.md stays theirs');
      assert.equal(fs.existsSync(path.join(workspace, '.vscode')), false, 'the protected file never reached the workspace');
      await screenshot(p, path.join(shots, '69-worktree-chat-discarded.png'));
    });
  } finally {
    await page?.close().catch(() => undefined);
    await server?.stop();
  }
}
