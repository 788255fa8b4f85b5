// The ledger is built from tool calls and their results only, deterministically, and survives compactions
// by being carried forward in the compaction item's state.
import { describe, expect, it } from 'vitest';
import { filesReadBy, renderLedger, updateLedger } from '../../../../src/core/compaction/ledger';
import type { ConversationItem } from '../../../../src/core/model/types';

const exec = (callId: string, cmd: string, exitCode: number, output = ''): ConversationItem[] => [
  { type: 'function_call', callId, name: 'exec_command', arguments: JSON.stringify({ cmd }) },
  { type: 'tool_output', callId, output: `Wall time: 0.1 seconds\nProcess exited with code ${exitCode}\nOutput:\n${output}` },
];
const patch = (callId: string, text: string, result = 'Applied 1 file change(s).', custom = true): ConversationItem[] => [
  custom ? { type: 'custom_tool_call', callId, name: 'apply_patch', input: text } : { type: 'function_call', callId, name: 'apply_patch', arguments: JSON.stringify({ input: text }) },
  { type: 'tool_output', callId, output: result, ...(custom ? { custom: true } : {}) },
];

describe('filesReadBy', () => {
  it('finds the files of plain read commands', () => {
    expect(filesReadBy('cat src/a.ts src/b.ts')).toEqual(['src/a.ts', 'src/b.ts']);
    expect(filesReadBy("sed -n '1,80p' src/c.ts")).toEqual(['src/c.ts']);
    expect(filesReadBy('head -n 40 README.md | cat')).toEqual(['README.md']);
    expect(filesReadBy('nl -ba "with space.ts"')).toEqual(['with space.ts']);
  });

  it('counts nothing it cannot be sure of (expansions, redirections, other programs)', () => {
    expect(filesReadBy('cat $(find . -name x)')).toEqual([]);
    expect(filesReadBy('cat *.ts')).toEqual([]);
    expect(filesReadBy('cat < secret')).toEqual([]);
    expect(filesReadBy('rm -rf build')).toEqual([]);
    expect(filesReadBy('echo cat a.ts')).toEqual([]);
  });
});

describe('updateLedger', () => {
  it('records reads, patches (both wire shapes), the plan and failures, and marks files changed after a read', () => {
    const items: ConversationItem[] = [
      ...exec('c1', 'cat src/a.ts', 0, 'export const a = 1;'),
      ...patch('c2', '*** Begin Patch\n*** Update File: src/a.ts\n@@\n-export const a = 1;\n+export const a = 2;\n*** End Patch'),
      ...patch('c3', '*** Begin Patch\n*** Add File: src/new.ts\n+x\n*** End Patch', 'Applied.', false),
      ...exec('c4', 'npm test', 1, 'lots of output\nFAIL src/a.test.ts\nExpected 1, received 2'),
      { type: 'function_call', callId: 'c5', name: 'update_plan', arguments: JSON.stringify({ plan: [{ step: 'Fix a', status: 'completed' }, { step: 'Run tests', status: 'in_progress' }] }) },
      { type: 'tool_output', callId: 'c5', output: 'Plan updated.' },
    ];
    const ledger = updateLedger(undefined, items);
    expect(ledger.files.map((f) => f.path)).toEqual(['src/a.ts', 'src/new.ts']);
    expect(ledger.files[0]).toMatchObject({ reads: 1, changes: 1, lastChange: 'updated', changedSinceRead: true, lastChangeResult: 'Applied 1 file change(s).' });
    expect(ledger.files[1]).toMatchObject({ reads: 0, changes: 1, lastChange: 'added', changedSinceRead: false });
    expect(ledger.failures).toEqual([expect.objectContaining({ command: 'npm test', exitCode: 1, tail: 'lots of output\nFAIL src/a.test.ts\nExpected 1, received 2' })]);
    expect(ledger.plan?.steps).toHaveLength(2);
    const text = renderLedger(ledger, 4000);
    expect(text).toContain('[x] Fix a');
    expect(text).toContain('$ npm test  → exit 1');
    expect(text).toContain('src/a.ts: read 1× (last: cat src/a.ts); changed 1× by patch, last updated: Applied 1 file change(s).; changed after your last read');
  });

  it('is carried across compactions and is deterministic', () => {
    const first = updateLedger(undefined, [...exec('c1', 'npm test', 2, 'boom'), ...exec('c2', 'cat a.txt', 0)]);
    const second = updateLedger(first, [...exec('c3', 'npm test', 0, 'ok'), ...exec('c4', 'cat a.txt', 0)]);
    expect(first.failures).toHaveLength(1);
    expect(second.failures).toEqual([]); // passed since: no longer a known failure
    expect(second.files[0]).toMatchObject({ path: 'a.txt', reads: 2 });
    expect(first.files[0]).toMatchObject({ reads: 1 }); // the previous ledger is not mutated
    expect(renderLedger(second, 2000)).toBe(renderLedger(updateLedger(first, [...exec('c3', 'npm test', 0, 'ok'), ...exec('c4', 'cat a.txt', 0)]), 2000));
  });

  it('ignores calls without results, malformed calls and patches that do not parse', () => {
    const ledger = updateLedger(undefined, [
      { type: 'function_call', callId: 'x', name: 'exec_command', arguments: '{"cmd":"cat a"}' },
      { type: 'function_call', callId: 'y', name: 'exec_command', arguments: 'not json' },
      { type: 'tool_output', callId: 'y', output: 'Process exited with code 1' },
      ...patch('z', 'garbage', 'Invalid patch'),
      { type: 'tool_output', callId: 'unknown', output: 'Process exited with code 3' },
    ]);
    expect(ledger).toMatchObject({ files: [], failures: [] });
  });

  it('keeps the newest entries within the budget and says how many were left out', () => {
    const items = Array.from({ length: 200 }, (_, i) => exec(`c${i}`, `cat file-${String(i).padStart(3, '0')}.txt`, 0)).flat();
    const text = renderLedger(updateLedger(undefined, items), 1500);
    expect(text.length).toBeLessThanOrEqual(1500);
    expect(text).toContain('file-199.txt');
    expect(text).not.toContain('file-000.txt');
    expect(text).toMatch(/\(\d+ older entries not shown\)/);
  });
});
