import { describe, expect, it } from 'vitest';
import { fixCommandArgs, parseFixCommandArgs } from '../../../../src/core/fix/args';
import { gatherFixContext } from '../../../../src/core/fix/gather';
import { composeWithAttachments, contextAttachment, explainPrompt, fixPrompt, focusedTurnTitle, locationLabel } from '../../../../src/core/fix/prompt';
import { fenceFor } from '../../../../src/core/fix/text';
import type { DiagnosticInfo, FixInput } from '../../../../src/core/fix/types';

const TEXT = ['export function area(r: number): number {', "  return 'big';", '}', '', 'export const x = 1;', ''].join('\n');
const error: DiagnosticInfo = {
  range: { start: { line: 1, character: 2 }, end: { line: 1, character: 8 } },
  message: "Type 'string' is not assignable to type 'number'.",
  severity: 'error',
  source: 'ts',
  code: '2322',
};
const input: FixInput = {
  path: 'src/area.ts',
  languageId: 'typescript',
  text: TEXT,
  selection: { start: { line: 1, character: 4 }, end: { line: 1, character: 4 } },
  symbols: [{ name: 'area', kind: 'function', range: { start: { line: 0, character: 0 }, end: { line: 2, character: 1 } } }],
  diagnostics: [error],
};

describe('fix prompts', () => {
  it('Fix This names the file, lines, function and problems (source and code), the code and the rules', () => {
    const prompt = fixPrompt(gatherFixContext(input));
    expect(prompt).toContain('Fix this code in `src/area.ts` (typescript), lines 1–3: function `area`.');
    expect(prompt).toContain("- error (ts 2322), line 2, column 3: Type 'string' is not assignable to type 'number'.");
    expect(prompt).toContain("```typescript\nexport function area(r: number): number {\n  return 'big';\n}\n```");
    expect(prompt).toContain('The rest of the file, for context:');
    expect(prompt).toContain('… (lines 1–3: the code above) …\n\nexport const x = 1;');
    expect(prompt).toMatch(/apply_patch on `src\/area\.ts`/);
    expect(prompt).toMatch(/if the patch does not apply, read the current file/);
  });

  it('shows a one-line summary in the chat instead of the whole prompt', () => {
    const title = focusedTurnTitle('Fix This', gatherFixContext(input));
    expect(title).toBe("Fix This: `src/area.ts` (typescript), lines 1–3: function `area` — Type 'string' is not assignable to type 'number'. (ts 2322)");
    expect(title).not.toContain('\n');
  });

  it('marks what a trimmed file leaves out', () => {
    const lines = Array.from({ length: 600 }, (_, i) => `const v${i} = ${i};`);
    const ctx = gatherFixContext({ ...input, text: lines.join('\n'), symbols: [], diagnostics: [], selection: { start: { line: 300, character: 0 }, end: { line: 300, character: 0 } } });
    const prompt = fixPrompt(ctx);
    expect(prompt).toContain('… (lines 13–270 not shown) …');
    expect(prompt).toContain('… (lines 317–600 not shown) …');
    expect(prompt).toContain('the file has 600 lines');
    expect(prompt).toContain('fixes what is wrong with this code');
  });

  it('Explain This asks for an answer only', () => {
    const prompt = explainPrompt(gatherFixContext(input));
    expect(prompt).toContain('Explain this code in `src/area.ts`');
    expect(prompt).toMatch(/do not edit files/);
    expect(prompt).toMatch(/why the problems above are reported/);
  });

  it('code containing backticks gets a longer fence', () => {
    expect(fenceFor('a ``` b')).toBe('````');
    expect(fenceFor('plain')).toBe('```');
  });
});

describe('Add to Chat', () => {
  it('attaches the code with its file and line range; the message carries it after the text', () => {
    const ctx = gatherFixContext({ ...input, selection: { start: { line: 1, character: 0 }, end: { line: 2, character: 1 } } });
    expect(locationLabel(ctx)).toBe('src/area.ts:2-3');
    const attachment = contextAttachment(ctx);
    expect(attachment.label).toBe('src/area.ts:2-3');
    expect(attachment.text).toMatch(/^From `src\/area\.ts` \(typescript\), lines 2–3:\n```typescript\n {2}return 'big';\n}\n```/);
    expect(attachment.text).toContain('Problems reported there:');
    expect(composeWithAttachments('why?', [attachment])).toBe(`why?\n\n${attachment.text}`);
    expect(composeWithAttachments('why?', [])).toBe('why?');
  });
});

describe('fix command arguments', () => {
  it('round-trips the quick-fix arguments and rejects anything else', () => {
    const args = fixCommandArgs('file:///w/a.ts', error);
    expect(parseFixCommandArgs(JSON.parse(JSON.stringify(args)))).toEqual({ uri: 'file:///w/a.ts', diagnostic: error });
    expect(parseFixCommandArgs(undefined)).toBeUndefined();
    expect(parseFixCommandArgs({ scheme: 'file', path: '/w/a.ts' })).toBeUndefined(); // the context menu's resource URI
    expect(parseFixCommandArgs({ ...args, diagnostic: { ...error, severity: 'fatal' } })).toBeUndefined();
    expect(parseFixCommandArgs({ ...args, diagnostic: { ...error, range: { start: { line: 3, character: 0 }, end: { line: 1, character: 0 } } } })).toBeUndefined();
    expect(parseFixCommandArgs({ ...args, diagnostic: { ...error, message: 'x'.repeat(20_000) } })).toBeUndefined();
  });
});
