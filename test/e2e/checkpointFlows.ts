// E2E flow of checkpoints: one turn changes files through an accepted patch and through an approved
// command (`sed -i`, a new file); "Restore checkpoint" on that message previews the files, then restores
// code and conversation: every file byte for byte as before the message, an untouched file not even
// rewritten, the chat back to before the message, and a file the user changed after the agent (the
// command-made one) asked about in a dialog and kept. Runs in its own chat right
// after the view opens and leaves a new, empty chat for the flows after it.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { screenshot } from './browser.ts';
import { waitFor } from './harness.ts';
import type { MockOpenAI, MockResponse } from './mock.ts';
import type { TandemView } from './tandemView.ts';

export const CHECKPOINT_FLOWS = ['checkpoints: restore code and conversation after an accepted edit and a command; a file the user changed since is asked about'];

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
}
