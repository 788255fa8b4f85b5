// Ends `npm test` (scripts/test.sh) with what really ran, and nothing more: one line per stage with its
// passed / failed / skipped tests, stages that were SKIPPED (with the reason the stage gave) or not
// selected, and one total line. A stage that did not run is never counted as passed.
//
// Inputs: test-results/stages.tsv (written by test.sh: "name<TAB>passed|failed|skipped<TAB>seconds") and the
// reports the stages leave in test-results/: vitest.json (Vitest's JSON reporter), exthost-summary.json and
// electron-summary.json (test/exthost/suite/index.ts, renamed by runElectron.ts), e2e-summary.json
// (test/e2e/run.ts), e2e-oldest-summary.json (the same flows on the oldest code-server line),
// start-summary.json (test/e2e/startSmoke.ts). Env from test.sh: TANDEM_STAGES_SELECTED, TANDEM_ALL_STAGES, TANDEM_CI_MAY_SKIP_STAGES.
//
// Under CI (CI=1 or CI=true) anything skipped fails the run (exit 1): a skipped test, a SKIPPED stage or a
// stage left out, except the stages test.sh allows by name in CI_MAY_SKIP_STAGES. Locally it only reports.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// TANDEM_TEST_RESULTS: another reports folder (the summary's own tests use one of their own).
const results = process.env.TANDEM_TEST_RESULTS ?? join(import.meta.dirname, '..', 'test-results');
const read = (name) => (existsSync(join(results, name)) ? JSON.parse(readFileSync(join(results, name), 'utf8')) : undefined);
const words = (value) => (value ?? '').split(/\s+/).filter(Boolean);
const inCi = process.env.CI === '1' || process.env.CI === 'true';
const maySkipInCi = new Set(words(process.env.TANDEM_CI_MAY_SKIP_STAGES));

/** Test counts of the stages that run tests, from their reports: {passed, failed, skipped, skippedNames}. */
function vitestCounts() {
  const report = read('vitest.json');
  if (!report) return undefined;
  const skippedNames = [];
  for (const file of report.testResults ?? []) {
    for (const test of file.assertionResults ?? []) {
      if (test.status !== 'passed' && test.status !== 'failed') skippedNames.push(`${test.fullName} (${test.status})`);
    }
  }
  return {
    passed: report.numPassedTests,
    failed: report.numFailedTests,
    skipped: (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0),
    skippedNames,
  };
}
const countsOf = {
  unit: vitestCounts,
  electron: () => read('electron-summary.json'),
  exthost: () => read('exthost-summary.json'),
  e2e: () => read('e2e-summary.json'),
  'e2e-oldest': () => read('e2e-oldest-summary.json'),
  start: () => read('start-summary.json'),
};
const label = {
  unit: 'unit+webview',
  electron: 'ext host (VS Code desktop)',
  exthost: 'ext host (code-server)',
  e2e: 'e2e',
  'e2e-oldest': 'e2e (oldest VS Code)',
  start: 'npm start',
};

const ran = existsSync(join(results, 'stages.tsv'))
  ? readFileSync(join(results, 'stages.tsv'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [name, status, seconds] = line.split('\t');
        return { name, status, seconds: Number(seconds) };
      })
  : [];

const total = { passed: 0, failed: 0, skipped: 0 };
const counted = (c) => `${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped`;
const problems = [];
const lines = [];
/** The closing line's parts: each stage with tests (its counts) or that was SKIPPED (with the reason). */
const oneLine = [];
for (const { name, status, seconds } of ran) {
  const counts = countsOf[name]?.();
  const took = `${seconds}s`;
  if (status === 'skipped') {
    const reason = counts?.stageSkipped ?? 'the stage gave no reason';
    lines.push(`${name.padEnd(12)} SKIPPED: ${reason} (${took})`);
    oneLine.push(`${name} SKIPPED (${reason})`);
    if (inCi && !maySkipInCi.has(name)) problems.push(`stage ${name} was SKIPPED (${reason})`);
    continue;
  }
  if (!counts) {
    // Stages without tests of their own (lint, typecheck, package, deps, code-server).
    lines.push(`${name.padEnd(12)} ${status} (${took})`);
    continue;
  }
  total.passed += counts.passed;
  total.failed += counts.failed;
  total.skipped += counts.skipped;
  lines.push(`${name.padEnd(12)} ${status}: ${counted(counts)} — ${label[name] ?? name} (${took})`);
  for (const skippedName of counts.skippedNames ?? []) lines.push(`${''.padEnd(12)}   skipped: ${skippedName}`);
  // Flows whose API does not exist on the VS Code line a stage runs (not skips: they cannot apply there).
  for (const name of counts.notApplicable ?? []) lines.push(`${''.padEnd(12)}   not applicable: ${name}`);
  oneLine.push(`${name} ${counted(counts)}`);
  if (inCi && counts.skipped > 0) problems.push(`${counts.skipped} ${name} test(s) skipped`);
}
const ranNames = new Set(ran.map((r) => r.name));
const notRun = words(process.env.TANDEM_ALL_STAGES).filter((s) => !ranNames.has(s));
const selected = new Set(words(process.env.TANDEM_STAGES_SELECTED));
const notSelected = notRun.filter((s) => !selected.has(s));
if (notSelected.length) {
  lines.push(`${'(not run)'.padEnd(12)} ${notSelected.join(', ')}: not selected`);
  const notAllowed = notSelected.filter((s) => !maySkipInCi.has(s));
  if (inCi && notAllowed.length) problems.push(`stage(s) not selected: ${notAllowed.join(', ')}`);
}
const notReached = notRun.filter((s) => selected.has(s));
if (notReached.length) lines.push(`${'(not run)'.padEnd(12)} ${notReached.join(', ')}: not reached (an earlier stage failed)`);

const stageCount = (status) => ran.filter((r) => r.status === status).length;
const stages = [
  `${stageCount('passed')} passed`,
  `${stageCount('failed')} failed`,
  `${stageCount('skipped')} skipped`,
  ...(notSelected.length ? [`${notSelected.length} not selected`] : []),
  ...(notReached.length ? [`${notReached.length} not reached`] : []),
];
console.log(lines.join('\n'));
console.log(`Tests: ${[...oneLine, `total ${counted(total)}`].join(' | ')} (stages: ${stages.join(', ')})`);
if (problems.length) {
  console.log(`FAILED under CI (CI=${process.env.CI}): nothing may be skipped but the stages test.sh allows (${[...maySkipInCi].join(', ') || 'none'}):`);
  for (const p of problems) console.log(`  - ${p}`);
  process.exit(1);
}
