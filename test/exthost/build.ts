// Bundles the extension-host suites (test/exthost/suite/*.ts) into out/exthost/suite/*.js with esbuild:
// one CommonJS file per suite plus the mocha entry (index.js), `vscode` and `mocha` left external
// (the extension host provides `vscode`; mocha is loaded from the repo's node_modules).
// Adding a suite is adding a `*.test.ts` file next to index.ts.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { REPO_ROOT } from '../e2e/harness.ts';

export const SUITE_SRC = path.join(REPO_ROOT, 'test', 'exthost', 'suite');
export const SUITE_OUT = path.join(REPO_ROOT, 'out', 'exthost', 'suite');
/** What --extensionTestsPath points at. */
export const SUITE_INDEX = path.join(SUITE_OUT, 'index.js');

export async function buildSuites(): Promise<string[]> {
  const tests = fs.readdirSync(SUITE_SRC).filter((f) => f.endsWith('.test.ts')).sort();
  if (tests.length === 0) throw new Error(`no *.test.ts suites in ${SUITE_SRC}`);
  fs.rmSync(SUITE_OUT, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: ['index.ts', ...tests].map((f) => path.join(SUITE_SRC, f)),
    outdir: SUITE_OUT,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
  return tests.map((f) => f.replace(/\.ts$/, '.js'));
}
