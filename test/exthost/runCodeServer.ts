// Runs the extension-host suites inside code-server's embedded VS Code server, the way VS Code's own browser
// integration tests do: the workbench URL carries a payload with extensionDevelopmentPath (the repo) and
// extensionTestsPath (out/exthost/suite/index.js); the test runner in the remote extension host reports
// through window.codeAutomationLog / codeAutomationExit, which we expose to the page.
//
//   node test/exthost/runCodeServer.ts          (needs dist/extension.js: npm run build or npm run package)
// Env: TANDEM_EXTENSION_PATH (extension under test, default: the repo), TANDEM_EXTHOST_TIMEOUT_MS (default 180000), TANDEM_EXTHOST_GREP (mocha grep), TANDEM_CODE_SERVER.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import type { Browser } from 'playwright-core';
import { launchBrowser, newPage, screenshot } from '../e2e/browser.ts';
import { startVsCodeServer } from '../e2e/codeServer.ts';
import type { VsCodeServer } from '../e2e/codeServer.ts';
import { REPO_ROOT, RESULTS_DIR, createTempRoot, finishTempRoot, log, tail } from '../e2e/harness.ts';
import { SUITE_INDEX, buildSuites } from './build.ts';
import { OUTPUT_MARK } from './outputMark.ts';

const EXTENSION_PATH = path.resolve(process.env.TANDEM_EXTENSION_PATH ?? REPO_ROOT);
const TIMEOUT_MS = Number(process.env.TANDEM_EXTHOST_TIMEOUT_MS ?? 180_000);

async function main(): Promise<number> {
  if (!fs.existsSync(path.join(EXTENSION_PATH, 'dist', 'extension.js'))) {
    throw new Error(`${path.join(EXTENSION_PATH, 'dist', 'extension.js')} is missing: run \`npm run build\` (or \`npm run package\`) first`);
  }
  const suites = await buildSuites();
  log(`bundled ${suites.length} suite(s): ${suites.join(', ')}`);

  const root = createTempRoot('tandem-exthost');
  const workspace = path.join(root, 'workspace');
  fs.mkdirSync(workspace, { recursive: true });
  fs.writeFileSync(path.join(workspace, 'README.md'), '# Extension-host test workspace\n');

  let server: VsCodeServer | undefined;
  let browser: Browser | undefined;
  let result = 2;
  try {
    const started = await startVsCodeServer(root);
    server = started;
    browser = await launchBrowser();
    const page = await newPage(browser, path.join(root, 'browser.log'));

    let resolveExit: (code: number) => void = () => undefined;
    const exitCode = new Promise<number>((resolve) => (resolveExit = resolve));
    // Everything the workbench logs goes to client.log; the suites' own (marked) lines and errors naming
    // the extension go to stdout too.
    const clientLog = path.join(root, 'client.log');
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown) => {
      const line = format(...(Array.isArray(args) ? args : [args]));
      fs.appendFileSync(clientLog, `${type} ${line}\n`);
      if (line.startsWith(OUTPUT_MARK)) console.log(line.slice(OUTPUT_MARK.length));
      else if (type === 'error' && line.includes('tandem')) console.log(`[workbench error] ${line}`);
    });
    await page.exposeFunction('codeAutomationExit', (code: number) => resolveExit(code));

    const remote = (p: string): string => `vscode-remote://127.0.0.1:${started.port}${path.resolve(p)}`;
    const payload = JSON.stringify([
      ['extensionDevelopmentPath', remote(EXTENSION_PATH)],
      ['extensionTestsPath', remote(SUITE_INDEX)],
      ['skipWelcome', 'true'],
    ]);
    const url = `${started.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(payload)}`;
    log('opening the workbench with the test payload');
    await page.goto(url);

    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<number>((resolve) => {
      timer = setTimeout(() => resolve(-1), TIMEOUT_MS);
    });
    const code = await Promise.race([exitCode, timeout]);
    clearTimeout(timer);
    if (code === -1) {
      await screenshot(page, path.join(RESULTS_DIR, 'exthost', 'timeout.png'));
      log(`TIMEOUT: the extension host did not report within ${TIMEOUT_MS} ms`);
      log(`--- ${started.logFile} (tail) ---\n${tail(started.logFile)}`);
      result = 1;
    } else {
      log(`extension-host tests finished with exit code ${code}`);
      if (code !== 0) log(`(server log: ${started.logFile}, workbench console: ${path.join(root, 'client.log')})`);
      result = code;
    }
  } finally {
    await browser?.close().catch(() => undefined);
    await server?.stop();
  }
  finishTempRoot(root, result === 0);
  return result;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    log('HARNESS ERROR', err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(2);
  },
);
