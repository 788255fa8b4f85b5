// Page object for the workbench and Tandem's chat webview inside it. Every wait is on a condition.
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { log } from './harness.ts';

const ACTIVITY_ITEM = '.activitybar .action-item a[aria-label^="Tandem"]';
const ACTIVE_ACTIVITY_ITEM = '.activitybar .action-item.checked a[aria-label^="Tandem"]';
// The outer iframe.webview is the host; the content lives in its inner iframe#active-frame. A bare
// `iframe.webview` would also match other webviews (e.g. the Welcome page).
const WEBVIEW = 'iframe.webview.ready[src*="extensionId=tandem.tandem"]';

export class TandemView {
  readonly page: Page;
  /** The chat webview's document. */
  readonly frame: FrameLocator;

  constructor(page: Page) {
    this.page = page;
    this.frame = page.frameLocator(WEBVIEW).frameLocator('iframe#active-frame');
  }

  /** Loads the workbench at `url` and waits until it has rendered. */
  async gotoWorkbench(url: string): Promise<void> {
    await this.page.goto(url);
    await this.waitForWorkbench();
  }

  async waitForWorkbench(): Promise<void> {
    await this.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    // extensions (ours included) are registered once the activity bar shows our container
    await this.page.locator(ACTIVITY_ITEM).waitFor({ timeout: 60_000 });
  }

  /**
   * Opens the Tandem container and waits for the composer. Clicking an active activity-bar item closes
   * its side bar, and right after a (re)load the workbench may still be restoring the side bar when we
   * look, so this re-checks until the composer shows: click only while the item is not active.
   */
  async open(): Promise<void> {
    const deadline = Date.now() + 90_000;
    for (let attempt = 1; ; attempt++) {
      if ((await this.page.locator(ACTIVE_ACTIVITY_ITEM).count()) === 0) {
        await this.page.locator(ACTIVITY_ITEM).click({ timeout: 30_000 });
      }
      await this.page.mouse.move(900, 450); // no hover tooltip over the activity bar in screenshots
      try {
        await this.composer.waitFor({ timeout: 15_000 });
        break;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        log(`Tandem view not showing yet (attempt ${attempt}); checking the activity bar again`);
      }
    }
    log('Tandem view open, composer visible');
  }

  async reload(): Promise<void> {
    await this.page.reload();
    await this.waitForWorkbench();
    // The workbench restores the side bar that was open (ours) a moment after it renders; clicking the
    // activity item before that would toggle it closed again. Wait for the restore (bounded: it may not come).
    await this.page.locator(ACTIVE_ACTIVITY_ITEM).waitFor({ timeout: 10_000 }).catch(() => undefined);
  }

  get composer(): Locator {
    return this.frame.getByRole('textbox', { name: 'Message Tandem' });
  }

  get sendButton(): Locator {
    return this.frame.getByRole('button', { name: 'Send', exact: true });
  }

  get stopButton(): Locator {
    return this.frame.getByRole('button', { name: 'Stop', exact: true });
  }

  /** Types `text` into the composer and presses Enter. */
  async send(text: string): Promise<void> {
    await this.composer.click();
    await this.composer.fill(text);
    await this.composer.press('Enter');
  }

  /** Text anywhere in the webview. */
  text(text: string | RegExp): Locator {
    return this.frame.getByText(text).first();
  }

  async waitForText(text: string | RegExp, timeout = 30_000): Promise<void> {
    await this.text(text).waitFor({ timeout });
  }

  button(name: string | RegExp): Locator {
    return this.frame.getByRole('button', { name });
  }

  /** The newest error card (a failed turn: `role="alert"`). */
  get errorCard(): Locator {
    return this.frame.getByRole('alert').last();
  }

  /** The command card whose command line is `command`. */
  toolCard(command: string): Locator {
    return this.frame.locator('.card.tool', { hasText: command }).first();
  }

  /** The pending approval card for `command`. */
  approvalCard(command: string): Locator {
    return this.frame.locator('.card.approval', { hasText: command }).first();
  }

  /** The newest change-set card that touches `file`. */
  patchCard(file: string): Locator {
    return this.frame.locator('.card.patch', { hasText: file }).last();
  }

  /** A rendered code block (`<pre><code>`) containing `text`. */
  codeBlock(text: string): Locator {
    return this.frame.locator('pre code', { hasText: text }).first();
  }

  /** The whole webview body text (for failure messages and content assertions). */
  async bodyText(): Promise<string> {
    return (await this.frame.locator('body').innerText({ timeout: 10_000 })).trim();
  }

  /** The editor (not the webview) showing the file named `name`. */
  editorFor(name: string): Locator {
    return this.page.locator('.editor-group-container', { has: this.page.locator('.tab.active', { hasText: name }) }).locator('.monaco-editor').first();
  }

  /** A CodeLens in the visible editor whose text is `title` (icons aside). */
  codeLens(title: string | RegExp): Locator {
    const pattern = typeof title === 'string' ? new RegExp(`^\\W*${title}\\s*$`) : title;
    return this.page.locator('.monaco-editor .codelens-decoration a', { hasText: pattern });
  }

  /** Runs a workbench command by its palette title (F1, type, Enter). */
  async runCommand(title: string, options: { opensQuickInput?: boolean } = {}): Promise<void> {
    await this.page.locator('.monaco-workbench .part.editor').click({ position: { x: 5, y: 5 } }); // focus the workbench, not the webview
    await this.page.keyboard.press('F1');
    await this.quickInput.waitFor();
    await this.quickInput.fill(`>${title}`);
    await this.page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
    await this.quickInput.press('Enter');
    if (options.opensQuickInput) {
      await this.page.locator('.quick-input-widget .quick-input-title', { hasText: /\S/ }).waitFor(); // the command's own picker
    } else {
      await this.quickInput.waitFor({ state: 'hidden' });
    }
  }

  /** The workbench's quick input (input boxes, quick picks), e.g. the one "Set API Key" opens. */
  get quickInput(): Locator {
    return this.page.locator('.quick-input-widget .quick-input-box input').first();
  }
}
