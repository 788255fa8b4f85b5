import { describe, expect, it } from 'vitest';
import { gatherFixContext } from '../../../../src/core/fix/gather';
import type { DiagnosticInfo, FixInput, SymbolInfo, TextRange } from '../../../../src/core/fix/types';

const at = (line: number, character = 0): TextRange => ({ start: { line, character }, end: { line, character } });
const range = (sl: number, sc: number, el: number, ec: number): TextRange => ({ start: { line: sl, character: sc }, end: { line: el, character: ec } });
const diag = (line: number, message: string, extra: Partial<DiagnosticInfo> = {}): DiagnosticInfo => ({ range: range(line, 2, line, 8), message, severity: 'error', source: 'ts', code: '2322', ...extra });

const TS = [
  "import { helper } from './helper';", // 0
  '', // 1
  'export class Shapes {', // 2
  '  area(r: number): number {', // 3
  '    const k = 3.14;', // 4
  "    return 'big';", // 5
  '  }', // 6
  '', // 7
  '  perimeter(r: number): number {', // 8
  '    return 2 * Math.PI * r;', // 9
  '  }', // 10
  '}', // 11
  '', // 12
  'export const unit = helper(1);', // 13
  '',
].join('\n');

const input = (over: Partial<FixInput> = {}): FixInput => ({ path: 'src/shapes.ts', languageId: 'typescript', text: TS, selection: at(5, 6), diagnostics: [], ...over });

const symbols: SymbolInfo[] = [
  {
    name: 'Shapes',
    kind: 'class',
    range: range(2, 0, 11, 1),
    children: [
      { name: 'area', kind: 'method', range: range(3, 2, 6, 3), children: [{ name: 'k', kind: 'constant', range: range(4, 10, 4, 18) }] },
      { name: 'perimeter', kind: 'method', range: range(8, 2, 10, 3) },
    ],
  },
  { name: 'unit', kind: 'constant', range: range(13, 13, 13, 29) },
];

describe('gatherFixContext: the target', () => {
  it('uses the selection when there is one (whole lines, and the exact part when it is partial)', () => {
    const ctx = gatherFixContext(input({ selection: range(4, 4, 5, 17), symbols }));
    expect(ctx.target).toMatchObject({ kind: 'selection', startLine: 4, endLine: 5, truncated: false });
    expect(ctx.target.text).toBe("    const k = 3.14;\n    return 'big';");
    expect(ctx.target.selectedText).toBeUndefined(); // from the first non-blank to the line end: whole lines

    const partial = gatherFixContext(input({ selection: range(5, 11, 5, 16) }));
    expect(partial.target).toMatchObject({ kind: 'selection', startLine: 5, endLine: 5, selectedText: "'big'" });
  });

  it('a selection ending at column 0 of a line does not include that line', () => {
    const ctx = gatherFixContext(input({ selection: range(3, 0, 7, 0) }));
    expect([ctx.target.startLine, ctx.target.endLine]).toEqual([3, 6]);
  });

  it('without a selection: the innermost enclosing function from the document symbols, not a local or the class', () => {
    const ctx = gatherFixContext(input({ selection: at(4, 12), symbols }));
    expect(ctx.target).toMatchObject({ kind: 'symbol', name: 'area', symbolKind: 'method', startLine: 3, endLine: 6 });
  });

  it('without symbols: the enclosing function by braces (strings and comments do not count)', () => {
    const text = [
      'function outer() {', // 0
      '  const s = "}{";', // 1
      '  // } a stray brace in a comment', // 2
      '  if (ok) {', // 3
      '    doIt();', // 4
      '  }', // 5
      '  /* { */ return 1;', // 6
      '}', // 7
    ].join('\n');
    const ctx = gatherFixContext(input({ text, languageId: 'javascript', selection: at(4) }));
    expect(ctx.target).toMatchObject({ kind: 'block', startLine: 0, endLine: 7 }); // the function, not the `if`
  });

  it('a multi-line signature, an Allman brace and decorators belong to the block', () => {
    const text = ['@Injectable()', 'class A', '{', '  m(', '    a: number,', '  ): number', '  {', '    return a;', '  }', '}'].join('\n');
    const ctx = gatherFixContext(input({ text, selection: at(7) }));
    expect([ctx.target.startLine, ctx.target.endLine]).toEqual([3, 8]);
    const cls = gatherFixContext(input({ text, selection: at(1) }));
    expect([cls.target.startLine, cls.target.endLine]).toEqual([0, 9]);
  });

  it('a function too long to be the target: a smaller block inside it, else the statement', () => {
    const body = Array.from({ length: 200 }, (_, i) => `  step${i}();`);
    const text = ['function huge() {', ...body.slice(0, 100), '  if (x) {', '    inner();', '  }', ...body.slice(100), '  call(a,', '    b);', '}'].join('\n');
    const inIf = gatherFixContext(input({ text, languageId: 'javascript', selection: at(102) }));
    expect(inIf.target).toMatchObject({ kind: 'block', startLine: 101, endLine: 103 });
    const stmt = gatherFixContext(input({ text, languageId: 'javascript', selection: at(205) }));
    expect(stmt.target).toMatchObject({ kind: 'statement', startLine: 204, endLine: 205 });
    const line = gatherFixContext(input({ text, languageId: 'javascript', selection: at(50) }));
    expect(line.target).toMatchObject({ kind: 'line', startLine: 50, endLine: 50, text: '  step49();' });
  });

  it('Python: the enclosing def by indentation, with its decorators', () => {
    const text = ['import os', '', 'class C:', '    @staticmethod', '    def f(x):', '        if x:', '            return os.sep', '', '        return None', '', 'y = 1'].join('\n');
    const ctx = gatherFixContext(input({ text, languageId: 'python', selection: at(6, 14) }));
    expect(ctx.target).toMatchObject({ kind: 'block', startLine: 3, endLine: 8 });
    const top = gatherFixContext(input({ text, languageId: 'python', selection: at(10) }));
    expect(top.target).toMatchObject({ kind: 'line', startLine: 10, endLine: 10 });
  });

  it('from the quick-fix menu: the block around the picked diagnostic, wherever the cursor is', () => {
    const focus = diag(9, "Cannot find name 'Mth'.");
    const ctx = gatherFixContext(input({ selection: at(0), symbols, focus, diagnostics: [focus] }));
    expect(ctx.target).toMatchObject({ kind: 'symbol', name: 'perimeter' });
    expect(ctx.diagnostics[0]).toBe(focus);
  });

  it('a top-level statement outside any function: its own symbol', () => {
    const ctx = gatherFixContext(input({ selection: at(13, 20), symbols }));
    expect(ctx.target).toMatchObject({ kind: 'symbol', name: 'unit', startLine: 13, endLine: 13 });
  });
});

describe('gatherFixContext: diagnostics', () => {
  it('keeps the ones touching the target, errors first, without duplicates or hints, and counts the others', () => {
    const diagnostics: DiagnosticInfo[] = [
      diag(5, "Type 'string' is not assignable to type 'number'."),
      diag(5, "Type 'string' is not assignable to type 'number'."), // a second server says the same
      diag(4, "'k' is declared but its value is never read.", { severity: 'hint', code: '6133' }),
      diag(4, 'Prefer Math.PI.', { severity: 'warning', source: 'eslint', code: 'prefer-math-pi' }),
      diag(3, 'Info only.', { severity: 'information', source: undefined, code: undefined }),
      diag(9, 'Somewhere else.'),
      diag(13, 'Another one elsewhere.', { severity: 'warning' }),
      diag(0, 'An unused import, elsewhere.', { severity: 'hint' }),
    ];
    const ctx = gatherFixContext(input({ selection: at(5), symbols, diagnostics }));
    expect(ctx.diagnostics.map((d) => [d.severity, d.message])).toEqual([
      ['error', "Type 'string' is not assignable to type 'number'."],
      ['warning', 'Prefer Math.PI.'],
      ['information', 'Info only.'],
    ]);
    expect(ctx.elsewhere).toBe(2);
  });

  it('a diagnostic range ending at column 0 of the next line touches only its own line; the list is capped', () => {
    const wide: DiagnosticInfo = { range: range(2, 0, 3, 0), message: 'before the method', severity: 'error' };
    const many = Array.from({ length: 30 }, (_, i) => diag(5, `problem ${i}`));
    const ctx = gatherFixContext(input({ selection: at(5), symbols, diagnostics: [wide, ...many], limits: { maxDiagnostics: 5 } }));
    expect(ctx.diagnostics).toHaveLength(5);
    expect(ctx.omittedDiagnostics).toBe(25);
    expect(ctx.diagnostics.some((d) => d.message === 'before the method')).toBe(false);
    expect(ctx.elsewhere).toBe(1);
  });

  it('a picked hint is kept, first', () => {
    const hint = diag(4, "'k' is declared but its value is never read.", { severity: 'hint' });
    const ctx = gatherFixContext(input({ selection: at(0), symbols, focus: hint, diagnostics: [diag(5, 'an error'), hint] }));
    expect(ctx.diagnostics.map((d) => d.severity)).toEqual(['hint', 'error']);
  });
});

describe('gatherFixContext: surrounding code and large files', () => {
  it('a small file goes along whole, around the target', () => {
    const ctx = gatherFixContext(input({ selection: at(5), symbols }));
    expect(ctx.wholeFile).toBe(true);
    expect(ctx.before).toEqual([{ startLine: 0, lines: TS.split('\n').slice(0, 3) }]);
    expect(ctx.after[0]!.startLine).toBe(7);
    expect(ctx.after[0]!.lines.at(-1)).toBe('export const unit = helper(1);'); // no empty "line" after the final newline
    expect(ctx.totalLines).toBe(14);
  });

  it('a large file is trimmed: the head (imports) and a window around the target, long lines cut', () => {
    const lines = Array.from({ length: 5_000 }, (_, i) => `const v${i} = ${i};`);
    lines[0] = "import { a } from 'a';";
    lines[2_501] = `const minified = "${'x'.repeat(5_000)}";`;
    const text = lines.join('\n');
    const ctx = gatherFixContext(input({ text, languageId: 'javascript', selection: at(2_500) }));
    expect(ctx.target).toMatchObject({ kind: 'line', startLine: 2_500, endLine: 2_500 });
    expect(ctx.wholeFile).toBe(false);
    expect(ctx.before.map((s) => [s.startLine, s.lines.length])).toEqual([[0, 12], [2_470, 30]]);
    expect(ctx.before[0]!.lines[0]).toBe("import { a } from 'a';");
    expect(ctx.after.map((s) => [s.startLine, s.lines.length])).toEqual([[2_501, 15]]);
    expect(ctx.after[0]!.lines[0]!.length).toBeLessThan(500);
    expect(ctx.after[0]!.lines[0]).toMatch(/more characters\)$/);
    const shown = JSON.stringify(ctx).length;
    expect(shown).toBeLessThan(10_000);
  });

  it('near the top of a large file the head and the window are one run', () => {
    const text = Array.from({ length: 1_000 }, (_, i) => `x${i}();`).join('\n');
    const ctx = gatherFixContext(input({ text, languageId: 'javascript', selection: at(20) }));
    expect(ctx.before.map((s) => [s.startLine, s.lines.length])).toEqual([[0, 20]]);
  });

  it('a huge selection is cut, and says so', () => {
    const text = Array.from({ length: 2_000 }, (_, i) => `x${i}();`).join('\n');
    const ctx = gatherFixContext(input({ text, languageId: 'javascript', selection: range(0, 0, 1_999, 8) }));
    expect(ctx.target.truncated).toBe(true);
    expect(ctx.target.text.split('\n')).toHaveLength(400);
    expect(ctx.wholeFile).toBe(false);
    const wide = gatherFixContext(input({ text: 'y'.repeat(100_000), languageId: 'plaintext', selection: range(0, 0, 0, 100_000) }));
    expect(wide.target.text.length).toBeLessThanOrEqual(24_000);
    expect(wide.target.truncated).toBe(true);
  });

  it('CRLF documents and a cursor past the end are handled', () => {
    const ctx = gatherFixContext(input({ text: 'a();\r\nb();\r\n', languageId: 'javascript', selection: at(7) }));
    expect(ctx.target).toMatchObject({ startLine: 1, endLine: 1, text: 'b();' });
  });
});
