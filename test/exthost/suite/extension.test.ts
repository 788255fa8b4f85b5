// The extension as VS Code sees it: present, activates, contributes its commands, settings and view.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'tandem.tandem';

suite('extension', () => {
  suiteSetup(async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is installed`);
    await ext.activate();
  });

  test('is present and active', () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    assert.equal(ext.isActive, true);
    assert.equal(ext.packageJSON.publisher, 'tandem');
  });

  test('registers its commands', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['tandem.newChat', 'tandem.setApiKey', 'tandem.fixThis']) {
      assert.ok(commands.includes(id), `command ${id} is registered`);
    }
  });

  test('configuration defaults', () => {
    const c = vscode.workspace.getConfiguration('tandem');
    assert.equal(c.inspect<string>('baseUrl')?.defaultValue, 'https://api.openai.com/v1');
    assert.equal(typeof c.inspect<string>('model')?.defaultValue, 'string');
    assert.ok(c.inspect<string>('model')?.defaultValue, 'tandem.model has a default');
    assert.equal(c.get('wireApi'), 'responses');
    assert.equal(c.get('approvalPolicy'), 'ask');
  });

  test('the Tandem view container opens', async () => {
    await vscode.commands.executeCommand('workbench.view.extension.tandem');
  });

  test('the chat view can be focused', async () => {
    await vscode.commands.executeCommand('tandem.chat.focus');
  });
});
