// Height guesses for rows not laid out yet (webview/src/rowHeightGuess.ts). The virtual list picks the rows
// of its first frame from them, so a guess far too high means a second render before that frame paints:
// the guesses follow the stylesheets (markdown blocks, unwrapped code, capped tool output), and for the
// shared bench workload they are checked against heights Chromium laid out (bench fonts, 440 px wide).
// Lines are counted without splitting the text (wrappedLines), which must agree with the plain definition.
import { describe, expect, it } from 'vitest';
import type { ChatEntry } from '../../src/shared/chatState';
import { estimateHeight, markdownHeight, wrappedLines } from '../../webview/src/rowHeightGuess';

const user = (text: string): ChatEntry => ({ kind: 'user', id: 'u', turnId: 't', text, at: 0 });
const assistant = (text: string, streaming = false): ChatEntry => ({ kind: 'assistant', id: 'a', turnId: 't', text, streaming });
const tool = (status: 'running' | 'ok' | 'error', output: string): ChatEntry => ({ kind: 'tool', id: 'x', turnId: 't', tool: 'exec_command', title: 'ls', output, status });

/** At 13px: a markdown line is 19.5 px, a block gap 9.1 px; 59 characters a line in a 440 px list (416 px of text). */
const LINE = 19.5;
const GAP = 9.1;
const ROW = 12;

describe('estimateHeight: a guess for rows not measured yet', () => {
  it('is 0 for a row whose entry is gone', () => {
    expect(estimateHeight(undefined, 400)).toBe(0);
  });

  it('wraps markdown paragraphs at the width, joins their lines, and spaces the blocks', () => {
    expect(estimateHeight(assistant('x'.repeat(59)), 440)).toBeCloseTo(ROW + LINE);
    expect(estimateHeight(assistant('x'.repeat(60)), 440)).toBeCloseTo(ROW + 2 * LINE);
    // Two source lines of one paragraph are one paragraph.
    expect(estimateHeight(assistant('short\nline'), 440)).toBeCloseTo(ROW + LINE);
    expect(estimateHeight(assistant('a\n\nb'), 440)).toBeCloseTo(ROW + 2 * LINE + GAP);
  });

  it('never wraps code lines, and counts a fence not closed yet (a streaming answer) to the end', () => {
    const code = (lines: number) => Array.from({ length: lines }, () => 'y'.repeat(200)).join('\n');
    expect(estimateHeight(assistant(`\`\`\`ts\n${code(3)}\n\`\`\``), 440)).toBeCloseTo(ROW + 16 + 3 * LINE);
    expect(estimateHeight(assistant(`\`\`\`ts\n${code(2)}`, true), 440)).toBeCloseTo(ROW + 16 + 2 * LINE);
    // A blank line inside a fence does not end the block.
    expect(estimateHeight(assistant('```\na\n\nb\n```'), 440)).toBeCloseTo(ROW + 16 + 3 * LINE);
  });

  it('gives headings their own line height and list items a line each, indented', () => {
    expect(estimateHeight(assistant('## Title'), 440)).toBeCloseTo(ROW + 13 * 1.25 * 1.3);
    expect(estimateHeight(assistant('- one\n- two\n- three'), 440)).toBeCloseTo(ROW + 3 * LINE);
    expect(estimateHeight(assistant(`- ${'z'.repeat(70)}`), 440)).toBeCloseTo(ROW + 2 * LINE);
  });

  it('scales with the font size', () => {
    expect(estimateHeight(assistant('a'), 440, 26)).toBeCloseTo(ROW + 2 * LINE);
    expect(estimateHeight(user('hi'), 440, 26) - ROW).toBeCloseTo(2 * (estimateHeight(user('hi'), 440) - ROW));
  });

  it("wraps the user's text at the width, a line per newline", () => {
    const line = 13 * 1.16;
    expect(estimateHeight(user('hi'), 440)).toBeCloseTo(ROW + 14 + line);
    expect(estimateHeight(user('a\n\nb'), 440)).toBeCloseTo(ROW + 14 + 3 * line);
    expect(estimateHeight(user('x'.repeat(120)), 440)).toBeCloseTo(ROW + 14 + 3 * line);
  });

  it('wraps as if the view were at least 10em wide (18 characters a line), however narrow it is', () => {
    expect(estimateHeight(assistant('x'.repeat(40)), 10)).toBeCloseTo(ROW + 3 * LINE);
  });

  it('a finished command card is its header; a running or failed one shows its output, capped at 300 px', () => {
    const output = Array.from({ length: 100 }, (_, i) => `line ${i}`).join('\n');
    const line = 13 * 1.16;
    expect(estimateHeight(tool('ok', output), 400)).toBe(49);
    expect(estimateHeight(tool('running', 'one\ntwo'), 400)).toBeCloseTo(49 + 18 + 2 * line);
    expect(estimateHeight(tool('error', output), 400)).toBe(49 + 18 + 300);
    expect(estimateHeight(tool('running', ''), 400)).toBe(49);
    const huge = Array.from({ length: 50_000 }, (_, i) => `  ✓ test ${i}`).join('\n');
    expect(estimateHeight(tool('error', huge), 400)).toBe(49 + 18 + 300);
  });

  it('other cards get a fixed guess', () => {
    expect(estimateHeight({ kind: 'stopped', id: 's', turnId: 't' }, 400)).toBe(80);
  });

  it("guesses the bench workload's rows within 3% of the heights Chromium laid out at 440 px", () => {
    const prose =
      'hunk model step import server review review plan diff session diff command agent session agent command hunk server test stream plan diff patch token return hunk output test server context.';
    const fence = ['```ts', ...Array.from({ length: 6 }, (_, i) => `export function f${i}(x: number): number { return x * ${i} + 40; }`), '```'].join('\n');
    const list = '- server agent step output context terminal\n- **value return patch** and `output`';
    const closing = 'token plan hunk file terminal config command session module file plan value review terminal test request model return session import.';
    const laidOut: [ChatEntry, number][] = [
      [assistant(`## Step 1993\n\n${prose}\n\n${list}\n\n${fence}`), 311],
      [assistant(`## Step 1991\n\n${prose}\n\n${list}\n\n${closing}`), 236],
      [user('Please return request terminal return output output module plan in `src/plan.ts`.'), 56],
      [tool('ok', 'x\n'.repeat(80)), 49],
      [tool('error', '  ✓ import test function hunk session (0 ms)\n'.repeat(40)), 367],
    ];
    for (const [entry, height] of laidOut) expect(Math.abs(estimateHeight(entry, 440) - height) / height, entry.kind).toBeLessThan(0.03);
  });
});

describe('markdownHeight', () => {
  it('is one line for empty text (an answer that has just started streaming shows its cursor)', () => {
    expect(markdownHeight('', 416)).toBeCloseTo(LINE);
  });
});

describe('wrappedLines', () => {
  it('counts lines as splitting at newlines would, at every width, for texts with empty, long and trailing lines', () => {
    const bySplit = (text: string, perLine: number) => text.split('\n').reduce((n, line) => n + Math.max(1, Math.ceil(line.length / perLine)), 0);
    const texts = ['', '\n', '\n\n', 'a', 'a\n', '\na', 'x'.repeat(47), 'x'.repeat(48), 'x'.repeat(49), `${'y'.repeat(130)}\n\n- item\n${'z'.repeat(20)}\n`, 'a\r\nb'];
    for (const text of texts) for (const perLine of [1, 20, 48, 53]) expect(wrappedLines(text, perLine), JSON.stringify([text, perLine])).toBe(bySplit(text, perLine));
  });

  it('stops counting at the cap (a line may take it past the cap, never further)', () => {
    const many = Array.from({ length: 1000 }, () => 'line').join('\n');
    expect(wrappedLines(many, 48, 17)).toBe(17);
    expect(wrappedLines('x'.repeat(48 * 5) + '\nb\nc', 48, 3)).toBe(5);
    expect(wrappedLines('a\nb', 48, 17)).toBe(2);
  });
});
