// E2E of MCP in the extension, on its own code-server: a workspace whose `.vscode/mcp.json` defines the
// fixture MCP server (test/fixtures/mcp/fixtureServer.ts, the SDK's server side over stdio). The server
// does not start until the user allows it in the modal showing its definition; then the MCP Servers view shows it running
// with its tools, and the chat (the mock model) calls `mcp__fx__echo` through an approval card showing
// the server, tool and arguments, and the result reaches the model. (The E2E servers run with workspace
// trust off; the refusal in an untrusted workspace is tested in test/unit/vscode/mcpAdmission.test.ts.)
// Called from run.ts with its shared results list.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { newPage, screenshot } from './browser.ts';
import { startCodeServer } from './codeServer.ts';
import type { CodeServer } from './codeServer.ts';
import { runFlow, selectFlows, type FlowResult } from './flowRunner.ts';
import { REPO_ROOT, waitFor } from './harness.ts';
import type { MockOpenAI } from './mock.ts';
import { TandemView } from './tandemView.ts';

export const MCP_FLOWS = ['mcp: a workspace server starts only once allowed, and the view shows it running', 'mcp: the chat calls an MCP tool after approval'];

const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'mcp', 'fixtureServer.ts');

export interface McpFlowDeps {
  browser: Browser;
  root: string;
  vsix: string;
  shots: string;
  only: RegExp | undefined;
  results: FlowResult[];
  api: MockOpenAI;
  model: string;
}

/** How many fixture MCP server processes run now (pgrep exits 1 when there is none). */
function fixtureProcesses(): number {
  const r = spawnSync('pgrep', ['-f', FIXTURE], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim().split('\n').filter(Boolean).length : 0;
}

export async function mcpFlows({ browser, root, vsix, shots, only, results, api, model }: McpFlowDeps): Promise<void> {
  const selected = selectFlows(MCP_FLOWS, only);
  if (selected.size === 0) return;
  const flow = async (name: string, page: Page | undefined, body: () => Promise<void>): Promise<void> => {
    if (selected.has(name)) await runFlow({ results, shots }, name, page, body);
  };

  const workspace = path.join(root, 'mcp-workspace');
  fs.mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
  fs.writeFileSync(path.join(workspace, '.vscode', 'mcp.json'), JSON.stringify({ servers: { fx: { type: 'stdio', command: process.execPath, args: [FIXTURE] } } }, null, 2));
  let server: CodeServer | undefined;
  let page: Page | undefined;
  try {
    server = await startCodeServer({
      root: path.join(root, 'cs-mcp'),
      workspace,
      vsix,
      settings: { 'tandem.baseUrl': api.baseUrl, 'tandem.model': model, 'tandem.approvalPolicy': 'ask' },
      env: { TANDEM_API_KEY: 'test-key' },
    });
    page = await newPage(browser, path.join(root, 'browser-mcp.log'));
    const view = new TandemView(page);
    const p = page;
    const serversPane = p.locator('.pane', { has: p.locator('.pane-header', { hasText: 'MCP Servers' }) });
    const serverRow = serversPane.locator('.monaco-list-row', { hasText: 'fx' }).first();

    await flow(MCP_FLOWS[0]!, p, async () => {
      await view.gotoWorkbench(server!.workbenchUrl);
      await view.open();
      // A modal showing the whole definition (red-team F3), not a notification.
      const toast = p.locator('.monaco-dialog-box', { hasText: 'MCP server "fx"' });
      await toast.waitFor({ timeout: 60_000 });
      await screenshot(p, path.join(shots, '50-mcp-allow-notification.png'));
      // Not started before the answer (the modal blocks the view, so ask the OS): no fixture server process.
      assert.equal(fixtureProcesses(), 0, 'nothing runs before Allow');
      await toast.getByRole('button', { name: 'Allow', exact: true }).click();
      const header = serversPane.locator('.pane-header');
      if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
      await serverRow.filter({ hasText: 'running' }).waitFor({ timeout: 60_000 });
      await serverRow.click();
      await p.keyboard.press('ArrowRight'); // expand: the tools under the names the model calls them by
      await serversPane.locator('.monaco-list-row', { hasText: 'mcp__fx__echo' }).waitFor();
      await screenshot(p, path.join(shots, '51-mcp-servers-view.png'));
    });

    await flow(MCP_FLOWS[1]!, p, async () => {
      await api.script([
        { steps: [{ type: 'function_call', name: 'mcp__fx__echo', arguments: JSON.stringify({ text: 'from the e2e <b>flow</b>' }), callId: 'mcp1' }] },
        { steps: [{ type: 'text', text: 'The echo tool answered.' }] },
      ]);
      await view.send('use the echo tool');
      const card = view.frame.locator('.card.approval', { hasText: 'Call this MCP tool?' }).first();
      await card.waitFor();
      assert.match(await card.innerText(), /Tool echo of MCP server fx/);
      assert.match(await card.innerText(), /from the e2e <b>flow<\/b>/, 'the arguments are shown as text');
      await screenshot(p, path.join(shots, '52-mcp-approval-card.png'));
      await card.getByRole('button', { name: 'Approve', exact: true }).click();
      await view.waitForText('The echo tool answered.');
      const requests = await api.requests();
      const last = JSON.stringify(requests.at(-1)?.body ?? '');
      assert.match(last, /echo: from the e2e <b>flow<\/b>/, 'the tool result reached the model');
      const tools = ((requests.at(-2)?.body as { tools?: { name: string }[] }).tools ?? []).map((t) => t.name);
      assert.ok(tools.includes('mcp__fx__echo') && tools.includes('mcp__fx__status'), `the model was offered the server's tools (got ${tools.join(', ')})`);
      await waitFor('the turn to end', async () => (await view.sendButton.count()) > 0, 30_000);
      await screenshot(p, path.join(shots, '53-mcp-tool-call-done.png'));
    });
  } finally {
    await page?.close().catch(() => undefined);
    await server?.stop();
  }
}
