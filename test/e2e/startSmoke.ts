// Smoke test of `npm start` itself, as a newcomer runs it: scripts/start.sh on this repository, with
// code-server's real seeded settings (workspace trust ON, unlike the E2E flows), then a browser checks that
// the Tandem icon is in the activity bar, that Tandem is enabled, and that its view opens. Run by
// scripts/test.sh (stage `start`); screenshots in test-results/start/.
//
// Why it exists: start.sh once kept code-server's extensions dir inside the opened folder, and VS Code
// disables extensions installed inside an untrusted workspace: the user saw Restricted Mode and no Tandem.
// The flows in run.ts could not catch that (they turn workspace trust off and install elsewhere).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, newPage } from './browser.ts';
import { createTempRoot, finishTempRoot, freePort, httpStatus, log, REPO_ROOT, RESULTS_DIR, spawnGroup, tail, waitFor } from './harness.ts';
import type { GroupProcess } from './harness.ts';
import { TandemView } from './tandemView.ts';

const SHOTS = path.join(RESULTS_DIR, 'start');

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
  log(`screenshot ${path.relative(REPO_ROOT, path.join(SHOTS, `${name}.png`))}`);
}

async function main(): Promise<number> {
  const root = createTempRoot('tandem-start');
  fs.rmSync(SHOTS, { recursive: true, force: true });
  fs.mkdirSync(SHOTS, { recursive: true });
  const port = await freePort();
  const state = path.join(root, 'state'); // outside the repository, as the default under ~/.local/state is
  const logFile = path.join(root, 'npm-start.log');
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), TANDEM_START_STATE: state, TANDEM_START_CODE_SERVER: '1' };
  delete env.VSCODE_IPC_HOOK_CLI;
  log(`npm start on port ${port} (log: ${logFile})`);
  const start: GroupProcess = spawnGroup('npm', ['start'], { cwd: REPO_ROOT, env, logFile });
  let browser: Browser | undefined;
  let ok = false;
  try {
    let exited: number | string | undefined;
    void start.exited.then((code) => (exited = code));
    await waitFor('npm start to serve the workbench', async () => {
      if (exited !== undefined) throw new Error(`npm start exited early (${exited})`);
      return (await httpStatus(`http://127.0.0.1:${port}/healthz`)) === 200;
    }, 240_000, 250).catch((error: Error) => {
      throw new Error(`${error.message}\n--- ${logFile} ---\n${tail(logFile)}`);
    });

    // The state (and so the installed extension) must not be inside the opened folder.
    const extensions = path.join(state, 'extensions');
    const installed = fs.readdirSync(extensions).filter((name) => name.startsWith('tandem.tandem'));
    if (installed.length === 0) throw new Error(`Tandem is not installed in ${extensions}`);
    if (path.relative(REPO_ROOT, fs.realpathSync(extensions)).split(path.sep)[0] !== '..') throw new Error('extensions dir is inside the repository');
    const settings = JSON.parse(fs.readFileSync(path.join(state, 'user-data', 'User', 'settings.json'), 'utf8')) as Record<string, unknown>;
    if (settings['workbench.secondarySideBar.defaultVisibility'] !== 'hidden') throw new Error('secondary side bar is not hidden in the seeded settings');

    browser = await launchBrowser();
    const page = await newPage(browser, path.join(root, 'browser.log'));
    const view = new TandemView(page);
    // The URL start.sh prints.
    const printed = fs.readFileSync(logFile, 'utf8').match(/http:\/\/127\.0\.0\.1:\d+\/\?folder=\S+/)?.[0];
    if (!printed) throw new Error(`start.sh printed no workbench URL\n${tail(logFile)}`);
    await page.goto(printed);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    // A newcomer who does not trust the folder yet: Restricted Mode. Tandem supports it (read-only), so it
    // must still be there and enabled.
    const dontTrust = page.getByRole('button', { name: /No, I don.t trust the authors/ });
    await dontTrust.waitFor({ timeout: 30_000 }).then(
      async () => {
        await shot(page, '01-trust-prompt');
        await dontTrust.click();
      },
      () => log('no workspace trust prompt shown'),
    );
    await view.waitForWorkbench();
    await view.open();
    await shot(page, '02-tandem-open-restricted-mode');
    // Enabled means our webview runs: its header says why an untrusted workspace is read-only.
    await view.frame.getByText('Read-only (untrusted workspace)').waitFor({ timeout: 15_000 });
    // Nothing in the Extensions view says Tandem is disabled.
    await page.keyboard.press('Escape');
    const disabledNotice = await page.getByText(/Enable \(Workspace\)/).count();
    if (disabledNotice > 0) throw new Error('the workbench offers "Enable (Workspace)" for Tandem');
    ok = true;
    log('npm start smoke: Tandem icon present, enabled, view open');
  } catch (error) {
    log('npm start smoke FAILED:', error instanceof Error ? error.message : error);
  } finally {
    await browser?.close().catch(() => undefined);
    await start.stop();
  }
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  fs.writeFileSync(path.join(RESULTS_DIR, 'start-summary.json'), JSON.stringify({ passed: ok ? 1 : 0, failed: ok ? 0 : 1, skipped: 0 }));
  finishTempRoot(root, ok);
  return ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    log('START SMOKE HARNESS ERROR', error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(2);
  },
);
