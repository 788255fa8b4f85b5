// Small display helpers shared by the cards and the header.
import type { ViewConfig } from '../../src/shared/protocol';
import { t } from './strings';

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)}s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes}m ${Math.round(seconds - minutes * 60)}s`;
}

/**
 * A count for display. Below 1,000 without Intl: a page's first toLocaleString() loads the locale's number
 * data (18-40 ms measured in Chromium), too long for a frame that only shows "3 earlier lines".
 */
export function formatCount(n: number): string {
  return Number.isInteger(n) && n >= 0 && n < 1000 ? String(n) : n.toLocaleString();
}

export function formatTokens(n: number): string {
  return n < 1000 ? String(n) : `${(n / 1000).toFixed(n < 10_000 ? 1 : 0)}k`;
}

export const POLICY_LABELS: Record<ViewConfig['approvalPolicy'], string> = {
  'read-only': t('policy.read-only'),
  ask: t('policy.ask'),
  auto: t('policy.auto'),
  'full-access': t('policy.full-access'),
};

// eslint-disable-next-line no-control-regex -- ANSI escape sequences are control characters by definition
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]/g;

/**
 * Terminal (PTY) output as plain text: escape sequences removed, CRLF normalised, and a carriage return
 * inside a line (progress bars redrawing themselves) keeps only what was drawn last.
 */
export function terminalText(output: string): string {
  return output
    .replace(ANSI, '')
    .replace(/\r+\n/g, '\n')
    .split('\n')
    .map((line) => (line.includes('\r') ? line.slice(line.lastIndexOf('\r') + 1) : line))
    .join('\n');
}
