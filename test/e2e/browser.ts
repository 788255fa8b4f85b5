// Headless Debian Chromium driven by playwright-core (no browser download: /usr/bin/chromium from apt).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { log } from './harness.ts';

export const CHROMIUM = process.env.TANDEM_CHROMIUM ?? '/usr/bin/chromium';

// Playwright picks its own temp profile (it refuses --user-data-dir in args); TMPDIR keeps it in the temp root.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install chromium fonts-liberation (.ci/run does this)`);
  }
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 60_000 });
  log(`Chromium ${browser.version()} launched`);
  return browser;
}

/**
 * A page with a fixed viewport whose errors are appended to `logFile` (and echoed when `echo` is set):
 * the browser side of a failure is usually the interesting part.
 */
export async function newPage(browser: Browser, logFile: string, echo = false): Promise<Page> {
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const write = (line: string): void => {
    fs.appendFileSync(logFile, `${new Date().toISOString()} ${line}\n`);
    if (echo) console.log(line);
  };
  page.on('pageerror', (err) => write(`PAGEERROR ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning') write(`console.${msg.type()} ${msg.text().slice(0, 1000)}`);
  });
  return page;
}

/**
 * Errors raised inside webviews (console errors, CSP violations, uncaught exceptions in webview frames),
 * collected from now on into the returned live array.
 */
export function collectWebviewErrors(page: Page): string[] {
  const errors: string[] = [];
  const inWebview = (url: string): boolean => url.includes('webview'); // the webview frames and dist/webview.js
  page.on('console', (msg) => {
    const url = msg.location().url;
    if ((msg.type() === 'error' && inWebview(url)) || /Content Security Policy/i.test(msg.text())) errors.push(`${msg.text()} (${url})`);
  });
  return errors;
}

/** Full-page screenshot; failures to take one are logged, never thrown (they must not hide a test failure). */
export async function screenshot(page: Page, file: string): Promise<void> {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    await page.screenshot({ path: file, timeout: 15_000 });
    log(`screenshot ${file}`);
  } catch (err) {
    log(`could not take screenshot ${file}: ${(err as Error).message}`);
  }
}
