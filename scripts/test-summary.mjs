// Prints the whole suite's count as one plain line ("Tests: N passed, N failed"), from the reports the
// stages leave in test-results/: Vitest's JSON report, the extension-host and E2E summaries.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const results = join(import.meta.dirname, '..', 'test-results');
const read = (name) => (existsSync(join(results, name)) ? JSON.parse(readFileSync(join(results, name), 'utf8')) : undefined);

let passed = 0;
let failed = 0;
const parts = [];
const unit = read('vitest.json');
if (unit) {
  passed += unit.numPassedTests;
  failed += unit.numFailedTests;
  parts.push(`unit+webview ${unit.numPassedTests}`);
}
for (const [name, label] of [['exthost-summary.json', 'extension host'], ['e2e-summary.json', 'e2e']]) {
  const summary = read(name);
  if (!summary) continue;
  passed += summary.passed;
  failed += summary.failed;
  parts.push(`${label} ${summary.passed}`);
}
console.log(`(${parts.join(', ')})`);
console.log(`Tests: ${passed} passed, ${failed} failed`);
