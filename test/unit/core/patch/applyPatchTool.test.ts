import { describe, expect, it } from 'vitest';
import { APPLY_PATCH_LARK_GRAMMAR } from '../../../../src/core/patch/grammar';
import type { ChangeSet, PatchOutcome } from '../../../../src/core/patch/types';
import { applyPatchTool } from '../../../../src/core/tools/applyPatch';
import { ToolInputError, type Authorization, type ToolContext } from '../../../../src/core/tools/types';
import type { AgentEvent, ApprovalSubject } from '../../../../src/shared/events';
import { MemoryFiles, patchOf } from './memoryFiles';

const PATCH = patchOf('*** Update File: a.txt', '@@', '-old', '+new');

function context(options: { authorization?: Authorization; outcome?: PatchOutcome } = {}) {
  const events: AgentEvent[] = [];
  const subjects: ApprovalSubject[] = [];
  const proposed: ChangeSet[] = [];
  const ctx = {
    turnId: 't1',
    callId: 'call1',
    cwd: '/ws',
    workspaceRoots: ['/ws'],
    signal: new AbortController().signal,
    emit: (event: AgentEvent) => events.push(event),
    files: new MemoryFiles({ '/ws/a.txt': 'old\n' }),
    authorize: async (subject: ApprovalSubject) => {
      subjects.push(subject);
      return options.authorization ?? { allowed: true };
    },
    proposeChanges: async (changeSet: ChangeSet) => {
      proposed.push(changeSet);
      return options.outcome ?? { outcome: 'applied', message: 'Applied: a.txt.' };
    },
  } as unknown as ToolContext;
  return { ctx, events, subjects, proposed };
}

describe('apply_patch tool', () => {
  it('declares a custom grammar tool with a JSON fallback', () => {
    const spec = applyPatchTool.spec;
    expect(spec.kind).toBe('custom');
    if (spec.kind !== 'custom') return;
    expect(spec.name).toBe('apply_patch');
    expect(spec.grammar).toEqual({ syntax: 'lark', definition: APPLY_PATCH_LARK_GRAMMAR });
    expect(spec.fallback.parameters).toMatchObject({ type: 'object', required: ['input'], additionalProperties: false });
  });

  it('parses freeform text and the Chat Completions JSON form', () => {
    expect(applyPatchTool.parse(PATCH)).toEqual({ patch: PATCH });
    expect(applyPatchTool.parse(JSON.stringify({ input: PATCH }))).toEqual({ patch: PATCH });
    expect(() => applyPatchTool.parse('{"input": 3}')).toThrow(ToolInputError);
    expect(() => applyPatchTool.parse('{broken')).toThrow(/not valid JSON/);
    expect(() => applyPatchTool.parse('  ')).toThrow(/empty/);
  });

  it('describes the files it touches', () => {
    expect(applyPatchTool.describe({ patch: PATCH }, { cwd: '/ws' })).toEqual({ title: 'Edit a.txt', cwd: '/ws' });
    expect(applyPatchTool.describe({ patch: patchOf('*** Delete File: a', '*** Delete File: b') }, { cwd: '/ws' }).title).toBe('Edit 2 files');
    expect(applyPatchTool.describe({ patch: 'garbage' }, { cwd: '/ws' }).title).toBe('apply_patch');
  });

  it('authorizes with file summaries, proposes the change set and reports the outcome', async () => {
    const { ctx, events, subjects, proposed } = context();
    const result = await applyPatchTool.run({ patch: PATCH }, ctx);
    expect(result).toEqual({ status: 'ok', output: 'Applied: a.txt.' });
    expect(subjects).toEqual([{ kind: 'patch', reason: 'Apply a patch to 1 file', files: [expect.objectContaining({ path: 'a.txt', kind: 'update', added: 1, removed: 1 })] }]);
    expect(proposed[0]).toMatchObject({ id: 'patch-call1', changes: [{ path: '/ws/a.txt', oldText: 'old\n', newText: 'new\n' }] });
    expect(events.map((e) => e.type)).toEqual(['patch.proposed', 'patch.resolved']);
    expect(events[1]).toMatchObject({ changeSetId: 'patch-call1', outcome: 'applied' });
  });

  it('returns patch errors to the model without asking anyone', async () => {
    const { ctx, subjects } = context();
    const result = await applyPatchTool.run({ patch: patchOf('*** Update File: a.txt', '@@', '-missing', '+x') }, ctx);
    expect(result.status).toBe('error');
    expect(result.output).toMatch(/Could not find these lines in a\.txt[\s\S]*missing/);
    expect(subjects).toEqual([]);
  });

  it('reports a denial and writes nothing', async () => {
    const { ctx, proposed } = context({ authorization: { allowed: false, reason: 'read-only mode' } });
    const result = await applyPatchTool.run({ patch: PATCH }, ctx);
    expect(result).toEqual({ status: 'denied', output: 'The patch was not applied, nothing was written: read-only mode' });
    expect(proposed).toEqual([]);
  });

  it.each([
    ['discarded', 'denied'],
    ['failed', 'error'],
    ['partial', 'ok'],
  ] as const)('maps outcome %s to status %s', async (outcome, status) => {
    const { ctx } = context({ outcome: { outcome, message: 'msg' } });
    expect(await applyPatchTool.run({ patch: PATCH }, ctx)).toEqual({ status, output: 'msg' });
  });
});
