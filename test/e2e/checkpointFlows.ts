// E2E flow of checkpoints: one turn changes files through an accepted patch and through an approved
// command (`sed -i`, a new file); "Restore checkpoint" on that message previews the files, then restores
// code and conversation: every file byte for byte as before the message, an untouched file not even
// rewritten, the chat back to before the message, and a file the user changed after the agent (the
// command-made one) asked about in a dialog and kept. Runs in its own chat right
// after the view opens and leaves a new, empty chat for the flows after it.
// The second flow runs two chats at once: chat 2's patch (nothing else running) is its own; chat 2's
// command runs while chat 1's is still running, so the file it appends to is in both checkpoints, shown as
// "also changed by" the other chat and left alone by default; chat 1's own file and the untouched file
// are not touched by chat 2's restore.
// The third flow sends a message while a turn waits for an approval: it is queued, the turn ends (a loop
// of the same command) before the model could take it, and it starts a turn of its own inside the agent
// session. That turn has its checkpoint too: "Restore checkpoint" on that message lists exactly the file
// its command made and removes it; the first turn's file stays.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { screenshot } from './browser.ts';
import { waitFor } from './harness.ts';
import type { MockOpenAI, MockResponse } from './mock.ts';
import type { TandemView } from './tandemView.ts';

export const CHECKPOINT_FLOWS = [
  'checkpoints: restore code and conversation after an accepted edit and a command; a file the user changed since is asked about',
  "checkpoints per chat: two chats' turns at once each get a checkpoint; a file changed while both ran a command is shown as shared and left by default",
  'checkpoints of a queued message: a message that waited while a turn ran and then started a turn of its own is restored like any other',
];

export interface CheckpointDeps {
  flow: (name: string, page: Page | undefined, body: () => Promise<void>) => Promise<void>;
  page: Page;
  view: TandemView;
  api: MockOpenAI;
  workspace: string;
  shots: string;
}

const streamed = (text: string): MockResponse => ({ steps: [{ type: 'text', text }] });
const applyPatch = (patch: string): MockResponse => ({ steps: [{ type: 'custom_tool_call', name: 'apply_patch', input: patch }] });
const toolCall = (name: string, args: unknown): MockResponse => ({ steps: [{ type: 'function_call', name, arguments: JSON.stringify(args) }] });

const COMMAND = "sed -i 's/alpha/beta/' ckpt-notes.txt && printf 'made by a command\\n' > ckpt-made.txt";

const CHAT_ONE = 'ckpt chat one: wait, then write';
const CHAT_TWO = 'ckpt chat two: patch and append';
/**
 * Chat 1's command runs until the test says go (a flag in node_modules, which no snapshot looks at), so
 * chat 2's command runs and ends while it runs; then it writes its own file.
 */
const GO_FLAG = 'node_modules/.tandem-ckpt-go';
const COMMAND_ONE = `while [ ! -e ${GO_FLAG} ]; do sleep 0.1; done; printf 'one\\n' > ckpt-one.txt`;
const COMMAND_TWO = "printf 'appended by two\\n' >> ckpt-shared.txt";

/** Run five times in one response with the same (empty) output: the loop detector ends the turn (repeatDetector.ts). */
const LOOP_COMMAND = "printf 'loop\\n' > ckpt-loop.txt";
const QUEUED_COMMAND = "printf 'queued\\n' > ckpt-queued.txt";
const QUEUED_MESSAGE = 'ckpt queued: then write another file';

export async function checkpointFlows({ flow, page: p, view, api, workspace, shots }: CheckpointDeps): Promise<void> {
  await flow(CHECKPOINT_FLOWS[0]!, p, async () => {
    const at = (name: string) => path.join(workspace, name);
    const files = {
      'ckpt.ts': Buffer.from('export const version = 1;\n'),
      'ckpt-notes.txt': Buffer.from('alpha\r\nsecond line\r\n'),
      'ckpt-untouched.bin': Buffer.from([0, 1, 2, 255, 10, 13]),
    };
    for (const [name, bytes] of Object.entries(files)) fs.writeFileSync(at(name), bytes);
    const untouchedMtime = fs.statSync(at('ckpt-untouched.bin')).mtimeMs;

    await api.script([
      applyPatch('*** Begin Patch\n*** Update File: ckpt.ts\n-export const version = 1;\n+export const version = 2;\n*** End Patch\n'),
      toolCall('exec_command', { cmd: COMMAND }),
      streamed('Bumped the version and edited the notes.'),
    ]);
    await view.send('bump the version and edit the notes');
    const patch = view.patchCard('ckpt.ts');
    await patch.waitFor();
    await patch.getByRole('button', { name: 'Accept all', exact: true }).click();
    await waitFor('ckpt.ts changed on disk', () => fs.readFileSync(at('ckpt.ts'), 'utf8') === 'export const version = 2;\n', 20_000);
    const approval = view.approvalCard(COMMAND);
    await approval.waitFor();
    await approval.getByRole('button', { name: 'Approve', exact: true }).click();
    await view.waitForText('Bumped the version and edited the notes.');
    await view.sendButton.waitFor({ timeout: 30_000 });
    assert.equal(fs.readFileSync(at('ckpt-notes.txt'), 'utf8'), 'beta\r\nsecond line\r\n', 'the command changed the notes');
    assert.ok(fs.existsSync(at('ckpt-made.txt')), 'the command made a file');
    // The user changes the command-made file afterwards: a conflict, never overwritten silently.
    const userText = Buffer.from('made by a command\nand kept by the user\n');
    fs.writeFileSync(at('ckpt-made.txt'), userText);

    // "Restore checkpoint" on the message: a preview listing the files, then code and conversation.
    await view.frame.getByRole('button', { name: 'Restore checkpoint' }).first().click();
    const row = (text: string) => p.locator('.quick-input-list .monaco-list-row', { hasText: text }).first();
    await row('Restore code and conversation').waitFor({ timeout: 30_000 });
    for (const name of ['ckpt.ts', 'ckpt-notes.txt']) await row(name).waitFor();
    await p.locator('.quick-input-list .monaco-list-row', { hasText: 'ckpt-made.txt' }).filter({ hasText: 'changed since Tandem edited it' }).first().waitFor();
    assert.equal(await row('ckpt-untouched.bin').count(), 0, 'a file the agent never touched is not in the preview');
    await screenshot(p, path.join(shots, '30-restore-checkpoint-preview.png'));
    await row('Restore code and conversation').click();
    // asked about the file the user changed: keep it
    const dialog = p.locator('.monaco-dialog-box', { hasText: 'ckpt-made.txt changed since Tandem last edited it' });
    await dialog.waitFor({ timeout: 30_000 });
    await screenshot(p, path.join(shots, '31-restore-checkpoint-conflict.png'));
    await dialog.getByRole('button', { name: 'Keep Mine' }).click();

    await waitFor('ckpt.ts back on disk', () => fs.readFileSync(at('ckpt.ts')).equals(files['ckpt.ts']), 20_000);
    await waitFor('the notes back byte for byte', () => fs.readFileSync(at('ckpt-notes.txt')).equals(files['ckpt-notes.txt']), 20_000);
    assert.ok(fs.readFileSync(at('ckpt-made.txt')).equals(userText), "the user's version of the conflicting file is kept");
    assert.ok(fs.readFileSync(at('ckpt-untouched.bin')).equals(files['ckpt-untouched.bin']), 'the untouched file is as it was');
    assert.equal(fs.statSync(at('ckpt-untouched.bin')).mtimeMs, untouchedMtime, 'the untouched file was not even rewritten');
    // The chat is back to before the message (the new chat of this workspace: its empty state).
    await view.frame.getByRole('heading', { name: 'Tandem' }).waitFor({ timeout: 30_000 });
    assert.doesNotMatch(await view.bodyText(), /bump the version/, 'the message and what followed are gone from the chat');
    // The restored document is open in the editor (restored through a WorkspaceEdit) and shows version 1.
    await p.locator('.monaco-editor .view-lines', { hasText: 'export const version = 1;' }).first().waitFor({ timeout: 20_000 });
    await waitFor('the restored hunk no longer offered for undo', async () => (await view.codeLens('Undo Tandem edit').count()) === 0, 15_000);
    await screenshot(p, path.join(shots, '32-restore-checkpoint-done.png'));

    for (const name of [...Object.keys(files), 'ckpt-made.txt']) fs.rmSync(at(name), { force: true });
    await view.runCommand('View: Close All Editors');
    await view.runCommand('Tandem: New Chat');
    await view.frame.getByRole('heading', { name: 'Tandem' }).waitFor();
  });

  await flow(CHECKPOINT_FLOWS[1]!, p, async () => {
    const at = (name: string) => path.join(workspace, name);
    const files = {
      'ckpt-two.ts': Buffer.from('export const two = 1;\r\n'),
      'ckpt-shared.txt': Buffer.from('shared\n'),
      'ckpt-untouched.bin': Buffer.from([0, 1, 2, 255, 10, 13]),
    };
    for (const [name, bytes] of Object.entries(files)) fs.writeFileSync(at(name), bytes);
    const untouchedMtime = fs.statSync(at('ckpt-untouched.bin')).mtimeMs;
    const list = view.frame.getByRole('navigation', { name: 'Chats' });
    const listItem = (title: string) => list.getByRole('button', { name: new RegExp(`^${title}\\s`) });
    // In request order: chat 1 (its command), chat 2 (its patch), chat 2 again (its command), chat 2's last
    // answer, chat 1's (after the go). Waiting up to 30 s for a command to exit.
    await api.script([
      toolCall('exec_command', { cmd: COMMAND_ONE, yield_time_ms: 30_000 }),
      applyPatch('*** Begin Patch\n*** Update File: ckpt-two.ts\n-export const two = 1;\n+export const two = 2;\n*** End Patch\n'),
      toolCall('exec_command', { cmd: COMMAND_TWO, yield_time_ms: 30_000 }),
      streamed('Chat two is done.'),
      streamed('Chat one is done.'),
    ]);
    const hadModules = fs.existsSync(at('node_modules'));

    // Chat 1 asks to run its command; chat 2 starts meanwhile and its patch is accepted (nothing runs yet).
    await view.send(CHAT_ONE);
    await view.approvalCard(COMMAND_ONE).waitFor({ timeout: 30_000 });
    await list.getByRole('button', { name: 'New Chat', exact: true }).click();
    await view.frame.getByRole('heading', { name: 'Tandem' }).waitFor();
    await view.send(CHAT_TWO);
    const patch = view.patchCard('ckpt-two.ts');
    await patch.waitFor({ timeout: 30_000 });
    await patch.getByRole('button', { name: 'Accept all', exact: true }).click();
    await waitFor('ckpt-two.ts patched', () => fs.readFileSync(at('ckpt-two.ts'), 'utf8') === 'export const two = 2;\r\n', 20_000);
    await view.approvalCard(COMMAND_TWO).waitFor({ timeout: 30_000 });

    // Chat 1's command starts (and waits for the flag); then chat 2's runs while it does.
    await listItem(CHAT_ONE).click();
    const approvalOne = view.approvalCard(COMMAND_ONE);
    await approvalOne.waitFor({ timeout: 20_000 });
    await approvalOne.getByRole('button', { name: 'Approve', exact: true }).click();
    await approvalOne.waitFor({ state: 'detached', timeout: 20_000 });
    await listItem(CHAT_TWO).click();
    const approvalTwo = view.approvalCard(COMMAND_TWO);
    await approvalTwo.waitFor({ timeout: 20_000 });
    await approvalTwo.getByRole('button', { name: 'Approve', exact: true }).click();
    await view.waitForText('Chat two is done.');
    await view.sendButton.waitFor({ timeout: 30_000 });
    assert.ok(!fs.existsSync(at('ckpt-one.txt')), "chat 1's command still runs");
    fs.mkdirSync(at('node_modules'), { recursive: true });
    fs.writeFileSync(at(GO_FLAG), '');
    await waitFor("chat 1's command finished", () => fs.existsSync(at('ckpt-one.txt')), 30_000);
    await listItem(CHAT_ONE).and(list.getByRole('button', { name: /\sDone$/ })).waitFor({ timeout: 30_000 });
    assert.equal(fs.readFileSync(at('ckpt-shared.txt'), 'utf8'), 'shared\nappended by two\n');
    const oneText = fs.readFileSync(at('ckpt-one.txt'));

    // Chat 2's checkpoint: its patch will be restored; the file its command changed while chat 1's ran is
    // shown as shared with chat 1, and the dialog's default leaves it.
    await view.frame.getByRole('button', { name: 'Restore checkpoint' }).first().click();
    const rows = (text: string) => p.locator('.quick-input-list .monaco-list-row', { hasText: text });
    const row = (text: string) => rows(text).first();
    /** The preview's row of file `name` saying `status` (the actions' summary names files too). */
    const fileRow = (name: string, status: string) => rows(name).filter({ hasText: status }).first();
    await row('Restore code only').waitFor({ timeout: 30_000 });
    await fileRow('ckpt-two.ts', 'will be restored').waitFor();
    await fileRow('ckpt-shared.txt', `also changed by "${CHAT_ONE}" at the same time`).waitFor();
    assert.equal(await row('ckpt-one.txt').count(), 0, "chat 1's own file is not in chat 2's checkpoint");
    assert.equal(await row('ckpt-untouched.bin').count(), 0, 'a file no chat touched is not in the preview');
    await screenshot(p, path.join(shots, '33-restore-checkpoint-two-chats-preview.png'));
    await row('Restore code only').click();
    const dialog = p.locator('.monaco-dialog-box', { hasText: 'ckpt-shared.txt was also changed by' });
    await dialog.waitFor({ timeout: 30_000 });
    await screenshot(p, path.join(shots, '34-restore-checkpoint-two-chats-overlap.png'));
    await dialog.getByRole('button', { name: 'Leave It' }).click();

    await waitFor('ckpt-two.ts back byte for byte', () => fs.readFileSync(at('ckpt-two.ts')).equals(files['ckpt-two.ts']), 20_000);
    assert.equal(fs.readFileSync(at('ckpt-shared.txt'), 'utf8'), 'shared\nappended by two\n', 'the shared file is left as it is');
    assert.ok(fs.readFileSync(at('ckpt-one.txt')).equals(oneText), "chat 1's file is untouched");
    assert.ok(fs.readFileSync(at('ckpt-untouched.bin')).equals(files['ckpt-untouched.bin']), 'the untouched file is as it was');
    assert.equal(fs.statSync(at('ckpt-untouched.bin')).mtimeMs, untouchedMtime, 'the untouched file was not even rewritten');

    // Chat 1 got a checkpoint of its own (before: no second chat's turn was checkpointed): its file, and the shared one.
    await listItem(CHAT_ONE).click();
    await view.waitForText(CHAT_ONE);
    await view.frame.getByRole('button', { name: 'Restore checkpoint' }).first().click();
    await fileRow('ckpt-one.txt', 'created by Tandem: will be removed').waitFor({ timeout: 30_000 });
    await fileRow('ckpt-shared.txt', `also changed by "${CHAT_TWO}" at the same time`).waitFor();
    assert.equal(await row('ckpt-two.ts').count(), 0, "chat 2's patch is not in chat 1's checkpoint");
    await screenshot(p, path.join(shots, '35-restore-checkpoint-two-chats-other-chat.png'));
    await p.keyboard.press('Escape');

    for (const name of [...Object.keys(files), 'ckpt-one.txt', GO_FLAG]) fs.rmSync(at(name), { force: true });
    if (!hadModules) fs.rmSync(at('node_modules'), { recursive: true, force: true });
    await view.runCommand('View: Close All Editors');
    await view.runCommand('Tandem: New Chat');
    await view.frame.getByRole('heading', { name: 'Tandem' }).waitFor();
  });

  await flow(CHECKPOINT_FLOWS[2]!, p, async () => {
    const at = (name: string) => path.join(workspace, name);
    const loopCall = { type: 'function_call' as const, name: 'exec_command', arguments: JSON.stringify({ cmd: LOOP_COMMAND }) };
    await api.script([{ steps: Array.from({ length: 5 }, () => loopCall) }, toolCall('exec_command', { cmd: QUEUED_COMMAND }), streamed('The queued message is done.')]);
    await view.send('ckpt loop: write the loop file');
    // Sent while the first command waits for approval: queued (the turn runs), shown as pending.
    await view.approvalCard(LOOP_COMMAND).waitFor({ timeout: 30_000 });
    await view.composer.fill(QUEUED_MESSAGE);
    await view.composer.press('Enter');
    await view.frame.getByRole('list', { name: 'Queued messages' }).getByText(QUEUED_MESSAGE).waitFor();
    // The same command five times: each approved card turns into a command card saying so. Counted, not
    // waited on by text: the next card for the same command may appear before the last one has changed.
    const approvedLoops = view.frame.locator('.card.tool', { hasText: LOOP_COMMAND }).filter({ hasText: 'Approved' });
    for (let i = 0; i < 5; i++) {
      const approval = view.approvalCard(LOOP_COMMAND);
      await approval.waitFor({ timeout: 30_000 });
      await approval.getByRole('button', { name: 'Approve', exact: true }).click();
      await waitFor(`approval ${i + 1} of the loop command taken`, async () => (await approvedLoops.count()) >= i + 1, 20_000);
    }
    // The loop ends turn 1 before the model took the message: it starts a turn of its own.
    await view.waitForText(/looks like a loop/);
    const approval = view.approvalCard(QUEUED_COMMAND);
    await approval.waitFor({ timeout: 30_000 });
    await approval.getByRole('button', { name: 'Approve', exact: true }).click();
    await view.waitForText('The queued message is done.');
    await view.sendButton.waitFor({ timeout: 30_000 });
    assert.equal(fs.readFileSync(at('ckpt-queued.txt'), 'utf8'), 'queued\n');
    assert.equal(fs.readFileSync(at('ckpt-loop.txt'), 'utf8'), 'loop\n');

    // "Restore checkpoint" on the queued message (the chat's second user message): its own turn's file only.
    const restoreButtons = view.frame.getByRole('button', { name: 'Restore checkpoint' });
    assert.equal(await restoreButtons.count(), 2, 'both messages offer a restore');
    await restoreButtons.last().click();
    const rows = (text: string) => p.locator('.quick-input-list .monaco-list-row', { hasText: text });
    await rows('ckpt-queued.txt').filter({ hasText: 'created by Tandem: will be removed' }).first().waitFor({ timeout: 30_000 });
    assert.equal(await rows('ckpt-loop.txt').count(), 0, "the first turn's file is not in the queued message's checkpoint");
    await screenshot(p, path.join(shots, '36-restore-checkpoint-queued-message.png'));
    await rows('Restore code only').first().click();
    await waitFor('the queued turn\'s file removed', () => !fs.existsSync(at('ckpt-queued.txt')), 20_000);
    assert.equal(fs.readFileSync(at('ckpt-loop.txt'), 'utf8'), 'loop\n', "the first turn's file stays");
    await screenshot(p, path.join(shots, '37-restore-checkpoint-queued-message-done.png'));

    fs.rmSync(at('ckpt-loop.txt'), { force: true });
    await view.runCommand('View: Close All Editors');
    await view.runCommand('Tandem: New Chat');
    await view.frame.getByRole('heading', { name: 'Tandem' }).waitFor();
  });
}
