// Running one named E2E flow, the same way in every group of flows (run.ts's own, and the groups with a
// code-server of their own: MCP, VS Code's language models, ...): log it, time it, record it in the shared
// results, and on failure keep a screenshot plus what was on screen in the way (a dialog, a notification).
// A flow its body finds not applicable (an API the VS Code under test lacks) is listed as such, never as passed.
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { screenshot } from './browser.ts';
import { log } from './harness.ts';

export interface FlowResult {
  name: string;
  ok: boolean;
  ms: number;
  error?: string;
}

export interface NotApplicableFlow {
  name: string;
  reason: string;
}

/** Where a group's flows report. */
export interface FlowReport {
  results: FlowResult[];
  /** Screenshots folder (failures are kept as FAILED-<name>.png). */
  shots: string;
  /** Flows found not applicable; with `notApplicableReason`. */
  notApplicable?: NotApplicableFlow[];
  /** Set once the group finds out its flows cannot run here: the flow (and every later one) is not applicable. */
  notApplicableReason?: () => string | undefined;
}

/** The flows of `group` to run under TANDEM_E2E_FLOW (`only`): every flow up to the last one that matches. */
export function selectFlows(group: readonly string[], only: RegExp | undefined): Set<string> {
  const count = only ? group.reduce((n, name, i) => (only.test(name) ? i + 1 : n), 0) : group.length;
  return new Set(group.slice(0, count));
}

export async function runFlow(report: FlowReport, name: string, page: Page | undefined, body: () => Promise<void>): Promise<void> {
  const notApplicable = (): boolean => {
    const reason = report.notApplicableReason?.();
    if (reason === undefined) return false;
    log(`⤼ NOT APPLICABLE ${name}: ${reason}`);
    report.notApplicable?.push({ name, reason });
    return true;
  };
  if (notApplicable()) return;
  log(`▶ ${name}`);
  const t0 = Date.now();
  try {
    await body();
    if (notApplicable()) return; // the body found the API missing: said so, nothing passed
    report.results.push({ name, ok: true, ms: Date.now() - t0 });
    log(`✔ ${name} (${((Date.now() - t0) / 1000).toFixed(1)}s)`);
  } catch (err) {
    const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
    report.results.push({ name, ok: false, ms: Date.now() - t0, error: message });
    log(`✘ ${name}\n${message}`);
    if (!page) return;
    await screenshot(page, path.join(report.shots, `FAILED-${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.png`));
    const blocking = await page
      .locator('.monaco-dialog-box, .notification-toast')
      .allInnerTexts()
      .catch(() => []);
    if (blocking.length) log(`on screen when it failed:\n  ${blocking.map((t) => t.replace(/\s+/g, ' ')).join('\n  ')}`);
  }
}
