// Mocha entry loaded by the extension host (--extensionTestsPath / the workbench's test payload).
// Runs every bundled `*.test.js` next to this file; the real `vscode` API is available to them.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type MochaType from 'mocha';
import { OUTPUT_MARK } from '../outputMark.ts';

// mocha 12 is an ES module: require() of it (Node >= 22) yields its namespace, whose `default` is the class.
const mochaModule = require('mocha') as { default?: typeof MochaType } & typeof MochaType;
const Mocha = mochaModule.default ?? mochaModule;

type ConsoleFn = (...args: unknown[]) => void;
function marked(fn: ConsoleFn): ConsoleFn {
  return (...args) => (typeof args[0] === 'string' ? fn(OUTPUT_MARK + args[0], ...args.slice(1)) : fn(OUTPUT_MARK, ...args));
}

function markConsole(): () => void {
  const saved = { log: console.log, info: console.info, warn: console.warn, error: console.error };
  console.log = marked(saved.log);
  console.info = marked(saved.info);
  console.warn = marked(saved.warn);
  console.error = marked(saved.error);
  const base = Mocha.reporters.Base as unknown as { consoleLog: ConsoleFn };
  const savedBase = base.consoleLog;
  base.consoleLog = marked(savedBase);
  return () => {
    Object.assign(console, saved);
    base.consoleLog = savedBase;
  };
}

/** Every test in the tree, whether or not the run selected it. */
function allTests(suite: MochaType.Suite): MochaType.Test[] {
  return [...suite.tests, ...suite.suites.flatMap(allTests)];
}

export function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'tdd',
    color: false,
    timeout: 30_000,
    reporter: 'spec',
    ...(process.env.TANDEM_EXTHOST_GREP ? { grep: process.env.TANDEM_EXTHOST_GREP } : {}),
  });
  const files = fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort();
  for (const f of files) mocha.addFile(path.join(__dirname, f));
  const restore = markConsole();
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      restore();
      // For the suite's closing count: out/exthost/suite -> <repo>/test-results/exthost-summary.json.
      // Skipped = every test that did not pass or fail: pending (.skip, this.skip()), left out by the grep,
      // or never reached after a failing hook.
      try {
        const results = path.join(__dirname, '..', '..', '..', 'test-results');
        fs.mkdirSync(results, { recursive: true });
        const skippedNames = allTests(mocha.suite)
          .filter((t) => t.state !== 'passed' && t.state !== 'failed')
          .map((t) => `${t.fullTitle()} (${t.isPending() ? 'pending' : process.env.TANDEM_EXTHOST_GREP ? 'not matched by TANDEM_EXTHOST_GREP' : 'not run'})`);
        const summary = { passed: runner.stats?.passes ?? 0, failed: failures, skipped: skippedNames.length, skippedNames };
        fs.writeFileSync(path.join(results, 'exthost-summary.json'), JSON.stringify(summary));
      } catch {
        // the count is a convenience; the exit code is what decides
      }
      if (failures > 0) reject(new Error(`${failures} extension-host test(s) failed.`));
      else resolve();
    });
  });
}
