// Runs the extension-host suites in VS Code desktop through @vscode/test-electron, where VS Code can be
// downloaded. On machines without internet (the download fails or times out) nothing runs: this prints
// SKIPPED with the reason, writes it to test-results/electron-summary.json ({stageSkipped}) and exits 77, the
// exit code by which a stage tells scripts/test.sh that it did not run (never counted as passed). The same
// suites run under code-server (runCodeServer.ts). When the suites do run, their counts (the suite index
// writes exthost-summary.json) are moved to electron-summary.json, so the exthost stage does not overwrite them.
//
//   node test/exthost/runElectron.ts
// Env: TANDEM_VSCODE_VERSION (default: stable), TANDEM_VSCODE_DOWNLOAD_TIMEOUT_MS (default 20000).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';
import { REPO_ROOT, RESULTS_DIR, createTempRoot, log } from '../e2e/harness.ts';
import { SUITE_INDEX, buildSuites } from './build.ts';

const DOWNLOAD_TIMEOUT_MS = Number(process.env.TANDEM_VSCODE_DOWNLOAD_TIMEOUT_MS ?? 20_000);
const VERSION = process.env.TANDEM_VSCODE_VERSION ?? 'stable';

/** scripts/test.sh: "this stage did not run" (automake's SKIP convention). */
const SKIP_EXIT = 77;
const SUMMARY = path.join(RESULTS_DIR, 'electron-summary.json');

function skip(reason: string): never {
  console.log(`SKIPPED: ${reason}; the same suites run under code-server (exthost stage)`);
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  fs.writeFileSync(SUMMARY, JSON.stringify({ stageSkipped: reason }));
  process.exit(SKIP_EXIT);
}

async function download(): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no VS Code after ${DOWNLOAD_TIMEOUT_MS} ms`)), DOWNLOAD_TIMEOUT_MS);
  });
  try {
    return await Promise.race([
      downloadAndUnzipVSCode({
        version: VERSION,
        cachePath: path.join(REPO_ROOT, '.vscode-test'),
        timeout: DOWNLOAD_TIMEOUT_MS,
        reporter: { report: () => undefined, error: () => undefined }, // we print the outcome ourselves
      }),
      deadline,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

async function main(): Promise<void> {
  let executable: string;
  try {
    executable = await download();
  } catch (err) {
    skip(`VS Code desktop cannot be downloaded here (${(err as Error).message.split('\n')[0] ?? String(err)})`);
  }
  if (!process.env.DISPLAY && process.platform === 'linux') {
    // Electron needs an X server: re-run under xvfb-run when there is one, else say why nothing ran.
    if (!process.env.TANDEM_UNDER_XVFB && spawnSync('xvfb-run', ['--help'], { stdio: 'ignore' }).error === undefined) {
      const r = spawnSync('xvfb-run', ['-a', process.execPath, ...process.argv.slice(1)], { stdio: 'inherit', env: { ...process.env, TANDEM_UNDER_XVFB: '1' } });
      process.exit(r.status ?? 1);
    }
    skip('VS Code desktop was downloaded but there is no display (no $DISPLAY, no xvfb-run)');
  }
  if (!fs.existsSync(path.join(REPO_ROOT, 'dist', 'extension.js'))) throw new Error('dist/extension.js is missing: run `npm run build` first');
  await buildSuites();
  const root = createTempRoot('tandem-electron');
  const workspace = path.join(root, 'workspace');
  fs.mkdirSync(workspace, { recursive: true });
  log(`running the suites in ${executable}`);
  const counts = path.join(RESULTS_DIR, 'exthost-summary.json');
  fs.rmSync(counts, { force: true });
  try {
    await runTests({
      vscodeExecutablePath: executable,
      extensionDevelopmentPath: REPO_ROOT,
      extensionTestsPath: SUITE_INDEX,
      launchArgs: [
        workspace,
        '--disable-extensions',
        '--disable-workspace-trust',
        '--skip-welcome',
        '--skip-release-notes',
        '--user-data-dir', path.join(root, 'user-data'),
        '--extensions-dir', path.join(root, 'extensions'),
      ],
    });
  } finally {
    if (fs.existsSync(counts)) fs.renameSync(counts, SUMMARY);
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    log('FAILED', err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(1);
  },
);
