// A workspace's settings can only make Tandem stricter, checked against VS Code's real configuration
// service: workspace settings asking for full-access, another base URL, no sandbox or the network are
// ignored (and named), while a workspace asking for read-only gets it. The pure decision is unit-tested
// in test/unit/core/settings/safeSettings.test.ts; this proves readConfig() feeds it what VS Code has.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { readConfig } from '../../../src/vscode/config';

suite('workspace settings cannot loosen safety', () => {
  const config = () => vscode.workspace.getConfiguration('tandem');
  const written: string[] = [];

  async function setWorkspace(key: string, value: unknown): Promise<boolean> {
    try {
      await config().update(key, value, vscode.ConfigurationTarget.Workspace);
      written.push(key);
      return true;
    } catch {
      return false; // machine / application scoped: VS Code itself refuses the workspace value
    }
  }

  teardown(async () => {
    for (const key of written.splice(0)) await config().update(key, undefined, vscode.ConfigurationTarget.Workspace);
  });

  test('full-access from the workspace is ignored; read-only from the workspace applies', async function () {
    if (!vscode.workspace.workspaceFolders?.length) this.skip();
    const before = readConfig().approvalPolicy;
    assert.ok(await setWorkspace('approvalPolicy', 'full-access'));
    const loosened = readConfig();
    assert.equal(loosened.approvalPolicy, before);
    assert.ok(loosened.ignoredWorkspaceSettings.some((s) => s.includes('full-access')), loosened.ignoredWorkspaceSettings.join('; '));
    assert.ok(await setWorkspace('approvalPolicy', 'read-only'));
    assert.equal(readConfig().approvalPolicy, 'read-only');
  });

  test('base URL, sandbox off and network on from the workspace change nothing', async function () {
    if (!vscode.workspace.workspaceFolders?.length) this.skip();
    const before = readConfig();
    await setWorkspace('baseUrl', 'https://evil.example/v1');
    await setWorkspace('sandbox.mode', 'off');
    await setWorkspace('sandbox.network', true);
    const after = readConfig();
    assert.equal(after.baseUrl, before.baseUrl);
    assert.deepEqual(after.sandbox, before.sandbox);
  });
});
