// Accessibility standing rule, checked in the real webview: axe-core (WCAG 2.1 A and AA rules) finds no
// serious or critical violation in the chat in each of its states (empty, a command waiting for approval,
// a change under review, a finished turn with cards), and the approval can be reached and answered from
// the keyboard alone. Runs in its own chat right after the view opens, then starts a new chat, so the
// flows after it see the chat they expect.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { screenshot } from './browser.ts';
import { REPO_ROOT, log, waitFor } from './harness.ts';
import type { MockOpenAI, MockResponse } from './mock.ts';
import type { TandemView } from './tandemView.ts';

export const ACCESSIBILITY_FLOWS = ['accessibility: axe finds no serious or critical violation in any state of the chat; approval from the keyboard'];

export interface AccessibilityDeps {
  flow: (name: string, page: Page | undefined, body: () => Promise<void>) => Promise<void>;
  page: Page;
  view: TandemView;
  api: MockOpenAI;
  workspace: string;
  shots: string;
}

const AXE_SOURCE = path.join(REPO_ROOT, 'node_modules', 'axe-core', 'axe.min.js');
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const BLOCKING = new Set(['serious', 'critical']);

const streamed = (deltas: string[]): MockResponse => ({ steps: [{ type: 'text', text: deltas.join(''), deltas }] });
const applyPatch = (patch: string): MockResponse => ({ steps: [{ type: 'custom_tool_call', name: 'apply_patch', input: patch }] });
const toolCall = (name: string, args: unknown): MockResponse => ({ steps: [{ type: 'function_call', name, arguments: JSON.stringify(args) }] });

const WRITE = 'echo checked > a11y.log'; // a write: asks under the default "ask" policy
const FILE = ['export const level = "AA";', 'export const rules = 2;', ''].join('\n');
const PATCH = ['*** Begin Patch', '*** Update File: a11y.ts', '-export const rules = 2;', '+export const rules = 21;', '*** End Patch', ''].join('\n');

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string; html: string }[];
}

/**
 * The chat webview's own document (code-server: the frame inside the webview host frame of our
 * extension). Looked up among the page's frames, waiting while the workbench is busy (opening a .ts file
 * activates the TypeScript extension, which can hold the page for seconds on a loaded machine).
 */
async function chatFrame(view: TandemView): Promise<Frame> {
  return waitFor(
    "the chat webview's frame",
    async () => {
      for (const frame of view.page.frames()) {
        if (!frame.parentFrame()?.url().includes('extensionId=tandem.tandem')) continue;
        if (await frame.evaluate(() => document.querySelector('.composer-input') !== null).catch(() => false)) return frame;
      }
      return undefined;
    },
    60_000,
    250,
  );
}

/**
 * Runs axe in the chat webview (evaluated through the debugging protocol, which the page's CSP does not
 * govern; the webview itself still loads no outside script) and returns the serious and critical
 * violations, each with the elements it found.
 */
async function axeViolations(view: TandemView): Promise<Violation[]> {
  const frame = await chatFrame(view);
  const loaded = await frame.evaluate(() => typeof (window as { axe?: unknown }).axe === 'object');
  if (!loaded) await frame.evaluate(fs.readFileSync(AXE_SOURCE, 'utf8'));
  const violations = await frame.evaluate(async (tags: string[]) => {
    type AxeResult = { violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[]; html: string }[] }[] };
    const axe = (window as unknown as { axe: { run(context: Document, options: unknown): Promise<AxeResult> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target.map(String).join(' '), html: n.html.slice(0, 200) })) }));
  }, WCAG_TAGS);
  return violations.filter((v) => v.impact !== null && BLOCKING.has(v.impact));
}

async function assertAccessible(view: TandemView, state: string): Promise<void> {
  const violations = await axeViolations(view);
  const report = violations.map((v) => `  ${v.impact} ${v.id}: ${v.help}\n${v.nodes.map((n) => `    ${n.target}  ${n.html}`).join('\n')}`).join('\n');
  log(`axe (${state}): ${violations.length === 0 ? 'no serious or critical violation' : `\n${report}`}`);
  assert.equal(violations.length, 0, `axe found serious/critical WCAG 2.1 A/AA violations in the chat (${state}):\n${report}`);
}

/** Presses Shift+Tab from the composer until `name` has the focus: reachable from the keyboard, in order. */
async function tabBackTo(page: Page, view: TandemView, name: string): Promise<void> {
  const frame = await chatFrame(view);
  await view.composer.focus();
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Shift+Tab');
    const focused = await frame.evaluate(() => {
      const el = document.activeElement;
      return el ? `${el.getAttribute('aria-label') ?? el.textContent ?? ''}`.trim() : '';
    });
    if (focused === name) return;
  }
  throw new Error(`"${name}" is not reachable with Shift+Tab from the composer`);
}

export async function accessibilityFlows({ flow, page: p, view, api, workspace, shots }: AccessibilityDeps): Promise<void> {
  await flow(ACCESSIBILITY_FLOWS[0]!, p, async () => {
    await view.frame.getByRole('heading', { name: 'Tandem' }).waitFor(); // the empty state
    await assertAccessible(view, 'empty chat');

    fs.writeFileSync(path.join(workspace, 'a11y.ts'), FILE);
    await api.script([toolCall('exec_command', { cmd: WRITE }), applyPatch(PATCH), streamed(['Checked: ', '`rules` is **21** now.\n\n', '```ts\nexport const rules = 21;\n```\n'])]);
    await view.send('record the check, then bump the rule count');

    // a command waiting for approval: one card, asking; the composer says what Tandem waits for
    const approval = view.approvalCard(WRITE);
    await approval.waitFor();
    assert.equal(await view.frame.locator('.card', { hasText: WRITE }).count(), 1, 'the command shows once: its card asks');
    assert.match((await view.composer.getAttribute('placeholder')) ?? '', /waiting for your approval/);
    await screenshot(p, path.join(shots, '30-a11y-approval.png'));
    await assertAccessible(view, 'approval card');
    await tabBackTo(p, view, 'Approve');
    await p.keyboard.press('Enter');
    await waitFor('a11y.log written by the command approved from the keyboard', () => fs.existsSync(path.join(workspace, 'a11y.log')), 20_000);
    await view.toolCard(WRITE).getByText('exit 0').waitFor();

    // a change under review
    const patch = view.patchCard('a11y.ts');
    await patch.locator('.hunk').first().waitFor();
    assert.match((await view.composer.getAttribute('placeholder')) ?? '', /waiting for you to review/);
    await screenshot(p, path.join(shots, '31-a11y-review.png'));
    await assertAccessible(view, 'review card');
    await patch.getByRole('button', { name: 'Accept all', exact: true }).click();

    // the finished turn: command card, patch card, markdown answer with a code block
    await view.waitForText('is 21 now.');
    await view.sendButton.waitFor({ timeout: 30_000 });
    await screenshot(p, path.join(shots, '32-a11y-cards.png'));
    await assertAccessible(view, 'chat with cards');

    // the next flows start from a new, empty chat, with no editor left open by this one
    await view.runCommand('View: Close All Editors');
    await view.runCommand('Tandem: New Chat');
    await view.frame.getByRole('heading', { name: 'Tandem' }).waitFor();
  });
}
